"""Invitation pages: preview with the covering text, sending, guests, reminders, the invitation PDF, and replies (on
the meeting page with an account, or through a personal link without one).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from lib.errors import add_to_form, add_to_messages
from meetings import access, pdfs
from meetings.agenda.numbering import numbered_agenda
from meetings.forms import GuestForm, GuestReplyForm, InvitationForm, ReplyForm
from meetings.invitations.actions import (
    add_guest,
    notice_too_short,
    preview_dispatch,
    remind_unanswered,
    remove_guest,
    reply,
    send_invitation,
)
from meetings.invitations.changes import last_invitation
from meetings.invitations.mails import invitation_context
from meetings.invitations.recipients import recipients
from meetings.models import AgendaItem, Meeting, MeetingStatus


def _invitation_page(request, meeting: Meeting, form: InvitationForm, *, preview=None, guest_form=None, status=200):
    people = recipients(meeting)
    guests = list(meeting.guests.all())
    last = last_invitation(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "guest_form": guest_form or GuestForm(),
        "recipients": people,
        "with_account": sum(1 for p in people if p.user_id and p.user.is_active),
        "guests": guests,
        "total": len(people) + len(guests),
        "notice_short": notice_too_short(meeting),
        "update": last is not None,
        "dispatches": meeting.dispatches.all()[:10],
        "preview": preview,
    }
    return render(request, "meetings/invitations/invite.html", context, status=status)


def _preview(meeting: Meeting, covering_text: str) -> dict:
    """The mail as the first member would get it, with a placeholder for the personal link."""
    dispatch = preview_dispatch(meeting, covering_text)
    items = meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "pk")
    people = recipients(meeting)
    context = {
        **invitation_context(meeting, dispatch, person=people[0] if people else None, agenda=numbered_agenda(meeting, items)),
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
    last = last_invitation(meeting)
    return _invitation_page(request, meeting, InvitationForm(initial={"covering_text": last.covering_text if last else ""}))


@office_required
@require_POST
def invitation_preview_pdf(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    form = InvitationForm(request.POST)
    text = form.cleaned_data["covering_text"] if form.is_valid() else ""
    response = HttpResponse(pdfs.invitation_pdf(meeting, covering_text=text), content_type="application/pdf")
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
        dispatch, warnings = send_invitation(request.user, meeting, covering_text=form.cleaned_data["covering_text"])
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
            guest = add_guest(request.user, meeting, **guest_form.cleaned_data)
        except ValidationError as exc:
            add_to_form(guest_form, exc)
        else:
            messages.success(
                request,
                _("%(name)s erhält die Einladung mit dem nächsten Versand, mit einem persönlichen Link.") % {"name": guest.name},
            )
            return redirect("meetings:invite", pk=meeting.pk)
    last = last_invitation(meeting)
    form = InvitationForm(initial={"covering_text": last.covering_text if last else ""})
    return _invitation_page(request, meeting, form, guest_form=guest_form, status=422)


@office_required
@require_POST
def guest_remove(request, pk: int, guest: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    found = access.get_guest_for_office(request.user, meeting, guest)
    remove_guest(request.user, found)
    messages.success(request, _("%(name)s ist nicht mehr eingeladen.") % {"name": found.name})
    return redirect("meetings:invite", pk=meeting.pk)


@office_required
@require_POST
def reply_reminder(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk, manage=True)
    try:
        count = remind_unanswered(request.user, meeting)
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
            reply(
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
        "agenda": numbered_agenda(meeting, items),
    }
    response = render(request, "meetings/invitations/reply_link.html", context, status=422 if form.errors else 200)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"  # no-referrer would make the POST's Origin "null" (CSRF)
    return response


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
            reply(person, meeting, data["answer"], data["comment"], deputy_name=data["deputy_name"], by=request.user)
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Danke, Ihre Rückmeldung ist gespeichert."))
    else:
        messages.error(request, _("Bitte wählen Sie eine Antwort."))
    return redirect(meeting)


@login_required
def invitation_pdf(request, pk: int):
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.sees_internal(request.user, meeting.body_id):
        raise Http404
    response = HttpResponse(pdfs.invitation_pdf(meeting, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="einladung-{meeting.pk}.pdf"'
    return response
