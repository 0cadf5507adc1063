"""External committees, venues and series are kept by platform admins here; papers and their consultation
sequence have their own pages for the managing office (/sitzungen/vorlagen/), which check what the admin
cannot (one authoritative step, concurrent edits). The admin stays as a fallback for platform admins.

OParl forbids hard deletes, so deletion is switched off here; the paper pages delete softly (OParl stub)."""

from django.contrib import admin

from members.admin import AuditedAdmin

from .models import Consultation, ExternalCommittee, Location, MeetingSeries, Paper


class NoDeleteAdmin(AuditedAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 1
    fields = ["order", "body", "committee", "role", "authoritative", "date", "meeting", "agenda_item"]
    raw_id_fields = ["meeting", "agenda_item"]
    can_delete = False


@admin.register(Paper)
class PaperAdmin(NoDeleteAdmin):
    list_display = ["reference", "name", "paper_type", "date", "public"]
    search_fields = ["reference", "name"]
    inlines = [ConsultationInline]


@admin.register(ExternalCommittee)
class ExternalCommitteeAdmin(NoDeleteAdmin):
    list_display = ["name", "municipality", "classification"]


@admin.register(Location)
class LocationAdmin(NoDeleteAdmin):
    list_display = ["name", "locality", "room"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(NoDeleteAdmin):
    list_display = ["body", "meetings_per_year", "rotating_host"]
