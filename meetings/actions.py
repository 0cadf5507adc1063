"""Everything that changes meetings goes through here: views, commands, the demo and tests alike.

Integration points with other apps (see meetings/README.md, "Integration points"):

* ``create_meeting_from_slot(body, start, end, *, by=None, title="", event=None)`` — a confirmed date
  poll "für eine Sitzung" creates the meeting as a draft (``meetings.receivers`` calls it); the meeting
  takes over the calendar event's UID so calendar apps keep one entry.
* ``ActionItem`` — created by ``add_action`` together with its task in the body's workspace; whether it
  is done lives only in that task (``complete_action`` sets the task done).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from lib.concurrency import bump_counter, save_versioned
from members.models import Body, Membership, Municipality, Person

from . import rules
from .models import (
    ActionItem,
    AgendaItem,
    Consultation,
    Decision,
    ExternalCommittee,
    HostDecline,
    InvitationDispatch,
    Location,
    Meeting,
    MeetingFile,
    MeetingGuest,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    Objection,
    Paper,
    Reply,
    ReplyLink,
    agenda_numbers,
    agenda_timings,
    touch_linked_agenda,
)

Status = AgendaItem.Status
Kind = AgendaItem.Kind
STANDING_FIRST = [Kind.WELCOME, Kind.MINUTES, Kind.OPEN_ACTIONS]
STANDING_LAST = [Kind.AOB]
RECIPIENT_ROLES = [
    Membership.Role.SPEAKER,
    Membership.Role.DEPUTY_SPEAKER,
    Membership.Role.MEMBER,
    Membership.Role.DEPUTY_MEMBER,
    Membership.Role.MANAGING_OFFICE,
]


# --- Series and host rotation ------------------------------------------------------------------
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


# --- Meetings ----------------------------------------------------------------------------------
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


# --- Agenda ------------------------------------------------------------------------------------
@transaction.atomic
def propose_item(
    user,
    body: Body,
    *,
    title: str,
    description: str = "",
    presenter: Person | None = None,
    municipality: Municipality | None = None,
    duration_minutes: int = 15,
    public: bool = True,
    meeting: Meeting | None = None,
) -> AgendaItem:
    """A member's proposal goes into the body's backlog (or straight to a meeting's proposals)."""
    item = AgendaItem(
        body=body,
        meeting=meeting,
        title=title,
        description=description,
        presenter=presenter,
        municipality=municipality,
        duration_minutes=duration_minutes,
        public=public,
        proposed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    item.full_clean(exclude=["proposed_by", "presenter", "municipality", "meeting"])
    item.clean()
    item.save()
    record(user, "meetings.item_proposed", item, after=snapshot(item))
    return item


def _next_position(meeting: Meeting) -> int:
    """After the last accepted item, but before "Verschiedenes", which stays last."""
    accepted = meeting.agenda_items.alive().filter(status=Status.ACCEPTED)
    top = accepted.exclude(kind=Kind.AOB).aggregate(m=Max("position"))["m"]
    position = (top or 0) + 10
    aob = accepted.filter(kind=Kind.AOB).aggregate(m=Min("position"))["m"]
    if aob is not None and position >= aob:
        AgendaItem.objects.filter(meeting=meeting, kind=Kind.AOB).update(position=position + 10)
    return position


def _bump_agenda(meeting: Meeting, expected: int | None) -> None:
    """Take the agenda lock: the order changed since the editor loaded it → EditConflict."""
    bump_counter(meeting, "agenda_version", expected)


@transaction.atomic
def decide_item(
    user, item: AgendaItem, decision: str, *, meeting: Meeting | None = None, expected_agenda_version: int | None = None
) -> None:
    """accept (onto ``meeting``), defer (to the next meeting's backlog) or reject a proposal."""
    before = snapshot(item)
    if decision == "accept":
        target = meeting or item.meeting
        if target is None:
            raise ValidationError(_("Bitte wählen Sie die Sitzung, auf deren Tagesordnung der Punkt kommt."))
        if target.body_id != item.body_id:
            raise ValidationError(_("Ein Tagesordnungspunkt gehört zur Sitzung seines Gremiums."))
        rules.check_agenda_open(target)
        _bump_agenda(target, expected_agenda_version)
        item.meeting = target
        item.status = Status.ACCEPTED
        item.position = _next_position(target)
    elif decision == "defer":
        old = item.meeting
        if old is not None:
            if item.status == Status.ACCEPTED:
                rules.check_agenda_open(old)
            _bump_agenda(old, expected_agenda_version)
        item.meeting = None
        item.status = Status.DEFERRED
    elif decision == "reject":
        if item.meeting_id and item.status == Status.ACCEPTED:
            rules.check_agenda_open(item.meeting)
            _bump_agenda(item.meeting, expected_agenda_version)
        item.status = Status.REJECTED
    else:
        raise ValidationError(_("Unbekannte Entscheidung."))
    item.save()
    record(user, f"meetings.item_{decision}", item, before=before, after=snapshot(item))
    _public_pdfs_follow(before.get("meeting_id"), item.meeting_id)


@transaction.atomic
def set_item_public(user, item: AgendaItem, public: bool) -> None:
    """Publish an agenda item or withdraw it from the public (pages, PDFs and OParl follow at once)."""
    before = snapshot(item)
    item.public = public
    item.save()
    record(user, "meetings.item_published" if public else "meetings.item_withdrawn", item, before=before, after=snapshot(item))
    _public_pdfs_follow(item.meeting_id)


def _public_pdfs_follow(*meeting_ids) -> None:
    """What the public sees of these meetings changed: their stored public PDFs follow in this transaction."""
    from .documents import refresh_public_pdfs

    refresh_public_pdfs(meeting_ids)


def backlog(body: Body):
    """Proposals waiting for a meeting: new and deferred ones."""
    return (
        AgendaItem.objects.alive()
        .filter(body=body, status__in=[Status.PROPOSED, Status.DEFERRED])
        .filter(Q(meeting__isnull=True) | ~Q(status=Status.ACCEPTED))
        .select_related("presenter", "municipality")
        .order_by("created", "pk")
    )


@transaction.atomic
def reorder_agenda(user, meeting: Meeting, ordered_ids: list[int], expected_agenda_version: int) -> None:
    """Put the accepted items in the given order. A stale ``expected_agenda_version`` raises EditConflict."""
    rules.check_agenda_open(meeting)
    items = {i.pk: i for i in meeting.agenda_items.alive().filter(status=Status.ACCEPTED)}
    if sorted(ordered_ids) != sorted(items):
        raise ValidationError(_("Die Tagesordnung hat sich geändert; bitte laden Sie die Seite neu."))
    _bump_agenda(meeting, expected_agenda_version)
    now = timezone.now()
    for index, pk in enumerate(ordered_ids):
        AgendaItem.objects.filter(pk=pk).update(position=(index + 1) * 10, modified=now)
    _touch_meeting(meeting.pk)  # after the items: a meeting is never older than what it embeds
    record(user, "meetings.agenda_reordered", meeting, after={"order": ordered_ids})


def move_item(user, item: AgendaItem, direction: str, expected_agenda_version: int) -> None:
    """One step up or down (the buttons without JavaScript)."""
    meeting = item.meeting
    order = list(
        meeting.agenda_items.alive().filter(status=Status.ACCEPTED).order_by("position", "pk").values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    reorder_agenda(user, meeting, order, expected_agenda_version)


ITEM_FIELDS = ["title", "description", "presenter_id", "municipality_id", "duration_minutes", "public", "was_public"]


def _check_item(item: AgendaItem) -> None:
    item.full_clean(exclude=["proposed_by", "presenter", "municipality", "meeting", "body"])
    item.clean()


@transaction.atomic
def add_item(
    user,
    meeting: Meeting,
    expected_agenda_version: int | None,
    *,
    title: str,
    description: str = "",
    presenter: Person | None = None,
    municipality: Municipality | None = None,
    duration_minutes: int = 15,
    public: bool = True,
    document=None,
) -> AgendaItem:
    """The speaker, deputy or office puts an item straight onto the agenda (no proposal first).

    Takes the agenda lock like every other change of the order; a meeting that was held is refused.
    ``document`` is an optional uploaded PDF for the item.
    """
    rules.check_agenda_open(meeting)
    item = AgendaItem(
        body=meeting.body,
        meeting=meeting,
        status=Status.ACCEPTED,
        title=title.strip(),
        description=description.strip(),
        presenter=presenter,
        municipality=municipality,
        duration_minutes=duration_minutes,
        public=public,
        proposed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _check_item(item)
    _bump_agenda(meeting, expected_agenda_version)
    item.position = _next_position(meeting)
    item.save()
    record(user, "meetings.item_added", item, after=snapshot(item))
    if document is not None:
        _attach_item_pdf(user, item, document)
    _public_pdfs_follow(meeting.pk)
    return item


@transaction.atomic
def update_item(user, item: AgendaItem, expected_version: int, *, document=None, **fields) -> None:
    """Edit an item's title, description, presenter, city, duration or publicity, and add a PDF.

    Somebody else's save since ``expected_version`` raises EditConflict (nothing is overwritten); an item
    on the agenda of a held meeting is frozen.
    """
    if item.status == Status.ACCEPTED:
        rules.check_agenda_open(item.meeting)
    before = snapshot(item)
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if item.public:
        item.was_public = True
    _check_item(item)
    save_versioned(item, expected_version, ITEM_FIELDS)
    if item.meeting_id:
        _touch_meeting(item.meeting_id)  # after the item: a meeting is never older than what it embeds
    record(user, "meetings.item_changed", item, before=before, after=snapshot(item))
    if document is not None:
        _attach_item_pdf(user, item, document)
    _public_pdfs_follow(item.meeting_id)


def _attach_item_pdf(user, item: AgendaItem, document) -> MeetingFile:
    stored = store_pdf(
        document, role=MeetingFile.Role.AUXILIARY, public=item.public, name=document.name.rsplit(".", 1)[0], agenda_item=item
    )
    record(user, "meetings.item_file_added", stored, after=_file_facts(stored))
    return stored


STANDING_TITLES = {
    Kind.WELCOME: "Begrüßung und Vorstellung des Integrationskonzepts der Gastgeberstadt",
    Kind.MINUTES: "Genehmigung des Protokolls der letzten Sitzung",
    Kind.OPEN_ACTIONS: "Offene Aufgaben",
    Kind.AOB: "Verschiedenes",
}


@transaction.atomic
def apply_template(user, meeting: Meeting) -> int:
    """Add the standing items that are missing: welcome and host concept, minutes, open actions first; AOB last."""
    rules.check_agenda_open(meeting)
    present = set(meeting.agenda_items.alive().exclude(kind=Kind.REGULAR).values_list("kind", flat=True))
    _bump_agenda(meeting, None)
    added = 0
    regular = list(meeting.agenda_items.alive().filter(status=Status.ACCEPTED).order_by("position", "pk"))
    first = [k for k in STANDING_FIRST if k not in present]
    for offset, kind in enumerate(first):
        AgendaItem.objects.create(
            body=meeting.body,
            meeting=meeting,
            kind=kind,
            status=Status.ACCEPTED,
            title=STANDING_TITLES[kind],
            position=offset + 1,
            duration_minutes=30 if kind == Kind.WELCOME else 10,
            municipality=meeting.host_municipality if kind == Kind.WELCOME else None,
        )
        added += 1
    for index, item in enumerate(regular):
        if item.kind == Kind.REGULAR:
            AgendaItem.objects.filter(pk=item.pk).update(position=100 + index * 10)
    if Kind.AOB not in present:
        AgendaItem.objects.create(
            body=meeting.body,
            meeting=meeting,
            kind=Kind.AOB,
            status=Status.ACCEPTED,
            title=STANDING_TITLES[Kind.AOB],
            position=100_000,
            duration_minutes=10,
        )
        added += 1
    record(user, "meetings.agenda_template", meeting, after={"added": added})
    return added


@dataclass
class AgendaRow:
    number: str
    item: AgendaItem
    start: dt.datetime
    end: dt.datetime
    open_actions: list[ActionItem] = field(default_factory=list)


def open_actions(body: Body, *, before: dt.datetime | None = None):
    """Actions of the body whose task is still open (the task is the one source of truth)."""
    qs = ActionItem.objects.open().filter(body=body).select_related("assignee", "municipality", "agenda_item__meeting", "task")
    if before is not None:
        qs = qs.filter(agenda_item__meeting__start__lt=before)
    return qs.order_by("due_date", "pk")


def numbered_agenda(meeting: Meeting, items) -> list[AgendaRow]:
    """TOP 1, 2, … (N1, N2 … for non-public items, see ``agenda_numbers``) with start and end times; the
    open-actions item lists every open action of the body."""
    items = list(items)
    numbers = agenda_numbers(
        meeting.agenda_items.alive().filter(status=Status.ACCEPTED).only("pk", "position", "public", "status", "deleted_at")
    )
    rows = []
    actions = None
    for item, start, end in agenda_timings(items, meeting.start):
        row = AgendaRow(numbers.get(item.pk, ""), item, start, end)
        if item.kind == Kind.OPEN_ACTIONS:
            if actions is None:
                actions = list(open_actions(meeting.body, before=meeting.start))
            row.open_actions = actions
        rows.append(row)
    return rows


# --- Invitations and replies -------------------------------------------------------------------
def recipients(meeting: Meeting) -> list[Person]:
    """Members and deputies of the body (and its managing office seats) with an e-mail address."""
    people = (
        Person.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.current(timezone.localtime(meeting.start).date()).filter(
                body=meeting.body, role__in=RECIPIENT_ROLES
            ),
        )
        .exclude(email="")
        .distinct()
        .select_related("user", "municipality")
        .order_by("family_name", "given_name", "pk")
    )
    return list(people)


def notice_too_short(meeting: Meeting, at: dt.datetime | None = None) -> bool:
    at = at or timezone.now()
    return (timezone.localtime(meeting.start).date() - timezone.localtime(at).date()).days < settings.MEETING_NOTICE_DAYS


def invitation_facts(meeting: Meeting) -> dict:
    """What an invitation tells: date, place and agenda (titles in order) — compared with the next one."""
    items = meeting.agenda_items.alive().filter(status=Status.ACCEPTED).order_by("position", "pk")
    numbers = agenda_numbers(items)
    return {
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "place": ", ".join(p for p in (str(meeting.location), meeting.location.address) if p) if meeting.location else "",
        "host": meeting.host_municipality.short_name if meeting.host_municipality_id else "",
        "agenda": [[numbers.get(i.pk, ""), i.title, i.public] for i in items],
    }


def _when(value: str) -> str:
    return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%d.%m.%Y, %H:%M")


def invitation_changes(before: dict, after: dict, *, public_only: bool = False) -> list[str]:
    """Plain German sentences saying what changed between two invitations (date, place, host, agenda)."""
    changes = []
    if (before.get("start"), before.get("end")) != (after.get("start"), after.get("end")):
        changes.append(
            _("Neuer Termin: %(new)s Uhr (bisher %(old)s Uhr).") % {"new": _when(after["start"]), "old": _when(before["start"])}
        )
    if before.get("place") != after.get("place"):
        changes.append(
            _("Neuer Ort: %(new)s (bisher %(old)s).")
            % {"new": after.get("place") or _("noch offen"), "old": before.get("place") or _("noch offen")}
        )
    if before.get("host") != after.get("host") and after.get("host"):
        changes.append(_("Gastgeberstadt ist jetzt %(city)s.") % {"city": after["host"]})

    def titles(facts: dict) -> list[tuple[str, str]]:
        return [(n, t) for n, t, public in facts.get("agenda", []) if public or not public_only]

    old, new = titles(before), titles(after)
    old_titles, new_titles = [t for _n, t in old], [t for _n, t in new]
    for number, title in new:
        if title not in old_titles:
            changes.append(_("Neu auf der Tagesordnung: TOP %(n)s %(title)s.") % {"n": number, "title": title})
    for _number, title in old:
        if title not in new_titles:
            changes.append(_("Von der Tagesordnung genommen: %(title)s.") % {"title": title})
    kept_old = [t for t in old_titles if t in new_titles]
    kept_new = [t for t in new_titles if t in old_titles]
    if kept_old != kept_new:
        changes.append(_("Die Reihenfolge der Tagesordnung hat sich geändert."))
    return changes


def last_invitation(meeting: Meeting) -> InvitationDispatch | None:
    return meeting.dispatches.filter(method="REQUEST").order_by("-sequence", "-pk").first()


def preview_dispatch(meeting: Meeting, covering_text: str = "") -> InvitationDispatch:
    """The dispatch ``send_invitation`` would create now, unsaved: what the office previews before sending."""
    previous = last_invitation(meeting)
    facts = invitation_facts(meeting)
    return InvitationDispatch(
        meeting=meeting,
        method="REQUEST",
        sequence=meeting.ical_sequence + 1 if meeting.invitation_sent_at or meeting.event_id else 0,
        covering_text=(covering_text or "").strip(),
        facts={**facts, "earlier": previous is not None},
        changes=invitation_changes(previous.facts, facts) if previous is not None else [],
    )


@transaction.atomic
def send_invitation(user, meeting: Meeting, *, covering_text: str = "") -> tuple[InvitationDispatch, list[str]]:
    """Send (or re-send as an update) the invitation. The same UID, a higher SEQUENCE for every re-send.

    The first invitation is a first invitation, also for a meeting from a date poll (whose calendar entry
    already carries the UID: the SEQUENCE continues, but nobody was invited yet). Every later one says
    what changed since the previous one. ``covering_text`` is the office's own text above the agenda,
    stored with the dispatch. Mail goes out through the worker after the commit, to the body's members
    and the meeting's guests. Returns the dispatch and warnings (short notice).
    """
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("location", "host_municipality").get(pk=meeting.pk)
    if meeting.status in {MeetingStatus.CANCELLED, MeetingStatus.HELD} or meeting.deleted_at:
        raise ValidationError(_("Zu einer abgesagten oder bereits durchgeführten Sitzung wird nicht eingeladen."))
    if not meeting.agenda_items.alive().filter(status=Status.ACCEPTED).exists():
        raise ValidationError(_("Die Tagesordnung ist noch leer."))
    covering_text = (covering_text or "").strip()
    if len(covering_text) > 5000:
        raise ValidationError({"covering_text": _("Das Anschreiben ist länger als 5000 Zeichen.")})
    warnings = []
    short = notice_too_short(meeting)
    if short:
        warnings.append(_("Die Ladungsfrist von %(days)s Tagen ist nicht eingehalten.") % {"days": settings.MEETING_NOTICE_DAYS})
    # A meeting from a date poll continues the SEQUENCE of the .ics the poll's participants already have.
    sequence = meeting.ical_sequence + 1 if meeting.invitation_sent_at or meeting.event_id else 0
    previous = last_invitation(meeting)
    facts = invitation_facts(meeting)
    changes = invitation_changes(previous.facts, facts) if previous is not None else []
    count = len(recipients(meeting)) + meeting.guests.count()
    dispatch = InvitationDispatch.objects.create(
        meeting=meeting,
        method="REQUEST",
        sequence=sequence,
        recipients=count,
        sent_by=user,
        short_notice=short,
        covering_text=covering_text,
        facts={**facts, "earlier": previous is not None},
        changes=changes,
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        ical_sequence=sequence,
        invitation_sent_at=timezone.now(),
        status=MeetingStatus.INVITED,
        modified=timezone.now(),
        version=F("version") + 1,
    )
    record(
        user,
        "meetings.invitation_sent",
        meeting,
        after={"sequence": sequence, "recipients": count, "update": previous is not None, "changes": changes},
    )
    from .tasks import send_dispatch

    transaction.on_commit(lambda: send_dispatch.enqueue(dispatch.pk))
    return dispatch, warnings


@transaction.atomic
def add_guest(user, meeting: Meeting, *, name: str, email: str, organisation: str = "") -> MeetingGuest:
    """Invite somebody outside the body to this meeting; they get the next mailing and a personal reply link."""
    if meeting.status in {MeetingStatus.CANCELLED, MeetingStatus.HELD} or meeting.deleted_at:
        raise ValidationError(_("Zu einer abgesagten oder bereits durchgeführten Sitzung wird nicht eingeladen."))
    email = (email or "").strip().lower()
    guest = MeetingGuest(
        meeting=meeting,
        name=" ".join((name or "").split()),
        email=email,
        organisation=" ".join((organisation or "").split()),
        added_by=user if getattr(user, "is_authenticated", False) else None,
    )
    guest.full_clean(exclude=["meeting", "added_by"], validate_unique=False, validate_constraints=False)
    taken = {p.email.lower() for p in recipients(meeting)} | set(meeting.guests.values_list("email", flat=True))
    if email in taken:
        raise ValidationError({"email": _("Diese Person ist bereits eingeladen.")})
    guest.save()
    record(
        user, "meetings.guest_added", guest, after={"meeting": meeting.pk, "name": guest.name, "organisation": guest.organisation}
    )
    return guest


@transaction.atomic
def remove_guest(user, guest: MeetingGuest) -> None:
    record(user, "meetings.guest_removed", guest, before={"meeting": guest.meeting_id, "name": guest.name})
    guest.delete()


@transaction.atomic
def issue_reply_link(meeting: Meeting, *, person: Person | None = None, guest: MeetingGuest | None = None) -> str:
    """A new personal reply link for one mail; returns the clear token (for that mail only, never stored)."""
    token, token_hash = ReplyLink.new_token()
    ReplyLink.objects.create(meeting=meeting, person=person, guest=guest, token_hash=token_hash)
    record(
        None,
        "meetings.reply_link_issued",
        meeting,
        after={"person": person.pk if person else None, "guest": guest.pk if guest else None},
    )
    return token


def _deputy_of(person: Person, meeting: Meeting) -> str:
    """The registered deputy of ``person``'s seat in the body, as the default name when they send their deputy."""
    on = timezone.localtime(meeting.start).date()
    seat = Membership.objects.current(on).filter(person=person, body=meeting.body).first()
    if seat is None:
        return ""
    deputy = Membership.objects.current(on).filter(deputy_for=seat).select_related("person").first()
    return deputy.person.full_name if deputy else ""


@transaction.atomic
def reply(
    person: Person | None,
    meeting: Meeting,
    answer: str,
    comment: str = "",
    *,
    deputy_name: str = "",
    guest: MeetingGuest | None = None,
    by=None,
) -> Reply:
    """Save a member's (``person``) or a guest's (``guest``) answer; ``by`` is the account, if any, for the audit log."""
    if answer not in Reply.Answer.values:
        raise ValidationError(_("Bitte wählen Sie eine Antwort."))
    if (person is None) == (guest is None):
        raise ValidationError(_("Eine Rückmeldung gehört zu genau einer Person."))
    if meeting.status in {MeetingStatus.CANCELLED, MeetingStatus.HELD} or meeting.deleted_at:
        raise ValidationError(_("Zu dieser Sitzung sind keine Rückmeldungen mehr möglich."))
    comment = (comment or "").strip()[:300]
    deputy_name = " ".join((deputy_name or "").split())[:150]
    if answer == Reply.Answer.DEPUTY and person is not None and not deputy_name:
        deputy_name = _deputy_of(person, meeting)
    if answer != Reply.Answer.DEPUTY:
        deputy_name = ""
    if guest is not None:
        obj, _created = Reply.objects.update_or_create(
            meeting=meeting, guest=guest, defaults={"answer": answer, "comment": comment, "deputy_name": deputy_name}
        )
    else:
        seat = Membership.objects.current().filter(person=person, body=meeting.body).first()
        city = (seat.municipality if seat else None) or person.municipality
        obj, _created = Reply.objects.update_or_create(
            meeting=meeting,
            person=person,
            defaults={"answer": answer, "comment": comment, "municipality": city, "deputy_name": deputy_name},
        )
    record(
        by,
        "meetings.reply",
        meeting,
        after={"person": obj.person_id, "guest": obj.guest_id, "answer": answer, "deputy": deputy_name, "comment": comment},
    )
    return obj


def representation(meeting: Meeting) -> list[dict]:
    """Per member city: who answered what, and whether the city will be represented."""
    replies = list(meeting.replies.filter(person__isnull=False).select_related("person", "municipality"))
    rows = []
    for city in Municipality.objects.active(timezone.localtime(meeting.start).date()):
        mine = [r for r in replies if r.municipality_id == city.pk]
        represented = any(r.answer in {Reply.Answer.ATTENDING, Reply.Answer.DEPUTY} for r in mine)
        rows.append({"city": city, "replies": mine, "represented": represented, "answered": bool(mine)})
    return rows


@dataclass
class ReplyOverview:
    """For the managing office: who attends, who sends whom, who declined, who has not answered."""

    attending: list[Reply] = field(default_factory=list)
    deputy: list[Reply] = field(default_factory=list)
    declined: list[Reply] = field(default_factory=list)
    silent_people: list[Person] = field(default_factory=list)
    silent_guests: list[MeetingGuest] = field(default_factory=list)

    @property
    def silent_count(self) -> int:
        return len(self.silent_people) + len(self.silent_guests)


def reply_overview(meeting: Meeting) -> ReplyOverview:
    overview = ReplyOverview()
    replies = list(meeting.replies.select_related("person__municipality", "guest", "municipality").order_by("pk"))
    for r in replies:
        {
            Reply.Answer.ATTENDING: overview.attending,
            Reply.Answer.DEPUTY: overview.deputy,
            Reply.Answer.NOT_ATTENDING: overview.declined,
        }[r.answer].append(r)
    answered_people = {r.person_id for r in replies if r.person_id}
    answered_guests = {r.guest_id for r in replies if r.guest_id}
    overview.silent_people = [p for p in recipients(meeting) if p.pk not in answered_people]
    overview.silent_guests = [g for g in meeting.guests.all() if g.pk not in answered_guests]
    return overview


@transaction.atomic
def remind_unanswered(user, meeting: Meeting) -> int:
    """Remind everybody invited who has not answered yet (mail with their personal link, through the worker)."""
    if meeting.status != MeetingStatus.INVITED or meeting.deleted_at:
        raise ValidationError(_("Erinnert wird an eine versandte Einladung zu einer anstehenden Sitzung."))
    if meeting.end <= timezone.now():
        raise ValidationError(_("Die Sitzung hat bereits stattgefunden."))
    overview = reply_overview(meeting)
    people = [p.pk for p in overview.silent_people]
    guests = [g.pk for g in overview.silent_guests]
    if not people and not guests:
        raise ValidationError(_("Alle Eingeladenen haben geantwortet."))
    record(user, "meetings.reply_reminder", meeting, after={"people": people, "guests": guests})
    from .tasks import send_reply_reminders

    transaction.on_commit(lambda: send_reply_reminders.enqueue(meeting.pk, people, guests))
    return len(people) + len(guests)


@dataclass
class AttendanceFromReplies:
    """The minutes' attendance as the replies predict it; the office corrects what differs on the day."""

    present: list[Person]
    deputies: list[tuple[Person, str]]
    excused: list[Person]
    guests: list[MeetingGuest]


def attendance_from_replies(meeting: Meeting) -> AttendanceFromReplies:
    """attend → present, deputy → the deputy named (present, if they are a member with a seat), decline → excused."""
    replies = list(meeting.replies.select_related("person", "guest"))
    people = {p.full_name.casefold(): p for p in recipients(meeting)}
    present, deputies, excused, guests = [], [], [], []
    for r in replies:
        if r.guest_id:
            if r.answer == Reply.Answer.ATTENDING:
                guests.append(r.guest)
            continue
        if r.answer == Reply.Answer.ATTENDING:
            present.append(r.person)
        elif r.answer == Reply.Answer.DEPUTY:
            deputies.append((r.person, r.deputy_name))
            stand_in = people.get(r.deputy_name.casefold()) if r.deputy_name else None
            if stand_in is not None and stand_in not in present:
                present.append(stand_in)
        else:
            excused.append(r.person)
    return AttendanceFromReplies(present, deputies, excused, guests)


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
    from .tasks import send_dispatch

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


# --- Minutes -----------------------------------------------------------------------------------
@transaction.atomic
def mark_held(user, meeting: Meeting) -> None:
    """The meeting took place: from now on its agenda is frozen and its minutes can be written."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    rules.check(rules.hold_problem(current), "not_started")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD, modified=timezone.now(), version=F("version") + 1)
    record(user, "meetings.meeting_held", meeting, before={"status": current.status}, after={"status": MeetingStatus.HELD})
    meeting.status, meeting.version = MeetingStatus.HELD, current.version + 1


def minutes_for(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


def _editable(minutes: Minutes) -> None:
    """Minutes are written after the meeting took place and only until they are approved."""
    rules.check_held(minutes.meeting)
    if minutes.is_locked:
        raise ValidationError(_("Das Protokoll ist genehmigt und gesperrt. Änderungen nur noch als Berichtigung."))


@transaction.atomic
def record_attendance(user, minutes: Minutes, people: list[Person], cities: list[Municipality] | None = None) -> None:
    _editable(minutes)
    minutes.attendees.set(people)
    if cities is None:
        cities = list({p.municipality for p in people if p.municipality_id})
    minutes.cities.set(cities)
    Minutes.objects.filter(pk=minutes.pk).update(modified=timezone.now())
    record(user, "meetings.attendance", minutes, after={"people": [p.pk for p in people]})


@transaction.atomic
def save_item_minutes(user, item: AgendaItem, *, summary: str, result: str = "", expected_version: int | None = None) -> None:
    """Summary and result of one item. With ``expected_version`` (the pages pass it) a save by somebody else
    since the page was loaded raises EditConflict instead of being overwritten."""
    _editable(minutes_for(item.meeting))
    before = {"summary": item.summary, "result": item.result}
    item.summary = summary
    item.result = result
    if expected_version is None:
        item.save()
    else:
        save_versioned(item, expected_version, ["summary", "result"])
        _touch_meeting(item.meeting_id)
    if before != {"summary": summary, "result": result}:
        record(user, "meetings.item_minutes", item, before=before, after={"summary": summary, "result": result})


@transaction.atomic
def add_decision(user, item: AgendaItem, text: str, kind: str = Decision.Kind.DECISION) -> Decision:
    _editable(minutes_for(item.meeting))
    if not text.strip():
        raise ValidationError({"text": _("Bitte geben Sie den Wortlaut ein.")})
    decision = Decision.objects.create(agenda_item=item, text=text.strip(), kind=kind)
    record(user, "meetings.decision_added", decision, after=snapshot(decision))
    return decision


@transaction.atomic
def add_action(
    user,
    item: AgendaItem,
    description: str,
    *,
    assignee: Person | None = None,
    municipality: Municipality | None = None,
    due_date: dt.date | None = None,
) -> ActionItem:
    """The one place an action item is created: with its task in the body's workspace.

    The task (tasks app) is assigned to the person's account or to the whole city, carries the due date
    and links back to the meeting; creating it notifies the assignees ("Neue Aufgabe für Sie").
    """
    _editable(minutes_for(item.meeting))
    action = ActionItem(
        agenda_item=item,
        body=item.body,
        description=description.strip(),
        assignee=assignee,
        municipality=municipality,
        due_date=due_date,
    )
    action.full_clean(exclude=["agenda_item", "body", "assignee", "municipality", "task"])
    action.clean()
    action.save()
    action.task = _task_for(user, action)
    action.save(update_fields=["task", "modified"])
    record(user, "meetings.action_added", action, after={**snapshot(action), "task": action.task_id})
    return action


def _body_workspace(body: Body):
    from workspaces.actions import ensure_body_workspaces
    from workspaces.models import Workspace

    workspace = Workspace.objects.filter(body=body).first()
    if workspace is None:
        ensure_body_workspaces(Body.objects.filter(pk=body.pk))
        workspace = Workspace.objects.get(body=body)
    return workspace


def _task_for(user, action: ActionItem):
    from tasks.actions import create_task

    meeting = action.agenda_item.meeting
    title = action.description if len(action.description) <= 200 else action.description[:199] + "…"
    lines = [action.description] if len(action.description) > 200 else []
    lines.append(
        _("Aus dem Protokoll der Sitzung „%(meeting)s“, TOP „%(item)s“.") % {"meeting": meeting, "item": action.agenda_item}
    )
    account = action.assignee.user if action.assignee and action.assignee.user_id else None
    if action.assignee and (account is None or not account.is_active):
        account = None
        lines.append(_("Verantwortlich: %(person)s") % {"person": action.assignee})
    return create_task(
        user if getattr(user, "is_authenticated", False) else None,
        _body_workspace(action.body),
        title=title,
        description="\n\n".join(lines),
        due_date=action.due_date,
        assignees=[account] if account else [],
        municipalities=[action.municipality] if action.municipality else [],
        source=meeting,
        allow_past_due=True,
    )


@transaction.atomic
def complete_action(user, action: ActionItem) -> None:
    """Mark the action done, which means: its task is done (the task is the one source of truth)."""
    from tasks.actions import set_status
    from tasks.models import Task

    task = Task.objects.select_for_update().filter(pk=action.task_id).first() if action.task_id else None
    if task is not None and task.is_open:
        set_status(user if getattr(user, "is_authenticated", False) else None, task, task.version, Task.Status.DONE)
    action.refresh_from_db()
    record(user, "meetings.action_done", action)


@transaction.atomic
def circulate_minutes(user, minutes: Minutes, *, at: dt.datetime | None = None) -> None:
    """Send the draft to the attendees; objections are possible until the deadline.

    ``at`` is when the minutes went round, for minutes recorded afterwards (the demo, an import); the pages
    never pass it. It lies between the meeting's end and now; the deadline counts from it.
    """
    rules.check(rules.circulate_problem(minutes))
    now = timezone.now()
    if at is not None:
        if not minutes.meeting.end <= at <= now:
            raise ValidationError(_("Ein Protokoll geht zwischen dem Ende der Sitzung und jetzt in Umlauf."))
        now = at
    deadline = timezone.localtime(now).date() + dt.timedelta(days=settings.MEETING_OBJECTION_DAYS)
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.CIRCULATED, circulated_at=now, objection_deadline=deadline, modified=now, version=F("version") + 1
    )
    minutes.refresh_from_db()
    record(user, "meetings.minutes_circulated", minutes)
    from .tasks import send_minutes_circulation

    transaction.on_commit(lambda: send_minutes_circulation.enqueue(minutes.pk))


@transaction.atomic
def object_to_minutes(person: Person, minutes: Minutes, text: str) -> Objection:
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Einwände sind nur möglich, solange das Protokoll in Abstimmung ist."))
    if minutes.objection_deadline and timezone.localdate() > minutes.objection_deadline:
        raise ValidationError(_("Die Frist für Einwände ist abgelaufen."))
    if not text.strip():
        raise ValidationError({"text": _("Bitte beschreiben Sie Ihren Einwand.")})
    objection = Objection.objects.create(minutes=minutes, person=person, text=text.strip())
    record(person.user, "meetings.minutes_objection", objection, after={"minutes": minutes.pk, "text": objection.text})
    return objection


@transaction.atomic
def resolve_objection(user, minutes: Minutes, objection_pk: int) -> Objection:
    """Mark one objection to circulated minutes as settled; approval waits until none is open."""
    objection = Objection.objects.select_for_update().filter(minutes=minutes, pk=objection_pk).first()
    if objection is None:
        raise ValidationError(_("Diesen Einwand gibt es zu diesem Protokoll nicht."))
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Einwände werden erledigt, solange das Protokoll in Abstimmung ist."))
    if objection.resolved:
        raise ValidationError(_("Dieser Einwand ist schon erledigt."))
    objection.resolved = True
    objection.save(update_fields=["resolved", "modified"])
    record(user, "meetings.minutes_objection_resolved", objection, before={"resolved": False}, after={"resolved": True})
    return objection


@transaction.atomic
def approve_minutes(user, minutes: Minutes, *, at_meeting: Meeting | None = None) -> None:
    """Approve circulated minutes (at ``at_meeting``'s approval item, or after the window): only once the
    objection deadline is over and no objection is open (``rules.approve_problem``)."""
    rules.check(rules.approve_problem(minutes, at_meeting=at_meeting))
    now = timezone.now()
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.APPROVED, approved_at=now, approved_in=at_meeting, modified=now, version=F("version") + 1
    )
    minutes.refresh_from_db()
    record(user, "meetings.minutes_approved", minutes)


def approve_due_minutes(now: dt.datetime | None = None) -> int:
    """In "window" mode: approve circulated minutes whose objection window passed without open objections."""
    if settings.MEETING_MINUTES_APPROVAL != "window":
        return 0
    today = timezone.localtime(now or timezone.now()).date()
    count = 0
    for minutes in Minutes.objects.filter(status=Minutes.Status.CIRCULATED, objection_deadline__lt=today):
        if rules.approve_problem(minutes) is None:
            approve_minutes(None, minutes)
            count += 1
    return count


@transaction.atomic
def publish_minutes(user, minutes: Minutes) -> None:
    """Publish approved minutes: the public sees them (public items only) and the PDF is stored as the results file."""
    rules.check(rules.publish_problem(minutes))
    now = timezone.now()
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.PUBLISHED, published_at=now, modified=now, version=F("version") + 1
    )
    Meeting.objects.filter(pk=minutes.meeting_id).update(status=MeetingStatus.HELD, modified=now)
    minutes.refresh_from_db()
    record(user, "meetings.minutes_published", minutes)
    from .documents import store_minutes_pdf

    transaction.on_commit(lambda: store_minutes_pdf(minutes.pk))


@transaction.atomic
def correct_minutes(
    user,
    minutes: Minutes,
    *,
    reason: str,
    change: str = "",
    item: AgendaItem | None = None,
    summary: str | None = None,
    result: str | None = None,
    expected_version: int | None = None,
) -> MinutesRevision:
    """Approved minutes change only through a correction (Berichtigung): a new, numbered, visible revision.

    It records who, when, why and what: with ``item`` the item's summary and result before and after (the
    minutes show the corrected text from then on), otherwise a note (``change``) such as a corrected
    attendance. Published minutes are rendered again at once (page, stored PDF, OParl) with the note.
    A correction by somebody else since ``expected_version`` raises EditConflict.
    """
    rules.check(rules.correct_problem(minutes))
    reason, change = reason.strip(), change.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Bitte nennen Sie den Grund der Berichtigung.")
    before: dict = {}
    after: dict = {}
    if item is not None:
        if item.meeting_id != minutes.meeting_id or item.status != Status.ACCEPTED or item.deleted_at:
            errors["item"] = _("Dieser Tagesordnungspunkt gehört nicht zu diesem Protokoll.")
        else:
            new = {
                "summary": item.summary if summary is None else summary.strip(),
                "result": item.result if result is None else result.strip(),
            }
            before = {k: v for k, v in (("summary", item.summary), ("result", item.result)) if new[k] != v}
            after = {k: new[k] for k in before}
            if not after:
                errors["summary"] = _("Der Text ist unverändert. Bitte tragen Sie die berichtigte Fassung ein.")
    elif not change:
        errors["change"] = _("Bitte beschreiben Sie, was berichtigt wird.")
    if errors:
        raise ValidationError(errors)
    if expected_version is not None:
        bump_counter(minutes, "version", expected_version)
    if item is not None:
        AgendaItem.objects.filter(pk=item.pk).update(**after, version=F("version") + 1, modified=timezone.now())
        number_of = agenda_numbers(minutes.meeting.agenda_items.alive()).get(item.pk, "")
        labels = {"summary": _("Zusammenfassung"), "result": _("Ergebnis")}
        change = change or _("TOP %(n)s „%(title)s“: %(what)s berichtigt.") % {
            "n": number_of,
            "title": item.title,
            "what": ", ".join(str(labels[k]) for k in after),
        }
    number = minutes.revision + 1
    revision = MinutesRevision.objects.create(
        minutes=minutes,
        number=number,
        reason=reason,
        change=change,
        author=user if getattr(user, "is_authenticated", False) else None,
        agenda_item=item,
        before=before,
        after=after,
    )
    Minutes.objects.filter(pk=minutes.pk).update(revision=number, modified=timezone.now())
    _touch_meeting(minutes.meeting_id)
    minutes.refresh_from_db()
    record(
        user,
        "meetings.minutes_corrected",
        minutes,
        before={"revision": number - 1, **before},
        after={"revision": number, "reason": reason, "change": change, "item": item.pk if item else None, **after},
    )
    _public_pdfs_follow(minutes.meeting_id)
    return revision


def _touch_meeting(pk: int) -> None:
    Meeting.objects.filter(pk=pk).update(modified=timezone.now())


@transaction.atomic
def soft_delete(user, obj) -> None:
    """OParl forbids hard deletes: mark, bump ``modified`` (and the parent's through save())."""
    if isinstance(obj, AgendaItem) and obj.status == Status.ACCEPTED:
        rules.check_agenda_open(obj.meeting)
    obj.deleted_at = timezone.now()
    obj.save()
    record(user, "meetings.deleted", obj)
    if isinstance(obj, AgendaItem):
        _public_pdfs_follow(obj.meeting_id)


# --- Papers (Vorlagen) and their consultation sequence -------------------------------------------
PAPER_FILE_MAX_BYTES = 20 * 1024 * 1024
# The paper's own columns: a save never writes ``sequence_version`` or ``deleted_at`` back from a stale copy.
PAPER_FIELDS = ["reference", "name", "paper_type", "date", "municipality_id", "lead_body_id", "description", "public"]


def _reference_taken(reference: str) -> ValidationError:
    return ValidationError(
        {"reference": _("Die Drucksachennummer „%(ref)s“ ist bereits vergeben.") % {"ref": reference}}, code="unique"
    )


def _check_reference(paper: Paper) -> None:
    """A clear German message instead of a database error; deleted papers keep their number (OParl stubs)."""
    if Paper.objects.filter(reference=paper.reference).exclude(pk=paper.pk).exists():
        raise _reference_taken(paper.reference)


def _save_paper(paper: Paper, expected_version: int | None) -> None:
    try:
        with transaction.atomic():
            if expected_version is None:
                paper.save()
            else:
                save_versioned(paper, expected_version, fields=PAPER_FIELDS)
    except IntegrityError:  # the same number saved at the same moment by somebody else
        raise _reference_taken(paper.reference) from None


@transaction.atomic
def create_paper(user, **fields) -> Paper:
    paper = Paper(**fields)
    paper.full_clean(validate_unique=False, validate_constraints=False)
    _check_reference(paper)
    _save_paper(paper, None)
    record(user, "meetings.paper_created", paper, after=snapshot(paper))
    return paper


@transaction.atomic
def update_paper(user, paper: Paper, expected_version: int, **fields) -> None:
    """Save the paper's own fields; somebody else's save since ``expected_version`` → EditConflict."""
    before = snapshot(paper)
    for name, value in fields.items():
        setattr(paper, name, value)
    paper.full_clean(validate_unique=False, validate_constraints=False)
    _check_reference(paper)
    _save_paper(paper, expected_version)
    touch_linked_agenda(paper.consultations.all())
    record(user, "meetings.paper_changed", paper, before=before, after=snapshot(paper))


@transaction.atomic
def delete_paper(user, paper: Paper) -> None:
    """Soft delete: OParl serves the paper, its steps and files as stubs from now on."""
    now = timezone.now()
    if not Paper.objects.filter(pk=paper.pk, deleted_at__isnull=True).update(
        deleted_at=now, modified=now, version=F("version") + 1
    ):
        return
    touch_linked_agenda(paper.consultations.all())
    steps = Consultation.objects.alive().filter(paper=paper).update(deleted_at=now, modified=now)
    files = MeetingFile.objects.alive().filter(paper=paper).update(deleted_at=now, modified=now)
    paper.refresh_from_db()
    record(user, "meetings.paper_deleted", paper, after={"consultations": steps, "files": files})


def _bump_sequence(paper: Paper, expected: int) -> None:
    """Take the sequence lock: the steps changed since the editor loaded them → EditConflict."""
    bump_counter(paper, "sequence_version", expected)


def _validate_step(step: Consultation) -> None:
    step.clean_fields(exclude=["paper"])
    step.clean()
    if step.authoritative:
        other = Consultation.objects.alive().filter(paper_id=step.paper_id, authoritative=True).exclude(pk=step.pk).first()
        if other is not None:
            raise ValidationError(
                {
                    "authoritative": _("Nur ein Schritt der Beratungsfolge kann entscheidend sein; das ist bereits „%(step)s“.")
                    % {"step": other.organization}
                }
            )


def sequence_warnings(paper: Paper) -> list[str]:
    """Dates that go backwards are a warning, not an error: a step may be moved to a later meeting."""
    warnings = []
    previous = None
    for step in paper.consultations.alive().select_related("body", "committee").order_by("order", "pk"):
        if step.date is None:
            continue
        if previous is not None and step.date < previous.date:
            warnings.append(
                _("„%(later)s“ (%(d2)s) liegt in der Beratungsfolge nach „%(earlier)s“ (%(d1)s), aber zeitlich davor.")
                % {
                    "later": step.organization,
                    "d2": f"{step.date:%d.%m.%Y}",
                    "earlier": previous.organization,
                    "d1": f"{previous.date:%d.%m.%Y}",
                }
            )
        previous = step
    return warnings


@transaction.atomic
def add_consultation(user, paper: Paper, expected_sequence_version: int, **fields) -> tuple[Consultation, list[str]]:
    step = Consultation(paper=paper, **fields)
    _validate_step(step)
    _bump_sequence(paper, expected_sequence_version)
    top = paper.consultations.alive().aggregate(m=Max("order"))["m"]
    step.order = 0 if top is None else top + 1
    step.save()
    record(user, "meetings.consultation_added", step, after=snapshot(step))
    return step, sequence_warnings(paper)


@transaction.atomic
def update_consultation(user, step: Consultation, expected_sequence_version: int, **fields) -> list[str]:
    before = snapshot(step)
    for name, value in fields.items():
        setattr(step, name, value)
    _validate_step(step)
    _bump_sequence(step.paper, expected_sequence_version)
    step.save()
    record(user, "meetings.consultation_changed", step, before=before, after=snapshot(step))
    return sequence_warnings(step.paper)


@transaction.atomic
def remove_consultation(user, step: Consultation, expected_sequence_version: int) -> None:
    _bump_sequence(step.paper, expected_sequence_version)
    step.deleted_at = timezone.now()
    step.save()
    record(user, "meetings.consultation_removed", step, before=snapshot(step))


@transaction.atomic
def reorder_consultations(user, paper: Paper, ordered_ids: list[int], expected_sequence_version: int) -> list[str]:
    """Put the steps in the given order. A stale ``expected_sequence_version`` raises EditConflict."""
    steps = {s.pk: s for s in paper.consultations.alive()}
    if sorted(ordered_ids) != sorted(steps):
        raise ValidationError(_("Die Beratungsfolge hat sich geändert; bitte laden Sie die Seite neu."))
    _bump_sequence(paper, expected_sequence_version)
    now = timezone.now()
    for index, pk in enumerate(ordered_ids):
        Consultation.objects.filter(pk=pk).update(order=index, modified=now)
    Paper.objects.filter(pk=paper.pk).update(modified=timezone.now())  # a paper is never older than its steps
    record(user, "meetings.consultations_reordered", paper, after={"order": ordered_ids})
    return sequence_warnings(paper)


def move_consultation(user, step: Consultation, direction: str, expected_sequence_version: int) -> list[str]:
    """One step up or down (the buttons without JavaScript)."""
    order = list(step.paper.consultations.alive().order_by("order", "pk").values_list("pk", flat=True))
    index = order.index(step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return reorder_consultations(user, step.paper, order, expected_sequence_version)


@transaction.atomic
def add_external_committee(user, municipality: Municipality, name: str, classification: str = "") -> ExternalCommittee:
    """A city's committee (Integrationsrat, Ausschuss, Rat) named once and reused by later papers."""
    committee, created = ExternalCommittee.objects.get_or_create(
        municipality=municipality, name=name.strip(), defaults={"classification": classification.strip()}
    )
    if created:
        record(user, "meetings.committee_created", committee, after=snapshot(committee))
    return committee


def _file_facts(document: MeetingFile) -> dict:
    return {
        "paper": document.paper_id,
        "name": document.name,
        "file_name": document.file_name,
        "role": document.role,
        "public": document.public,
        "size": document.size,
        "sha512": document.sha512,
    }


def store_pdf(uploaded, *, role: str, public: bool, name: str = "", **owner) -> MeetingFile:
    """Keep an uploaded PDF for ``owner`` (``paper=`` or ``agenda_item=``): PDF only, judged by the bytes
    (documents.filetypes), not by the name or the browser's type; the file name made safe."""
    from documents import filetypes

    if uploaded.size > PAPER_FILE_MAX_BYTES:
        raise ValidationError({"upload": _("Die Datei ist größer als 20 MB.")})
    try:
        kind = filetypes.detect(uploaded, uploaded.name or "")
    except filetypes.Refused as exc:
        raise ValidationError({"upload": str(exc)}) from None
    if kind.code != "pdf":
        raise ValidationError(
            {"upload": _("Bitte laden Sie eine PDF-Datei hoch; diese Datei ist %(kind)s.") % {"kind": kind.label}}
        )
    data = uploaded.read()
    file_name = filetypes.safe_file_name(uploaded.name or "", kind)
    document = MeetingFile(
        role=role,
        name=(name.strip() or filetypes.title_from_name(file_name))[:200],
        file_name=file_name[:200],
        mime_type=kind.content_type,
        public=public,
        **owner,
    )
    document.set_content(data)
    document.content.save(file_name, ContentFile(data), save=False)
    document.save()
    return document


@transaction.atomic
def add_paper_file(user, paper: Paper, uploaded, *, name: str = "", role: str, public: bool) -> MeetingFile:
    document = store_pdf(uploaded, role=role, public=public, name=name, paper=paper)
    record(user, "meetings.paper_file_added", document, after=_file_facts(document))
    return document


@transaction.atomic
def set_paper_file_public(user, document: MeetingFile, public: bool) -> None:
    before = _file_facts(document)
    document.public = public
    document.save()
    record(user, "meetings.paper_file_changed", document, before=before, after=_file_facts(document))
