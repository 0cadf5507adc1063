"""Worker jobs that mail invitations, updates, cancellations and reply reminders (one mail per recipient,
each with their own iTIP part and personal reply link).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from lib.mail import send_templated_mail
from meetings import access
from meetings.agenda.numbering import numbered_agenda
from meetings.calendar import build_ics, ics_part
from meetings.invitations.changes import invitation_changes
from meetings.invitations.recipients import issue_reply_link, recipients
from meetings.models import AgendaItem, InvitationDispatch, Meeting, MeetingFile, MeetingStatus
from meetings.pdfs import store_invitation_pdf


def reply_url(token: str) -> str:
    return settings.SITE_URL + reverse("meetings:reply_link", args=[token])


def _public_agenda(meeting):
    return numbered_agenda(meeting, access.visible_agenda(access.ANONYMOUS, meeting).prefetch_related("files"))


def invitation_context(meeting, dispatch, *, person=None, guest=None, agenda, token: str = "", first: bool = False) -> dict:
    """What one invitation mail says (also the office's preview, with a placeholder link). ``first``: the
    recipient gets their first invitation (a guest added later), whatever was sent to the others before."""
    update = bool(dispatch and dispatch.is_update) and not first
    changes = list(dispatch.changes) if update else []
    if update and guest is not None:  # a guest reads only the public agenda: no word about the rest
        previous = meeting.dispatches.filter(method="REQUEST", sequence__lt=dispatch.sequence).order_by("-sequence").first()
        changes = invitation_changes(previous.facts, dispatch.facts, public_only=True) if previous else []
    return {
        "meeting": meeting,
        "person": person or guest,
        "guest": guest,
        "agenda": agenda,
        "update": update,
        "changes": changes,
        "covering_text": dispatch.covering_text if dispatch else "",
        "reply_url": reply_url(token) if token else "",
        "has_account": bool(person and person.user_id and person.user.is_active),
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
    }


@task()
def send_dispatch(dispatch_id: int, guest_ids: list[int] | None = None) -> int:
    """Mail one invitation dispatch (REQUEST or CANCEL) to every recipient, each with PDF and .ics.

    Members get the full agenda and PDF, guests the public ones; every invitation carries a fresh personal
    reply link (only its hash is stored). With ``guest_ids`` only those guests get it, as their first
    invitation (guests added after the invitation went out, see ``add_guest``).
    """
    dispatch = (
        InvitationDispatch.objects.select_related("meeting__body", "meeting__location", "meeting__host_municipality")
        .filter(pk=dispatch_id)
        .first()
    )
    if dispatch is None:
        return 0
    meeting = dispatch.meeting
    items = (
        meeting.agenda_items.alive()
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position", "pk")
        .prefetch_related("files")
    )
    agenda = numbered_agenda(meeting, items)
    public_agenda = _public_agenda(meeting)
    request = dispatch.method == "REQUEST"
    late_guests = guest_ids is not None
    members_pdf, public_pdf = [], []
    if request and not late_guests:
        pdf = store_invitation_pdf(meeting, covering_text=dispatch.covering_text)
        with pdf.content.open("rb") as fh:
            members_pdf.append((pdf.file_name, fh.read(), "application/pdf"))
    if request:
        public = MeetingFile.objects.alive().filter(meeting=meeting, role=MeetingFile.Role.INVITATION, public=True).first()
        if public is not None:
            with public.content.open("rb") as fh:
                public_pdf.append((public.file_name, fh.read(), "application/pdf"))
    template = "meeting_invitation" if request else "meeting_cancelled"
    sent = 0
    for person in [] if late_guests else recipients(meeting):
        token = issue_reply_link(meeting, person=person) if request else ""
        ics = build_ics(meeting, method=dispatch.method, sequence=dispatch.sequence, attendees=[person], agenda=agenda)
        send_templated_mail(
            template,
            [person.email],
            invitation_context(meeting, dispatch, person=person, agenda=agenda, token=token),
            attachments=[*members_pdf, ics_part(ics, dispatch.method)],
        )
        sent += 1
    guests = meeting.guests.filter(pk__in=guest_ids) if late_guests else meeting.guests.all()
    for guest in guests:
        token = issue_reply_link(meeting, guest=guest) if request else ""
        ics = build_ics(meeting, method=dispatch.method, sequence=dispatch.sequence, attendees=[guest], agenda=public_agenda)
        send_templated_mail(
            template,
            [guest.email],
            invitation_context(meeting, dispatch, guest=guest, agenda=public_agenda, token=token, first=late_guests),
            attachments=[*public_pdf, ics_part(ics, dispatch.method)],
        )
        sent += 1
    return sent


@task()
def send_reply_reminders(meeting_id: int, person_ids: list[int], guest_ids: list[int]) -> int:
    """Remind the invited who have not answered (``remind_unanswered``), each with a fresh link."""
    meeting = Meeting.objects.select_related("body", "location").filter(pk=meeting_id, deleted_at__isnull=True).first()
    if meeting is None or meeting.status != MeetingStatus.INVITED:
        return 0
    answered_people = set(meeting.replies.filter(person__isnull=False).values_list("person_id", flat=True))
    answered_guests = set(meeting.replies.filter(guest__isnull=False).values_list("guest_id", flat=True))
    people = [p for p in recipients(meeting) if p.pk in set(person_ids) - answered_people]
    guests = [g for g in meeting.guests.filter(pk__in=guest_ids) if g.pk not in answered_guests]
    for person in people:
        token = issue_reply_link(meeting, person=person)
        send_templated_mail(
            "meeting_reply_reminder",
            [person.email],
            invitation_context(meeting, None, person=person, agenda=[], token=token),
        )
    for guest in guests:
        token = issue_reply_link(meeting, guest=guest)
        send_templated_mail(
            "meeting_reply_reminder",
            [guest.email],
            invitation_context(meeting, None, guest=guest, agenda=[], token=token),
        )
    return len(people) + len(guests)
