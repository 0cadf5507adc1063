"""Everything that changes date polls: views, the demo, the housekeeping job and tests call these.

Each action validates, writes atomically, records audited changes (poll created, confirmed, deleted;
participants added) and writes its mails through notifications.notify in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from calendar_events.actions import create_event
from calendar_events.templatetags.calendar_tags import when
from notifications.housekeeping import forget
from workspaces.access import can_contribute

from . import notices, purposes
from .access import can_manage_poll
from .models import Answer, Choice, Participant, Poll, Slot
from .signals import slot_confirmed

log = logging.getLogger(__name__)
MAX_SLOTS = 20


def _name(user) -> str:
    return str(user)[:150]


def _lock(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("workspace").get(pk=poll.pk)


@transaction.atomic
def create_poll(
    actor,
    workspace,
    *,
    title: str,
    deadline: dt.datetime,
    slots: list[tuple[dt.datetime, dt.datetime]],
    description: str = "",
    location: str = "",
    online_url: str = "",
    invite_members: bool = True,
    invite_body: bool = False,
    purpose: str = "event",
) -> Poll:
    """Open a poll with its slots; with ``invite_members`` every member of the workspace is asked (and told).

    With ``invite_body`` (a body's workspace) every current member of the body with an e-mail address is
    asked too: those with an account in the workspace answer in the platform, everybody else through a
    personal link by e-mail (``body_invitees``) — most members of a body have no account.
    """
    if workspace.is_archived or not can_contribute(actor, workspace):
        raise ValidationError(_("Terminabstimmungen legen die Leitung und die Bearbeitenden des Arbeitsbereichs an."))
    if not slots:
        raise ValidationError(_("Bitte schlagen Sie mindestens einen Termin vor."))
    if len(slots) > MAX_SLOTS:
        raise ValidationError(_("Bitte schlagen Sie höchstens %(n)s Termine vor.") % {"n": MAX_SLOTS})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("Die Frist für Antworten muss in der Zukunft liegen.")})
    if any(end <= start for start, end in slots):
        raise ValidationError(_("Bei jedem Vorschlag muss das Ende nach dem Beginn liegen."))
    if len(set(slots)) != len(slots):
        raise ValidationError(_("Derselbe Termin ist mehrfach vorgeschlagen."))
    if not purposes.allowed(actor, workspace, purpose):
        raise ValidationError(
            _(
                "Eine Terminabstimmung für eine Sitzung starten hier nur die Geschäftsführung und die Sprecherin oder der Sprecher des Gremiums."
            )
        )
    poll = Poll(
        workspace=workspace,
        title=title,
        description=description,
        location=location,
        online_url=online_url,
        deadline=deadline,
        organiser=actor,
        purpose=purpose,
    )
    poll.full_clean(exclude=["confirmed_slot", "event"])
    poll.save()
    Slot.objects.bulk_create(Slot(poll=poll, starts_at=start, ends_at=end) for start, end in sorted(slots))
    users = [actor]
    if invite_members:
        users += [m.user for m in workspace.members.select_related("user__person").exclude(user=actor)]
    externals: list[tuple[str, str]] = []
    if invite_body:
        if workspace.body_id is None:
            raise ValidationError(_("Alle Mitglieder eines Gremiums lassen sich nur im Arbeitsbereich eines Gremiums einladen."))
        members_in, externals = body_invitees(workspace, exclude_users={u.pk for u in users})
        users += members_in
    Participant.objects.bulk_create(Participant(poll=poll, user=user, name=_name(user)) for user in users if user.is_active)
    links = []
    for name, email in externals:
        token, token_hash = Participant.new_token()
        links.append((Participant.objects.create(poll=poll, name=name[:150], email=email, token_hash=token_hash), token))
    record(
        actor,
        "poll.created",
        poll,
        after={**snapshot(poll), "slots": [(s.isoformat(), e.isoformat()) for s, e in slots], "external": len(links)},
    )
    notices.poll_opened(poll, users[1:], actor)
    for participant, token in links:
        notices.external_invited(poll, participant, token, actor)
    return poll


def body_invitees(workspace, *, exclude_users: set[int]) -> tuple[list, list[tuple[str, str]]]:
    """The body's current members (not guests) with an e-mail address, split into workspace members with an
    active account (answer in the platform) and everybody else (name, e-mail: a personal link)."""
    from members.models import Membership, Person

    in_workspace = set(workspace.members.values_list("user_id", flat=True))
    people = (
        Person.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.current().filter(body_id=workspace.body_id).exclude(role=Membership.Role.GUEST),
        )
        .exclude(email="")
        .select_related("user")
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )
    users, externals, seen = [], [], set()
    for person in people:
        account = person.user if person.user_id and person.user.is_active else None
        if account is not None and account.pk in in_workspace:
            if account.pk not in exclude_users:
                users.append(account)
                exclude_users = exclude_users | {account.pk}
            continue
        email = person.email.strip().lower()
        if email not in seen:
            seen.add(email)
            externals.append((person.full_name, email))
    return users, externals


@transaction.atomic
def add_external(actor, poll: Poll, *, name: str, email: str) -> tuple[Participant, str]:
    """Invite somebody without an account; returns the participant and the clear token (only for the mail)."""
    poll = _lock(poll)
    if not can_manage_poll(actor, poll):
        raise ValidationError(_("Nur die Organisation der Abstimmung lädt weitere Personen ein."))
    if not poll.accepts_answers:
        raise ValidationError(_("Die Abstimmung nimmt keine Antworten mehr an; es kann niemand mehr eingeladen werden."))
    email = email.strip().lower()
    if poll.participants.filter(Q(email=email) | Q(user__email=email)).exists():
        raise ValidationError({"email": _("Diese Person ist bereits zur Abstimmung eingeladen.")})
    token, token_hash = Participant.new_token()
    participant = Participant(poll=poll, name=" ".join(name.split()), email=email, token_hash=token_hash)
    participant.full_clean(exclude=["poll", "user"])
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError({"email": _("Diese Person ist bereits zur Abstimmung eingeladen.")}) from None
    record(
        actor, "poll.participant.added", poll, after={"participant": participant.pk, "name": participant.name, "external": True}
    )
    notices.external_invited(poll, participant, token, actor)
    return participant, token


def participant_for(user, poll: Poll) -> Participant:
    """The member's own row (created when a workspace member who was not invited answers first)."""
    participant = poll.participants.filter(user=user).first()
    if participant is None:
        participant, _created = Participant.objects.get_or_create(poll=poll, user=user, defaults={"name": _name(user)})
    return participant


def refuse_if_closed(poll: Poll) -> None:
    if poll.status != Poll.Status.OPEN:
        raise ValidationError(_("Der Termin ist bereits bestätigt; Antworten sind nicht mehr möglich."))
    if poll.deadline <= timezone.now():
        raise ValidationError(
            _("Die Abstimmung ist seit %(deadline)s beendet; Antworten sind nicht mehr möglich.")
            % {"deadline": when(poll.deadline)}
        )


@transaction.atomic
def answer(participant: Participant, choices: dict[int, str], comment: str = "") -> Participant:
    """Save one participant's answers (only their own row). ``choices`` maps slot ids of this poll to yes/maybe/no."""
    poll = _lock(participant.poll)
    refuse_if_closed(poll)
    slot_ids = set(poll.slots.values_list("pk", flat=True))
    if set(choices) - slot_ids:
        raise ValidationError(_("Die Antwort nennt einen Terminvorschlag, der nicht zu dieser Abstimmung gehört."))
    if set(choices) != slot_ids:
        raise ValidationError(_("Bitte wählen Sie für jeden Terminvorschlag eine Antwort."))
    if any(choice not in Choice.values for choice in choices.values()):
        raise ValidationError(_("Bitte antworten Sie mit Ja, Wenn nötig oder Nein."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    for slot_id, choice in choices.items():
        Answer.objects.update_or_create(participant=participant, slot_id=slot_id, defaults={"choice": choice})
    participant.comment = comment.strip()[:1000]
    participant.answered_at = timezone.now()
    participant.save(update_fields=["comment", "answered_at", "modified"])
    return participant


@transaction.atomic
def confirm(actor, poll: Poll, slot: Slot):
    """Fix the slot: the event appears in the workspace calendar and every participant gets it as .ics.

    Receivers of ``slot_confirmed`` may return what they made of the slot (e.g. a draft meeting); those
    objects are on the returned event as ``outcomes``, so the caller can point to them.
    """
    poll = _lock(poll)
    if not can_manage_poll(actor, poll):
        raise ValidationError(_("Nur die Organisation der Abstimmung bestätigt einen Termin."))
    if poll.status != Poll.Status.OPEN:
        raise ValidationError(_("Für diese Abstimmung ist bereits ein Termin bestätigt."))
    if slot.poll_id != poll.pk:
        raise ValidationError(_("Dieser Terminvorschlag gehört nicht zu dieser Abstimmung."))
    event = create_event(
        None,  # the organiser's right to confirm was checked above; an organiser who only reads may still confirm
        poll.workspace,
        title=poll.title,
        description=poll.description,
        location=poll.location,
        online_url=poll.online_url,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    poll.status = Poll.Status.CONFIRMED
    poll.confirmed_slot = slot
    poll.event = event
    poll.closed_at = timezone.now()
    poll.version += 1
    poll.save(update_fields=["status", "confirmed_slot", "event", "closed_at", "version", "modified"])
    record(
        actor,
        "poll.confirmed",
        poll,
        after={"slot": slot.pk, "starts_at": slot.starts_at.isoformat(), "ends_at": slot.ends_at.isoformat(), "event": event.pk},
    )
    responses = slot_confirmed.send(sender=Poll, poll=poll, slot=slot, event=event, actor=actor)
    notices.slot_confirmed(poll, event, actor)
    event.outcomes = [obj for _receiver, obj in responses if obj is not None]
    return event


def _deletion_record(poll: Poll) -> dict:
    return {
        **snapshot(poll),
        "participants": poll.participants.count(),
        "answers": Answer.objects.filter(participant__poll=poll).count(),
    }


@transaction.atomic
def delete_poll(actor, poll: Poll) -> None:
    """Delete a poll with its answers (the calendar event of a confirmed poll stays)."""
    poll = _lock(poll)
    if not can_manage_poll(actor, poll):
        raise ValidationError(_("Nur die Organisation der Abstimmung löscht sie."))
    record(actor, "poll.deleted", poll, before=_deletion_record(poll))
    forget(poll)  # the mails about it carry the external participants' personal links
    poll.delete()


# --- Periodic work (see polls/housekeeping.py) -----------------------------------------------------


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind participants without an answer once, when a poll's deadline is less than POLL_REMINDER_HOURS away."""
    now = now or timezone.now()
    soon = now + dt.timedelta(hours=settings.POLL_REMINDER_HOURS)
    sent = 0
    due = Poll.objects.filter(status=Poll.Status.OPEN, reminder_sent_at__isnull=True, deadline__gt=now, deadline__lte=soon)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            poll = Poll.objects.select_for_update(skip_locked=True).filter(pk=pk, reminder_sent_at__isnull=True).first()
            if poll is None:
                continue
            silent = list(poll.participants.filter(answered_at__isnull=True).select_related("user"))
            if silent:
                notices.reminder(poll, silent)
            Poll.objects.filter(pk=pk).update(reminder_sent_at=now)
            sent += len(silent)
    return sent


def delete_expired(now: dt.datetime | None = None) -> int:
    """Delete polls POLL_RETENTION_DAYS after they closed (confirmed, or else their deadline); each deletion is logged."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.POLL_RETENTION_DAYS)
    expired = Poll.objects.annotate(closed=Coalesce("closed_at", "deadline")).filter(closed__lt=cutoff)
    deleted = 0
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            poll = Poll.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if poll is None:
                continue
            before = _deletion_record(poll)
            before["reason"] = f"retention ({settings.POLL_RETENTION_DAYS} days)"
            record(None, "poll.deleted", poll, before=before)
            forget(poll)
            poll.delete()
            deleted += 1
    if deleted:
        log.info(
            "polls: deleted %s polls closed before %s (retention %s days)",
            deleted,
            cutoff.isoformat(),
            settings.POLL_RETENTION_DAYS,
        )
    return deleted
