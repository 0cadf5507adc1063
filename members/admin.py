"""Admin views for platform admins. Changes go through the audited actions."""

from django.contrib import admin

from audit.actions import record, snapshot

from .models import Body, Cooperation, Membership, Municipality, Organisation, Person, PopulationFigure


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'changed' if change else 'created'}"
        record(request.user, action + ".admin", obj, before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        record(request.user, f"{obj._meta.model_name}.deleted.admin", obj, before=snapshot(obj))
        super().delete_model(request, obj)

    def get_actions(self, request):
        # Bulk delete would bypass delete_model and so the audit log.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["short_name", "ags", "join_date", "status"]
    search_fields = ["name", "short_name", "ags"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["person", "body", "role", "municipality", "start_date", "end_date"]
    list_filter = ["body", "role"]
    search_fields = ["person__family_name", "person__given_name", "body__name"]
    autocomplete_fields = ["person", "deputy_for"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["family_name", "given_name", "municipality", "organisation", "email"]
    search_fields = ["family_name", "given_name", "email"]
    list_filter = ["municipality"]


admin.site.register(Body, AuditedAdmin)
admin.site.register(Cooperation, AuditedAdmin)
admin.site.register(Organisation, AuditedAdmin)
admin.site.register(PopulationFigure, AuditedAdmin)
