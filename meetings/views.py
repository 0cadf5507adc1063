"""Pages of the meeting cycle. Every change goes through meetings.actions; every object through meetings.access."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from accounts.roles import is_office
from lib.concurrency import CONFLICT_MESSAGE, EditConflict
from members.models import Body

from . import access, actions, documents
from .forms import (
    AttendanceForm,
    CorrectionForm,
    DecisionFilterForm,
    ItemMinutesForm,
    LocationForm,
    MeetingForm,
    ObjectionForm,
    ProposalForm,
    ReplyForm,
)
from .models import ActionItem, AgendaItem, Decision, Meeting, MeetingFile, MeetingStatus, Minutes, Paper, Reply


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


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
        context["backlog"] = actions.backlog(body)
        context["open_actions"] = actions.open_actions(body)
        context["can_order"] = access.can_order_agenda(request.user, body)
    if context["can_manage"]:
        context["rotation"] = actions.host_rotation(body)
        context["series"] = actions.series_for(body)
    return render(request, "meetings/body.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, slug: str):
    body = access.get_body_for_meetings(request.user, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting, warnings = actions.create_meeting(
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
    suggestion = actions.propose_host(body)
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            warnings = actions.update_meeting(
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
        except EditConflict:
            form.add_error(None, CONFLICT_MESSAGE)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            if meeting.invitation_sent_at:
                messages.info(request, _("Die Einladung ist schon verschickt: Senden Sie die Änderung als Aktualisierung."))
            messages.success(request, _("Gespeichert."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "body": meeting.body, "meeting": meeting, "location_form": location_form},
    )


@office_required
@require_POST
def location_create(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    form = LocationForm(request.POST, prefix="ort")
    if form.is_valid():
        location = form.save()
        actions.set_host(request.user, meeting, meeting.host_municipality, location)
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
        nxt = actions.decline_host(request.user, meeting, meeting.host_municipality)
        messages.success(request, _("Vermerkt. Neue Gastgeberstadt: %(city)s.") % {"city": nxt or "–"})
    return redirect(meeting)


def _agenda(request, meeting: Meeting):
    items = (
        access.visible_agenda(request.user, meeting)
        .select_related("presenter", "municipality")
        .prefetch_related("files", "decisions", "actions")
    )
    return actions.numbered_agenda(meeting, items)


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
        "files": [
            f
            for f in meeting.files.alive()
            if internal or (f.public and (f.role != "minutes" or (minutes and minutes.status == "published")))
        ],
    }
    context["invitation_sent_file"] = any(f.role == MeetingFile.Role.INVITATION for f in context["files"])
    if internal and person and meeting.status in {MeetingStatus.SCHEDULED, MeetingStatus.INVITED}:
        own = Reply.objects.filter(meeting=meeting, person=person).first()
        context["own_reply"] = own
        context["reply_form"] = ReplyForm(initial={"answer": own.answer if own else None, "comment": own.comment if own else ""})
    if internal:
        rows = actions.representation(meeting)
        if meeting.status in {MeetingStatus.SCHEDULED, MeetingStatus.INVITED} or any(row["answered"] for row in rows):
            context["representation"] = rows
            context["represented_count"] = sum(1 for row in rows if row["represented"])
        context["notice_short"] = actions.notice_too_short(meeting)
    if context["minutes"] and context["minutes"].status == Minutes.Status.CIRCULATED and person:
        context["objection_form"] = ObjectionForm()
    return render(request, "meetings/detail.html", context)


@login_required
@require_POST
def meeting_reply(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    person = access.person_of(request.user)
    if person is None or not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        actions.reply(person, meeting, form.cleaned_data["answer"], form.cleaned_data["comment"])
        messages.success(request, _("Danke, Ihre Rückmeldung ist gespeichert."))
    else:
        messages.error(request, _("Bitte wählen Sie eine Antwort."))
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request, slug: str):
    body = access.get_body_for_meetings(request.user, slug, propose=True)
    person = access.person_of(request.user)
    form = ProposalForm(
        request.POST or None, request.FILES or None, body=body, initial={"municipality": person.municipality if person else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.propose_item(
                request.user,
                body,
                title=data["title"],
                description=data["description"],
                presenter=data["presenter"],
                municipality=data["municipality"],
                duration_minutes=data["duration_minutes"],
                public=data["public"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if data["document"]:
                raw = data["document"].read()
                f = MeetingFile(
                    agenda_item=item,
                    role=MeetingFile.Role.AUXILIARY,
                    name=data["document"].name.rsplit(".", 1)[0][:200],
                    file_name=data["document"].name[:200],
                    public=data["public"],
                )
                f.set_content(raw)
                f.content.save(f.file_name, ContentFile(raw), save=False)
                f.save()
            messages.success(request, _("Ihr Vorschlag steht jetzt in der Themenliste des Gremiums."))
            return redirect("meetings:body", slug=body.slug)
    return render(request, "meetings/proposal_form.html", {"form": form, "body": body})


@login_required
@require_http_methods(["GET", "POST"])
def agenda_manage(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, order=True)
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            version = int(request.POST.get("agenda_version", "0"))
        except ValueError:
            version = 0
        try:
            if op in {"up", "down"}:
                item = access.get_agenda_item_for_user(request.user, request.POST.get("item"), decide=True)
                if item.meeting_id != meeting.pk:
                    raise Http404
                actions.move_item(request.user, item, op, version)
            elif op in {"accept", "defer", "reject"}:
                item = access.get_agenda_item_for_user(request.user, request.POST.get("item"), decide=True)
                if item.body_id != meeting.body_id:
                    raise Http404
                actions.decide_item(request.user, item, op, meeting=meeting, expected_agenda_version=version)
            elif op == "template":
                actions.apply_template(request.user, meeting)
            else:
                raise Http404
        except EditConflict:
            messages.error(
                request,
                _(
                    "Die Tagesordnung wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie die aktuelle Reihenfolge und wiederholen Sie Ihre Änderung."
                ),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Die Tagesordnung ist aktualisiert."))
        return redirect("meetings:agenda", pk=meeting.pk)
    meeting.refresh_from_db()
    items = (
        meeting.agenda_items.alive()
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position", "pk")
        .select_related("presenter", "municipality")
    )
    return render(
        request,
        "meetings/agenda.html",
        {"meeting": meeting, "agenda": actions.numbered_agenda(meeting, items), "backlog": actions.backlog(meeting.body)},
    )


@office_required
@require_http_methods(["GET", "POST"])
def invitation_send(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            dispatch, warnings = actions.send_invitation(request.user, meeting)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("meetings:invite", pk=meeting.pk)
        for warning in warnings:
            messages.warning(request, warning)
        if dispatch.sequence:
            messages.success(request, _("Die aktualisierte Einladung geht an %(n)s Personen.") % {"n": dispatch.recipients})
        else:
            messages.success(request, _("Die Einladung geht an %(n)s Personen.") % {"n": dispatch.recipients})
        return redirect(meeting)
    return render(
        request,
        "meetings/invite.html",
        {
            "meeting": meeting,
            "recipients": actions.recipients(meeting),
            "notice_short": actions.notice_too_short(meeting),
            "update": bool(meeting.invitation_sent_at),
            "dispatches": meeting.dispatches.all()[:10],
        },
    )


@office_required
@require_POST
def meeting_cancel(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    actions.cancel_meeting(request.user, meeting)
    messages.success(request, _("Die Sitzung ist abgesagt."))
    return redirect(meeting)


@login_required
def invitation_pdf(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    response = HttpResponse(documents.invitation_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="einladung-{meeting.pk}.pdf"'
    return response


@login_required
def meeting_ics(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "PUBLISH"
    ics = documents.build_ics(meeting, method=method, sequence=meeting.ical_sequence, agenda=_agenda(request, meeting))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sitzung-{meeting.pk}.ics"'
    return response


def _item_forms(request, meeting):
    items = list(
        meeting.agenda_items.alive()
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position", "pk")
        .prefetch_related("decisions", "actions__assignee", "actions__municipality", "actions__task")
    )
    rows = actions.numbered_agenda(meeting, items)
    for row in rows:
        row.form = ItemMinutesForm(
            prefix=f"top{row.item.pk}", body=meeting.body, initial={"summary": row.item.summary, "result": row.item.result}
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def minutes_page(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    can_manage = access.can_manage(request.user)
    minutes = actions.minutes_for(meeting) if can_manage else Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    people = actions.recipients(meeting)
    if request.method == "POST":
        return _minutes_post(request, meeting, minutes, people, can_manage)
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "rows": _item_forms(request, meeting),
        "can_manage": can_manage,
        "attendance_form": AttendanceForm(people=people, initial={"attendees": list(minutes.attendees.all())}),
        "correction_form": CorrectionForm(),
        "objection_form": ObjectionForm(),
        "approval_mode": settings.MEETING_MINUTES_APPROVAL,
        "later_meetings": Meeting.objects.alive().filter(body=meeting.body, start__gt=meeting.start).order_by("start")[:5],
    }
    return render(request, "meetings/minutes.html", context)


def _minutes_post(request, meeting, minutes, people, can_manage):
    op = request.POST.get("op", "")
    person = access.person_of(request.user)
    try:
        if op == "object":
            form = ObjectionForm(request.POST)
            if not (form.is_valid() and person):
                raise ValidationError(_("Bitte beschreiben Sie Ihren Einwand."))
            actions.object_to_minutes(person, minutes, form.cleaned_data["text"])
            messages.success(request, _("Ihr Einwand ist eingetragen."))
            return redirect("meetings:minutes", pk=meeting.pk)
        if not can_manage:
            raise Http404
        if op == "attendance":
            form = AttendanceForm(request.POST, people=people)
            if form.is_valid():
                actions.record_attendance(request.user, minutes, list(form.cleaned_data["attendees"]))
        elif op == "item":
            item = meeting.agenda_items.alive().filter(pk=_as_int(request.POST.get("item"))).first()
            if item is None:
                raise Http404
            form = ItemMinutesForm(request.POST, prefix=f"top{item.pk}", body=meeting.body)
            if not form.is_valid():
                for field, errs in form.errors.items():
                    for err in errs:
                        messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {err}")
                return redirect("meetings:minutes", pk=meeting.pk)
            data = form.cleaned_data
            actions.save_item_minutes(request.user, item, summary=data["summary"], result=data["result"])
            if data["decision_text"]:
                actions.add_decision(request.user, item, data["decision_text"], data["decision_kind"] or Decision.Kind.DECISION)
            if data["action_description"]:
                actions.add_action(
                    request.user,
                    item,
                    data["action_description"],
                    assignee=data["action_assignee"],
                    municipality=data["action_municipality"],
                    due_date=data["action_due"],
                )
        elif op == "circulate":
            actions.circulate_minutes(request.user, minutes)
        elif op == "resolve":
            minutes.objections.filter(pk=_as_int(request.POST.get("objection"))).update(resolved=True)
        elif op == "approve":
            at = Meeting.objects.alive().filter(body=meeting.body, pk=_as_int(request.POST.get("at_meeting"))).first()
            actions.approve_minutes(request.user, minutes, at_meeting=at)
        elif op == "publish":
            actions.publish_minutes(request.user, minutes)
        elif op == "correct":
            form = CorrectionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Bitte nennen Sie Grund und Inhalt der Berichtigung."))
            actions.correct_minutes(request.user, minutes, reason=form.cleaned_data["reason"], change=form.cleaned_data["change"])
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Das Protokoll ist gespeichert."))
    return redirect("meetings:minutes", pk=meeting.pk)


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def minutes_pdf(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if not access.minutes_visible(request.user, minutes):
        raise Http404
    internal = access.sees_internal(request.user, meeting.body_id)
    response = HttpResponse(documents.minutes_pdf(minutes, public_only=not internal), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.pk}.pdf"'
    return response


def decision_register(request):
    form = DecisionFilterForm(request.GET or None)
    decisions = Decision.objects.select_related("agenda_item__meeting__body", "agenda_item__meeting__minutes").filter(
        agenda_item__deleted_at__isnull=True
    )
    user = request.user
    if not is_office(user):
        internal_bodies = [b.pk for b in Body.objects.all() if access.sees_internal(user, b)] if user.is_authenticated else []
        decisions = decisions.filter(
            Q(agenda_item__meeting__body_id__in=internal_bodies)
            | Q(agenda_item__public=True, agenda_item__meeting__minutes__status=Minutes.Status.PUBLISHED)
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
    return render(
        request,
        "meetings/register.html",
        {"form": form, "decisions": decisions.order_by("-agenda_item__meeting__start", "pk")[:200]},
    )


@login_required
@require_POST
def action_complete(request, pk: int):
    action = ActionItem.objects.select_related("assignee").filter(pk=_as_int(pk)).first()
    if action is None or not access.sees_internal(request.user, action.body_id):
        raise Http404
    person = access.person_of(request.user)
    if not (access.can_manage(request.user) or (person and action.assignee_id == person.pk)):
        raise Http404
    actions.complete_action(request.user, action)
    messages.success(request, _("Die Aufgabe ist als erledigt markiert."))
    return redirect("meetings:body", slug=action.body.slug)


def document(request, pk: int):
    f = MeetingFile.objects.alive().select_related("meeting", "agenda_item__meeting", "paper").filter(pk=_as_int(pk)).first()
    if f is None:
        raise Http404
    meeting = f.meeting or (f.agenda_item.meeting if f.agenda_item else None)
    body_id = meeting.body_id if meeting else (f.agenda_item.body_id if f.agenda_item else None)
    internal = body_id is not None and access.sees_internal(request.user, body_id)
    if f.paper_id:
        allowed = f.paper.deleted_at is None and (
            f.paper.public and f.public or access.sees_internal(request.user, f.paper.lead_body_id or 0)
        )
    elif f.agenda_item_id:
        allowed = internal or (
            f.public and f.agenda_item.public and meeting is not None and meeting.status != MeetingStatus.DRAFT
        )
    else:
        published = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.PUBLISHED).exists()
        allowed = internal or (
            f.public and meeting.status != MeetingStatus.DRAFT and (f.role != MeetingFile.Role.MINUTES or published)
        )
    if not allowed:
        raise Http404
    return FileResponse(f.content.open("rb"), filename=f.file_name, content_type=f.mime_type)


def paper_detail(request, pk: int):
    paper = Paper.objects.alive().filter(pk=_as_int(pk)).first()
    if paper is None or not (paper.public or is_office(request.user)):
        raise Http404
    consultations = paper.consultations.alive().select_related("body", "committee__municipality", "meeting")
    return render(
        request,
        "meetings/paper.html",
        {"paper": paper, "consultations": consultations, "files": paper.files.alive().filter(public=True)},
    )
