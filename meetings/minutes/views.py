"""Minutes pages: writing them (attendance, items, decisions, actions), the confirmation pages of the cycle's steps
(held, circulate, approve, publish), corrections, the PDF, the decision register and marking actions done.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form, add_to_messages
from meetings import access, pdfs, rules
from meetings.agenda.numbering import numbered_agenda
from meetings.forms import AttendanceForm, CorrectionForm, DecisionFilterForm, ItemMinutesForm, ObjectionForm, as_int
from meetings.invitations.actions import attendance_from_replies
from meetings.invitations.recipients import recipients
from meetings.minutes.actions import (
    add_action,
    add_decision,
    approve_minutes,
    circulate_minutes,
    complete_action,
    correct_minutes,
    mark_held,
    minutes_for,
    object_to_minutes,
    publish_minutes,
    record_attendance,
    resolve_objection,
    save_item_minutes,
)
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes, agenda_numbers
from projects.access import with_visible_projects


def _item_forms(request, meeting, bound=None):
    """One form per accepted item; ``bound`` (item pk → form) keeps what was typed into a form that failed."""
    items = list(
        meeting.agenda_items.alive()
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position", "pk")
        .prefetch_related("decisions", "actions__assignee", "actions__municipality", "actions__task", "corrections")
    )
    rows = numbered_agenda(meeting, items)
    for row in rows:
        row.form = (bound or {}).get(row.item.pk) or ItemMinutesForm(
            prefix=f"top{row.item.pk}",
            body=meeting.body,
            initial={"summary": row.item.summary, "result": row.item.result, "version": row.item.version},
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def minutes_page(request, pk: int):
    """The minutes as the body's members read them; the office writes them here once the meeting was held.

    A form that fails is shown again with everything typed, its errors next to the fields and a summary at
    the top that links to them (nothing typed is lost). The status steps are on their own confirmation
    pages (``minutes_step``).
    """
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    can_manage = access.can_manage(request.user)
    not_held = rules.held_problem(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None and can_manage and not not_held:
        minutes = minutes_for(meeting)
    people = recipients(meeting)
    bound: dict = {}
    if request.method == "POST":
        if minutes is None:
            raise Http404
        done = _minutes_post(request, meeting, minutes, people, can_manage, bound)
        if done:
            return redirect("meetings:minutes", pk=meeting.pk)
        minutes.refresh_from_db()
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "not_held": not_held,
        "can_hold": can_manage and rules.hold_problem(meeting) is None,
        "can_manage": can_manage,
        "approval_mode": settings.MEETING_MINUTES_APPROVAL,
    }
    if minutes is not None:
        context.update(
            rows=_item_forms(request, meeting, bound.get("items")),
            writable=can_manage and not minutes.is_locked and not not_held,
            attendance_form=bound.get("attendance")
            or AttendanceForm(people=people, initial={"attendees": _attendees_or_replies(meeting, minutes)}),
            objection_form=bound.get("objection") or ObjectionForm(),
            revisions=minutes.revisions.select_related("author", "agenda_item"),
            next_step=_next_minutes_step(minutes) if can_manage else None,
        )
        context["error_forms"] = _failed_forms(context, bound)
    failed = [*bound.get("items", {}).values(), *(bound[k] for k in ("attendance", "objection") if k in bound)]
    return render(request, "meetings/minutes/minutes.html", context, status=failed_status(failed[0]) if failed else 200)


def _attendees_or_replies(meeting: Meeting, minutes: Minutes) -> list:
    """Recorded attendance, or — before any is recorded — the replies' forecast (``attendance_from_replies``)."""
    recorded = list(minutes.attendees.all())
    if recorded or minutes.is_locked:
        return recorded
    return attendance_from_replies(meeting).present


