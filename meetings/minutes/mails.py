"""Worker job that sends circulated minutes to the attendees."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from lib.mail import send_templated_mail
from meetings.models import Minutes


@task()
def send_minutes_circulation(minutes_id: int) -> int:
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
