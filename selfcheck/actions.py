"""Everything that changes the self-check: rounds, items, answers, follow-up tasks. Audited, one transaction each."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from lib.concurrency import EditConflict, save_versioned

from .access import rater_city
from .evidence import Link
from .models import Answer, Checklist, Evidence, Factor, FollowUp, Item, Round

LOCKED_MESSAGE = _(
    "Während eine Runde offen ist, lassen sich die Prüffragen nicht ändern. "
    "Bitte schließen Sie zuerst die Runde „%(round)s“; danach gilt eine neue Fassung der Checkliste."
)


def _refuse_while_open(checklist: Checklist) -> None:
    running = Round.objects.filter(checklist=checklist, status=Round.Status.OPEN).first()
    if running is not None:
        raise ValidationError(LOCKED_MESSAGE % {"round": running.name})


def _editable_version(checklist: Checklist) -> int:
    """The version that item changes go into: a new one if a round already used the current one."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if Round.objects.filter(checklist=checklist, checklist_version=checklist.version).exists():
        checklist.version += 1
        checklist.save(update_fields=["version", "modified"])
    return checklist.version


@transaction.atomic
def add_item(actor, factor: Factor, *, key: str, text: str) -> Item:
    _refuse_while_open(factor.checklist)
    version = _editable_version(factor.checklist)
    last = factor.items.order_by("-position").first()
    item = Item(factor=factor, key=key, text=text, position=(last.position + 1) if last else 0, introduced_in=version)
    item.full_clean()
    item.save()
    record(actor, "selfcheck.item.added", item, after=snapshot(item))
    return item


@transaction.atomic
def retire_item(actor, item: Item) -> Item | None:
    """Retire ``item`` from the next version; an item no round has used yet is simply removed."""
    _refuse_while_open(item.factor.checklist)
    if item.retired_in is not None:
        raise ValidationError(_("Diese Prüffrage ist bereits ausgemustert."))
    before = snapshot(item)
    version = _editable_version(item.factor.checklist)
    if item.introduced_in >= version and not item.answers.exists():
        record(actor, "selfcheck.item.removed", item, before=before)
        item.delete()
        return None
    item.retired_in = version
    item.save(update_fields=["retired_in", "modified"])
    record(actor, "selfcheck.item.retired", item, before=before, after=snapshot(item))
    return item


@transaction.atomic
def open_round(actor, checklist: Checklist, *, name: str) -> Round:
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    _refuse_while_open(checklist)
    selfcheck_round = Round(checklist=checklist, name=name, checklist_version=checklist.version, opened_at=timezone.now())
    selfcheck_round.full_clean()
    selfcheck_round.save()
    record(actor, "selfcheck.round.opened", selfcheck_round, after=snapshot(selfcheck_round))
    return selfcheck_round


