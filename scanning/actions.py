"""Hold every upload until clamd found it clean; quarantine what it finds, tell the uploader.

The upload paths (documents, task attachments, meeting papers, news images) call :func:`hold` in the
transaction that stores the file; the scan runs in the worker after the commit (``scanning.tasks``).
If clamd is down the file stays ``pending`` (and is not served): :func:`rescan_pending`, run by every
worker about once a minute, tries again. Downloads ask :func:`held_response` before they stream.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record

from . import clamd
from .models import FileScan

log = logging.getLogger(__name__)
QUARANTINE_FOLDER = "quarantine"


def hold(name: str, uploaded_by=None) -> None:
    """Record a freshly stored file as pending and scan it once the upload is committed."""
    if not settings.UPLOAD_SCANNING or not name:
        return
    FileScan.objects.update_or_create(
        name=name,
        defaults={"status": FileScan.Status.PENDING, "uploaded_by": uploaded_by, "signature": "", "scanned_at": None},
    )
    from .tasks import scan_file

    transaction.on_commit(lambda: scan_file.enqueue(name))


def scan(name: str) -> str | None:
    """Scan one pending file; returns its new status, or None when it stays pending (clamd down, locked)."""
    with transaction.atomic():
        row = FileScan.objects.select_for_update(skip_locked=True).filter(name=name, status=FileScan.Status.PENDING).first()
        if row is None:
            return None
        FileScan.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        try:
            with default_storage.open(name, "rb") as handle:
                verdict = clamd.scan(iter(lambda: handle.read(clamd.CHUNK), b""))
        except clamd.Unavailable as exc:
            log.warning("upload scan of %s postponed: %s", name, exc)
            return None
        except FileNotFoundError:
            log.warning("upload scan of %s: the file is gone; nothing to scan", name)
            row.delete()
            return None
        except Exception as exc:  # the object store unreachable and the like: try again later
            log.warning("upload scan of %s postponed, file not readable: %r", name, exc)
            return None
        row.scanned_at = timezone.now()
        if not verdict.infected:
            row.status = FileScan.Status.CLEAN
            row.save(update_fields=["status", "scanned_at"])
            return row.status
        _quarantine(row, verdict.signature)
        return row.status


def _quarantine(row: FileScan, signature: str) -> None:
    """Move the file out of the served names, keep it for the administrators, tell the uploader."""
    with default_storage.open(row.name, "rb") as handle:
        kept = default_storage.save(f"{QUARANTINE_FOLDER}/{row.name}", handle)
    default_storage.delete(row.name)
    row.status, row.signature, row.quarantined_as = FileScan.Status.INFECTED, signature, kept
    row.save(update_fields=["status", "signature", "quarantined_as", "scanned_at"])
    log.error("upload %s infected (%s); quarantined as %s", row.name, signature, kept)
    record(None, "upload.quarantined", row, after={"name": row.name, "signature": signature, "quarantined_as": kept})
    if row.uploaded_by is not None:
        from notifications.actions import notify

        notify(
            recipients=[row.uploaded_by],
            verb="upload.infected",
            subject=_("Ihre hochgeladene Datei wurde gesperrt"),
            text=_(
                "Die Virenprüfung hat in einer von Ihnen hochgeladenen Datei Schadsoftware gefunden (%(signature)s). "
                "Die Datei wurde in Quarantäne verschoben und ist für niemanden abrufbar. Bitte prüfen Sie Ihr Gerät "
                "und wenden Sie sich bei Fragen an die Geschäftsstelle."
            )
            % {"signature": signature},
            always=True,
        )


def rescan_pending(older_than_seconds: int | None = None, limit: int = 50) -> int:
    """Scan files still pending (clamd was down when they came in); returns how many were decided."""
    if not settings.UPLOAD_SCANNING:
        return 0
    age = settings.UPLOAD_SCAN_RETRY_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = timezone.now() - dt.timedelta(seconds=age)
    names = FileScan.objects.filter(status=FileScan.Status.PENDING, created__lte=cutoff).order_by("created")
    return sum(1 for name in names.values_list("name", flat=True)[:limit] if scan(name) is not None)


def held_response(name: str) -> HttpResponse | None:
    """None when the file may be served; otherwise the answer that says why not (pending or quarantined)."""
    status = FileScan.objects.filter(name=name).values_list("status", flat=True).first()
    if status is None or status == FileScan.Status.CLEAN:
        return None
    if status == FileScan.Status.PENDING:
        response = HttpResponse(
            _("Die Datei wird noch auf Schadsoftware geprüft. Bitte versuchen Sie es in einigen Minuten erneut."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
    else:
        response = HttpResponse(
            _("Die Datei enthält Schadsoftware und wurde gesperrt."), status=410, content_type="text/plain; charset=utf-8"
        )
    response["Cache-Control"] = "no-store"
    return response


def status_of(name: str) -> str | None:
    return FileScan.objects.filter(name=name).values_list("status", flat=True).first()


def scanner_readiness() -> dict:
    """For /healthz/ready: clamd answers and its signatures are present and not older than allowed."""
    if not settings.UPLOAD_SCANNING:
        return {"ok": True, "disabled": True}
    try:
        line = clamd.version()
    except clamd.Unavailable as exc:
        return {"ok": False, "error": str(exc)[:200]}
    date = clamd.signatures_date(line)
    if date is None:
        return {"ok": False, "version": line, "error": "signature database missing"}
    age_hours = round((timezone.now() - date).total_seconds() / 3600, 1)
    fresh = age_hours <= settings.CLAMAV_SIGNATURES_MAX_AGE_HOURS
    result = {"ok": fresh, "version": line, "signatures_age_hours": age_hours}
    if not fresh:
        result["error"] = "signature database stale"
    return result


def quarantined_files():
    """Quarantined files still kept for review, newest first (the office's list)."""
    return (
        FileScan.objects.filter(status=FileScan.Status.INFECTED)
        .exclude(quarantined_as="")
        .select_related("uploaded_by")
        .order_by("-created")
    )


def get_quarantined_for_office(user, pk) -> FileScan:
    """A quarantined file the office may review; 404 for everybody else and for anything else."""
    from django.http import Http404

    from accounts.roles import is_office

    if not is_office(user):
        raise Http404
    row = quarantined_files().filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def delete_quarantined(actor, row: FileScan) -> None:
    """Delete a quarantined file for good after review and tell the uploader.

    There is deliberately no way to release a quarantined file: a false positive is uploaded again by its
    author once the cause is clear. The row stays (status ``infected``), so the old name is never served.
    """
    from django.core.exceptions import ValidationError

    kept = row.quarantined_as
    try:
        default_storage.delete(kept)
    except Exception as exc:  # the object store unreachable: nothing changes, the office tries again
        log.warning("deleting quarantined %s failed: %r", kept, exc)
        raise ValidationError(
            _(
                "Der Dateispeicher ist zurzeit nicht erreichbar. Die Datei wurde nicht gelöscht; bitte versuchen Sie es später erneut."
            )
        ) from exc
    FileScan.objects.filter(pk=row.pk).update(quarantined_as="")
    record(actor, "upload.quarantine_deleted", row, before={"quarantined_as": kept}, after={"quarantined_as": ""})
    if row.uploaded_by is not None:
        from notifications.actions import notify

        notify(
            recipients=[row.uploaded_by],
            verb="upload.quarantine_deleted",
            subject=_("Ihre gesperrte Datei wurde gelöscht"),
            text=_(
                "Die Geschäftsstelle hat die gesperrte Datei „%(name)s“ (Befund: %(signature)s) geprüft und endgültig "
                "gelöscht. Wenn Sie die Datei weiterhin brauchen, prüfen Sie bitte Ihr Gerät und laden Sie eine "
                "saubere Fassung neu hoch."
            )
            % {"name": row.name.rsplit("/", 1)[-1], "signature": row.signature},
            always=True,
        )
