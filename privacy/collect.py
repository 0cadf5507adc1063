"""Finding every row linked to a person, from the registry (used by the export and the erasure alike)."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import re
import uuid
from collections.abc import Iterator

from django.db import models
from django.db.models import Q

from members.models import Person

from .registry import ModelPrivacy, registered_models

SECRET_FIELD = re.compile(r"password|token|secret|(^|_)key$|code_hash|session_data|^data$")


def subject_filter(meta: ModelPrivacy, person: Person, *, skip: tuple[str, ...] = ()) -> Q | None:
    """The rows of a model linked to ``person``: by the person, their account or their e-mail addresses."""
    condition = Q()
    used = False
    for name in meta.person_fields:
        if name not in skip:
            condition |= Q(**{name: person})
            used = True
    if person.user_id:
        for name in meta.user_fields:
            if name not in skip:
                condition |= Q(**{name: person.user_id})
                used = True
    addresses = {address.lower() for address in (person.email, person.user.email if person.user_id else "") if address}
    for name in meta.email_fields:
        for address in addresses:
            condition |= Q(**{f"{name}__iexact": address})
            used = True
    return condition if used else None


def linked(person: Person) -> Iterator[tuple[type[models.Model], ModelPrivacy, models.QuerySet]]:
    """Every registered model with its rows linked to ``person`` (models without a link are skipped)."""
    for model, meta in registered_models():
        condition = subject_filter(meta, person)
        if condition is None:
            continue
        yield model, meta, model._default_manager.filter(condition).distinct().order_by("pk")


def row_as_json(obj: models.Model) -> dict:
    """A row's own fields, JSON-safe, without secrets (password hashes, tokens, second-factor keys)."""
    data: dict[str, object] = {}
    for field in obj._meta.concrete_fields:
        if SECRET_FIELD.search(field.name):
            continue
        value = getattr(obj, field.attname)
        data[field.name] = _json_value(value)
    for field in obj._meta.many_to_many:
        data[field.name] = sorted(obj.serializable_value(field.name).values_list("pk", flat=True))
    return data


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def stored_files(obj: models.Model) -> list[tuple[str, object]]:
    """(field name, FieldFile) of every file the row points to."""
    files = []
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(obj, field.name)
            if value:
                files.append((field.name, value))
    return files