@transaction.atomic
def close_round(actor, selfcheck_round: Round) -> Round:
    updated = Round.objects.filter(pk=selfcheck_round.pk, status=Round.Status.OPEN).update(
        status=Round.Status.CLOSED, closed_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Diese Runde ist bereits abgeschlossen."))
    selfcheck_round.refresh_from_db()
    record(actor, "selfcheck.round.closed", selfcheck_round, after=snapshot(selfcheck_round))
    return selfcheck_round


@transaction.atomic
def release_round(actor, selfcheck_round: Round) -> Round:
    """Publish the cooperation-level result of a closed round (city results stay internal)."""
    if selfcheck_round.is_open:
        raise ValidationError(_("Veröffentlicht werden kann nur eine abgeschlossene Runde."))
    Round.objects.filter(pk=selfcheck_round.pk).update(released=True)
    selfcheck_round.released = True
    record(actor, "selfcheck.round.released", selfcheck_round, after=snapshot(selfcheck_round))
    return selfcheck_round


@dataclass(frozen=True)
class Entry:
    """One item on a rater's sheet: ``value`` 0–4, or None with ``not_assessable``; ``version`` the answer's
    version the rater started from (0: there was none)."""

    item: Item
    value: int | None
    not_assessable: bool
    comment: str
    links: tuple[Link, ...]
    version: int


def _answer_data(answer: Answer) -> dict:
    data = snapshot(answer, exclude=("version", "modified", "created"))
    data["evidence"] = sorted(answer.evidence.values_list("url", flat=True))
    return data


def _write_evidence(answer: Answer, links) -> None:
    answer.evidence.all().delete()
    Evidence.objects.bulk_create(
        Evidence(answer=answer, kind=link.kind, object_id=link.object_id, url=link.url, label=link.label[:300]) for link in links
    )


@transaction.atomic
def save_answers(actor, selfcheck_round: Round, entries: list[Entry]) -> list[Answer]:
    """Store a rater's answers. Answering again replaces the earlier answer while the round is open; an
    answer changed since the rater loaded it (another tab, another device) is an EditConflict and nothing is saved."""
    city = rater_city(actor)
    if city is None:
        raise ValidationError(_("Nur Mitglieder der Regiegruppe und des Projektteams einer Stadt beantworten den Selbstcheck."))
    if not Round.objects.filter(pk=selfcheck_round.pk, status=Round.Status.OPEN).exists():
        raise ValidationError(_("Diese Runde ist abgeschlossen; Antworten lassen sich nicht mehr ändern."))
    allowed = set(selfcheck_round.items().values_list("pk", flat=True))
    existing = {a.item_id: a for a in Answer.objects.select_for_update().filter(round=selfcheck_round, rater=actor)}
    saved = []
    for entry in entries:
        if entry.item.pk not in allowed:
            raise ValidationError(_("Diese Prüffrage gehört nicht zu dieser Runde."))
        if entry.value is None and not entry.not_assessable:
            continue
        answer = existing.get(entry.item.pk)
        if answer is None:
            if entry.version:
                raise EditConflict
            answer = Answer(round=selfcheck_round, item=entry.item, rater=actor, municipality=city)
            before = None
        else:
            before = _answer_data(answer)
        answer.value = None if entry.not_assessable else entry.value
        answer.not_assessable = entry.not_assessable
        answer.comment = entry.comment
        answer.municipality = city
        answer.full_clean(exclude=["round", "item", "rater", "municipality"])
        if before is None:
            try:
                with transaction.atomic():
                    answer.save()
            except IntegrityError:
                raise EditConflict from None
        else:
            save_versioned(answer, entry.version, ["value", "not_assessable", "comment", "municipality_id"])
        _write_evidence(answer, entry.links)
        after = _answer_data(answer)
        if after != before:
            record(actor, "selfcheck.answer.replaced" if before else "selfcheck.answer.given", answer, before=before, after=after)
        saved.append(answer)
    return saved


@transaction.atomic
def create_follow_ups(actor, selfcheck_round: Round, items, *, due_date=None) -> list[FollowUp]:
    """One task per item in the Regiegruppe's workspace, linked back so that the next round shows it."""
    from tasks.actions import create_task
    from workspaces.actions import ensure_body_workspaces
    from workspaces.models import Workspace

    ensure_body_workspaces()
    workspace = Workspace.objects.filter(body__kind="steering_group").order_by("pk").first()
    if workspace is None:
        raise ValidationError(_("Es gibt keinen Arbeitsbereich der Regiegruppe für die Aufgaben."))
    allowed = set(selfcheck_round.items().values_list("pk", flat=True))
    done = set(selfcheck_round.follow_ups.values_list("item_id", flat=True))
    created = []
    for item in items:
        if item.pk not in allowed:
            raise ValidationError(_("Diese Prüffrage gehört nicht zu dieser Runde."))
        if item.pk in done:
            continue
        title = Truncator(_("Selbstcheck: %(item)s") % {"item": item.text}).chars(200)
        description = _(
            "Aus der Runde „%(round)s“ (%(factor)s). Die Einschätzungen gingen weit auseinander oder waren niedrig; "
            "bitte besprechen und eine Maßnahme vereinbaren. Die nächste Runde zeigt diese Aufgabe bei der Prüffrage."
        ) % {"round": selfcheck_round.name, "factor": item.factor.title}
        task = create_task(actor, workspace, title=title, description=description, due_date=due_date, source=selfcheck_round)
        follow_up = FollowUp.objects.create(round=selfcheck_round, item=item, task=task)
        record(actor, "selfcheck.follow_up.created", follow_up, after=snapshot(follow_up))
        created.append(follow_up)
    return created


@transaction.atomic
def put_on_agenda(actor, selfcheck_round: Round, meeting):
    """File the round's one-page summary as an agenda item (with the PDF) of a coming Regiegruppe meeting.

    Only a closed round (its figures are final), only the Regiegruppe, only an agenda that is still open;
    once per round while that item exists. The item is public only if the office released the round's result.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.agenda.actions import add_item
    from meetings.models import AgendaItem
    from members.models import Body

    from . import summary

    selfcheck_round = Round.objects.select_for_update().get(pk=selfcheck_round.pk)
    if selfcheck_round.is_open:
        raise ValidationError(
            _(
                "Bitte schließen Sie die Runde zuerst ab: auf die Tagesordnung gehört die Zusammenfassung mit den endgültigen Zahlen."
            )
        )
    if meeting.body.kind != Body.Kind.STEERING_GROUP:
        raise ValidationError({"meeting": _("Die Zusammenfassung gehört auf die Tagesordnung der Regiegruppe.")})
    current = (
        AgendaItem.objects.alive().filter(pk=selfcheck_round.agenda_item_id).select_related("meeting").first()
        if selfcheck_round.agenda_item_id
        else None
    )
    if current is not None and current.meeting is not None and current.meeting.deleted_at is None:
        raise ValidationError(
            _("Die Zusammenfassung steht bereits auf der Tagesordnung der Sitzung „%(meeting)s“.")
            % {"meeting": current.meeting.title}
        )
    pdf = SimpleUploadedFile(summary.file_name(selfcheck_round), summary.summary_pdf(selfcheck_round), "application/pdf")
    item = add_item(
        actor,
        meeting,
        None,
        title=Truncator(_("Ergebnisse: %(round)s") % {"round": selfcheck_round.name}).chars(200),
        description=_(
            "Die einseitige Zusammenfassung der Runde „%(round)s“ (%(checklist)s) liegt als PDF bei: Ergebnisse der "
            "Kooperation, Prüffragen mit starker Abweichung und die daraus entstandenen Aufgaben."
        )
        % {"round": selfcheck_round.name, "checklist": selfcheck_round.checklist.name},
        public=selfcheck_round.released,
        document=pdf,
    )
    selfcheck_round.agenda_item = item
    selfcheck_round.save(update_fields=["agenda_item", "modified"])
    record(actor, "selfcheck.round_on_agenda", selfcheck_round, after={"agenda_item": item.pk, "meeting": meeting.pk})
    return item
