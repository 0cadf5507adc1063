"""Every change to an annual report: draft, texts, freeze, correction, approval link, release. Each is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import record
from lib.concurrency import save_versioned

from .content import TEXT_KEYS
from .models import AnnualReport, TextBlock, TextRevision

FROZEN_MESSAGE = gettext_lazy(
    "Der Bericht wurde inzwischen eingefroren und kann nicht mehr geändert werden. Ihr Text ist unten erhalten: "
    "Kopieren Sie ihn, um ihn in eine berichtigte Fassung zu übernehmen."
)


def _audit(report: AnnualReport) -> dict:
    return {
        "year": report.year,
        "number": report.number,
        "status": report.status,
        "approval_item": report.approval_item_id,
        "released_at": report.released_at.isoformat() if report.released_at else None,
    }


def _lock(report: AnnualReport) -> AnnualReport:
    """Re-read the report under a row lock: freezing and editing a text cannot interleave."""
    return AnnualReport.objects.select_for_update().get(pk=report.pk)


def _new_blocks(report: AnnualReport, texts: dict[str, str], actor) -> None:
    for key in TEXT_KEYS:
        block = TextBlock.objects.create(report=report, key=key, text=texts.get(key, ""), last_editor=actor)
        if block.text:
            TextRevision.objects.create(block=block, number=block.version, text=block.text, author=actor)


@transaction.atomic
def create_draft(actor, year: int) -> AnnualReport:
    """The draft of ``year``; its figures are live until it is frozen. A frozen year is corrected instead."""
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Bitte geben Sie ein Berichtsjahr zwischen 2000 und dem nächsten Jahr an.")})
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "Für %(year)s gibt es schon einen Bericht. Ein eingefrorener Bericht wird über „Berichtigen“ neu gefasst."
                )
                % {"year": year}
            }
        )
    report = AnnualReport.objects.create(year=year, created_by=actor)
    _new_blocks(report, {}, actor)
    record(actor, "annual_report.created", report, after=_audit(report))
    return report


@transaction.atomic
def edit_text(actor, report: AnnualReport, key: str, expected_version: int, text: str) -> TextBlock:
    """Save one text block from the version the editor started with (EditConflict if somebody saved meanwhile).

    Refused once the report is frozen: the editor is told and the typed text stays in the form.
    """
    report = _lock(report)
    if report.is_frozen:
        raise ValidationError({"text": FROZEN_MESSAGE}, code="frozen")
    block, _created = TextBlock.objects.get_or_create(report=report, key=key)  # a section added after the draft began
    before = block.text
    block.text = text
    block.last_editor = actor
    save_versioned(block, expected_version, fields=["text", "last_editor_id"])
    TextRevision.objects.create(block=block, number=block.version, text=text, author=actor)
    record(actor, "annual_report.text_changed", report, before={"key": key, "text": before}, after={"key": key, "text": text})
    return block


@transaction.atomic
def freeze(actor, report: AnnualReport, expected_version: int) -> AnnualReport:
    """Store the figures and texts as they are now, and the PDF/A and ODT made from them; never changed again."""
    from .outputs import render_odt, render_pdf
    from .presentation import build, snapshot_of

    report = _lock(report)
    if report.is_frozen:
        raise ValidationError(_("Dieser Bericht ist bereits eingefroren."))
    report.snapshot = snapshot_of(report)
    report.status = AnnualReport.Status.FROZEN
    report.frozen_at = timezone.now()
    report.frozen_by = actor
    presentation = build(report)
    report.pdf = render_pdf(presentation)
    report.odt = render_odt(presentation)
    save_versioned(report, expected_version, fields=["snapshot", "status", "frozen_at", "frozen_by_id", "pdf", "odt"])
    record(actor, "annual_report.frozen", report, after=_audit(report))
    return report


@transaction.atomic
def correct(actor, report: AnnualReport, note: str) -> AnnualReport:
    """A new version of a frozen report, with a note why; it starts from the frozen texts, figures live again."""
    report = _lock(report)
    if not report.is_frozen:
        raise ValidationError(_("Nur ein eingefrorener Bericht wird berichtigt; einen Entwurf bearbeiten Sie direkt."))
    if not note.strip():
        raise ValidationError({"note": _("Bitte geben Sie an, was berichtigt wird.")})
    if AnnualReport.objects.filter(year=report.year, number__gt=report.number).exists():
        raise ValidationError(_("Zu diesem Bericht gibt es bereits eine neuere Fassung."))
    new = AnnualReport.objects.create(
        year=report.year, number=report.number + 1, corrects=report, correction_note=note.strip(), created_by=actor
    )
    _new_blocks(new, report.snapshot["texts"], actor)
    record(actor, "annual_report.corrected", new, after=_audit(new) | {"corrects": report.pk, "note": new.correction_note})
    return new


def approval_candidates():
    """Agenda items of the Regiegruppe at held meetings that carry a (not superseded) decision."""
    from meetings.models import AgendaItem, Decision, MeetingStatus
    from members.models import Body

    return (
        AgendaItem.objects.filter(
            deleted_at__isnull=True,
            body__kind=Body.Kind.STEERING_GROUP,
            meeting__deleted_at__isnull=True,
            meeting__status=MeetingStatus.HELD,
            decisions__status__in=[Decision.Status.VALID, Decision.Status.DONE],
        )
        .select_related("meeting")
        .distinct()
        .order_by("-meeting__start", "position")
    )


@transaction.atomic
def link_approval(actor, report: AnnualReport, expected_version: int, agenda_item) -> AnnualReport:
    """Record the Regiegruppe's decision (its agenda item) that approved this frozen report."""
    report = _lock(report)
    if not report.is_frozen:
        raise ValidationError(_("Die Regiegruppe beschließt über einen eingefrorenen Bericht; bitte frieren Sie ihn zuerst ein."))
    if agenda_item is None or not approval_candidates().filter(pk=agenda_item.pk).exists():
        raise ValidationError(
            {
                "agenda_item": _(
                    "Bitte wählen Sie einen Tagesordnungspunkt der Regiegruppe aus einer durchgeführten Sitzung mit Beschluss."
                )
            }
        )
    before = _audit(report)
    report.approval_item = agenda_item
    save_versioned(report, expected_version, fields=["approval_item_id"])
    record(actor, "annual_report.approval_linked", report, before=before, after=_audit(report))
    return report


