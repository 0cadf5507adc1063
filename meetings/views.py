"""Pages of the meeting cycle. Every change goes through meetings.actions; every object through meetings.access."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from lib.concurrency import CONFLICT_MESSAGE, EditConflict
from lib.errors import add_to_form, add_to_messages
from members.models import Body

from . import access, actions, documents, rules
from .forms import (
    AttendanceForm,
    ConsultationForm,
    DecisionFilterForm,
    GuestForm,
    GuestReplyForm,
    InvitationForm,
    ItemMinutesForm,
    LocationForm,
    MeetingForm,
    ObjectionForm,
    PaperFileForm,
    PaperFilterForm,
    PaperForm,
    ProposalForm,
    ReplyForm,
)
from .models import ActionItem, AgendaItem, Consultation, Decision, Meeting, MeetingFile, MeetingStatus, Minutes, Reply


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
        location = actions.add_location(request.user, form.save(commit=False))
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
    rows = actions.numbered_agenda(meeting, items)
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
        rows = actions.representation(meeting)
        if meeting.status in {MeetingStatus.SCHEDULED, MeetingStatus.INVITED} or any(row["answered"] for row in rows):
            context["representation"] = rows
            context["represented_count"] = sum(1 for row in rows if row["represented"])
        context["notice_short"] = actions.notice_too_short(meeting)
    if context["can_manage"] and meeting.invitation_sent_at:
        context["reply_overview"] = actions.reply_overview(meeting)
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


@login_required
@require_POST
def meeting_reply(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    person = access.person_of(request.user)
    if person is None or not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.reply(person, meeting, data["answer"], data["comment"], deputy_name=data["deputy_name"], by=request.user)
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
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
            with transaction.atomic():
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
                if data["document"]:
                    document = data["document"]
                    actions.store_pdf(
                        document,
                        role=MeetingFile.Role.AUXILIARY,
                        public=data["public"],
                        name=document.name.rsplit(".", 1)[0],
                        agenda_item=item,
                    )
        except ValidationError as exc:
            add_to_form(form, exc, rename={"upload": "document"})
        else:
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
            add_to_messages(request, exc)
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
        {
            "meeting": meeting,
            "agenda": actions.numbered_agenda(meeting, items),
            "backlog": actions.backlog(meeting.body),
            "frozen": rules.agenda_frozen(meeting),
        },
    )


def _invitation_page(request, meeting: Meeting, form: InvitationForm, *, preview=None, guest_form=None, status=200):
    people = actions.recipients(meeting)
    guests = list(meeting.guests.all())
    last = actions.last_invitation(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "guest_form": guest_form or GuestForm(),
        "recipients": people,
        "with_account": sum(1 for p in people if p.user_id and p.user.is_active),
        "guests": guests,
        "total": len(people) + len(guests),
        "notice_short": actions.notice_too_short(meeting),
        "update": last is not None,
        "dispatches": meeting.dispatches.all()[:10],
        "preview": preview,
    }
    return render(request, "meetings/invite.html", context, status=status)


def _preview(meeting: Meeting, covering_text: str) -> dict:
    """The mail as the first member would get it, with a placeholder for the personal link."""
    from .tasks import invitation_context

    dispatch = actions.preview_dispatch(meeting, covering_text)
    items = meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "pk")
    people = actions.recipients(meeting)
    context = {
        **invitation_context(
            meeting, dispatch, person=people[0] if people else None, agenda=actions.numbered_agenda(meeting, items)
        ),
        "reply_url": _("[persönlicher Link der empfangenden Person]"),
        "site_url": settings.SITE_URL,
    }
    return {
        "subject": render_to_string("mail/meeting_invitation.subject.txt", context).strip(),
        "text": render_to_string("mail/meeting_invitation.txt", context).strip(),
        "update": dispatch.is_update,
        "changes": dispatch.changes,
    }


@office_required
@require_http_methods(["GET", "POST"])
def invitation_send(request, pk: int):
    """GET: the invitation page (covering text, recipients, guests); POST: the preview of mail and PDF."""
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if not form.is_valid():
            return _invitation_page(request, meeting, form, status=422)
        return _invitation_page(request, meeting, form, preview=_preview(meeting, form.cleaned_data["covering_text"]))
    last = actions.last_invitation(meeting)
    return _invitation_page(request, meeting, InvitationForm(initial={"covering_text": last.covering_text if last else ""}))


@office_required
@require_POST
def invitation_preview_pdf(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    form = InvitationForm(request.POST)
    text = form.cleaned_data["covering_text"] if form.is_valid() else ""
    response = HttpResponse(documents.invitation_pdf(meeting, covering_text=text), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="einladung-{meeting.pk}-vorschau.pdf"'
    return response


@office_required
@require_POST
def invitation_dispatch(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _invitation_page(request, meeting, form, status=422)
    try:
        dispatch, warnings = actions.send_invitation(request.user, meeting, covering_text=form.cleaned_data["covering_text"])
    except ValidationError as exc:
        add_to_form(form, exc)
        return _invitation_page(request, meeting, form, status=422)
    for warning in warnings:
        messages.warning(request, warning)
    if dispatch.is_update:
        messages.success(request, _("Die aktualisierte Einladung geht an %(n)s Personen.") % {"n": dispatch.recipients})
    else:
        messages.success(request, _("Die Einladung geht an %(n)s Personen.") % {"n": dispatch.recipients})
    return redirect(meeting)


@office_required
@require_POST
def guest_add(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    guest_form = GuestForm(request.POST)
    if guest_form.is_valid():
        try:
            guest = actions.add_guest(request.user, meeting, **guest_form.cleaned_data)
        except ValidationError as exc:
            add_to_form(guest_form, exc)
        else:
            messages.success(
                request,
                _("%(name)s erhält die Einladung mit dem nächsten Versand, mit einem persönlichen Link.") % {"name": guest.name},
            )
            return redirect("meetings:invite", pk=meeting.pk)
    last = actions.last_invitation(meeting)
    form = InvitationForm(initial={"covering_text": last.covering_text if last else ""})
    return _invitation_page(request, meeting, form, guest_form=guest_form, status=422)


@office_required
@require_POST
def guest_remove(request, pk: int, guest: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    found = access.get_guest_for_office(request.user, meeting, guest)
    actions.remove_guest(request.user, found)
    messages.success(request, _("%(name)s ist nicht mehr eingeladen.") % {"name": found.name})
    return redirect("meetings:invite", pk=meeting.pk)


@office_required
@require_POST
def reply_reminder(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    try:
        count = actions.remind_unanswered(request.user, meeting)
    except ValidationError as exc:
        add_to_messages(request, exc)
    else:
        messages.success(
            request,
            ngettext("%(n)s Person ohne Rückmeldung wird erinnert.", "%(n)s Personen ohne Rückmeldung werden erinnert.", count)
            % {"n": count},
        )
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def reply_by_link(request, token: str):
    """A member (with or without account) or a guest answers through their personal link, only for themselves."""
    link = access.get_reply_link(token)
    meeting = link.meeting
    mine = meeting.replies.filter(person=link.person) if link.person_id else meeting.replies.filter(guest=link.guest)
    own = mine.first()
    form_class = ReplyForm if link.person_id else GuestReplyForm
    initial = {"answer": own.answer, "comment": own.comment, "deputy_name": own.deputy_name} if own else {}
    form = form_class(request.POST or None, initial=initial)
    open_for_replies = meeting.status in {MeetingStatus.SCHEDULED, MeetingStatus.INVITED}
    if request.method == "POST" and open_for_replies and form.is_valid():
        data = form.cleaned_data
        try:
            actions.reply(
                link.person,
                meeting,
                data["answer"],
                data["comment"],
                deputy_name=data.get("deputy_name", ""),
                guest=link.guest,
                by=request.user,
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Danke, Ihre Rückmeldung ist gespeichert. Sie können sie über diesen Link ändern."))
            return redirect("meetings:reply_link", token=token)
    items = (
        meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "pk")
        if link.person_id
        else access.visible_agenda(access.ANONYMOUS, meeting)
    )
    context = {
        "meeting": meeting,
        "who": link.person or link.guest,
        "is_guest": link.guest_id is not None,
        "own_reply": own,
        "form": form if open_for_replies else None,
        "agenda": actions.numbered_agenda(meeting, items),
    }
    response = render(request, "meetings/reply_link.html", context, status=422 if form.errors else 200)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"  # no-referrer would make the POST's Origin "null" (CSRF)
    return response


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
    response = HttpResponse(documents.invitation_pdf(meeting, request.user), content_type="application/pdf")
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


def _item_forms(request, meeting, bound=None):
    """One form per accepted item; ``bound`` (item pk → form) keeps what was typed into a form that failed."""
    items = list(
        meeting.agenda_items.alive()
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position", "pk")
        .prefetch_related("decisions", "actions__assignee", "actions__municipality", "actions__task", "corrections")
    )
    rows = actions.numbered_agenda(meeting, items)
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
    pages (``cycle_views.minutes_step``).
    """
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    can_manage = access.can_manage(request.user)
    not_held = rules.held_problem(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None and can_manage and not not_held:
        minutes = actions.minutes_for(meeting)
    people = actions.recipients(meeting)
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
    return render(request, "meetings/minutes.html", context)


def _attendees_or_replies(meeting: Meeting, minutes: Minutes) -> list:
    """Recorded attendance, or — before any is recorded — the replies' forecast (``attendance_from_replies``)."""
    recorded = list(minutes.attendees.all())
    if recorded or minutes.is_locked:
        return recorded
    return actions.attendance_from_replies(meeting).present


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
                actions.object_to_minutes(person, minutes, form.cleaned_data["text"])
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
                actions.record_attendance(request.user, minutes, list(form.cleaned_data["attendees"]))
            except ValidationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Die Anwesenheit ist gespeichert."))
                return True
        bound["attendance"] = form
        return False
    if op == "item":
        item = meeting.agenda_items.alive().filter(pk=_as_int(request.POST.get("item"))).first()
        if item is None:
            raise Http404
        form = ItemMinutesForm(request.POST, prefix=f"top{item.pk}", body=meeting.body)
        if form.is_valid() and _save_item_minutes(request, item, form):
            messages.success(request, _("Der Eintrag zu „%(title)s“ ist gespeichert.") % {"title": item.title})
            return True
        bound["items"] = {item.pk: form}
        return False
    if op == "resolve":
        try:
            actions.resolve_objection(request.user, minutes, _as_int(request.POST.get("objection")))
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Der Einwand ist als erledigt markiert."))
        return True
    raise Http404


def _save_item_minutes(request, item: AgendaItem, form) -> bool:
    """Summary, result, a decision and an action of one item, all or nothing; errors land on the form."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            actions.save_item_minutes(
                request.user, item, summary=data["summary"], result=data["result"], expected_version=data.get("version")
            )
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
    except EditConflict:
        form.add_error(None, CONFLICT_MESSAGE)
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = AgendaItem.objects.get(pk=item.pk).version
        return False
    except ValidationError as exc:
        add_to_form(form, exc, rename={"text": "decision_text", "description": "action_description"})
        return False
    return True


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
    response = HttpResponse(documents.minutes_pdf(minutes, request.user), content_type="application/pdf")
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
    f = access.get_file_for_user(request.user, pk)
    return FileResponse(f.content.open("rb"), filename=f.file_name, content_type=f.mime_type)


# --- Papers (Vorlagen) -----------------------------------------------------------------------------
PAPERS_PER_PAGE = 25


def paper_list(request):
    form = PaperFilterForm(request.GET or None)
    papers = access.papers_visible_to(request.user).select_related("lead_body", "municipality")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            papers = papers.filter(Q(reference__icontains=data["q"]) | Q(name__icontains=data["q"]))
        if data["body"]:
            in_sequence = Consultation.objects.alive().filter(body=data["body"]).values("paper_id")
            papers = papers.filter(Q(lead_body=data["body"]) | Q(pk__in=in_sequence))
        if data["year"]:
            papers = papers.filter(date__year=data["year"])
        if data["paper_type"]:
            papers = papers.filter(paper_type=data["paper_type"])
        if data["municipality"]:
            papers = papers.filter(municipality=data["municipality"])
    page = Paginator(papers.order_by("-date", "reference"), PAPERS_PER_PAGE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "meetings/paper_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "can_manage": access.can_manage(request.user)},
    )


def paper_detail(request, pk: int):
    try:
        paper = access.get_paper_for_user(request.user, pk)
    except Http404:
        if not request.user.is_authenticated:  # a member following a link to a non-public paper signs in first
            return redirect_to_login(request.get_full_path())
        raise
    steps = (
        paper.consultations.alive()
        .select_related("body", "committee__municipality", "meeting", "agenda_item")
        .order_by("order", "pk")
    )
    visible_meetings = set(
        access.meetings_visible_to(request.user).filter(consultations__paper=paper).values_list("pk", flat=True)
    )
    return render(
        request,
        "meetings/paper.html",
        {
            "paper": paper,
            "consultations": steps,
            "visible_meetings": visible_meetings,
            "files": access.paper_files_visible(request.user, paper),
            "can_manage": access.can_manage(request.user),
        },
    )


def _paper_fields(data: dict) -> dict:
    return {
        name: data[name]
        for name in ("reference", "name", "paper_type", "date", "municipality", "lead_body", "description", "public")
    }


@office_required
@require_http_methods(["GET", "POST"])
def paper_create(request):
    form = PaperForm(request.POST or None, initial={"date": timezone.localdate(), "public": True})
    if request.method == "POST" and form.is_valid():
        try:
            paper = actions.create_paper(request.user, **_paper_fields(form.cleaned_data))
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Die Vorlage ist angelegt. Legen Sie jetzt die Beratungsfolge fest."))
            return redirect("meetings:paper_sequence", pk=paper.pk)
    return render(request, "meetings/paper_form.html", {"form": form, "creating": True})


@office_required
@require_http_methods(["GET", "POST"])
def paper_edit(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    initial = {name: getattr(paper, name) for name in ("reference", "name", "paper_type", "date", "description", "public")}
    initial.update(municipality=paper.municipality, lead_body=paper.lead_body, version=paper.version)
    form = PaperForm(request.POST or None, initial=initial, current_type=paper.paper_type)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_paper(request.user, paper, form.cleaned_data.get("version") or 0, **_paper_fields(form.cleaned_data))
        except EditConflict:
            form.add_error(None, CONFLICT_MESSAGE)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(paper)
    return render(request, "meetings/paper_form.html", {"form": form, "paper": paper})


@office_required
@require_http_methods(["GET", "POST"])
def paper_delete(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        actions.delete_paper(request.user, paper)
        messages.success(request, _("Die Vorlage %(ref)s ist gelöscht.") % {"ref": paper.reference})
        return redirect("meetings:papers")
    return render(request, "meetings/paper_delete.html", {"paper": paper})


def _step_fields(request, data: dict) -> dict:
    committee = data["committee"]
    if data["new_committee_name"]:
        committee = actions.add_external_committee(request.user, data["new_committee_municipality"], data["new_committee_name"])
    return {
        "body": data["body"],
        "committee": committee,
        "role": data["role"],
        "authoritative": data["authoritative"],
        "date": data["date"],
        "meeting": data["meeting"],
        "agenda_item": data["agenda_item"],
    }


SEQUENCE_CONFLICT = _(
    "Die Beratungsfolge wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie die aktuelle Reihenfolge und wiederholen Sie Ihre Änderung."
)


def _save_step(request, form, save) -> bool:
    """Run ``save(fields, version)`` for a valid step form; errors land on the form, warnings in messages."""
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            warnings = save(_step_fields(request, form.cleaned_data), form.cleaned_data["sequence_version"])
    except EditConflict:
        form.add_error(None, SEQUENCE_CONFLICT)
        return False
    except ValidationError as exc:
        add_to_form(form, exc)
        return False
    for warning in warnings:
        messages.warning(request, warning)
    return True


@office_required
@require_http_methods(["GET", "POST"])
def paper_sequence(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    form = ConsultationForm(initial={"sequence_version": paper.sequence_version})
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op == "add":
            form = ConsultationForm(request.POST)

            def add(fields, version):
                return actions.add_consultation(request.user, paper, version, **fields)[1]

            if _save_step(request, form, add):
                messages.success(request, _("Der Schritt ist der Beratungsfolge hinzugefügt."))
                return redirect("meetings:paper_sequence", pk=paper.pk)
        elif op in {"up", "down", "remove"}:
            step = paper.consultations.alive().filter(pk=_as_int(request.POST.get("step"))).first()
            if step is None:
                raise Http404
            try:
                if op == "remove":
                    actions.remove_consultation(request.user, step, _as_int(request.POST.get("sequence_version")))
                    messages.success(request, _("Der Schritt ist aus der Beratungsfolge entfernt."))
                else:
                    for warning in actions.move_consultation(
                        request.user, step, op, _as_int(request.POST.get("sequence_version"))
                    ):
                        messages.warning(request, warning)
                    messages.success(request, _("Die Reihenfolge ist gespeichert."))
            except EditConflict:
                messages.error(request, SEQUENCE_CONFLICT)
            except ValidationError as exc:
                add_to_messages(request, exc)
            return redirect("meetings:paper_sequence", pk=paper.pk)
        else:
            raise Http404
        paper.refresh_from_db()
        if SEQUENCE_CONFLICT in form.non_field_errors():
            # The page now shows the current sequence; the kept input can be sent again against it.
            form.data = form.data.copy()
            form.data["sequence_version"] = paper.sequence_version
    steps = paper.consultations.alive().select_related("body", "committee__municipality", "meeting", "agenda_item")
    return render(
        request,
        "meetings/paper_sequence.html",
        {
            "paper": paper,
            "steps": steps.order_by("order", "pk"),
            "visible_meetings": {step.meeting_id for step in steps if step.meeting_id},
            "form": form,
            "warnings": actions.sequence_warnings(paper),
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk: int, step: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    consultation = paper.consultations.alive().filter(pk=_as_int(step)).first()
    if consultation is None:
        raise Http404
    initial = {
        "body": consultation.body,
        "committee": consultation.committee,
        "role": consultation.role,
        "authoritative": consultation.authoritative,
        "date": consultation.date,
        "meeting": consultation.meeting,
        "agenda_item": consultation.agenda_item,
        "sequence_version": paper.sequence_version,
    }
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST":

        def update(fields, version):
            return actions.update_consultation(request.user, consultation, version, **fields)

        if _save_step(request, form, update):
            messages.success(request, _("Der Schritt ist gespeichert."))
            return redirect("meetings:paper_sequence", pk=paper.pk)
    return render(request, "meetings/consultation_form.html", {"paper": paper, "step": consultation, "form": form})


@office_required
@require_http_methods(["GET", "POST"])
def paper_files(request, pk: int):
    paper = access.get_paper_for_user(request.user, pk, manage=True)
    form = PaperFileForm()
    if request.method == "POST":
        op = request.POST.get("op", "upload")
        if op == "upload":
            form = PaperFileForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    actions.add_paper_file(
                        request.user, paper, data["upload"], name=data["name"], role=data["role"], public=data["public"]
                    )
                except ValidationError as exc:
                    add_to_form(form, exc)
                else:
                    messages.success(request, _("Die Datei ist hochgeladen."))
                    return redirect("meetings:paper_files", pk=paper.pk)
        elif op in {"public", "internal", "remove"}:
            document = paper.files.alive().filter(pk=_as_int(request.POST.get("file"))).first()
            if document is None:
                raise Http404
            if op == "remove":
                actions.soft_delete(request.user, document)
                messages.success(request, _("Die Datei „%(name)s“ ist entfernt.") % {"name": document.name})
            else:
                actions.set_paper_file_public(request.user, document, op == "public")
                messages.success(request, _("Gespeichert."))
            return redirect("meetings:paper_files", pk=paper.pk)
        else:
            raise Http404
    return render(
        request,
        "meetings/paper_files.html",
        {"paper": paper, "form": form, "files": paper.files.alive().order_by("-role", "name", "pk")},
    )
