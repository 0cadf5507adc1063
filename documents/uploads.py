"""Refuse oversized uploads early: before reading the body, and while reading it."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

# Form fields and multipart headers around the files; generous, the files are what counts.
ENVELOPE_BYTES = 256 * 1024


def max_upload_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_MB * 1024 * 1024


def too_large_message() -> str:
    return _("Die Dateien sind zu groß: Pro Hochladen sind zusammen höchstens %(mb)s MB erlaubt.") % {
        "mb": settings.DOCUMENTS_MAX_UPLOAD_MB
    }


def declared_too_large(request) -> bool:
    """The Content-Length already says the upload is too big: answer without reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > max_upload_bytes() + ENVELOPE_BYTES


class LimitedUploadHandler(FileUploadHandler):
    """Counts the file bytes as they arrive and stops reading past the limit (for chunked or lying clients)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        request.upload_too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
