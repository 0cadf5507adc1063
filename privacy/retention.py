"""Retention rules per object type, run daily by the worker's scheduler.

A rule names which rows are due (older than its period) and how to delete one. Rules for records
of lasting value (``archive=True``: minutes, decisions, project files, annual reports) first offer
each record to the competent municipal archive as an export (ArchivG NRW § 4 with § 10 for the
municipalities); the record is deleted only once the office has entered the archive's answer
(taken over, or not worth archiving). Every run is logged (:class:`~privacy.models.RetentionRun`),
every deleted row written to the deletion log.

Other apps add their rules with :func:`register` (e.g. an events app its registrations). Periods
come from ``PRIVACY_RETENTION_DAYS`` (``rule=days`` pairs), falling back to each rule's default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .collect import row_as_json, stored_files
from .models import ArchiveOffer, RetentionRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionRule:
    key: str
    label: str
    default_days: int
    due: Callable[[dt.datetime], Iterable[models.Model]]
    archive: bool = False
    bundle: Callable[[models.Model], list[models.Model]] = field(default=lambda obj: [obj])
    delete: Callable[[models.Model], list] | None = None  # returns [label, id] of what went; default obj.delete()
    default_setting: str = ""  # an older setting of the owning app that already names the period

    @property
    def days(self) -> int:
        if self.key in settings.PRIVACY_RETENTION_DAYS:
            return int(settings.PRIVACY_RETENTION_DAYS[self.key])
        return int(getattr(settings, self.default_setting, self.default_days) if self.default_setting else self.default_days)


RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> RetentionRule:
    RULES[rule.key] = rule
    return rule


def _default_delete(obj: models.Model) -> list:
    label, pk = obj._meta.label, obj.pk
    files = stored_files(obj)
    obj.delete()
    for _name, fieldfile in files:
        transaction.on_commit(lambda name=fieldfile.name, storage=fieldfile.storage: storage.delete(name))
    return [[label, pk]]


def run_rule(rule: RetentionRule, now: dt.datetime | None = None) -> RetentionRun:
    """Apply one rule: offer or delete every due row; one failing row does not stop the others."""
    from .actions import log_retention_deletion

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=rule.days)
    run = RetentionRun(rule=rule.key, cutoff=cutoff)
    errors = []
    for obj in list(rule.due(cutoff)):
        label = obj._meta.label
        try:
            with transaction.atomic():
                if rule.archive:
                    offer = ArchiveOffer.objects.filter(object_type=label, object_id=str(obj.pk)).first()
                    if offer is None:
                        offer_to_archive(rule, obj)
                        run.offered += 1
                        continue
                    if offer.status == ArchiveOffer.Status.OFFERED:
                        run.waiting += 1
                        continue
                pk = obj.pk
                deleted = (rule.delete or _default_delete)(obj)
                log_retention_deletion(rule.key, label, pk, deleted)
                if rule.archive:
                    ArchiveOffer.objects.filter(object_type=label, object_id=str(pk)).update(deleted_at=now)
                run.deleted += 1
        except Exception as error:  # logged and counted; the other rows still go
            log.exception("retention: %s could not handle %s %s", rule.key, label, obj.pk)
            errors.append(f"{label} {obj.pk}: {error.__class__.__name__}")
    run.error = "; ".join(errors)[:300]
    run.save()
    return run


def run_daily(today: dt.date | None = None) -> dict[str, int]:
    """The scheduler's job (``NOTIFICATIONS_DAILY_JOBS``): every rule, then expired access exports."""
    from .actions import expire_exports

    result = {}
    for rule in RULES.values():
        run = run_rule(rule)
        result[rule.key] = run.deleted
    result["exports-expired"] = expire_exports()
    return result


def offer_to_archive(rule: RetentionRule, obj: models.Model, actor=None) -> ArchiveOffer:
    """Write the record (with its related rows and files) as a ZIP for the archive and record the offer."""
    from audit.actions import record

    with tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            rows = []
            for item in rule.bundle(obj):
                row = {"model": item._meta.label, "id": item.pk, "felder": row_as_json(item)}
                for field_name, fieldfile in stored_files(item):
                    arcname = f"dateien/{item._meta.label_lower}/{item.pk}/{field_name}/{os.path.basename(fieldfile.name)}"
                    try:
                        with fieldfile.storage.open(fieldfile.name, "rb") as source:
                            archive.writestr(arcname, source.read())
                        row[f"{field_name}__datei"] = arcname
                    except OSError:
                        row[f"{field_name}__datei"] = None
                rows.append(row)
            manifest = {
                "anbietung": rule.label,
                "archiv": settings.PRIVACY_ARCHIVE_NAME,
                "rechtsgrundlage": "§ 4 und § 10 ArchivG NRW",
                "erstellt": timezone.now().isoformat(),
                "unterlage": str(obj)[:300],
                "datensaetze": rows,
            }
            archive.writestr("unterlage.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
        buffer.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: buffer.read(1 << 20), b""):
            digest.update(chunk)
        buffer.seek(0)
        name = default_storage.save(f"privacy/archive/{rule.key}/{obj._meta.label_lower}-{obj.pk}.zip", File(buffer))
    offer = ArchiveOffer.objects.create(
        rule=rule.key,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        archive=settings.PRIVACY_ARCHIVE_NAME,
        file=name,
        sha256=digest.hexdigest(),
        offered_by=actor,
    )
    record(actor, "privacy.archive_offered", offer, after={"rule": rule.key, "sha256": offer.sha256})
    return offer


