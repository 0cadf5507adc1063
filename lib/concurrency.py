"""Optimistic locking: concurrent edits never silently overwrite each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.errors import add_to_form


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
        setattr(obj, "modified", values["modified"])  # noqa: B010 - any model with a modified column
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(version=expected_version + 1, **values)
    if updated != 1:
        raise EditConflict
    setattr(obj, "version", expected_version + 1)  # noqa: B010 - any versioned model


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

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


def apply_edit(form: forms.Form, write: Callable[[dict[str, Any]], object], *, rename: dict[str, str] | None = None) -> bool:
    """The one way a view saves a versioned edit: validate ``form``, call ``write(cleaned_data)`` (an action
    that takes the version the editor started from) and report what went wrong *on the form*, so the typed
    input is shown again and nothing is lost.

    Returns True when the write succeeded. Otherwise the form carries the errors: field errors of the form
    itself, an action's ``ValidationError`` (on the fields it names, ``rename`` maps its names to the form's)
    or the edit conflict (``CONFLICT_MESSAGE``, and ``form.edit_conflict`` is True so the page can answer 409).
    """
    form.edit_conflict = False  # type: ignore[attr-defined]
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except EditConflict:
        form.edit_conflict = True  # type: ignore[attr-defined]
        form.add_error(None, CONFLICT_MESSAGE)
        return False
    except ValidationError as exc:
        add_to_form(form, exc, rename=rename)
        return False
    return True


def failed_status(form: forms.Form) -> int:
    """The HTTP status of a page that shows ``form`` again after a failed :func:`apply_edit`."""
    return 409 if getattr(form, "edit_conflict", False) else 400
