"""Pages of the agenda and minutes cycle that change its state: items added or edited on the agenda, the
meeting marked as held, and the status steps of the minutes (circulate, approve, publish, correct).

Every status step asks first (a confirmation page that says what will happen, no JavaScript needed) and
says afterwards what happened. The order of the cycle is ``meetings.rules``; every write is an action.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import login_required, office_required
from lib.concurrency import CONFLICT_MESSAGE, EditConflict
from lib.errors import add_to_form

from . import access, actions, rules
from .forms import AgendaItemForm, CorrectionForm
from .models import AgendaItem, Meeting, Minutes, agenda_numbers

AGENDA_CONFLICT = _(
    "Die Tagesordnung wurde inzwischen von jemand anderem geändert. Ihre Eingaben sind unten erhalten; "
    "bitte prüfen Sie die aktuelle Tagesordnung und speichern Sie erneut."
)


def _item_fields(data: dict) -> dict:
    return {name: data[name] for name in ("title", "description", "presenter", "municipality", "duration_minutes", "public")}


def _frozen_page(request, meeting: Meeting):
    """A held meeting's agenda is closed: back to the agenda page, which says so."""
    try:
        rules.check_agenda_open(meeting)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:agenda", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_create(request, pk: int):
    """The speaker, the deputy or the office adds an item directly (no proposal first)."""
    meeting = access.get_meeting_for_user(request.user, pk, order=True)
    if rules.agenda_frozen(meeting):
        return _frozen_page(request, meeting)
    form = AgendaItemForm(
        request.POST or None, request.FILES or None, body=meeting.body, initial={"version": meeting.agenda_version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.add_item(request.user, meeting, data.get("version"), document=data["document"], **_item_fields(data))
        except EditConflict:
            form.add_error(None, AGENDA_CONFLICT)
            meeting.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = meeting.agenda_version
        except ValidationError as exc:
            add_to_form(form, exc, rename={"upload": "document"})
        else:
            messages.success(
                request,
                _("„%(title)s“ steht jetzt auf der Tagesordnung (%(minutes)s Minuten).")
                % {"title": item.title, "minutes": item.duration_minutes},
            )
            return redirect("meetings:agenda", pk=meeting.pk)
    return render(request, "meetings/agenda_item_form.html", {"meeting": meeting, "form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk: int, item: int):
    """Edit an accepted item: title, description, presenter, city, duration, publicity; add a PDF."""
    meeting = access.get_meeting_for_user(request.user, pk, order=True)
    agenda_item = access.get_agenda_item_for_user(request.user, item, decide=True)
    if agenda_item.meeting_id != meeting.pk or agenda_item.status != AgendaItem.Status.ACCEPTED:
        raise Http404
    if rules.agenda_frozen(meeting):
        return _frozen_page(request, meeting)
    initial = {name: getattr(agenda_item, name) for name in ("title", "description", "duration_minutes", "public")}
    initial.update(presenter=agenda_item.presenter, municipality=agenda_item.municipality, version=agenda_item.version)
    form = AgendaItemForm(request.POST or None, request.FILES or None, body=meeting.body, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_item(
                request.user, agenda_item, data.get("version") or 0, document=data["document"], **_item_fields(data)
            )
        except EditConflict:
            form.add_error(None, CONFLICT_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = AgendaItem.objects.get(pk=agenda_item.pk).version
        except ValidationError as exc:
            add_to_form(form, exc, rename={"upload": "document"})
        else:
            messages.success(request, _("„%(title)s“ ist gespeichert.") % {"title": agenda_item.title})
            return redirect("meetings:agenda", pk=meeting.pk)
    current = AgendaItem.objects.get(pk=agenda_item.pk)  # after a conflict: what the other person saved
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"meeting": meeting, "form": form, "item": current, "files": current.files.alive().order_by("pk")},
    )


# --- Status steps, each confirmed first ------------------------------------------------------------------
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
        people = [p for p in minutes.attendees.exclude(email="") if p.is_active]
        consequences = [
            _("Das Protokoll geht per E-Mail an %(n)s Anwesende: %(names)s.")
            % {"n": len(people), "names": ", ".join(p.full_name for p in people) or "–"},
            _("Einwände sind bis einschließlich %(day)s möglich (%(days)s Tage).")
            % {"day": _deadline_after_circulation(), "days": settings.MEETING_OBJECTION_DAYS},
            _("Das Protokoll ist noch nicht öffentlich."),
        ]
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
        actions.mark_held(request.user, meeting)
        return STEP_DONE[step]
    if step == "umlauf":
        actions.circulate_minutes(request.user, minutes)
        minutes.refresh_from_db()
        count = minutes.attendees.exclude(email="").filter(is_active=True).count()
        return _(
            "Das Protokoll ist in Umlauf: %(n)s Anwesende erhalten es per E-Mail. Einwände sind bis einschließlich %(day)s möglich."
        ) % {"n": count, "day": date_format(minutes.objection_deadline, "SHORT_DATE_FORMAT")}
    if step == "genehmigen":
        at = None
        if request.POST.get("at_meeting"):
            at = _later_meetings(meeting).filter(pk=_as_int(request.POST["at_meeting"])).first()
            if at is None:
                raise ValidationError(_("Bitte wählen Sie eine Sitzung aus der Liste."))
        actions.approve_minutes(request.user, minutes, at_meeting=at)
        return STEP_DONE[step]
    actions.publish_minutes(request.user, minutes)
    public, _hidden = _public_split(meeting)
    return _(
        "Das Protokoll ist veröffentlicht: %(n)s öffentliche TOPs sind jetzt für alle sichtbar – auf der Sitzungsseite, "
        "als PDF und über OParl. Nicht öffentliche TOPs bleiben intern."
    ) % {"n": public}


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


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
        request, "meetings/minutes_step.html", {"meeting": meeting, "minutes": minutes, "step": step, "back": back, **info}
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
        item = meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED, pk=_as_int(source.get("top"))).first()
        if item is None:
            raise Http404
    number = agenda_numbers(meeting.agenda_items.alive()).get(item.pk, "") if item else ""
    context = {"meeting": meeting, "minutes": minutes, "item": item, "number": number, "problem": problem}
    if problem:
        return render(request, "meetings/minutes_correction.html", context)
    if request.method == "GET":
        initial = {"version": minutes.version}
        if item:
            initial.update(summary=item.summary, result=item.result)
        context["form"] = CorrectionForm(initial=initial, item=item)
        return render(request, "meetings/minutes_correction.html", context)
    form = CorrectionForm(request.POST, item=item)
    context["form"] = form
    if form.is_valid() and request.POST.get("confirm") == "1":
        data = form.cleaned_data
        try:
            revision = actions.correct_minutes(
                request.user,
                minutes,
                reason=data["reason"],
                change=data["change"],
                item=item,
                summary=data.get("summary") if item else None,
                result=data.get("result") if item else None,
                expected_version=data.get("version"),
            )
        except EditConflict:
            form.add_error(None, CONFLICT_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = Minutes.objects.get(pk=minutes.pk).version
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            done = _("Die Berichtigung Nr. %(n)s ist eingetragen und im Änderungsprotokoll vermerkt.") % {"n": revision.number}
            if minutes.status == Minutes.Status.PUBLISHED:
                done += " " + _("Die veröffentlichte Fassung – Sitzungsseite und PDF – zeigt jetzt die Berichtigung mit Vermerk.")
            messages.success(request, done)
            return redirect("meetings:minutes", pk=meeting.pk)
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
    return render(request, "meetings/minutes_correction.html", context)
