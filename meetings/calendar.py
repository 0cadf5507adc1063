"""The meetings in the personal calendar ("Mein Kalender" and the secret iCal feed).

A person sees the meetings of the bodies they are invited to (the same seats as the invitation: members,
deputies, speakers and office seats of the body), once they are no longer drafts; cancelled meetings
drop out. Each entry carries the invitation's UID and SEQUENCE, so a calendar app that has the
invitation and subscribes to the feed keeps one entry. A meeting from a date poll has its poll event's
UID, and this source is registered with a higher priority, so the meeting replaces that event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from members.models import Membership

from .documents import ical_uid
from .models import Meeting, MeetingStatus

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


def entry(meeting: Meeting) -> MeetingEntry:
    place = ""
    if meeting.location:
        place = ", ".join(p for p in (str(meeting.location), meeting.location.address) if p)
    elif meeting.host_municipality:
        place = meeting.host_municipality.short_name
    return MeetingEntry(
        meeting=meeting,
        uid=ical_uid(meeting),
        sequence=meeting.ical_sequence,
        title=f"{meeting.body.name}: {meeting.title}",
        starts_at=meeting.start,
        ends_at=meeting.end,
        location=place,
        online_url="",
        description=meeting.title,
        modified=meeting.modified,
        calendar_name=meeting.body.name,
    )


def bodies_of(user) -> list[int]:
    from .actions import RECIPIENT_ROLES

    return list(
        Membership.objects.current(timezone.localdate())
        .filter(person__user=user, person__is_active=True, role__in=RECIPIENT_ROLES)
        .values_list("body_id", flat=True)
    )


def personal_meetings(user, start: dt.datetime, end: dt.datetime) -> list[MeetingEntry]:
    """Non-draft, not cancelled meetings of the user's bodies between ``start`` and ``end``."""
    bodies = bodies_of(user)
    if not bodies:
        return []
    from .access import meetings_visible_to

    meetings = (
        meetings_visible_to(user)
        .filter(body_id__in=bodies, end__gt=start, start__lt=end)
        .exclude(status__in=HIDDEN)
        .select_related("body", "location", "host_municipality")
        .order_by("start", "pk")
    )
    return [entry(m) for m in meetings]
