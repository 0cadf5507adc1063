"""Platform admins read members' data here; changes go through the audited actions on the office's pages
(/verwaltung/), which also keep the workspaces and the deputies in step with the memberships."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin

from .models import Body, Cooperation, Membership, Municipality, Organisation, Person, PopulationFigure


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["short_name", "ags", "join_date", "status"]
    search_fields = ["name", "short_name", "ags"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "body", "role", "municipality", "start_date", "end_date"]
    list_filter = ["body", "role"]
    search_fields = ["person__family_name", "person__given_name", "body__name"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "given_name", "municipality", "organisation", "email"]
    search_fields = ["family_name", "given_name", "email"]
    list_filter = ["municipality"]


admin.site.register(Body, ReadOnlyAdmin)
admin.site.register(Cooperation, ReadOnlyAdmin)
admin.site.register(Organisation, ReadOnlyAdmin)
admin.site.register(PopulationFigure, ReadOnlyAdmin)
