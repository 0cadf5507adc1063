"""Keeping no more mail than needed (GDPR data minimisation).

- Copies of mails that went out (or failed for good) are deleted NOTIFICATIONS_MAIL_RETENTION_DAYS
  after they were written; until then they help the managing office answer "did the mail go out?".
- When an object is deleted, the events about it go too (with their in-app notifications and mail
  copies): their texts can hold what the deletion should remove, e.g. the personal answer links of
  a date poll's external participants. Events whose mails are still on their way are left to the
  daily sweep, which removes them once sent.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .models import Event, Outbox, OutboxState

log = logging.getLogger(__name__)

OPEN_STATES = (OutboxState.PENDING, OutboxState.CLAIMED, OutboxState.SENDING)
CHUNK = 1000


def _delete_unless_mail_open(events: models.QuerySet) -> int:
    """Delete the events (with their notifications and mail copies) whose mails are all out; how many went."""
    open_mail = Outbox.objects.filter(state__in=OPEN_STATES, event__isnull=False).values("event_id")
    return events.exclude(pk__in=open_mail).delete()[1].get(Event._meta.label, 0)


def forget(target: models.Model) -> int:
    """Delete the events about ``target`` whose mails are out; call it in the deleting transaction."""
    events = Event.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
    return _delete_unless_mail_open(events)


def purge_mail_copies(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.NOTIFICATIONS_MAIL_RETENTION_DAYS)
    deleted, _ = Outbox.objects.filter(created__lt=cutoff).exclude(state__in=OPEN_STATES).delete()
    return deleted


def forget_orphans() -> int:
    """Events about objects that no longer exist (deleted without :func:`forget`, or with mail on its way then)."""
    removed = 0
    for type_id in Event.objects.exclude(target_type=None).values_list("target_type", flat=True).distinct():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        candidates = Event.objects.filter(target_type_id=type_id)
        last = 0
        while True:
            chunk = list(candidates.filter(pk__gt=last).order_by("pk").values_list("pk", "target_id")[:CHUNK])
            if not chunk:
                break
            last = chunk[-1][0]
            wanted = {target_id for _pk, target_id in chunk}
            existing = {str(pk) for pk in model._base_manager.filter(pk__in=_as_keys(model, wanted)).values_list("pk", flat=True)}
            gone = [pk for pk, target_id in chunk if target_id not in existing]
            if gone:
                with transaction.atomic():
                    removed += _delete_unless_mail_open(Event.objects.filter(pk__in=gone))
    return removed


def _as_keys(model, values: set[str]) -> list:
    field = model._meta.pk
    keys = []
    for value in values:
        try:
            keys.append(field.to_python(value))
        except ValidationError:
            log.warning("notifications: event target %r is no key of %s", value, model._meta.label)
    return keys


def run_daily(day: dt.date) -> dict[str, int]:
    """Entry point for notifications.scheduler (NOTIFICATIONS_DAILY_JOBS)."""
    result = {"mail_copies": purge_mail_copies(), "orphaned_events": forget_orphans()}
    if any(result.values()):
        log.info("notifications: deleted %(mail_copies)s mail copies and %(orphaned_events)s orphaned events", result)
    return result
