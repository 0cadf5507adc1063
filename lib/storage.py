"""Failures of the file storage (a local folder or an S3-compatible object store) as one clear answer.

Writes that fail become a ``ValidationError`` with a German message, raised inside the action's
transaction, so no database row points at a file that was never stored. Reads that fail become
:class:`StorageUnavailable`, which the download views answer with 503.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _


def _errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]
    with contextlib.suppress(ImportError):
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _errors()


class StorageUnavailable(Exception):
    """The file storage could not be reached or refused the request."""


def write_refused_message() -> str:
    return _(
        "Der Dateispeicher ist zurzeit nicht erreichbar. Die Datei wurde nicht gespeichert; "
        "bitte versuchen Sie es in einigen Minuten erneut."
    )


@contextlib.contextmanager
def storing(field: str | None = None) -> Iterator[None]:
    """Around a file write in an action: a storage failure becomes a ValidationError (on ``field`` if given)."""
    try:
        yield
    except ValidationError:
        raise
    except STORAGE_ERRORS as exc:
        message = write_refused_message()
        raise ValidationError({field: message} if field else message) from exc


def open_for_reading(file):
    """Open a stored file for a download; FileNotFoundError stays as it is, any other failure is StorageUnavailable."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        raise
    except STORAGE_ERRORS as exc:
        raise StorageUnavailable(str(exc)) from exc


def unavailable_response() -> HttpResponse:
    response = HttpResponse(
        _("Der Dateispeicher ist zurzeit nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response
