"""Platform admins read events, registrations and documentations here; every change goes through the pages of
the organisers (events/actions.py). Accessibility needs (Art. 9 GDPR) are for the named organisers only, so
they have no admin page and no inline; the answers (free text) and the personal links' keys and check-in
codes are left out too."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Contingent, Documentation, DocumentationItem, Event, Feedback, Registration, Session


class SessionInline(ReadOnlyTabularInline):
    model = Session
    fields = ["title", "starts_at", "ends_at", "room", "speakers", "capacity", "counts_for_certificate", "needs_choice"]
    readonly_fields = fields  # non-editable ones too (shown, never changed)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "capacity", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "slug"]
    fields = [
        "title",
        "slug",
        "kind",
        "starts_at",
        "ends_at",
        "format",
        "venue_name",
        "venue_address",
        "mode",
        "capacity",
        "requires_approval",
        "registration_closes_at",
        "contingent_deadline",
        "offer_hours",
        "accessibility_retention_days",
        "retention_days",
        "min_sessions_for_certificate",
        "is_published",
        "workspace",
    ]
    readonly_fields = fields  # non-editable ones too (shown, never changed)
    inlines = [SessionInline]


@admin.register(Contingent)
class ContingentAdmin(ReadOnlyAdmin):
    list_display = ["event", "municipality", "places", "returned_at", "returned_places"]
    fields = ["event", "municipality", "places", "coordinator_name", "coordinator_email", "returned_at", "returned_places"]
    readonly_fields = fields  # non-editable ones too (shown, never changed)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """No accessibility needs, no answers, no link key or check-in code (they would be a way in)."""

    list_display = ["name", "event", "municipality", "status", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    fields = [
        "event",
        "name",
        "email",
        "organisation",
        "municipality",
        "contingent",
        "status",
        "photo",
        "queued_at",
        "offer_expires_at",
        "walk_in",
        "checked_in_at",
        "anonymised",
    ]
    readonly_fields = fields  # non-editable ones too (shown, never changed)


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["event", "rating", "created"]
    fields = ["event", "rating", "comment"]  # without the registration: feedback is shown without names
    readonly_fields = fields  # non-editable ones too (shown, never changed)


class DocumentationItemInline(ReadOnlyTabularInline):
    model = DocumentationItem
    fields = ["kind", "title", "alt_text", "credit", "consent", "released_at"]
    readonly_fields = fields  # non-editable ones too (shown, never changed)


@admin.register(Documentation)
class DocumentationAdmin(ReadOnlyAdmin):
    list_display = ["event", "licence", "published_at"]
    fields = ["event", "report", "licence", "attribution", "published_at"]
    readonly_fields = fields  # non-editable ones too (shown, never changed)
    inlines = [DocumentationItemInline]
