"""Meetings themselves: the series and the host rotation, venues, creating, scheduling, moving and cancelling a meeting.

A confirmed date poll "für eine Sitzung" creates its draft here (``create_meeting_from_slot``, called by
``meetings.receivers``); the meeting takes over the poll event's UID so calendar apps keep one entry.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from lib.concurrency import save_versioned
from meetings import rules
from meetings.agenda.numbering import Status
from meetings.invitations.mails import send_dispatch
from meetings.invitations.recipients import recipients
from meetings.models import AgendaItem, HostDecline, InvitationDispatch, Location, Meeting, MeetingSeries, MeetingStatus
from meetings.pdfs import refresh_public_pdfs
from members.models import Body, Municipality


def series_for(body: Body) -> MeetingSeries:
    series, _created = MeetingSeries.objects.get_or_create(
        body=body,
        defaults={"meetings_per_year": body.meetings_per_year_max or 3, "rotating_host": body.rotating_host},
    )
    return series


def host_rotation(body: Body, *, on: dt.date | None = None) -> list[tuple[Municipality, dt.datetime | None]]:
    """Current member cities, the one that hosted least recently first (never hosted: first of all, e.g. Hagen).

    Ties go by name so the proposal is predictable. Held or planned meetings count; cancelled ones do not.
    """
    on = on or timezone.localdate()
    cities = list(Municipality.objects.active(on))
    last = dict(
        Meeting.objects.alive()
        .filter(body=body, host_municipality__isnull=False)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("host_municipality_id")
        .annotate(last=Max("start"))
        .values_list("host_municipality_id", "last")
    )
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    cities.sort(key=lambda c: (last.get(c.pk) or never, c.short_name))
    return [(c, last.get(c.pk)) for c in cities]


def propose_host(body: Body, meeting: Meeting | None = None) -> Municipality | None:
    """The fair next host: who hosted least recently and has not declined this meeting.

    A decline holds for one meeting only, so the city is asked again next time.
    """
    declined = set(meeting.host_declines.values_list("municipality_id", flat=True)) if meeting and meeting.pk else set()
    for city, _last in host_rotation(body):
        if city.pk not in declined:
            return city
    return None


@transaction.atomic
def decline_host(user, meeting: Meeting, municipality: Municipality, note: str = "") -> Municipality | None:
    """Record that a city declines this turn and propose (and set) the next one."""
    HostDecline.objects.get_or_create(meeting=meeting, municipality=municipality, defaults={"note": note})
    record(user, "meetings.host_declined", meeting, after={"municipality": municipality.short_name})
    if meeting.host_municipality_id == municipality.pk:
        nxt = propose_host(meeting.body, meeting)
        Meeting.objects.filter(pk=meeting.pk).update(host_municipality=nxt, version=F("version") + 1, modified=timezone.now())
        meeting.refresh_from_db()
    return meeting.host_municipality


@transaction.atomic
def add_location(user, location: Location) -> Location:
    """Store a new venue (built and validated by the venue form) with its audit entry."""
    location.save()
    record(user, "meetings.location_created", location, after=snapshot(location))
    return location


@transaction.atomic
def set_host(user, meeting: Meeting, municipality: Municipality | None, location: Location | None = None) -> None:
    """The managing office's override of the rotation."""
    before = snapshot(meeting)
    meeting.host_municipality = municipality
    if location is not None:
        meeting.location = location
    save_versioned(meeting, meeting.version, ["host_municipality_id", "location_id"])
    record(user, "meetings.host_set", meeting, before=before, after=snapshot(meeting))


