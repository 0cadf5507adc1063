"""The minutes' cycle: marking the meeting held, attendance, item summaries and results, decisions, action
items (each with its task), circulation, objections, approval, publication and corrections (Berichtigung).
The order is ``meetings.rules``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from lib.concurrency import bump_counter, save_versioned
from meetings import rules
from meetings.agenda.numbering import Status
from meetings.core.actions import public_pdfs_follow, touch_meeting
from meetings.invitations.actions import attendance_from_replies
from meetings.minutes.mails import send_minutes_circulation
from meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    Objection,
    agenda_numbers,
)
from meetings.pdfs import store_minutes_pdf
from members.models import Body, Municipality, Person


@transaction.atomic
def mark_held(user, meeting: Meeting) -> None:
    """The meeting took place: from now on its agenda is frozen and its minutes can be written."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    rules.check(rules.hold_problem(current), "not_started")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD, modified=timezone.now(), version=F("version") + 1)
    record(user, "meetings.meeting_held", meeting, before={"status": current.status}, after={"status": MeetingStatus.HELD})
    meeting.status, meeting.version = MeetingStatus.HELD, current.version + 1


def minutes_for(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


def _editable(minutes: Minutes) -> None:
    """Minutes are written after the meeting took place and only until they are approved."""
    rules.check_held(minutes.meeting)
    if minutes.is_locked:
        raise ValidationError(_("Das Protokoll ist genehmigt und gesperrt. Änderungen nur noch als Berichtigung."))


@transaction.atomic
def record_attendance(user, minutes: Minutes, people: list[Person], cities: list[Municipality] | None = None) -> None:
    _editable(minutes)
    minutes.attendees.set(people)
    if cities is None:
        cities = list({p.municipality for p in people if p.municipality_id})
    minutes.cities.set(cities)
    Minutes.objects.filter(pk=minutes.pk).update(modified=timezone.now())
    record(user, "meetings.attendance", minutes, after={"people": [p.pk for p in people]})


@transaction.atomic
def save_item_minutes(user, item: AgendaItem, *, summary: str, result: str = "", expected_version: int | None = None) -> None:
    """Summary and result of one item. With ``expected_version`` (the pages pass it) a save by somebody else
    since the page was loaded raises EditConflict instead of being overwritten."""
    _editable(minutes_for(item.meeting))
    before = {"summary": item.summary, "result": item.result}
    item.summary = summary
    item.result = result
    if expected_version is None:
        item.save()
    else:
        save_versioned(item, expected_version, ["summary", "result"])
        touch_meeting(item.meeting_id)
    if before != {"summary": summary, "result": result}:
        record(user, "meetings.item_minutes", item, before=before, after={"summary": summary, "result": result})


@transaction.atomic
def add_decision(user, item: AgendaItem, text: str, kind: str = Decision.Kind.DECISION) -> Decision:
    _editable(minutes_for(item.meeting))
    if not text.strip():
        raise ValidationError({"text": _("Bitte geben Sie den Wortlaut ein.")})
    decision = Decision.objects.create(agenda_item=item, text=text.strip(), kind=kind)
    record(user, "meetings.decision_added", decision, after=snapshot(decision))
    return decision


@transaction.atomic
def add_action(
    user,
    item: AgendaItem,
    description: str,
    *,
    assignee: Person | None = None,
    municipality: Municipality | None = None,
    due_date: dt.date | None = None,
) -> ActionItem:
    """The one place an action item is created: with its task in the body's workspace.

    The task (tasks app) is assigned to the person's account or to the whole city, carries the due date
    and links back to the meeting; creating it notifies the assignees ("Neue Aufgabe für Sie").
    """
    _editable(minutes_for(item.meeting))
    action = ActionItem(
        agenda_item=item,
        body=item.body,
        description=description.strip(),
        assignee=assignee,
        municipality=municipality,
        due_date=due_date,
    )
    action.full_clean(exclude=["agenda_item", "body", "assignee", "municipality", "task"])
    action.clean()
    action.save()
    action.task = _task_for(user, action)
    action.save(update_fields=["task", "modified"])
    record(user, "meetings.action_added", action, after={**snapshot(action), "task": action.task_id})
    return action


def _body_workspace(body: Body):
    from workspaces.actions import ensure_body_workspaces
    from workspaces.models import Workspace

    workspace = Workspace.objects.filter(body=body).first()
    if workspace is None:
        ensure_body_workspaces(Body.objects.filter(pk=body.pk))
        workspace = Workspace.objects.get(body=body)
    return workspace


def _task_for(user, action: ActionItem):
    from tasks.actions import create_task

    meeting = action.agenda_item.meeting
    title = action.description if len(action.description) <= 200 else action.description[:199] + "…"
    lines = [action.description] if len(action.description) > 200 else []
    lines.append(
        _("Aus dem Protokoll der Sitzung „%(meeting)s“, TOP „%(item)s“.") % {"meeting": meeting, "item": action.agenda_item}
    )
    account = action.assignee.user if action.assignee and action.assignee.user_id else None
    if action.assignee and (account is None or not account.is_active):
        account = None
        lines.append(_("Verantwortlich: %(person)s") % {"person": action.assignee})
    return create_task(
        user if getattr(user, "is_authenticated", False) else None,
        _body_workspace(action.body),
        title=title,
        description="\n\n".join(lines),
        due_date=action.due_date,
        assignees=[account] if account else [],
        municipalities=[action.municipality] if action.municipality else [],
        source=meeting,
        allow_past_due=True,
    )


@transaction.atomic
def complete_action(user, action: ActionItem) -> None:
    """Mark the action done, which means: its task is done (the task is the one source of truth)."""
    from tasks.actions import set_status
    from tasks.models import Task

    task = Task.objects.select_for_update().filter(pk=action.task_id).first() if action.task_id else None
    if task is not None and task.is_open:
        set_status(user if getattr(user, "is_authenticated", False) else None, task, task.version, Task.Status.DONE)
    action.refresh_from_db()
    record(user, "meetings.action_done", action)


@transaction.atomic
def circulate_minutes(user, minutes: Minutes, *, at: dt.datetime | None = None) -> None:
    """Send the draft to the attendees; objections are possible until the deadline.

    ``at`` is when the minutes went round, for minutes recorded afterwards (the demo, an import); the pages
    never pass it. It lies between the meeting's end and now; the deadline counts from it.
    """
    rules.check(rules.circulate_problem(minutes))
    if not minutes.attendees.exists():
        # The attendance form shows the replies' forecast ticked; an office that never saved it circulates to
        # exactly those people (recorded and audited), never to nobody.
        forecast = attendance_from_replies(minutes.meeting).present
        if forecast:
            minutes.attendees.set(forecast)
            record(user, "meetings.attendance_from_replies", minutes, after={"attendees": [p.pk for p in forecast]})
    now = timezone.now()
    if at is not None:
        if not minutes.meeting.end <= at <= now:
            raise ValidationError(_("Ein Protokoll geht zwischen dem Ende der Sitzung und jetzt in Umlauf."))
        now = at
    deadline = timezone.localtime(now).date() + dt.timedelta(days=settings.MEETING_OBJECTION_DAYS)
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.CIRCULATED, circulated_at=now, objection_deadline=deadline, modified=now, version=F("version") + 1
    )
    minutes.refresh_from_db()
    record(user, "meetings.minutes_circulated", minutes)

    transaction.on_commit(lambda: send_minutes_circulation.enqueue(minutes.pk))