def _next_minutes_step(minutes: Minutes) -> dict | None:
    """The one status step that comes next, and why it cannot happen yet (shown beside its button)."""
    steps = {
        Minutes.Status.DRAFT: ("umlauf", _("An die Anwesenden zur Abstimmung senden …"), rules.circulate_problem(minutes)),
        Minutes.Status.CIRCULATED: ("genehmigen", _("Protokoll genehmigen …"), rules.approve_problem(minutes)),
        Minutes.Status.APPROVED: ("veroeffentlichen", _("Veröffentlichen …"), rules.publish_problem(minutes)),
    }
    if minutes.status not in steps:
        return None
    step, label, problem = steps[minutes.status]
    return {"step": step, "label": label, "problem": problem}


def _failed_forms(context: dict, bound: dict) -> list[tuple[str, object]]:
    """(heading, form) of every form on the page that failed, for the error summary at the top."""
    failed = []
    if "attendance" in bound:
        failed.append((_("Anwesenheit"), bound["attendance"]))
    for row in context.get("rows", []):
        if row.item.pk in bound.get("items", {}):
            failed.append((f"TOP {row.number}: {row.item.title}", row.form))
    if "objection" in bound:
        failed.append((_("Einwand"), bound["objection"]))
    return failed


def _minutes_post(request, meeting, minutes, people, can_manage, bound: dict) -> bool:
    """Run one operation of the minutes page. True: done (redirect); False: show the page again with
    the failed form in ``bound`` (what was typed stays)."""
    op = request.POST.get("op", "")
    person = access.person_of(request.user)
    if op == "object":
        form = ObjectionForm(request.POST)
        if person is None:
            raise Http404
        if form.is_valid():
            try:
                object_to_minutes(person, minutes, form.cleaned_data["text"])
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Ihr Einwand ist eingetragen. Die Geschäftsführung sieht ihn beim Protokoll."))
                return True
        bound["objection"] = form
        return False
    if not can_manage:
        raise Http404
    if op == "attendance":
        form = AttendanceForm(request.POST, people=people)
        if form.is_valid():
            try:
                record_attendance(request.user, minutes, list(form.cleaned_data["attendees"]))
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Die Anwesenheit ist gespeichert."))
                return True
        bound["attendance"] = form
        return False
    if op == "item":
        item = meeting.agenda_items.alive().filter(pk=as_int(request.POST.get("item"))).first()
        if item is None:
            raise Http404
        form = ItemMinutesForm(request.POST, prefix=f"top{item.pk}", body=meeting.body)
        if _save_item_minutes(request, item, form):
            messages.success(request, _("Der Eintrag zu „%(title)s“ ist gespeichert.") % {"title": item.title})
            return True
        bound["items"] = {item.pk: form}
        return False
    if op == "resolve":
        try:
            resolve_objection(request.user, minutes, as_int(request.POST.get("objection")))
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Der Einwand ist als erledigt markiert."))
        return True
    raise Http404


def _save_item_minutes(request, item: AgendaItem, form) -> bool:
    """Summary, result, a decision and an action of one item, all or nothing; errors land on the form."""

    def write(data: dict) -> None:
        with transaction.atomic():
            save_item_minutes(
                request.user, item, summary=data["summary"], result=data["result"], expected_version=data.get("version")
            )
            if data["decision_text"]:
                add_decision(request.user, item, data["decision_text"], data["decision_kind"] or Decision.Kind.DECISION)
            if data["action_description"]:
                add_action(
                    request.user,
                    item,
                    data["action_description"],
                    assignee=data["action_assignee"],
                    municipality=data["action_municipality"],
                    due_date=data["action_due"],
                )

    if apply_edit(form, write, rename={"text": "decision_text", "description": "action_description"}):
        return True
    if form.edit_conflict:  # what was typed stays; the next save starts from the other person's version
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = AgendaItem.objects.get(pk=item.pk).version
    return False


