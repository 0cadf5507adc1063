"""The mails and in-app notices of date polls, all through notifications.notify (in the caller's transaction).

External participants have no account, so their mails are written as outbox rows without a
recipient account next to the notify() event (the notifications worker sends them like any other;
there is no unsubscribe link, since they only get mails about this one poll).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from calendar_events import ical
from calendar_events.models import Event
from calendar_events.templatetags.calendar_tags import when
from notifications.actions import notify
from notifications.messages import Translatable
from notifications.models import Outbox

from .models import Participant, Poll

ICS_MIME = "text/calendar"


def _external(poll: Poll, participant: Participant, *, verb: str, subject: str, text: str, attachments=()) -> None:
    event = notify(recipients=[], verb=verb, subject=subject, text=text, target=poll, attachments=attachments)
    Outbox.objects.create(recipient=None, to_email=participant.email, event=event, subject=subject[:250], text=text)


def _slot_lines(poll: Poll) -> str:
    return "\n".join(f"- {when(slot.starts_at, slot.ends_at)}" for slot in poll.slots.all())


def poll_opened(poll: Poll, users: Iterable, actor) -> None:
    """Tell the invited members with an account that they are asked for their availability."""
    with translation.override("de"):
        subject = Translatable(gettext_noop("Terminabstimmung: %(title)s"), {"title": poll.title})
        text = _(
            "%(organiser)s bittet Sie um Ihre Verfügbarkeit für „%(title)s“ (Arbeitsbereich %(workspace)s).\n\n"
            "Vorgeschlagene Termine:\n%(slots)s\n\nBitte antworten Sie bis %(deadline)s:\n%(url)s"
        ) % {
            "organiser": actor,
            "title": poll.title,
            "workspace": poll.workspace.name,
            "slots": _slot_lines(poll),
            "deadline": when(poll.deadline),
            "url": settings.SITE_URL + poll.get_absolute_url(),
        }
    notify(
        recipients=list(users),
        verb="polls.opened",
        subject=subject,
        text=text,
        target=poll,
        actor=actor,
        workspace=poll.workspace,
        always=True,
        url=poll.get_absolute_url(),
    )


def external_link(token: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("polls:external", args=[token])


def external_invited(poll: Poll, participant: Participant, token: str, actor) -> None:
    with translation.override("de"):
        subject = Translatable(gettext_noop("Terminabstimmung: %(title)s"), {"title": poll.title})
        text = _(
            "Guten Tag %(name)s,\n\n%(organiser)s bittet Sie um Ihre Verfügbarkeit für „%(title)s“.\n\n"
            "Vorgeschlagene Termine:\n%(slots)s\n\n"
            "Über Ihren persönlichen Link antworten Sie ohne Anmeldung bis %(deadline)s:\n%(url)s\n\n"
            "Bitte geben Sie den Link nicht weiter: Wer ihn kennt, kann Ihre Antwort ändern."
        ) % {
            "name": participant.name,
            "organiser": actor,
            "title": poll.title,
            "slots": _slot_lines(poll),
            "deadline": when(poll.deadline),
            "url": external_link(token),
        }
    _external(poll, participant, verb="polls.invited", subject=subject, text=text)


def reminder(poll: Poll, participants: list[Participant]) -> None:
    """Remind those who have not answered; externals get a link to ask the organiser (their token is not kept)."""
    with translation.override("de"):
        subject = Translatable(gettext_noop("Erinnerung: Terminabstimmung „%(title)s“ endet bald"), {"title": poll.title})
        values = {"title": poll.title, "deadline": when(poll.deadline)}
        member_text = _(
            "Sie haben bei der Terminabstimmung „%(title)s“ noch nicht geantwortet. Antworten sind bis %(deadline)s möglich:\n%(url)s"
        ) % {**values, "url": settings.SITE_URL + poll.get_absolute_url()}
        external_text = (
            _(
                "Sie haben bei der Terminabstimmung „%(title)s“ noch nicht geantwortet. Antworten sind bis %(deadline)s "
                "über den persönlichen Link aus unserer ersten E-Mail möglich."
            )
            % values
        )
    users = [p.user for p in participants if p.user_id]
    if users:
        notify(
            recipients=users,
            verb="polls.reminder",
            subject=subject,
            text=member_text,
            target=poll,
            workspace=poll.workspace,
            always=True,
            url=poll.get_absolute_url(),
        )
    for participant in participants:
        if participant.is_external:
            _external(poll, participant, verb="polls.reminder", subject=subject, text=external_text)


def _confirmation_text(poll: Poll, event: Event, url: str) -> str:
    place = event.location or event.online_url
    return _(
        "Der Termin für „%(title)s“ steht fest:\n\n%(when)s\n%(place)s\n\n"
        "Die Einladung für Ihren Kalender hängt an dieser E-Mail (termin.ics).\n%(url)s"
    ) % {"title": poll.title, "when": when(event.starts_at, event.ends_at), "place": place, "url": url}


def slot_confirmed(poll: Poll, event: Event, actor) -> None:
    """Every participant gets the confirmation with an iTIP REQUEST .ics (same UID as the calendar event)."""
    participants = list(poll.participants.select_related("user"))
    attendees = [(p.name, p.email or p.user.email) for p in participants]
    attachment = ("termin.ics", ical.invitation_ics(event, attendees), ICS_MIME)
    with translation.override("de"):
        subject = Translatable(gettext_noop("Termin bestätigt: %(title)s"), {"title": poll.title})
        member_text = _confirmation_text(poll, event, settings.SITE_URL + event.get_absolute_url())
        external_text = _confirmation_text(poll, event, "")
    users = [p.user for p in participants if p.user_id]
    if users:
        notify(
            recipients=users,
            verb="polls.confirmed",
            subject=subject,
            text=member_text,
            target=poll,
            actor=actor,
            workspace=poll.workspace,
            always=True,
            attachments=[attachment],
            url=event.get_absolute_url(),
        )
    for participant in participants:
        if participant.is_external:
            _external(poll, participant, verb="polls.confirmed", subject=subject, text=external_text, attachments=[attachment])


def event_cancelled(poll: Poll, event: Event, actor) -> None:
    """The confirmed event was deleted: an iTIP CANCEL removes it from the participants' calendars."""
    participants = list(poll.participants.select_related("user"))
    attachment = ("absage.ics", ical.cancellation_ics(event), ICS_MIME)
    with translation.override("de"):
        subject = Translatable(gettext_noop("Termin abgesagt: %(title)s"), {"title": event.title})
        text = _("Der Termin „%(title)s“ am %(when)s wurde abgesagt.") % {
            "title": event.title,
            "when": when(event.starts_at, event.ends_at),
        }
    users = [p.user for p in participants if p.user_id]
    if users:
        notify(
            recipients=users,
            verb="polls.cancelled",
            subject=subject,
            text=text,
            actor=actor,
            workspace=poll.workspace,
            always=True,
            attachments=[attachment],
        )
    for participant in participants:
        if participant.is_external:
            _external(poll, participant, verb="polls.cancelled", subject=subject, text=text, attachments=[attachment])
