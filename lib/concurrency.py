"""Optimistic locking: concurrent edits never silently overwrite each other."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EditConflict(Exception):
    """Somebody else saved the object after the editor loaded it."""


CONFLICT_MESSAGE = _(
    "Dieser Eintrag wurde inzwischen von jemand anderem geändert. "
    "Ihre Eingaben sind unten erhalten; bitte laden Sie die aktuelle Fassung und übernehmen Sie Ihre Änderungen erneut."
)


def save_versioned(obj: models.Model, expected_version: int, fields: list[str] | None = None) -> None:
    """Save ``obj`` only if its row still has ``expected_version``; bump the version.

    A single UPDATE … WHERE version = expected makes the check and the write atomic,
    so two saves of the same version cannot both succeed.
    """
    model = type(obj)
    update_fields = fields or [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.attname != "version"]
    values = {name: getattr(obj, name) for name in update_fields}
    if "modified" in {f.name for f in model._meta.concrete_fields}:
        values["modified"] = timezone.now()
        obj.modified = values["modified"]
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(version=expected_version + 1, **values)
    if updated != 1:
        raise EditConflict
    obj.version = expected_version + 1


def bump_counter(obj: models.Model, field: str, expected: int | None) -> None:
    """Take a lock on a part of ``obj`` (an agenda's order, a paper's consultation sequence): add one to the
    counter ``field`` if its row still has ``expected`` (``None``: whatever it has), else EditConflict.

    Like :func:`save_versioned`, one UPDATE … WHERE makes the check and the write atomic.
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(**{field: expected})
    if rows.update(**{field: models.F(field) + 1, "modified": timezone.now()}) != 1:
        raise EditConflict
    if expected is None:
        setattr(obj, field, rows.values_list(field, flat=True).get())
    else:
        setattr(obj, field, expected + 1)


class VersionField(forms.IntegerField):
    """Hidden field carrying the version the editor started from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
