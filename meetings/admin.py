"""Platform admins read papers, external committees, venues and series here. Papers and their consultation
sequence change on the managing office's pages (/sitzungen/vorlagen/), which check what the admin cannot
(one authoritative step, concurrent edits, soft deletion for OParl)."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Consultation, ExternalCommittee, Location, MeetingSeries, Paper


class ConsultationInline(ReadOnlyTabularInline):
    model = Consultation
    fields = ["order", "body", "committee", "role", "authoritative", "date", "meeting", "agenda_item"]


@admin.register(Paper)
class PaperAdmin(ReadOnlyAdmin):
    list_display = ["reference", "name", "paper_type", "date", "public"]
    search_fields = ["reference", "name"]
    inlines = [ConsultationInline]


@admin.register(ExternalCommittee)
class ExternalCommitteeAdmin(ReadOnlyAdmin):
    list_display = ["name", "municipality", "classification"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["name", "locality", "room"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ReadOnlyAdmin):
    list_display = ["body", "meetings_per_year", "rotating_host"]
