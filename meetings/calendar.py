"""Meetings as calendar entries: in the personal calendar ("Mein Kalender" and the secret iCal feed), as the
.ics download and in every invitation mail (iTIP REQUEST/CANCEL).

All of them are serialised by ``calendar_events.ical`` (the one serialiser for events and meetings) from the
same :class:`MeetingEntry`, so feed, download and invitation agree on UID, SEQUENCE, times, summary and place.

A person sees the meetings of the bodies they are invited to (the same seats as the invitation: members,
deputies, speakers and office seats of the body), once they are no longer drafts; cancelled meetings
drop out. Each entry carries the invitation's UID and SEQUENCE, so a calendar app that has the
invitation and subscribes to the feed keeps one entry. A meeting from a date poll has its poll event's
UID, and this source is registered with a higher priority, so the meeting replaces that event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from calendar_events import ical
from meetings import access
from meetings.agenda.numbering import AgendaRow
from meetings.invitations.recipients import RECIPIENT_ROLES
from meetings.models import Meeting, MeetingStatus
from members.models import Membership, Person

HIDDEN = [MeetingStatus.DRAFT, MeetingStatus.CANCELLED]


@dataclass
class MeetingEntry:
    """A meeting in the shape of a calendar event (what calendar_events.ical and the list template read)."""

    meeting: Meeting
    uid: str
    sequence: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    online_url: str
    description: str
    modified: dt.datetime
    calendar_name: str

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


def ical_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting: every update and the cancellation carry the same UID."""
    return f"{meeting.ical_uid}@interkommunal"


def place_of(meeting: Meeting) -> str:
    """The venue with its address, else the host city."""
    if meeting.location:
        return ", ".join(p for p in (str(meeting.location), meeting.location.address) if p)
    if meeting.host_municipality:
        return meeting.host_municipality.short_name
    return ""


def entry(meeting: Meeting, *, sequence: int | None = None, agenda: Sequence[AgendaRow] | None = None) -> MeetingEntry:
    """The meeting as a calendar entry; ``sequence`` of a dispatch (else the meeting's), ``agenda`` as the
    description (numbered titles; else the meeting's title)."""
    lines = [f"{row.number}. {row.item.title}" for row in agenda or []]
    return MeetingEntry(
        meeting=meeting,
        uid=ical_uid(meeting),
        sequence=meeting.ical_sequence if sequence is None else sequence,
        title=f"{meeting.body.name}: {meeting.title}",
        starts_at=meeting.start,
        ends_at=meeting.end,
        location=place_of(meeting),
        online_url="",
        description="\n".join(lines) or meeting.title,
        modified=meeting.modified,
        calendar_name=meeting.body.name,
    )


def bodies_of(user: Any) -> list[int]:
    return list(
        Membership.objects.current(timezone.localdate())
        .filter(person__user=user, person__is_active=True, role__in=RECIPIENT_ROLES)
        .values_list("body_id", flat=True)
    )


def personal_meetings(user: Any, start: dt.datetime, end: dt.datetime) -> list[MeetingEntry]:
    """Non-draft, not cancelled meetings of the user's bodies between ``start`` and ``end``."""
    bodies = bodies_of(user)
    if not bodies:
        return []
    meetings: QuerySet[Meeting] = (
        access.meetings_visible_to(user)
        .filter(body_id__in=bodies, end__gt=start, start__lt=end)
        .exclude(status__in=HIDDEN)
        .select_related("body", "location", "host_municipality")
        .order_by("start", "pk")
    )
    return [entry(m) for m in meetings]


def build_ics(
    meeting: Meeting,
    *,
    method: str,
    sequence: int,
    attendees: Iterable[Person] = (),
    agenda: Sequence[AgendaRow] | None = None,
) -> str:
    """The meeting as .ics: REQUEST (invitation), CANCEL (cancellation) or PUBLISH (download), through the
    one serialiser; the managing office is the organiser."""
    data = ical.calendar_ics(
        entry(meeting, sequence=sequence, agenda=agenda),
        method=method,
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        attendees=[(person.full_name, person.email) for person in attendees],
        organizer=(str(_("Geschäftsführung")), settings.MANAGING_OFFICE_EMAIL),
    )
    return data.decode()


def ics_part(ics: str, method: str) -> MIMEText:
    """The .ics as a text/calendar part with its iTIP method, as mail clients expect."""
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="einladung.ics")
    return part