def _validate_times(start: dt.datetime, end: dt.datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Beginn und Ende brauchen eine Zeitzone."))
    if end <= start:
        raise ValidationError({"end": _("Das Ende muss nach dem Beginn liegen.")})


def meeting_warnings(meeting: Meeting) -> list[str]:
    warnings = []
    clash = meeting.overlapping().first()
    if clash:
        warnings.append(_("Zur selben Zeit ist bereits eine Sitzung dieses Gremiums geplant: %(m)s.") % {"m": clash})
    return warnings


@transaction.atomic
def create_meeting(
    user,
    body: Body,
    *,
    start: dt.datetime,
    end: dt.datetime,
    title: str = "",
    host: Municipality | None = None,
    location: Location | None = None,
    status: str = MeetingStatus.DRAFT,
    agenda_deadline: dt.date | None = None,
) -> tuple[Meeting, list[str]]:
    """Create a meeting; the host is proposed from the rotation unless given. Returns warnings (clashes)."""
    _validate_times(start, end)
    series = series_for(body)
    meeting = Meeting(
        body=body,
        title=own_title(body, title) or _("Sitzung"),
        start=start,
        end=end,
        status=status,
        location=location,
        agenda_deadline=agenda_deadline
        or (timezone.localtime(start).date() - dt.timedelta(days=settings.MEETING_NOTICE_DAYS + 7)),
    )
    if host is None and series.rotating_host:
        host = propose_host(body)
    meeting.host_municipality = host
    meeting.full_clean(exclude=["location", "host_municipality"])
    meeting.save()
    record(user, "meetings.meeting_created", meeting, after=snapshot(meeting))
    return meeting, meeting_warnings(meeting)


def own_title(body: Body, title: str) -> str:
    """The meeting's own title, without the body's name in front: every channel shows "<body>: <title>"
    (page, calendar, mails, OParl), so a title such as "Regiegruppe: Herbsttreffen" (typical for a date
    poll) would show the body twice."""
    title = (title or "").strip()
    names = sorted({n for n in (body.name, body.short_name) if n}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for name in names:
            if title.casefold().startswith(name.casefold()):
                rest = title[len(name) :].lstrip()
                if rest[:1] in {":", "–", "-", "|", ","}:
                    title = rest[1:].strip()
                    changed = True
    return title


def location_from_text(text: str) -> tuple[Location | None, bool]:
    """The venue a date poll named ("Rathaus Bottrop, Raum 215"): a known one of that name, or a new one.

    A new venue belongs to the member city whose name the text contains, so the host city follows the place.
    """
    text = " ".join((text or "").split())[:200]
    if not text:
        return None, False
    known = [
        loc for loc in Location.objects.alive().select_related("municipality") if text.casefold().startswith(loc.name.casefold())
    ]
    if known:
        exact = [
            loc
            for loc in known
            if text.casefold() in {str(loc).casefold(), f"{loc}, {loc.address}".casefold(), loc.name.casefold()}
        ]
        return (exact or sorted(known, key=lambda loc: -len(loc.name)))[0], False
    city = next(
        (
            m
            for m in sorted(Municipality.objects.all(), key=lambda m: -len(m.short_name))
            if m.short_name and m.short_name.casefold() in text.casefold()
        ),
        None,
    )
    return Location.objects.create(name=text, municipality=city, locality=city.short_name if city else ""), True


def _uid_of(event) -> uuid.UUID | None:
    try:
        return uuid.UUID(event.uid.split("@", 1)[0])
    except (AttributeError, ValueError):
        return None


@transaction.atomic
def create_meeting_from_slot(
    body: Body, start: dt.datetime, end: dt.datetime, *, by=None, title: str = "", event=None, location_text: str = ""
) -> Meeting:
    """Integration point for date polls: the confirmed slot becomes a draft meeting of ``body``.

    Called once on confirmation (``meetings.receivers``); rotation proposes the host; the managing office
    completes the details. Clash warnings are in ``meeting_warnings(meeting)``.

    With ``event`` (the poll's calendar event, already mailed to the participants as .ics) the meeting
    takes over its UID and SEQUENCE: the invitation then updates that calendar entry instead of adding a
    second one, and the personal calendar shows the meeting in its place (see meetings/calendar.py).

    The place the poll named (``location_text``) stays the meeting's venue, and its city the host: the
    rotation proposes a host only when the poll named no member city.
    """
    location, created = location_from_text(location_text)
    if created:
        record(by, "meetings.location_from_poll", location, after=snapshot(location))
    host = location.municipality if location is not None else None
    meeting, _warnings = create_meeting(
        by, body, start=start, end=end, title=title, status=MeetingStatus.DRAFT, location=location, host=host
    )
    if event is not None:
        uid = _uid_of(event)
        Meeting.objects.filter(pk=meeting.pk).update(
            event=event, ical_uid=uid or meeting.ical_uid, ical_sequence=event.sequence, modified=timezone.now()
        )
        meeting.refresh_from_db()
        record(by, "meetings.meeting_from_poll", meeting, after={"event": event.pk, "uid": str(meeting.ical_uid)})
    return meeting


def _sync_event(meeting: Meeting) -> None:
    """Keep the poll's calendar event (same UID) at the meeting's time, so the workspace calendar stays true."""
    from calendar_events.actions import update_event
    from calendar_events.models import Event

    event = Event.objects.filter(pk=meeting.event_id).select_related("workspace").first()
    if event is None or event.workspace.is_archived:
        return
    if (event.starts_at, event.ends_at) != (meeting.start, meeting.end):
        update_event(None, event, event.version, starts_at=meeting.start, ends_at=meeting.end)


@transaction.atomic
def update_meeting(user, meeting: Meeting, expected_version: int, **fields) -> list[str]:
    before = snapshot(meeting)
    if "title" in fields:
        fields["title"] = own_title(meeting.body, fields["title"]) or meeting.title
    for name, value in fields.items():
        setattr(meeting, name, value)
    _validate_times(meeting.start, meeting.end)
    save_versioned(meeting, expected_version)
    record(user, "meetings.meeting_changed", meeting, before=before, after=snapshot(meeting))
    if meeting.event_id:
        _sync_event(meeting)
    return meeting_warnings(meeting)


@transaction.atomic
def schedule_meeting(user, meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.DRAFT:
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.SCHEDULED, modified=timezone.now(), version=F("version") + 1
        )
        meeting.refresh_from_db()
        record(user, "meetings.meeting_scheduled", meeting)


@transaction.atomic
def cancel_meeting(user, meeting: Meeting) -> InvitationDispatch | None:
    """Cancel; if invitations went out, everybody gets an iCalendar CANCEL with the next SEQUENCE."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    sequence = meeting.ical_sequence + 1 if meeting.invitation_sent_at else meeting.ical_sequence
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CANCELLED, ical_sequence=sequence, modified=timezone.now(), version=F("version") + 1
    )
    record(user, "meetings.meeting_cancelled", meeting)
    _drop_poll_event(meeting)
    if not meeting.invitation_sent_at:
        return None
    dispatch = InvitationDispatch.objects.create(
        meeting=meeting,
        method="CANCEL",
        sequence=sequence,
        recipients=len(recipients(meeting)) + meeting.guests.count(),
        sent_by=user,
    )

    transaction.on_commit(lambda: send_dispatch.enqueue(dispatch.pk))
    return dispatch


def _drop_poll_event(meeting: Meeting) -> None:
    """A cancelled meeting takes its poll's calendar event with it (the polls app mails its participants
    an iTIP CANCEL with the same UID, so the entry disappears from their calendars too)."""
    from calendar_events.actions import delete_event
    from calendar_events.models import Event

    event = Event.objects.filter(pk=meeting.event_id).select_related("workspace").first() if meeting.event_id else None
    if event is not None and not event.workspace.is_archived:
        delete_event(None, event)


def touch_meeting(pk: int) -> None:
    Meeting.objects.filter(pk=pk).update(modified=timezone.now())


def public_pdfs_follow(*meeting_ids) -> None:
    """What the public sees of these meetings changed: their stored public PDFs follow in this transaction."""
    refresh_public_pdfs(meeting_ids)


@transaction.atomic
def soft_delete(user, obj) -> None:
    """OParl forbids hard deletes: mark, bump ``modified`` (and the parent's through save())."""
    if isinstance(obj, AgendaItem) and obj.status == Status.ACCEPTED:
        rules.check_agenda_open(obj.meeting)
    obj.deleted_at = timezone.now()
    obj.save()
    record(user, "meetings.deleted", obj)
    if isinstance(obj, AgendaItem):
        public_pdfs_follow(obj.meeting_id)
