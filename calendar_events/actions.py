"""Everything that changes events and calendar feeds: views, polls, the demo and tests call these.

Each action validates, writes atomically and records the change in the audit log. Changes that a
calendar app shows (time, place, title, …) raise the event's iCalendar SEQUENCE. Deleting an event
is recorded with everything it held; callers that mailed the event (polls) send a CANCEL.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from lib.concurrency import save_versioned
from search.indexing import schedule
from workspaces.access import can_contribute

from .models import CalendarFeed, Event
from .signals import event_deleting

# Fields whose change calendar apps must learn about (a higher SEQUENCE makes them replace their copy).
ICAL_FIELDS = ("title", "description", "location", "online_url", "starts_at", "ends_at")
EDITABLE_FIELDS = ICAL_FIELDS


def _check_workspace(actor, workspace) -> None:
    if workspace.is_archived:
        raise ValidationError(_("Dieser Arbeitsbereich ist archiviert; Termine können nicht mehr geändert werden."))
    if actor is not None and getattr(actor, "is_authenticated", False) and not can_contribute(actor, workspace):
        raise ValidationError(_("Termine legen die Leitung und die Bearbeitenden des Arbeitsbereichs an."))


@transaction.atomic
def create_event(actor, workspace, **fields) -> Event:
    """Create an event in ``workspace``. ``actor`` None: the system (e.g. a confirmed poll's organiser was checked there)."""
    _check_workspace(actor, workspace)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    event = Event(workspace=workspace, created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    event.full_clean()
    event.save()
    record(actor, "event.created", event, after=snapshot(event))
    schedule("event", event.pk)
    return event


@transaction.atomic
def update_event(actor, event: Event, expected_version: int, **fields) -> Event:
    """Change an event; refused (EditConflict) if somebody saved in between, so nothing is overwritten."""
    _check_workspace(actor, event.workspace)
    old = Event.objects.get(pk=event.pk)
    before = snapshot(old)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"Unknown event field: {name}")
        setattr(event, name, value)
    event.full_clean()
    if any(getattr(old, name) != getattr(event, name) for name in ICAL_FIELDS):
        event.sequence += 1
    save_versioned(event, expected_version)
    record(actor, "event.changed", event, before=before, after=snapshot(event))
    schedule("event", event.pk)
    return event


@transaction.atomic
def delete_event(actor, event: Event) -> dict:
    """Delete an event; returns the snapshot recorded in the audit log (with the SEQUENCE a CANCEL must carry)."""
    _check_workspace(actor, event.workspace)
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event)
    record(actor, "event.deleted", event, before=before)
    event.sequence += 1  # a CANCEL must carry a SEQUENCE above the last one sent
    event_deleting.send(sender=Event, event=event, actor=actor)
    pk = event.pk
    event.delete()
    schedule("event", pk)
    return before


# --- Personal feed --------------------------------------------------------------------------------


@transaction.atomic
def create_feed(user) -> str:
    """Give ``user`` a new secret feed address and return its token (shown once). An older address stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    token, token_hash = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(user=user, token_hash=token_hash)
    record(user, "calendar.feed.created", feed, after={"user": user.pk})
    return token


@transaction.atomic
def revoke_feed(user) -> bool:
    """Revoke the feed address: the feed answers 404 from now on. False if there was none."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return False
    record(user, "calendar.feed.revoked", feed, before={"user": user.pk, "created": feed.created.isoformat()})
    feed.delete()
    return True


def find_feed(token: str) -> CalendarFeed | None:
    from .models import hash_token

    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token), user__is_active=True).first()
    if feed is not None and (feed.last_used is None or (timezone.now() - feed.last_used).total_seconds() > 3600):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used=timezone.now())
    return feed
