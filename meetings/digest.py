"""The digest before a meeting: one short mail per person with what to do before it.

"Regiegruppe am 12. März in Herne: Frist für Tagesordnungsvorschläge in 5 Tagen; 3 Unterlagen zu lesen;
2 offene Aufgaben für Ihre Stadt". Idempotent: ``DigestSent`` remembers who got the mail for which meeting,
so the job may run as often as the scheduler likes (management command ``meeting_digest`` or the worker task).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from lib.mail import send_templated_mail
from meetings.invitations.recipients import recipients
from meetings.minutes.actions import approve_due_minutes
from meetings.models import ActionItem, AgendaItem, DigestSent, Meeting, MeetingFile, MeetingStatus

DAYS_AHEAD = 14


def digest_line(meeting: Meeting, person, today: dt.date) -> str:
    start = timezone.localtime(meeting.start)
    parts = []
    head = f"{meeting.body.name} {_('am')} {formats.date_format(start, 'MONTH_DAY_FORMAT')}"
    if meeting.host_municipality:
        head += f" {_('in')} {meeting.host_municipality.short_name}"
    if meeting.agenda_deadline and meeting.agenda_deadline >= today:
        days = (meeting.agenda_deadline - today).days
        parts.append(
            ngettext("Frist für Tagesordnungsvorschläge in %(n)d Tag", "Frist für Tagesordnungsvorschläge in %(n)d Tagen", days)
            % {"n": days}
        )
    documents = (
        MeetingFile.objects.alive()
        .filter(
            Q(meeting=meeting)
            | Q(
                agenda_item__meeting=meeting, agenda_item__status=AgendaItem.Status.ACCEPTED, agenda_item__deleted_at__isnull=True
            )
        )
        .count()
    )
    parts.append(ngettext("%(n)d Unterlage zu lesen", "%(n)d Unterlagen zu lesen", documents) % {"n": documents})
    open_actions = ActionItem.objects.open().filter(body=meeting.body)
    if person.municipality_id:
        count = open_actions.filter(
            Q(municipality_id=person.municipality_id) | Q(assignee__municipality_id=person.municipality_id)
        ).count()
        parts.append(
            ngettext("%(n)d offene Aufgabe für Ihre Stadt", "%(n)d offene Aufgaben für Ihre Stadt", count) % {"n": count}
        )
    else:
        count = open_actions.filter(assignee=person).count()
        parts.append(ngettext("%(n)d offene Aufgabe für Sie", "%(n)d offene Aufgaben für Sie", count) % {"n": count})
    return f"{head}: " + "; ".join(parts)


def send_due_digests(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    meetings = (
        Meeting.objects.alive()
        .filter(
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.INVITED],
            start__gt=now,
            start__lte=now + dt.timedelta(days=DAYS_AHEAD),
        )
        .select_related("body", "host_municipality")
    )
    sent = 0
    for meeting in meetings:
        for person in recipients(meeting):
            try:
                with transaction.atomic():
                    DigestSent.objects.create(meeting=meeting, person=person)
                    send_templated_mail(
                        "meeting_digest",
                        [person.email],
                        {
                            "meeting": meeting,
                            "person": person,
                            "line": digest_line(meeting, person, today),
                            "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
                        },
                    )
            except IntegrityError:
                continue
            sent += 1
    return sent


def run_daily(today: dt.date | None = None) -> dict[str, int]:
    """The daily job (notifications scheduler, NOTIFICATIONS_DAILY_JOBS, and ``manage.py meeting_digest``):
    the digests before meetings and, in window mode, the approval of minutes whose window passed.
    Both parts are idempotent, so running it twice a day sends nothing twice."""
    return {"digests": send_due_digests(), "approved": approve_due_minutes()}


@task()
def send_digests() -> int:
    return send_due_digests()