@transaction.atomic
def release(actor, report: AnnualReport, expected_version: int) -> AnnualReport:
    """Put the approved, frozen report on the public website."""
    report = _lock(report)
    if not report.is_frozen or report.approval_item_id is None:
        raise ValidationError(_("Veröffentlicht wird nur ein eingefrorener Bericht mit Beschluss der Regiegruppe."))
    if report.is_released:
        raise ValidationError(_("Dieser Bericht ist bereits veröffentlicht."))
    before = _audit(report)
    report.released_at = timezone.now()
    save_versioned(report, expected_version, fields=["released_at"])
    record(actor, "annual_report.released", report, before=before, after=_audit(report))
    return report


@transaction.atomic
def assign_partner_fields(actor, report: AnnualReport, chosen: dict[tuple[str, int], set[str]]) -> int:
    """Save the office's assignment of the year's activities to the measure fields of the state initiative.

    ``chosen`` maps each activity shown on the form ((kind, pk)) to the fields ticked for it. Only activities
    of the report's year are accepted; a cell is stored only where it differs from what counts now (the
    keywords or an earlier decision), so untouched suggestions stay suggestions. Refused once frozen.
    Returns the number of changed cells.
    """
    from .figures import PARTNER_FIELDS, partner_activities
    from .models import PartnerAssignment

    report = _lock(report)
    if report.is_frozen:
        raise ValidationError(
            _(
                "Der Bericht ist eingefroren; seine Zuordnungen ändern sich nicht mehr. Änderungen gehören in eine berichtigte Fassung."
            ),
            code="frozen",
        )
    current = {(row["kind"], row["pk"]): row for row in partner_activities(report.year) if row["year"] == report.year}
    unknown = set(chosen) - set(current)
    if unknown:
        raise ValidationError(_("Die Liste der Aktivitäten hat sich geändert. Bitte laden Sie die Seite neu."), code="stale")
    changes = []
    for key, fields in chosen.items():
        row = current[key]
        for field in PARTNER_FIELDS:
            wanted = field in fields
            if wanted == (field in row["fields"]):
                continue
            PartnerAssignment.objects.update_or_create(
                kind=key[0], object_id=key[1], field=field, defaults={"assigned": wanted, "set_by": actor}
            )
            changes.append({"kind": key[0], "id": key[1], "field": field, "assigned": wanted})
    if changes:
        record(actor, "annual_report.partner_assigned", report, after={"changes": changes})
    return len(changes)