@transaction.atomic
def object_to_minutes(person: Person, minutes: Minutes, text: str) -> Objection:
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Einwände sind nur möglich, solange das Protokoll in Abstimmung ist."))
    if minutes.objection_deadline and timezone.localdate() > minutes.objection_deadline:
        raise ValidationError(_("Die Frist für Einwände ist abgelaufen."))
    if not text.strip():
        raise ValidationError({"text": _("Bitte beschreiben Sie Ihren Einwand.")})
    objection = Objection.objects.create(minutes=minutes, person=person, text=text.strip())
    record(person.user, "meetings.minutes_objection", objection, after={"minutes": minutes.pk, "text": objection.text})
    return objection


@transaction.atomic
def resolve_objection(user, minutes: Minutes, objection_pk: int) -> Objection:
    """Mark one objection to circulated minutes as settled; approval waits until none is open."""
    objection = Objection.objects.select_for_update().filter(minutes=minutes, pk=objection_pk).first()
    if objection is None:
        raise ValidationError(_("Diesen Einwand gibt es zu diesem Protokoll nicht."))
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Einwände werden erledigt, solange das Protokoll in Abstimmung ist."))
    if objection.resolved:
        raise ValidationError(_("Dieser Einwand ist schon erledigt."))
    objection.resolved = True
    objection.save(update_fields=["resolved", "modified"])
    record(user, "meetings.minutes_objection_resolved", objection, before={"resolved": False}, after={"resolved": True})
    return objection


