"""Every write of the data-protection tools, each with its audit entry."""

from __future__ import annotations

import datetime as dt
import errno
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record
from members.models import Person

from . import erasure
from .models import ArchiveOffer, DataExport, DeletionLogEntry

log = logging.getLogger(__name__)
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def request_export(actor, person: Person) -> DataExport:
    """Start an access export for ``person`` (their own request, or the office's on a request by letter)."""
    with transaction.atomic():
        if DataExport.objects.filter(person=person, status=DataExport.Status.PENDING).exists():
            raise ValidationError(_("Eine Datenauskunft für diese Person wird bereits erstellt."))
        export = DataExport.objects.create(person=person, requested_by=actor if actor and actor.is_authenticated else None)
        record(actor, "privacy.export_requested", export, after={"person": person.pk})
        from .tasks import build_export

        transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


class DiskFull(Exception):
    """The worker's temporary space or the file storage ran out of room while building an export."""


def finish_export(export_id: int, attempt: int = 0) -> DataExport | None:
    """The worker's half: write the ZIP, mark it ready, tell whoever asked. Safe to run twice.

    A full disk (the worker's TMPDIR or a local file storage) is a fault that passes: the export stays
    pending and is tried again ``PRIVACY_EXPORT_RETRY_SECONDS`` later, at most ``PRIVACY_EXPORT_DISK_RETRIES``
    times; then it is marked failed with the reason in words. Nothing half-written is left behind
    (store_export removes its partial file), and the worker goes on with its next task.
    """
    from .export import store_export

    export = DataExport.objects.select_related("person__user", "requested_by").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return export
    try:
        name, size = store_export(export.person)
    except OSError as error:
        if error.errno not in DISK_FULL_ERRNOS:
            DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED, failure=str(error)[:300])
            raise
        return _postpone_on_full_disk(export, attempt, error)
    except Exception as error:  # the request must not hang as "pending" for ever
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED, failure=str(error)[:300])
        raise
    now = timezone.now()
    with transaction.atomic():
        export.status = DataExport.Status.READY
        export.file = name
        export.size = size
        export.ready_at = now
        export.expires_at = now + dt.timedelta(days=settings.PRIVACY_EXPORT_DAYS)
        export.save()
        record(None, "privacy.export_ready", export, after={"size": size, "expires_at": export.expires_at.isoformat()})
        _tell_export_ready(export)
    return export


def _postpone_on_full_disk(export: DataExport, attempt: int, error: OSError) -> DataExport:
    from .tasks import build_export

    if attempt < settings.PRIVACY_EXPORT_DISK_RETRIES:
        retry_at = timezone.now() + dt.timedelta(seconds=settings.PRIVACY_EXPORT_RETRY_SECONDS)
        reason = _("Kein Speicherplatz frei; neuer Versuch ab %(time)s.") % {
            "time": timezone.localtime(retry_at).strftime("%d.%m.%Y %H:%M")
        }
        DataExport.objects.filter(pk=export.pk).update(failure=reason)
        log.warning("export %s: disk full (%s); tried again at %s", export.pk, error, retry_at.isoformat())
        transaction.on_commit(lambda: build_export.using(run_after=retry_at).enqueue(export.pk, attempt + 1))
        return export
    reason = _(
        "Die Datenauskunft konnte nicht erstellt werden, weil auf dem Server kein Speicherplatz frei war. "
        "Es wurde nichts gespeichert. Bitte beantragen Sie die Auskunft später erneut."
    )
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED, failure=reason[:300])
    record(None, "privacy.export_failed", export, after={"reason": "disk full", "attempts": attempt + 1})
    log.error("export %s failed: disk full after %s attempts", export.pk, attempt + 1)
    raise DiskFull(f"no space left after {attempt + 1} attempts: {error}") from error


def _tell_export_ready(export: DataExport) -> None:
    from notifications.actions import notify, site_url

    own = export.person.user_id is not None and export.requested_by_id == export.person.user_id
    recipients = [u for u in {export.requested_by, export.person.user} if u is not None and u.is_active]
    if not recipients:
        return
    until = timezone.localtime(export.expires_at).strftime("%d.%m.%Y %H:%M")
    url = reverse("privacy:my_data") if own else reverse("privacy:person", args=[export.person_id])
    notify(
        recipients=recipients,
        verb="privacy.export_ready",
        target=export,
        always=True,
        subject=_("Ihre Datenauskunft ist bereit"),
        text=_("Die Datenauskunft (ZIP) kann bis %(until)s heruntergeladen werden: %(url)s")
        % {"until": until, "url": site_url(url)},
        url=url,
    )


def expire_exports(now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their date; the row stays as a record of the request."""
    now = now or timezone.now()
    count = 0
    for export in DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now):
        if export.file:
            default_storage.delete(export.file)
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, file="")
        count += 1
    return count


def erase_person(
    actor, person: Person, *, remove_content: bool = False, replaying_at: dt.datetime | None = None
) -> DeletionLogEntry:
    """Erase ``person`` (Art. 17 GDPR) and log it; ``replaying_at`` repeats a logged erasure after a restore."""
    if actor is not None and getattr(actor, "pk", None) and getattr(person, "user_id", None) == actor.pk:
        raise ValidationError(
            _("Die eigene Person kann nicht hier gelöscht werden; bitte wenden Sie sich an die Geschäftsstelle.")
        )
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        subject_id = str(person.pk)
        deleted, kept = erasure.erase(person, remove_content=remove_content)
        entry = DeletionLogEntry.objects.create(
            kind=DeletionLogEntry.Kind.ERASURE,
            subject_type=Person._meta.label,
            subject_id=subject_id,
            options={"remove_content": remove_content},
            deleted=deleted,
            kept=kept,
            actor=actor if actor is not None and actor.is_authenticated else None,
        )
        if replaying_at is not None:
            DeletionLogEntry.objects.filter(pk=entry.pk).update(at=replaying_at)
            entry.refresh_from_db()
        # The audit entry names the log entry, never the person: the audit log cannot be changed afterwards.
        record(
            actor,
            "privacy.person_erased",
            entry,
            after={"deleted": len(deleted), "kept": len(kept), "replayed": replaying_at is not None},
        )
        if replaying_at is None:
            transaction.on_commit(lambda: erasure.append_to_log_file(entry))
    return entry


def log_retention_deletion(rule: str, label: str, pk, deleted: list) -> DeletionLogEntry:
    entry = DeletionLogEntry.objects.create(
        kind=DeletionLogEntry.Kind.RETENTION, subject_type=label, subject_id=str(pk), options={"rule": rule}, deleted=deleted
    )
    transaction.on_commit(lambda: erasure.append_to_log_file(entry))
    return entry


def answer_archive_offer(actor, offer: ArchiveOffer, status: str) -> ArchiveOffer:
    """Record the archive's answer to an offer; the next retention run deletes the record."""
    if status not in (ArchiveOffer.Status.TAKEN, ArchiveOffer.Status.DECLINED):
        raise ValidationError(_("Bitte wählen Sie die Antwort des Archivs."))
    with transaction.atomic():
        offer = ArchiveOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != ArchiveOffer.Status.OFFERED:
            raise ValidationError(_("Die Antwort des Archivs ist bereits erfasst."))
        before = {"status": offer.status}
        offer.status = status
        offer.answered_at = timezone.now()
        offer.answered_by = actor
        offer.save()
        record(actor, "privacy.archive_answered", offer, before=before, after={"status": status})
    return offer
