"""Writing to the audit log. Every domain action that changes audited objects calls record()."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.db import models

from .models import AuditEvent


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ("password", "version", "modified", "created")) -> dict:
    """A JSON-safe picture of a row's own fields, for the before/after of an event."""
    data: dict[str, object] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, (decimal.Decimal, uuid.UUID)):
            value = str(value)
        data[field.name] = value
    return data


def record(
    actor,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=(str(actor_obj) if actor_obj else "System")[:200],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        before=before,
        after=after,
    )