def minutes_pdf(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if not access.minutes_visible(request.user, minutes):
        raise Http404
    response = HttpResponse(pdfs.minutes_pdf(minutes, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.pk}.pdf"'
    return response


def decision_register(request):
    form = DecisionFilterForm(request.GET or None)
    decisions = access.decisions_visible_to(request.user).select_related(
        "agenda_item__meeting__body", "agenda_item__meeting__minutes"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            decisions = decisions.filter(Q(text__icontains=data["q"]) | Q(agenda_item__title__icontains=data["q"]))
        if data["body"]:
            decisions = decisions.filter(agenda_item__meeting__body=data["body"])
        if data["year"]:
            decisions = decisions.filter(agenda_item__meeting__start__year=data["year"])
        if data["status"]:
            decisions = decisions.filter(status=data["status"])
    decisions = decisions.order_by("-agenda_item__meeting__start", "pk")[:200]
    return render(
        request,
        "meetings/minutes/register.html",
        {"form": form, "decisions": with_visible_projects(request.user, decisions)},
    )


@login_required
@require_POST
def action_complete(request, pk: int):
    action = ActionItem.objects.select_related("assignee").filter(pk=as_int(pk)).first()
    if action is None or not access.sees_internal(request.user, action.body_id):
        raise Http404
    person = access.person_of(request.user)
    if not (access.can_manage(request.user) or (person and action.assignee_id == person.pk)):
        raise Http404
    complete_action(request.user, action)
    messages.success(request, _("Die Aufgabe ist als erledigt markiert."))
    return redirect("meetings:body", slug=action.body.slug)


def _minutes_of(request, pk: int) -> tuple[Meeting, Minutes | None]:
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    return meeting, Minutes.objects.filter(meeting=meeting).first()


def _public_split(meeting: Meeting) -> tuple[int, int]:
    numbers = agenda_numbers(meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED))
    hidden = sum(1 for n in numbers.values() if n.startswith("N"))
    return len(numbers) - hidden, hidden


def _later_meetings(meeting: Meeting):
    """Meetings of the body after this one that have taken place: where the minutes can be approved."""
    return (
        Meeting.objects.alive()
        .filter(body=meeting.body, start__gt=meeting.start, start__lte=timezone.now())
        .exclude(status="cancelled")
        .order_by("start")
    )


def _deadline_after_circulation() -> str:
    day = timezone.localdate() + dt.timedelta(days=settings.MEETING_OBJECTION_DAYS)
    return date_format(day, "SHORT_DATE_FORMAT")


def _step_info(step: str, meeting: Meeting, minutes: Minutes | None) -> dict:
    """Title, what will happen, the button, and why it cannot happen now (``problem``)."""
    public, hidden = _public_split(meeting)
    if step == "durchgefuehrt":
        return {
            "title": _("Sitzung als durchgeführt vermerken"),
            "problem": rules.hold_problem(meeting),
            "consequences": [
                _("Die Tagesordnung wird abgeschlossen: Punkte, Reihenfolge und Nummern lassen sich danach nicht mehr ändern."),
                _("Danach schreiben Sie das Protokoll: Anwesenheit, Zusammenfassungen, Beschlüsse und Aufgaben."),
                _("Niemand wird benachrichtigt."),
            ],
            "button": _("Ja, die Sitzung hat stattgefunden"),
        }
    if minutes is None:
        return {"title": _("Protokoll"), "problem": rules.held_problem(meeting) or _("Es gibt noch kein Protokoll.")}
    if step == "umlauf":
        saved = minutes.attendees.exists()
        people = [p for p in _attendees_or_replies(meeting, minutes) if p.email and p.is_active]
        consequences = [
            _("Das Protokoll geht per E-Mail an %(n)s Anwesende: %(names)s.")
            % {"n": len(people), "names": ", ".join(p.full_name for p in people) or "–"},
            _("Einwände sind bis einschließlich %(day)s möglich (%(days)s Tage).")
            % {"day": _deadline_after_circulation(), "days": settings.MEETING_OBJECTION_DAYS},
            _("Das Protokoll ist noch nicht öffentlich."),
        ]
        if not saved and people:
            consequences.insert(
                0,
                _(
                    "Die Anwesenheit ist noch nicht gespeichert: Es gilt die Anwesenheit aus den Rückmeldungen, wie im Protokoll angekreuzt."
                ),
            )
        if not people:
            consequences.insert(0, _("Achtung: Es ist keine anwesende Person mit E-Mail-Adresse eingetragen."))
        return {
            "title": _("Protokoll in Umlauf geben"),
            "problem": rules.circulate_problem(minutes),
            "consequences": consequences,
            "button": _("Protokoll in Umlauf geben"),
        }
    if step == "genehmigen":
        return {
            "title": _("Protokoll genehmigen"),
            "problem": rules.approve_problem(minutes),
            "consequences": [
                _("Das Protokoll wird gesperrt. Änderungen sind danach nur noch als Berichtigung mit Grund möglich."),
                _("Es ist danach noch nicht öffentlich; das geschieht im nächsten Schritt „Veröffentlichen“."),
                _("Niemand wird benachrichtigt."),
            ],
            "button": _("Protokoll genehmigen"),
            "later_meetings": _later_meetings(meeting)[:5],
        }
    if step == "veroeffentlichen":
        return {
            "title": _("Protokoll veröffentlichen"),
            "problem": rules.publish_problem(minutes),
            "consequences": [
                _(
                    "Für alle sichtbar – auf der Sitzungsseite, als PDF und über OParl: %(n)s öffentliche TOPs mit "
                    "Zusammenfassung, Ergebnis und Beschlüssen."
                )
                % {"n": public},
                _("%(n)s nicht öffentliche TOPs und die Liste der Anwesenden bleiben intern.") % {"n": hidden},
                _("Niemand wird benachrichtigt."),
            ],
            "button": _("Protokoll veröffentlichen"),
        }
    raise Http404


STEP_DONE = {
    "durchgefuehrt": _(
        "Die Sitzung ist als durchgeführt vermerkt; ihre Tagesordnung ist abgeschlossen. Schreiben Sie jetzt das Protokoll."
    ),
    "genehmigen": _(
        "Das Protokoll ist genehmigt und gesperrt. Änderungen nur noch als Berichtigung. Nächster Schritt: veröffentlichen."
    ),
}


def _run_step(request, step: str, meeting: Meeting, minutes: Minutes | None) -> str:
    """Run the step's action; returns what happened, for the message on the next page."""
    if step == "durchgefuehrt":
        mark_held(request.user, meeting)
        return STEP_DONE[step]
    if step == "umlauf":
        circulate_minutes(request.user, minutes)
        minutes.refresh_from_db()
        count = minutes.attendees.exclude(email="").filter(is_active=True).count()
        return _(
            "Das Protokoll ist in Umlauf: %(n)s Anwesende erhalten es per E-Mail. Einwände sind bis einschließlich %(day)s möglich."
        ) % {"n": count, "day": date_format(minutes.objection_deadline, "SHORT_DATE_FORMAT")}
    if step == "genehmigen":
        at = None
        if request.POST.get("at_meeting"):
            at = _later_meetings(meeting).filter(pk=as_int(request.POST["at_meeting"])).first()
            if at is None:
                raise ValidationError(_("Bitte wählen Sie eine Sitzung aus der Liste."))
        approve_minutes(request.user, minutes, at_meeting=at)
        return STEP_DONE[step]
    publish_minutes(request.user, minutes)
    public, _hidden = _public_split(meeting)
    return _(
        "Das Protokoll ist veröffentlicht: %(n)s öffentliche TOPs sind jetzt für alle sichtbar – auf der Sitzungsseite, "
        "als PDF und über OParl. Nicht öffentliche TOPs bleiben intern."
    ) % {"n": public}


STEPS = {"durchgefuehrt", "umlauf", "genehmigen", "veroeffentlichen"}


@office_required
@require_http_methods(["GET", "POST"])
def minutes_step(request, pk: int, step: str):
    """Confirm a status step (GET: what will happen; POST: do it and say what happened)."""
    if step not in STEPS:
        raise Http404
    meeting, minutes = _minutes_of(request, pk)
    info = _step_info(step, meeting, minutes)
    back = meeting.get_absolute_url() if step == "durchgefuehrt" else f"{meeting.get_absolute_url()}protokoll/"
    if request.method == "POST" and not info["problem"]:
        try:
            with transaction.atomic():
                done = _run_step(request, step, meeting, minutes)
        except ValidationError as exc:
            info["problem"] = " ".join(exc.messages)
        else:
            messages.success(request, done)
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/minutes/minutes_step.html",
        {"meeting": meeting, "minutes": minutes, "step": step, "back": back, **info},
    )


@office_required
@require_http_methods(["GET", "POST"])
def minutes_correction(request, pk: int):
    """A correction of approved minutes: fill in → check (confirmation page) → record."""
    meeting, minutes = _minutes_of(request, pk)
    problem = rules.correct_problem(minutes) if minutes else rules.held_problem(meeting) or _("Es gibt noch kein Protokoll.")
    source = request.POST if request.method == "POST" else request.GET
    item = None
    if source.get("top"):
        item = meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED, pk=as_int(source.get("top"))).first()
        if item is None:
            raise Http404
    number = agenda_numbers(meeting.agenda_items.alive()).get(item.pk, "") if item else ""
    context = {"meeting": meeting, "minutes": minutes, "item": item, "number": number, "problem": problem}
    if problem:
        return render(request, "meetings/minutes/minutes_correction.html", context)
    if request.method == "GET":
        initial = {"version": minutes.version}
        if item:
            initial.update(summary=item.summary, result=item.result)
        context["form"] = CorrectionForm(initial=initial, item=item)
        return render(request, "meetings/minutes/minutes_correction.html", context)
    form = CorrectionForm(request.POST, item=item)
    context["form"] = form
    status = 200
    if request.POST.get("confirm") == "1":
        revisions: list = []

        def write(data: dict) -> None:
            revisions.append(
                correct_minutes(
                    request.user,
                    minutes,
                    reason=data["reason"],
                    change=data["change"],
                    item=item,
                    summary=data.get("summary") if item else None,
                    result=data.get("result") if item else None,
                    expected_version=data.get("version"),
                )
            )

        if apply_edit(form, write):
            done = _("Die Berichtigung Nr. %(n)s ist eingetragen und im Änderungsprotokoll vermerkt.") % {
                "n": revisions[0].number
            }
            if minutes.status == Minutes.Status.PUBLISHED:
                done += " " + _("Die veröffentlichte Fassung – Sitzungsseite und PDF – zeigt jetzt die Berichtigung mit Vermerk.")
            messages.success(request, done)
            return redirect("meetings:minutes", pk=meeting.pk)
        status = failed_status(form)
        if form.edit_conflict:
            form.data = form.data.copy()
            form.data["version"] = Minutes.objects.get(pk=minutes.pk).version
    elif form.is_valid() and request.POST.get("confirm") != "edit":
        changes = [
            (label, old, form.cleaned_data[name])
            for name, label, old in (
                ("summary", _("Zusammenfassung"), item.summary if item else ""),
                ("result", _("Ergebnis"), item.result if item else ""),
            )
            if item and form.cleaned_data[name].strip() != old
        ]
        if item and not changes:
            form.add_error("summary", _("Der Text ist unverändert. Bitte tragen Sie die berichtigte Fassung ein."))
        else:
            context.update(confirming=True, changes=changes)
    return render(request, "meetings/minutes/minutes_correction.html", context, status=status)