# --- The platform's own rules -------------------------------------------------------------------


def _mail_copies(cutoff):
    from notifications.housekeeping import OPEN_STATES
    from notifications.models import Outbox

    return Outbox.objects.filter(created__lt=cutoff).exclude(state__in=OPEN_STATES).order_by("pk")[:5000]


def _task_results(cutoff):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(finished_at__lt=cutoff).order_by("pk")[:5000]


def _closed_polls(cutoff):
    from polls.models import Poll

    return Poll.objects.filter(Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, deadline__lt=cutoff)).order_by("pk")


def _delete_poll(poll) -> list:
    from notifications.housekeeping import forget

    forget(poll)
    return _default_delete(poll)


def _raw_survey_waves(cutoff):
    from monitoring.models import Wave

    return Wave.objects.filter(
        status__in=[Wave.Status.FINAL, Wave.Status.RELEASED], finalised_on__lte=cutoff.date(), raw_deleted_on__isnull=True
    ).order_by("pk")


def _delete_raw_answers(wave) -> list:
    from monitoring.actions import delete_raw_responses

    delete_raw_responses(None, wave)
    return [["monitoring.Response", f"wave:{wave.pk}"]]


def _ended_memberships(cutoff):
    from members.models import Membership

    return Membership.objects.filter(end_date__lt=cutoff.date()).exclude(
        pk__in=Membership.objects.filter(deputy_for__isnull=False).values("deputy_for")
    )


def _old_minutes(cutoff):
    from meetings.models import Minutes

    return Minutes.objects.filter(meeting__start__lt=cutoff, approved_at__isnull=False).select_related("meeting__body")


def _minutes_bundle(minutes) -> list:
    meeting = minutes.meeting
    items = list(meeting.agenda_items.all())
    decisions = [decision for item in items for decision in item.decisions.all()]
    files = list(meeting.files.all()) + [f for item in items for f in item.files.all()]
    return [minutes, meeting, *items, *decisions, *files, *minutes.revisions.all(), *minutes.objections.all()]


def _old_decisions(cutoff):
    from meetings.models import Decision

    return Decision.objects.filter(agenda_item__meeting__start__lt=cutoff).select_related("agenda_item")


def _old_annual_reports(cutoff):
    from annualreport.models import AnnualReport

    return AnnualReport.objects.filter(year__lt=cutoff.year, frozen_at__isnull=False).exclude(
        pk__in=AnnualReport.objects.filter(corrects__isnull=False).values("corrects")
    )


def _closed_project_files(cutoff):
    from documents.models import Document
    from projects.models import JointProject, ProjectStatus

    workspaces = JointProject.objects.filter(
        status__in=[ProjectStatus.CLOSED, ProjectStatus.REJECTED, ProjectStatus.WITHDRAWN], modified__lt=cutoff
    ).values("workspace")
    return Document.objects.filter(workspace__in=workspaces, modified__lt=cutoff)


def _document_bundle(document) -> list:
    return [document, *document.versions.all()]


def _delete_document(document) -> list:
    versions = list(document.versions.all())
    deleted = []
    document.current = None
    document.save(update_fields=["current"])
    for version in versions:
        deleted += _default_delete(version)
    return deleted + _default_delete(document)


register(
    RetentionRule(
        "mails",
        "Kopien versandter E-Mails (Mail-Protokoll)",
        30,
        _mail_copies,
        default_setting="NOTIFICATIONS_MAIL_RETENTION_DAYS",
    )
)
register(RetentionRule("task-results", "Protokoll der Hintergrundaufgaben", 30, _task_results))
register(
    RetentionRule(
        "polls",
        "abgeschlossene Terminabstimmungen",
        180,
        _closed_polls,
        delete=_delete_poll,
        default_setting="POLL_RETENTION_DAYS",
    )
)
register(
    RetentionRule(
        "survey-raw",
        "Rohantworten der Befragung",
        90,
        _raw_survey_waves,
        delete=_delete_raw_answers,
        default_setting="MONITORING_RETENTION_DAYS",
    )
)
register(RetentionRule("ended-memberships", "beendete Mitgliedschaften", 3650, _ended_memberships))
register(RetentionRule("minutes", "Niederschriften", 3650, _old_minutes, archive=True, bundle=_minutes_bundle))
register(RetentionRule("decisions", "Beschlüsse", 3650, _old_decisions, archive=True))
register(RetentionRule("annual-reports", "Jahresberichte", 3650, _old_annual_reports, archive=True))
register(
    RetentionRule(
        "project-files",
        "Projektakten abgeschlossener Projekte",
        3650,
        _closed_project_files,
        archive=True,
        bundle=_document_bundle,
        delete=_delete_document,
    )
)
