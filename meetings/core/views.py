"""Pages of meetings themselves: lists, the meeting page, creating, editing, venue and host, cancelling, the .ics
and file downloads.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from lib.concurrency import apply_edit, failed_status
from lib.storage import StorageUnavailable, open_for_reading, unavailable_response
from meetings import access, rules
from meetings.agenda.actions import backlog
from meetings.agenda.numbering import numbered_agenda, open_actions
from meetings.calendar import build_ics
from meetings.core.actions import (
    add_location,
    cancel_meeting,
    create_meeting,
    decline_host,
    host_rotation,
    propose_host,
    series_for,
    set_host,
    update_meeting,
)
from meetings.forms import LocationForm, MeetingForm, ObjectionForm, ReplyForm
from meetings.invitations.actions import notice_too_short, reply_overview, representation
from meetings.models import Consultation, Meeting, MeetingFile, MeetingStatus, Minutes, Reply
from members.models import Body
from scanning.actions import held_response


def meeting_list(request):
    meetings = access.meetings_visible_to(request.user).select_related("body", "host_municipality")
    now = timezone.now()
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": meetings.filter(end__gte=now).order_by("start")[:50],
            "past": meetings.filter(end__lt=now).order_by("-start")[:50],
            "bodies": Body.objects.exclude(kind="managing_office"),
        },
    )


def body_meetings(request, slug: str):
    body = access.get_body_for_meetings(request.user, slug)
    internal = access.sees_internal(request.user, body)
    meetings = (
        access.meetings_visible_to(request.user).filter(body=body).select_related("host_municipality").order_by("-start")[:100]
    )
    context = {"body": body, "meetings": meetings, "internal": internal, "can_manage": access.can_manage(request.user)}
    if internal:
        context["backlog"] = backlog(body)
        context["open_actions"] = open_actions(body)
        context["can_order"] = access.can_order_agenda(request.user, body)
    if context["can_manage"]:
        context["rotation"] = host_rotation(body)
        context["series"] = series_for(body)
    return render(request, "meetings/body.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, slug: str):
    body = access.get_body_for_meetings(request.user, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting, warnings = create_meeting(
                request.user,
                body,
                start=data["start"],
                end=data["end"],
                title=data["title"],
                host=data["host_municipality"],
                location=data["location"],
                status=MeetingStatus.SCHEDULED,
                agenda_deadline=data["agenda_deadline"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Die Sitzung ist angelegt."))
            return redirect(meeting)
    suggestion = propose_host(body)
    return render(request, "meetings/meeting_form.html", {"form": form, "body": body, "suggestion": suggestion, "creating": True})


@office_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    initial = {
        "title": meeting.title,
        "start": timezone.localtime(meeting.start),
        "end": timezone.localtime(meeting.end),
        "host_municipality": meeting.host_municipality,
        "location": meeting.location,
        "agenda_deadline": meeting.agenda_deadline,
        "version": meeting.version,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    location_form = LocationForm(prefix="ort")
    status = 200
    if request.method == "POST":
        warnings: list[str] = []

        def write(data: dict) -> None:
            warnings.extend(
                update_meeting(
                    request.user,
                    meeting,
                    data.get("version") or 0,
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    host_municipality=data["host_municipality"],
                    location=data["location"],
                    agenda_deadline=data["agenda_deadline"],
                )
            )

        if apply_edit(form, write):
            for warning in warnings:
                messages.warning(request, warning)
            if meeting.invitation_sent_at:
                messages.info(request, _("Die Einladung ist schon verschickt: Senden Sie die Änderung als Aktualisierung."))
            messages.success(request, _("Gespeichert."))
            return redirect(meeting)
        status = failed_status(form)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "body": meeting.body, "meeting": meeting, "location_form": location_form},
        status=status,
    )


@office_required
@require_POST
def location_create(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    form = LocationForm(request.POST, prefix="ort")
    if form.is_valid():
        location = add_location(request.user, form.save(commit=False))
        set_host(request.user, meeting, meeting.host_municipality, location)
        messages.success(request, _("Der Sitzungsort ist gespeichert."))
    else:
        for field, errs in form.errors.items():
            for err in errs:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {err}")
    return redirect("meetings:edit", pk=meeting.pk)


@office_required
@require_POST
def host_decline(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    if meeting.host_municipality:
        nxt = decline_host(request.user, meeting, meeting.host_municipality)
        messages.success(request, _("Vermerkt. Neue Gastgeberstadt: %(city)s.") % {"city": nxt or "–"})
    return redirect(meeting)


def _agenda(request, meeting: Meeting):
    paper_steps = (
        Consultation.objects.alive()
        .filter(paper__in=access.papers_visible_to(request.user))
        .select_related("paper")
        .order_by("paper__reference")
    )
    items = (
        access.visible_agenda(request.user, meeting)
        .select_related("presenter", "municipality")
        .prefetch_related(
            Prefetch("files", access.files_visible_to(request.user).order_by("pk")),
            "decisions",
            "actions",
            Prefetch("consultations", paper_steps, to_attr="paper_steps"),
        )
    )
    rows = numbered_agenda(meeting, items)
    seen = None
    for row in rows:  # "Offene Aufgaben" lists actions of earlier meetings: only of items the user sees
        if row.open_actions:
            if seen is None:
                seen = set(access.agenda_items_visible_to(request.user).values_list("pk", flat=True))
            row.open_actions = [a for a in row.open_actions if a.agenda_item_id in seen]
    return rows


def meeting_detail(request, pk: int):
    try:
        meeting = access.get_meeting_for_user(request.user, pk)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    user = request.user
    internal = access.sees_internal(user, meeting.body_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    person = access.person_of(user)
    context = {
        "meeting": meeting,
        "agenda": _agenda(request, meeting),
        "internal": internal,
        "can_manage": access.can_manage(user),
        "can_order": access.can_order_agenda(user, meeting.body_id),
        "minutes": minutes if access.minutes_visible(user, minutes) else None,
        "files": list(access.files_visible_to(user).filter(meeting=meeting).order_by("role", "public", "pk")),
    }
    context["invitation_sent_file"] = any(f.role == MeetingFile.Role.INVITATION for f in context["files"])
    if internal and person and meeting.status in {MeetingStatus.SCHEDULED, MeetingStatus.INVITED}:
        own = Reply.objects.filter(meeting=meeting, person=person).first()
        context["own_reply"] = own
        context["reply_form"] = ReplyForm(
            initial={"answer": own.answer, "comment": own.comment, "deputy_name": own.deputy_name} if own else {}
        )
    if internal:
        rows = representation(meeting)
        if meeting.status in {MeetingStatus.SCHEDULED, MeetingStatus.INVITED} or any(row["answered"] for row in rows):
            context["representation"] = rows
            context["represented_count"] = sum(1 for row in rows if row["represented"])
        context["notice_short"] = notice_too_short(meeting)
    if context["can_manage"] and meeting.invitation_sent_at:
        context["reply_overview"] = reply_overview(meeting)
    if context["minutes"] and context["minutes"].status == Minutes.Status.CIRCULATED and person:
        context["objection_form"] = ObjectionForm()
    if context["minutes"]:
        context["revisions"] = _revisions_shown(user, context["minutes"])
        corrected = {}
        for revision in context["revisions"]:
            if revision.agenda_item_id:
                corrected.setdefault(revision.agenda_item_id, []).append(revision)
        for row in context["agenda"]:
            row.corrections = corrected.get(row.item.pk, [])
    context["agenda_frozen"] = rules.agenda_frozen(meeting)
    context["can_hold"] = context["can_manage"] and rules.hold_problem(meeting) is None
    return render(request, "meetings/detail.html", context)


def _revisions_shown(user, minutes: Minutes) -> list:
    """Corrections of the minutes as ``user`` may read them: one of an item the user does not see stays hidden."""
    revisions = list(minutes.revisions.select_related("agenda_item"))
    seen = None
    shown = []
    for revision in revisions:
        if revision.agenda_item_id:
            if seen is None:
                seen = set(access.visible_agenda(user, minutes.meeting).values_list("pk", flat=True))
            if revision.agenda_item_id not in seen:
                continue
        shown.append(revision)
    return shown


@office_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    cancel_meeting(request.user, meeting)
    messages.success(request, _("Die Sitzung ist abgesagt."))
    return redirect(meeting)


@login_required
def meeting_ics(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "PUBLISH"
    ics = build_ics(meeting, method=method, sequence=meeting.ical_sequence, agenda=_agenda(request, meeting))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sitzung-{meeting.pk}.ics"'
    return response


def document(request, pk: int):
    f = access.get_file_for_user(request.user, pk)
    held = held_response(f.content.name)
    if held is not None:
        return held
    try:
        handle = open_for_reading(f.content)
    except StorageUnavailable:
        return unavailable_response()
    except OSError:
        raise Http404 from None
    return FileResponse(handle, filename=f.file_name, content_type=f.mime_type)
