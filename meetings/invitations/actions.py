"""Invitations and replies: preview and send (iTIP REQUEST with the next SEQUENCE), guests, answers by members
and by personal link, the office's overview of the replies, reminders, and the attendance the replies predict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record
from meetings.agenda.numbering import Status
from meetings.invitations.changes import invitation_changes, invitation_facts, last_invitation
from meetings.invitations.mails import send_dispatch, send_reply_reminders
from meetings.invitations.recipients import recipients
from meetings.models import InvitationDispatch, Meeting, MeetingGuest, MeetingStatus, Reply
from members.models import Membership, Municipality, Person


def notice_too_short(meeting: Meeting, at: dt.datetime | None = None) -> bool:
    at = at or timezone.now()
    return (timezone.localtime(meeting.start).date() - timezone.localtime(at).date()).days < settings.MEETING_NOTICE_DAYS


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
    sent = last_invitation(meeting) if meeting.status == MeetingStatus.INVITED else None
    if sent is not None:  # the others are invited already: the guest gets the same invitation now, not with the next one
        record(user, "meetings.guest_invited", guest, after={"meeting": meeting.pk, "sequence": sent.sequence})
        transaction.on_commit(lambda: send_dispatch.enqueue(sent.pk, [guest.pk]))
    return guest


@transaction.atomic
def remove_guest(user, guest: MeetingGuest) -> None:
    record(user, "meetings.guest_removed", guest, before={"meeting": guest.meeting_id, "name": guest.name})
    guest.delete()


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
