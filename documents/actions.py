"""Everything that changes documents: views, the demo and tests call these.

Uploads are checked here (type from the bytes, executables refused, safe names); text extraction and
search indexing run afterwards in the worker. Trash, restore, deletion and the public flag are audited.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record
from lib import isolation
from lib.concurrency import save_versioned
from lib.images import ImageRefused, clean_image
from lib.licences import Licence, may_be_public
from lib.storage import storing
from scanning.actions import hold
from search.indexing import schedule
from workspaces.access import can_contribute, can_manage

from . import extraction, filetypes
from .models import Document, DocumentVersion, Folder, PublicationKind, Tag

logger = logging.getLogger(__name__)
MAX_TAGS = 12


def _checked(uploaded) -> tuple[filetypes.FileKind, str, str, object]:
    """Kind, safe file name, SHA-256 and the file to store of an upload, or ValidationError.

    Raster images are stored re-encoded (lib.images): bounded in pixels, without EXIF/GPS or
    other metadata. Every other kind is stored byte for byte.
    """
    try:
        kind = filetypes.detect(uploaded, uploaded.name or "")
    except filetypes.Refused as exc:
        raise _refused(uploaded, exc) from None
    if kind.code in filetypes.RASTER_IMAGES.values():
        try:
            clean = clean_image(uploaded)
        except ImageRefused as exc:
            raise _refused(uploaded, exc) from None
        kind = filetypes.KINDS[filetypes.RASTER_IMAGES[clean.format]]
        uploaded = ContentFile(clean.data, name=uploaded.name or "")
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return kind, filetypes.safe_file_name(uploaded.name or "", kind), digest.hexdigest(), uploaded


def check_upload(uploaded) -> tuple[filetypes.FileKind, str, str, object]:
    """The same check for files of other apps (task attachments): kind from the bytes, safe name, SHA-256."""
    return _checked(uploaded)


def _refused(uploaded, reason) -> ValidationError:
    name = filetypes.safe_file_name(uploaded.name or "", filetypes.KINDS["text"]).removesuffix(".txt")
    return ValidationError(_("„%(name)s“: %(reason)s") % {"name": name, "reason": reason})


def _add_version(
    user, document: Document, uploaded, restored_from: DocumentVersion | None = None, checked=None
) -> DocumentVersion:
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if restored_from is not None:
        version = DocumentVersion(
            document=document,
            number=number,
            file=restored_from.file.name,
            file_name=restored_from.file_name,
            kind=restored_from.kind,
            content_type=restored_from.content_type,
            size=restored_from.size,
            sha256=restored_from.sha256,
            uploaded_by=user,
            restored_from=restored_from.number,
            text=restored_from.text,
            text_status=restored_from.text_status,
            text_failure=restored_from.text_failure,
            page_count=restored_from.page_count,
        )
        version.save()
    else:
        kind, name, digest, uploaded = checked or _checked(uploaded)
        version = DocumentVersion(
            document=document,
            number=number,
            file_name=name,
            kind=kind.code,
            content_type=kind.content_type,
            size=uploaded.size,
            sha256=digest,
            uploaded_by=user,
            text_status=DocumentVersion.TextStatus.PENDING if kind.has_text else DocumentVersion.TextStatus.NO_TEXT,
        )
        with storing():
            version.file.save(name, uploaded, save=False)
        version.save()
        hold(version.file.name, user)
        if kind.has_text:
            from .tasks import extract_text

            transaction.on_commit(lambda: extract_text.enqueue(version.pk))
    Document.objects.filter(pk=document.pk).update(current=version, modified=timezone.now(), version=F("version") + 1)
    document.refresh_from_db()
    schedule("document", document.pk)
    return version


def _require_contributor(user, workspace) -> None:
    if not can_contribute(user, workspace):
        raise ValidationError(_("Sie können in diesem Arbeitsbereich keine Dokumente ablegen."))


@transaction.atomic
def upload(user, workspace, uploaded, *, folder: Folder | None = None, title: str = "") -> Document:
    _require_contributor(user, workspace)
    if folder is not None and folder.workspace_id != workspace.pk:
        raise ValidationError(_("Der Ordner gehört zu einem anderen Arbeitsbereich."))
    checked = _checked(uploaded)
    document = Document.objects.create(
        workspace=workspace, folder=folder, title=(title or filetypes.title_from_name(checked[1]))[:200], created_by=user
    )
    _add_version(user, document, uploaded, checked=checked)
    return document


@transaction.atomic
def add_version(user, document: Document, uploaded) -> DocumentVersion:
    _require_contributor(user, document.workspace)
    document = Document.objects.select_for_update().get(pk=document.pk)
    return _add_version(user, document, uploaded)


@transaction.atomic
def restore_version(user, document: Document, old: DocumentVersion) -> DocumentVersion:
    """Make an old version current again, as a new version: the history stays complete."""
    _require_contributor(user, document.workspace)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    return _add_version(user, locked, None, restored_from=old)


def _tag_objects(workspace, names: list[str]) -> list[Tag]:
    tags = []
    for name in names[:MAX_TAGS]:
        tag, _created = Tag.objects.get_or_create(workspace=workspace, name=name[:60])
        tags.append(tag)
    return tags


@transaction.atomic
def update_document(
    user, document: Document, expected_version: int, *, title: str, description: str, folder, tags: list[str]
) -> None:
    """Change title, description, folder and tags; raises EditConflict if somebody saved in between."""
    _require_contributor(user, document.workspace)
    if folder is not None and folder.workspace_id != document.workspace_id:
        raise ValidationError(_("Der Ordner gehört zu einem anderen Arbeitsbereich."))
    document.title, document.description, document.folder = title, description, folder
    save_versioned(document, expected_version, fields=["title", "description", "folder_id"])
    document.tags.set(_tag_objects(document.workspace, tags))
    schedule("document", document.pk)


@transaction.atomic
def create_folder(user, workspace, name: str) -> Folder:
    _require_contributor(user, workspace)
    name = " ".join(name.split())[:120]
    if not name:
        raise ValidationError(_("Bitte geben Sie einen Namen für den Ordner an."))
    if Folder.objects.filter(workspace=workspace, name__iexact=name).exists():
        raise ValidationError(_("Einen Ordner „%(name)s“ gibt es hier schon.") % {"name": name})
    return Folder.objects.create(workspace=workspace, name=name)


def _audit_state(document: Document) -> dict:
    return {
        "title": document.title,
        "workspace": document.workspace_id,
        "public": document.is_public,
        "trashed": document.is_trashed,
        "licence": document.licence,
        "kind": document.publication_kind,
    }


def _change(user, document: Document, action: str, **fields) -> None:
    before = _audit_state(document)
    Document.objects.filter(pk=document.pk).update(version=F("version") + 1, modified=timezone.now(), **fields)
    document.refresh_from_db()
    record(user, action, document, before=before, after=_audit_state(document))
    schedule("document", document.pk)


@transaction.atomic
def set_public(user, document: Document, public: bool) -> None:
    """Publish to the public downloads (or withdraw). Managers only; audited."""
    if document.is_trashed:
        raise ValidationError(_("Dokumente im Papierkorb können nicht veröffentlicht werden."))
    if document.is_public == public:
        return
    if public and not may_be_public(document.licence):
        raise ValidationError(
            {
                "licence": _(
                    "Ein Dokument mit der Lizenz „nur intern“ kann nicht veröffentlicht werden. Bitte wählen Sie eine andere Lizenz."
                )
            }
        )
    if public:
        _change(user, document, "document.publish", is_public=True, published_at=timezone.now())
    else:
        _change(user, document, "document.unpublish", is_public=False, published_at=None)


@transaction.atomic
def set_publication_details(user, document: Document, expected_version: int, *, licence: str, kind: str, cities) -> None:
    """Licence, kind and cities of a (to be) published document. Managers only (like publishing); audited.

    Raises EditConflict if somebody saved in between, ValidationError for an unknown value or for
    „nur intern“ on a public document (the database refuses that combination too).
    """
    if not can_manage(user, document.workspace):
        raise ValidationError(_("Nur die Leitung des Arbeitsbereichs kann die Angaben zur Veröffentlichung ändern."))
    if licence not in Licence.values:
        raise ValidationError({"licence": _("Bitte wählen Sie eine der angebotenen Lizenzen.")})
    if kind not in PublicationKind.values:
        raise ValidationError({"publication_kind": _("Bitte wählen Sie eine der angebotenen Arten.")})
    if document.is_public and not may_be_public(licence):
        raise ValidationError(
            {
                "licence": _(
                    "Ein öffentliches Dokument kann nicht „nur intern“ sein. Nehmen Sie es zuerst aus den Veröffentlichungen."
                )
            }
        )
    before = _audit_state(document)
    document.licence, document.publication_kind = licence, kind
    save_versioned(document, expected_version, fields=["licence", "publication_kind"])
    document.cities.set(cities)
    record(user, "document.publication_details", document, before=before, after=_audit_state(document))
    schedule("document", document.pk)


@transaction.atomic
def trash(user, document: Document) -> None:
    _require_contributor(user, document.workspace)
    if document.is_trashed:
        return
    _change(user, document, "document.trash", trashed_at=timezone.now(), trashed_by=user, is_public=False, published_at=None)


@transaction.atomic
def restore(user, document: Document) -> None:
    _require_contributor(user, document.workspace)
    if not document.is_trashed:
        return
    _change(user, document, "document.restore", trashed_at=None, trashed_by=None)


@transaction.atomic
def delete_for_good(user, document: Document) -> None:
    """Delete a trashed document with all versions and files. Managers only; audited."""
    if not document.is_trashed:
        raise ValidationError(_("Nur Dokumente im Papierkorb können endgültig gelöscht werden."))
    names = set(document.versions.values_list("file", flat=True))
    record(user, "document.delete", document, before=_audit_state(document))
    pk = document.pk
    Document.objects.filter(pk=pk).update(current=None)
    document.delete()
    schedule("document", pk)
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names if n])


def _limits() -> isolation.Limits:
    return isolation.Limits(
        cpu_seconds=settings.DOCUMENTS_EXTRACTION_CPU_SECONDS,
        memory_mb=settings.DOCUMENTS_EXTRACTION_MEMORY_MB,
        wall_seconds=settings.DOCUMENTS_EXTRACTION_WALL_SECONDS,
    )


def _set_text(version_id: int, status: str, *, failure: str = "", text: str = "", pages: int | None = None) -> None:
    DocumentVersion.objects.filter(pk=version_id).update(text=text, page_count=pages, text_status=status, text_failure=failure)


def extract_version_text(version_id: int) -> None:
    """Worker: store the text of a version (or mark it not extractable or failed), then re-index its document.

    The file is read in a child process with CPU, memory and wall-time limits. A file that hits a
    limit is marked failed with the reason and never tried again; a run that was cut off (the worker
    died) is tried again at most ``DOCUMENTS_EXTRACTION_MAX_ATTEMPTS`` times.
    """
    Status, Failure = DocumentVersion.TextStatus, DocumentVersion.TextFailure
    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None:
        return
    DocumentVersion.objects.filter(pk=version_id).update(text_attempts=F("text_attempts") + 1)
    if version.text_attempts >= settings.DOCUMENTS_EXTRACTION_MAX_ATTEMPTS:
        logger.warning("document version %s: extraction cut off %s times; giving up", version_id, version.text_attempts)
        _set_text(version_id, Status.FAILED, failure=Failure.INTERRUPTED)
    else:
        try:
            with version.file.open("rb") as file:
                data = file.read()
            result = extraction.extract_isolated(version.kind, data, _limits())
        except isolation.Interrupted:
            DocumentVersion.objects.filter(pk=version_id).update(text_attempts=F("text_attempts") - 1)  # not the file's fault
            raise
        except isolation.Failed as exc:
            logger.warning("document version %s: text extraction stopped: %s", version_id, exc)
            _set_text(version_id, Status.FAILED, failure=exc.reason)
        except extraction.LimitExceeded as exc:
            logger.warning("document version %s: text extraction refused: %s", version_id, exc)
            _set_text(version_id, Status.FAILED, failure=Failure.TOO_LARGE)
        except extraction.NotExtractable as exc:
            logger.info("text of document version %s not extractable: %s", version_id, exc)
            _set_text(version_id, Status.NOT_EXTRACTABLE)
        except OSError as exc:
            logger.warning("document version %s: file not readable: %r", version_id, exc)
            _set_text(version_id, Status.NOT_EXTRACTABLE)
        else:
            _set_text(version_id, Status.EXTRACTED, text=result.text, pages=result.pages)
    # Versions restored later copy the text; a restore racing with extraction gets it on the next run.
    from search.indexing import index_now

    index_now("document", version.document_id)
