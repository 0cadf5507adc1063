"""Papers (Vorlagen): the paper itself (number unique, ``Paper.version``), its consultation sequence (guarded by
``Paper.sequence_version``), external committees, and its files. Deletes are soft (OParl keeps stubs).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from lib.concurrency import bump_counter, save_versioned
from meetings.models import Consultation, ExternalCommittee, MeetingFile, Paper, touch_linked_agenda
from meetings.uploads import file_facts, store_pdf
from members.models import Municipality

# The paper's own columns: a save never writes ``sequence_version`` or ``deleted_at`` back from a stale copy.
PAPER_FIELDS = ["reference", "name", "paper_type", "date", "municipality_id", "lead_body_id", "description", "public"]


def _reference_taken(reference: str) -> ValidationError:
    return ValidationError(
        {"reference": _("Die Drucksachennummer „%(ref)s“ ist bereits vergeben.") % {"ref": reference}}, code="unique"
    )


def _check_reference(paper: Paper) -> None:
    """A clear German message instead of a database error; deleted papers keep their number (OParl stubs)."""
    if Paper.objects.filter(reference=paper.reference).exclude(pk=paper.pk).exists():
        raise _reference_taken(paper.reference)


def _save_paper(paper: Paper, expected_version: int | None) -> None:
    try:
        with transaction.atomic():
            if expected_version is None:
                paper.save()
            else:
                save_versioned(paper, expected_version, fields=PAPER_FIELDS)
    except IntegrityError:  # the same number saved at the same moment by somebody else
        raise _reference_taken(paper.reference) from None


@transaction.atomic
def create_paper(user, **fields) -> Paper:
    paper = Paper(**fields)
    paper.full_clean(validate_unique=False, validate_constraints=False)
    _check_reference(paper)
    _save_paper(paper, None)
    record(user, "meetings.paper_created", paper, after=snapshot(paper))
    return paper


@transaction.atomic
def update_paper(user, paper: Paper, expected_version: int, **fields) -> None:
    """Save the paper's own fields; somebody else's save since ``expected_version`` → EditConflict."""
    before = snapshot(paper)
    for name, value in fields.items():
        setattr(paper, name, value)
    paper.full_clean(validate_unique=False, validate_constraints=False)
    _check_reference(paper)
    _save_paper(paper, expected_version)
    touch_linked_agenda(paper.consultations.all())
    record(user, "meetings.paper_changed", paper, before=before, after=snapshot(paper))


@transaction.atomic
def delete_paper(user, paper: Paper) -> None:
    """Soft delete: OParl serves the paper, its steps and files as stubs from now on."""
    now = timezone.now()
    if not Paper.objects.filter(pk=paper.pk, deleted_at__isnull=True).update(
        deleted_at=now, modified=now, version=F("version") + 1
    ):
        return
    touch_linked_agenda(paper.consultations.all())
    steps = Consultation.objects.alive().filter(paper=paper).update(deleted_at=now, modified=now)
    files = MeetingFile.objects.alive().filter(paper=paper).update(deleted_at=now, modified=now)
    paper.refresh_from_db()
    record(user, "meetings.paper_deleted", paper, after={"consultations": steps, "files": files})


def _bump_sequence(paper: Paper, expected: int) -> None:
    """Take the sequence lock: the steps changed since the editor loaded them → EditConflict."""
    bump_counter(paper, "sequence_version", expected)


def _validate_step(step: Consultation) -> None:
    step.clean_fields(exclude=["paper"])
    step.clean()
    if step.authoritative:
        other = Consultation.objects.alive().filter(paper_id=step.paper_id, authoritative=True).exclude(pk=step.pk).first()
        if other is not None:
            raise ValidationError(
                {
                    "authoritative": _("Nur ein Schritt der Beratungsfolge kann entscheidend sein; das ist bereits „%(step)s“.")
                    % {"step": other.organization}
                }
            )


def sequence_warnings(paper: Paper) -> list[str]:
    """Dates that go backwards are a warning, not an error: a step may be moved to a later meeting."""
    warnings = []
    previous = None
    for step in paper.consultations.alive().select_related("body", "committee").order_by("order", "pk"):
        if step.date is None:
            continue
        if previous is not None and step.date < previous.date:
            warnings.append(
                _("„%(later)s“ (%(d2)s) liegt in der Beratungsfolge nach „%(earlier)s“ (%(d1)s), aber zeitlich davor.")
                % {
                    "later": step.organization,
                    "d2": f"{step.date:%d.%m.%Y}",
                    "earlier": previous.organization,
                    "d1": f"{previous.date:%d.%m.%Y}",
                }
            )
        previous = step
    return warnings


@transaction.atomic
def add_consultation(user, paper: Paper, expected_sequence_version: int, **fields) -> tuple[Consultation, list[str]]:
    step = Consultation(paper=paper, **fields)
    _validate_step(step)
    _bump_sequence(paper, expected_sequence_version)
    top = paper.consultations.alive().aggregate(m=Max("order"))["m"]
    step.order = 0 if top is None else top + 1
    step.save()
    record(user, "meetings.consultation_added", step, after=snapshot(step))
    return step, sequence_warnings(paper)


@transaction.atomic
def update_consultation(user, step: Consultation, expected_sequence_version: int, **fields) -> list[str]:
    before = snapshot(step)
    for name, value in fields.items():
        setattr(step, name, value)
    _validate_step(step)
    _bump_sequence(step.paper, expected_sequence_version)
    step.save()
    record(user, "meetings.consultation_changed", step, before=before, after=snapshot(step))
    return sequence_warnings(step.paper)


@transaction.atomic
def remove_consultation(user, step: Consultation, expected_sequence_version: int) -> None:
    _bump_sequence(step.paper, expected_sequence_version)
    step.deleted_at = timezone.now()
    step.save()
    record(user, "meetings.consultation_removed", step, before=snapshot(step))


@transaction.atomic
def reorder_consultations(user, paper: Paper, ordered_ids: list[int], expected_sequence_version: int) -> list[str]:
    """Put the steps in the given order. A stale ``expected_sequence_version`` raises EditConflict."""
    steps = {s.pk: s for s in paper.consultations.alive()}
    if sorted(ordered_ids) != sorted(steps):
        raise ValidationError(_("Die Beratungsfolge hat sich geändert; bitte laden Sie die Seite neu."))
    _bump_sequence(paper, expected_sequence_version)
    now = timezone.now()
    for index, pk in enumerate(ordered_ids):
        Consultation.objects.filter(pk=pk).update(order=index, modified=now)
    Paper.objects.filter(pk=paper.pk).update(modified=timezone.now())  # a paper is never older than its steps
    record(user, "meetings.consultations_reordered", paper, after={"order": ordered_ids})
    return sequence_warnings(paper)


def move_consultation(user, step: Consultation, direction: str, expected_sequence_version: int) -> list[str]:
    """One step up or down (the buttons without JavaScript)."""
    order = list(step.paper.consultations.alive().order_by("order", "pk").values_list("pk", flat=True))
    index = order.index(step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return reorder_consultations(user, step.paper, order, expected_sequence_version)


@transaction.atomic
def add_external_committee(user, municipality: Municipality, name: str, classification: str = "") -> ExternalCommittee:
    """A city's committee (Integrationsrat, Ausschuss, Rat) named once and reused by later papers."""
    committee, created = ExternalCommittee.objects.get_or_create(
        municipality=municipality, name=name.strip(), defaults={"classification": classification.strip()}
    )
    if created:
        record(user, "meetings.committee_created", committee, after=snapshot(committee))
    return committee


@transaction.atomic
def add_paper_file(user, paper: Paper, uploaded, *, name: str = "", role: str, public: bool) -> MeetingFile:
    document = store_pdf(uploaded, role=role, public=public, name=name, paper=paper, uploader=user)
    record(user, "meetings.paper_file_added", document, after=file_facts(document))
    return document


@transaction.atomic
def set_paper_file_public(user, document: MeetingFile, public: bool) -> None:
    before = file_facts(document)
    document.public = public
    document.save()
    record(user, "meetings.paper_file_changed", document, before=before, after=file_facts(document))
