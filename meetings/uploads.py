"""Uploaded PDFs of agenda items and papers: checked by their bytes, stored as ``MeetingFile``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from lib.storage import storing
from meetings.models import MeetingFile
from scanning.actions import hold

PAPER_FILE_MAX_BYTES = 20 * 1024 * 1024


def file_facts(document: MeetingFile) -> dict[str, Any]:
    return {
        "paper": document.paper_id,
        "name": document.name,
        "file_name": document.file_name,
        "role": document.role,
        "public": document.public,
        "size": document.size,
        "sha512": document.sha512,
    }


def store_pdf(
    uploaded: UploadedFile, *, role: str, public: bool, name: str = "", uploader: Any = None, **owner: Any
) -> MeetingFile:
    """Keep an uploaded PDF for ``owner`` (``paper=`` or ``agenda_item=``): PDF only, judged by the bytes
    (documents.filetypes), not by the name or the browser's type; the file name made safe."""
    from documents import filetypes

    if (uploaded.size or 0) > PAPER_FILE_MAX_BYTES:
        raise ValidationError({"upload": _("Die Datei ist größer als 20 MB.")})
    try:
        kind = filetypes.detect(uploaded, uploaded.name or "")
    except filetypes.Refused as exc:
        raise ValidationError({"upload": str(exc)}) from None
    if kind.code != "pdf":
        raise ValidationError(
            {"upload": _("Bitte laden Sie eine PDF-Datei hoch; diese Datei ist %(kind)s.") % {"kind": kind.label}}
        )
    data = uploaded.read()
    file_name = filetypes.safe_file_name(uploaded.name or "", kind)
    document = MeetingFile(
        role=role,
        name=(name.strip() or filetypes.title_from_name(file_name))[:200],
        file_name=file_name[:200],
        mime_type=kind.content_type,
        public=public,
        **owner,
    )
    document.set_content(data)
    with storing("upload"):
        document.content.save(file_name, ContentFile(data), save=False)
    document.save()  # type: ignore[no-untyped-call]  # MeetingFile.save (models.py, untyped) keeps its parent fresh
    hold(document.content.name, uploader)
    return document
