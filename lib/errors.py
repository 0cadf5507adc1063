"""Showing an action's ValidationError to the person who caused it: on the form, or as page messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_to_form(form, exc: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    """Put the errors on the form's fields where the action names one (``rename`` maps the action's names
    to the form's), else on the form as a whole."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def add_to_messages(request, exc: ValidationError) -> None:
    """One error message on the next page per message of ``exc``."""
    for message in exc.messages:
        messages.error(request, message)
