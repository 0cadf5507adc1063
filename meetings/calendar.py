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
from email.mime.text import MIMEText

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from lib.contentlines import plain_text, uri
from meetings import access
from meetings.invitations.recipients import RECIPIENT_ROLES
from meetings.models import Meeting, MeetingStatus
from members.models import Membership

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

    meetings = (
        access.meetings_visible_to(user)
        .filter(body_id__in=bodies, end__gt=start, start__lt=end)
        .exclude(status__in=HIDDEN)
        .select_related("body", "location", "host_municipality")
        .order_by("start", "pk")
    )
    return [entry(m) for m in meetings]


def ical_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting: every update and the cancellation carry the same UID."""
    return f"{meeting.ical_uid}@interkommunal"


def build_ics(meeting: Meeting, *, method: str, sequence: int, attendees: list = (), agenda: list | None = None) -> str:
    cal = Calendar()
    cal.add("prodid", "-//Integration.Interkommunal//Sitzungen//DE")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", ical_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.start))
    event.add("dtend", timezone.localtime(meeting.end))
    event.add("summary", plain_text(f"{meeting.body.name}: {meeting.title}"))
    if meeting.location:
        event.add("location", plain_text(", ".join(p for p in (str(meeting.location), meeting.location.address) if p)))
    lines = [plain_text(f"{row.number}. {row.item.title}") for row in agenda or []]
    event.add("description", "\n".join(lines) or plain_text(meeting.title))
    event.add("status", "CANCELLED" if method == "CANCEL" or meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    organizer = vCalAddress(uri(f"mailto:{settings.MANAGING_OFFICE_EMAIL}"))
    organizer.params["cn"] = vText(_("Geschäftsführung"))
    event["organizer"] = organizer
    for person in attendees:
        address = vCalAddress(uri(f"mailto:{person.email}"))
        address.params["cn"] = vText(plain_text(person.full_name))
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def ics_part(ics: str, method: str) -> MIMEText:
    """The .ics as a text/calendar part with its iTIP method, as mail clients expect."""
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="einladung.ics")
    return part
