"""iCalendar (RFC 5545): the one serialiser for calendar events and meetings — a download, the personal feed,
and iTIP REQUEST/CANCEL for mails.

Everything that reaches a calendar app goes through ``calendar_ics``/``_vevent``: an ``Event`` and a meeting
(``meetings.calendar.MeetingEntry``, with the UID its poll event had) are both a :class:`CalendarEntry`, so a
feed, a poll's confirmation and a meeting's invitation agree on UID, SEQUENCE, time zone and escaping.

Times are written with TZID=Europe/Berlin and a compact VTIMEZONE (the EU rule since 1996), as
Thunderbird and Outlook write them themselves. Every event keeps its UID for life; SEQUENCE comes
from the event, so calendar apps replace an older copy.

``icalendar`` escapes TEXT values and quotes parameters; user text goes through
``lib.contentlines.plain_text`` first so that line breaks other parsers see (a lone CR, U+2028 …)
arrive as one escaped newline, and URIs lose any white space. No .ics is assembled by hand.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vRecur
from icalendar import Event as ICalEvent

from lib.contentlines import plain_text, uri


class CalendarEntry(Protocol):
    """What a calendar entry needs: ``calendar_events.models.Event`` and ``meetings.calendar.MeetingEntry`` have it."""

    @property
    def uid(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime: ...
    @property
    def ends_at(self) -> dt.datetime: ...
    @property
    def location(self) -> str: ...
    @property
    def online_url(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def modified(self) -> dt.datetime | None: ...

    def get_absolute_url(self) -> str: ...


BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
PRODID = "-//Städtekooperation Integration.Interkommunal//Plattform//DE"


def berlin_vtimezone() -> Timezone:
    tz = Timezone()
    tz.add("tzid", "Europe/Berlin")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", dt.datetime(1981, 3, 29, 2, 0))  # noqa: DTZ001 - VTIMEZONE rules use local floating times
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", plain_text(name))
        cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(berlin_vtimezone())
    return cal


def _vevent(event: CalendarEntry, *, cancelled: bool = False, attendees: Iterable[tuple[str, str]] = ()) -> ICalEvent:
    item = ICalEvent()
    item.add("uid", event.uid)
    item.add("sequence", event.sequence)
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("last-modified", (event.modified or timezone.now()).astimezone(dt.UTC))
    item.add("dtstart", event.starts_at.astimezone(BERLIN))
    item.add("dtend", event.ends_at.astimezone(BERLIN))
    item.add("summary", plain_text(event.title))
    online_url = uri(event.online_url)
    description = plain_text(event.description).strip()
    if online_url:
        description = f"{description}\n\nOnline: {online_url}".strip()
    if description:
        item.add("description", description)
    if event.location or online_url:
        item.add("location", plain_text(event.location) or online_url)
    if online_url:
        item.add("url", online_url)
    else:
        item.add("url", settings.SITE_URL + event.get_absolute_url())
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    for name, email in attendees:
        item.add(
            "attendee", uri(f"mailto:{email}"), parameters={"CN": plain_text(name), "ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"}
        )
    return item


def _organizer(item: ICalEvent, organizer: tuple[str, str] | None = None) -> None:
    """The organiser (name, e-mail); by default the platform's sender address."""
    name, email = organizer or ("Interkommunal", settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">"))
    item.add("organizer", uri(f"mailto:{email}"), parameters={"CN": plain_text(name)})


def calendar_ics(
    entry: CalendarEntry,
    *,
    method: str | None = None,
    cancelled: bool = False,
    attendees: Iterable[tuple[str, str]] = (),
    organizer: tuple[str, str] | None = None,
) -> bytes:
    """One entry as a calendar file. With ``method`` REQUEST or CANCEL it is an iTIP message for a mail (with the
    organiser); PUBLISH or none is a file to import. CANCEL always marks the entry cancelled."""
    cal = _calendar(method)
    item = _vevent(entry, cancelled=cancelled or method == "CANCEL", attendees=attendees)
    if method in {"REQUEST", "CANCEL"}:
        _organizer(item, organizer)
    cal.add_component(item)
    return bytes(cal.to_ical())


def event_ics(event: CalendarEntry) -> bytes:
    """The event as a file to download (no METHOD: calendar apps import it)."""
    return calendar_ics(event)


def invitation_ics(
    event: CalendarEntry, attendees: Iterable[tuple[str, str]] = (), organizer: tuple[str, str] | None = None
) -> bytes:
    """iTIP REQUEST for a mail: adds or, with a higher SEQUENCE, updates the event in the recipient's calendar."""
    return calendar_ics(event, method="REQUEST", attendees=attendees, organizer=organizer)


def cancellation_ics(
    event: CalendarEntry, attendees: Iterable[tuple[str, str]] = (), organizer: tuple[str, str] | None = None
) -> bytes:
    """iTIP CANCEL: removes the event (same UID, SEQUENCE above the last one sent)."""
    return calendar_ics(event, method="CANCEL", attendees=attendees, organizer=organizer)


def feed_ics(events: Iterable[CalendarEntry], name: str) -> bytes:
    cal = _calendar(name=name)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for event in events:
        cal.add_component(_vevent(event))
    return bytes(cal.to_ical())
