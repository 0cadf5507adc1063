"""Background jobs of the meeting cycle (run by the worker; enqueued on commit by meetings.actions)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from lib.mail import send_templated_mail


@task()
def send_dispatch(dispatch_id: int) -> int:
    """Mail one invitation dispatch (REQUEST or CANCEL) to every recipient, each with PDF and .ics."""
    from . import documents
    from .actions import numbered_agenda, recipients
    from .models import AgendaItem, InvitationDispatch

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
    attachments_common = []
    if dispatch.method == "REQUEST":
        pdf = documents.store_invitation_pdf(meeting)
        with pdf.content.open("rb") as fh:
            attachments_common.append((pdf.file_name, fh.read(), "application/pdf"))
    sent = 0
    for person in recipients(meeting):
        ics = documents.build_ics(meeting, method=dispatch.method, sequence=dispatch.sequence, attendees=[person], agenda=agenda)
        send_templated_mail(
            "meeting_cancelled" if dispatch.method == "CANCEL" else "meeting_invitation",
            [person.email],
            {
                "meeting": meeting,
                "person": person,
                "agenda": agenda,
                "update": dispatch.sequence > 0,
                "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
            },
            attachments=[*attachments_common, documents.ics_part(ics, dispatch.method)],
        )
        sent += 1
    return sent


@task()
def send_minutes_circulation(minutes_id: int) -> int:
    from .models import Minutes

    minutes = Minutes.objects.select_related("meeting__body").filter(pk=minutes_id).first()
    if minutes is None:
        return 0
    people = [p for p in minutes.attendees.exclude(email="") if p.is_active]
    for person in people:
        send_templated_mail(
            "minutes_circulated",
            [person.email],
            {
                "minutes": minutes,
                "meeting": minutes.meeting,
                "person": person,
                "meeting_url": settings.SITE_URL + minutes.meeting.get_absolute_url(),
            },
        )
    return len(people)


@task()
def send_digests() -> int:
    from .digest import send_due_digests

    return send_due_digests()