@transaction.atomic
def approve_minutes(user, minutes: Minutes, *, at_meeting: Meeting | None = None) -> None:
    """Approve circulated minutes (at ``at_meeting``'s approval item, or after the window): only once the
    objection deadline is over and no objection is open (``rules.approve_problem``)."""
    rules.check(rules.approve_problem(minutes, at_meeting=at_meeting))
    now = timezone.now()
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.APPROVED, approved_at=now, approved_in=at_meeting, modified=now, version=F("version") + 1
    )
    minutes.refresh_from_db()
    record(user, "meetings.minutes_approved", minutes)


def approve_due_minutes(now: dt.datetime | None = None) -> int:
    """In "window" mode: approve circulated minutes whose objection window passed without open objections."""
    if settings.MEETING_MINUTES_APPROVAL != "window":
        return 0
    today = timezone.localtime(now or timezone.now()).date()
    count = 0
    for minutes in Minutes.objects.filter(status=Minutes.Status.CIRCULATED, objection_deadline__lt=today):
        if rules.approve_problem(minutes) is None:
            approve_minutes(None, minutes)
            count += 1
    return count


@transaction.atomic
def publish_minutes(user, minutes: Minutes) -> None:
    """Publish approved minutes: the public sees them (public items only) and the PDF is stored as the results file."""
    rules.check(rules.publish_problem(minutes))
    now = timezone.now()
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.PUBLISHED, published_at=now, modified=now, version=F("version") + 1
    )
    Meeting.objects.filter(pk=minutes.meeting_id).update(status=MeetingStatus.HELD, modified=now)
    minutes.refresh_from_db()
    record(user, "meetings.minutes_published", minutes)

    transaction.on_commit(lambda: store_minutes_pdf(minutes.pk))


@transaction.atomic
def correct_minutes(
    user,
    minutes: Minutes,
    *,
    reason: str,
    change: str = "",
    item: AgendaItem | None = None,
    summary: str | None = None,
    result: str | None = None,
    expected_version: int | None = None,
) -> MinutesRevision:
    """Approved minutes change only through a correction (Berichtigung): a new, numbered, visible revision.

    It records who, when, why and what: with ``item`` the item's summary and result before and after (the
    minutes show the corrected text from then on), otherwise a note (``change``) such as a corrected
    attendance. Published minutes are rendered again at once (page, stored PDF, OParl) with the note.
    A correction by somebody else since ``expected_version`` raises EditConflict.
    """
    rules.check(rules.correct_problem(minutes))
    reason, change = reason.strip(), change.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Bitte nennen Sie den Grund der Berichtigung.")
    before: dict = {}
    after: dict = {}
    if item is not None:
        if item.meeting_id != minutes.meeting_id or item.status != Status.ACCEPTED or item.deleted_at:
            errors["item"] = _("Dieser Tagesordnungspunkt gehört nicht zu diesem Protokoll.")
        else:
            new = {
                "summary": item.summary if summary is None else summary.strip(),
                "result": item.result if result is None else result.strip(),
            }
            before = {k: v for k, v in (("summary", item.summary), ("result", item.result)) if new[k] != v}
            after = {k: new[k] for k in before}
            if not after:
                errors["summary"] = _("Der Text ist unverändert. Bitte tragen Sie die berichtigte Fassung ein.")
    elif not change:
        errors["change"] = _("Bitte beschreiben Sie, was berichtigt wird.")
    if errors:
        raise ValidationError(errors)
    if expected_version is not None:
        bump_counter(minutes, "version", expected_version)
    if item is not None:
        AgendaItem.objects.filter(pk=item.pk).update(**after, version=F("version") + 1, modified=timezone.now())
        number_of = agenda_numbers(minutes.meeting.agenda_items.alive()).get(item.pk, "")
        labels = {"summary": _("Zusammenfassung"), "result": _("Ergebnis")}
        change = change or _("TOP %(n)s „%(title)s“: %(what)s berichtigt.") % {
            "n": number_of,
            "title": item.title,
            "what": ", ".join(str(labels[k]) for k in after),
        }
    number = minutes.revision + 1
    revision = MinutesRevision.objects.create(
        minutes=minutes,
        number=number,
        reason=reason,
        change=change,
        author=user if getattr(user, "is_authenticated", False) else None,
        agenda_item=item,
        before=before,
        after=after,
    )
    Minutes.objects.filter(pk=minutes.pk).update(revision=number, modified=timezone.now())
    touch_meeting(minutes.meeting_id)
    minutes.refresh_from_db()
    record(
        user,
        "meetings.minutes_corrected",
        minutes,
        before={"revision": number - 1, **before},
        after={"revision": number, "reason": reason, "change": change, "item": item.pk if item else None, **after},
    )
    public_pdfs_follow(minutes.meeting_id)
    return revision
