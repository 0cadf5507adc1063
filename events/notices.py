"""The mails of events with registration. People registering usually have no account, so every mail is an
outbox row to an address next to a ``notify()`` event (the worker sends it, with the event's attachments).

Confirmations carry the event as an iCalendar REQUEST from ``calendar_events.ical.calendar_ics`` (the
platform's one serialiser); a cancellation carries the CANCEL with the same UID.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from calendar_events import ical
from calendar_events.templatetags.calendar_tags import when
from notifications.audience import Audience
from notifications.models import Event as NotificationEvent
from notifications.models import EventAttachment, Outbox

from . import links
from .models import Contingent, Registration

ICS = "text/calendar"


def _send(to: str, *, verb: str, subject: str, text: str, target, attachments=()) -> None:
    """The mail's event (the record behind it, holding the attachments) and its outbox row to the address.

    The event has no account among its recipients, so it is written as fanned out at once: what ``notify()``
    with an empty audience ends in, without its savepoints and its fan-out round trips. Registration writes
    this while it holds the event's lock, so every round trip saved here shortens the queue of the rush.
    """
    now = timezone.now()
    event = NotificationEvent.objects.create(
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        subject=subject[:250],
        text=text,
        html=linebreaks(escape(text)),
        audience=Audience.users([]).as_json(),
        state=NotificationEvent.State.DONE,
        fanned_out_at=now,
    )
    if attachments:
        EventAttachment.objects.bulk_create(
            EventAttachment(event=event, filename=name, content=content, mimetype=mimetype)
            for name, content, mimetype in attachments
        )
    Outbox.objects.create(recipient=None, to_email=to, event=event, subject=subject[:250], text=text)


def _values(registration: Registration) -> dict:
    event = registration.event
    return {
        "name": registration.name,
        "title": event.title,
        "when": when(event.starts_at, event.ends_at),
        "where": event.location or event.online_url,
        "url": links.registration_url(registration),
    }


def _ics(registration: Registration, method: str) -> tuple[str, bytes, str]:
    data = ical.calendar_ics(registration.event, method=method, attendees=[(registration.name, registration.email)])
    return ("veranstaltung.ics", data, ICS)


def confirmed(registration: Registration) -> None:
    with translation.override("de"):
        subject = _("Anmeldung bestätigt: %(title)s") % {"title": registration.event.title}
        text = _(
            "Guten Tag %(name)s,\n\nIhre Anmeldung zu „%(title)s“ (%(when)s, %(where)s) ist bestätigt. "
            "Den Termin für Ihren Kalender finden Sie im Anhang.\n\n"
            "Über Ihren persönlichen Link sehen, ändern oder stornieren Sie Ihre Anmeldung:\n%(url)s\n\n"
            "Bitte geben Sie den Link nicht weiter."
        ) % _values(registration)
    _send(
        registration.email,
        verb="events.confirmed",
        subject=subject,
        text=text,
        target=registration.event,
        attachments=[_ics(registration, "REQUEST")],
    )


def received(registration: Registration) -> None:
    """Waiting for the office's approval, or on the waiting list."""
    values = _values(registration)
    with translation.override("de"):
        if registration.status == Registration.Status.WAITING:
            subject = _("Warteliste: %(title)s") % values
            text = (
                _(
                    "Guten Tag %(name)s,\n\n„%(title)s“ ist derzeit ausgebucht. Sie stehen auf der Warteliste. "
                    "Wird ein Platz frei, bieten wir ihn Ihnen per E-Mail an.\n\nIhre Anmeldung:\n%(url)s"
                )
                % values
            )
        else:
            subject = _("Anmeldung eingegangen: %(title)s") % values
            text = (
                _(
                    "Guten Tag %(name)s,\n\nIhre Anmeldung zu „%(title)s“ ist eingegangen. Die Geschäftsstelle bestätigt "
                    "sie in den nächsten Tagen; Sie erhalten dann eine weitere E-Mail.\n\nIhre Anmeldung:\n%(url)s"
                )
                % values
            )
    _send(registration.email, verb="events.received", subject=subject, text=text, target=registration.event)


def invited(registration: Registration) -> None:
    values = _values(registration)
    with translation.override("de"):
        subject = _("Einladung: %(title)s") % values
        text = (
            _(
                "Guten Tag %(name)s,\n\nwir laden Sie herzlich ein zu „%(title)s“ (%(when)s, %(where)s).\n\n"
                "Über Ihren persönlichen Link melden Sie sich an:\n%(url)s\n\nBitte geben Sie den Link nicht weiter."
            )
            % values
        )
    _send(registration.email, verb="events.invited", subject=subject, text=text, target=registration.event)


def existing(registration: Registration) -> None:
    """Somebody registered again with this address: the link to the existing registration goes to the address
    only, so the page never tells a stranger who is registered."""
    values = _values(registration)
    with translation.override("de"):
        subject = _("Ihre Anmeldung zu %(title)s") % values
        text = (
            _(
                "Guten Tag,\n\nmit dieser E-Mail-Adresse besteht bereits eine Anmeldung zu „%(title)s“. "
                "Über diesen Link sehen und ändern Sie sie:\n%(url)s\n\n"
                "Falls Sie sich nicht erneut angemeldet haben, können Sie diese E-Mail ignorieren."
            )
            % values
        )
    _send(registration.email, verb="events.existing", subject=subject, text=text, target=registration.event)


def offered(registration: Registration) -> None:
    values = {**_values(registration), "until": when(registration.offer_expires_at)}
    with translation.override("de"):
        subject = _("Ein Platz ist frei: %(title)s") % values
        text = (
            _(
                "Guten Tag %(name)s,\n\nfür „%(title)s“ ist ein Platz frei geworden, und Sie sind auf der Warteliste "
                "an der Reihe. Bitte bestätigen Sie bis %(until)s über Ihren Link, dass Sie ihn nehmen:\n%(url)s\n\n"
                "Danach geht der Platz an die nächste Person auf der Warteliste."
            )
            % values
        )
    _send(registration.email, verb="events.offered", subject=subject, text=text, target=registration.event)


def offer_expired(registration: Registration) -> None:
    values = _values(registration)
    with translation.override("de"):
        subject = _("Platzangebot abgelaufen: %(title)s") % values
        text = (
            _(
                "Guten Tag %(name)s,\n\nSie haben den angebotenen Platz für „%(title)s“ nicht rechtzeitig bestätigt; "
                "er ist an die nächste Person auf der Warteliste gegangen."
            )
            % values
        )
    _send(registration.email, verb="events.offer_expired", subject=subject, text=text, target=registration.event)


def cancelled(registration: Registration, *, by_office: bool = False, reason: str = "") -> None:
    values = {**_values(registration), "reason": reason}
    with translation.override("de"):
        subject = _("Abgesagt: %(title)s") % values
        if by_office:
            text = (
                _("Guten Tag %(name)s,\n\nleider können wir Ihre Anmeldung zu „%(title)s“ nicht bestätigen.\n\n%(reason)s")
                % values
            )
        else:
            text = (
                _("Guten Tag %(name)s,\n\nSie haben Ihre Anmeldung zu „%(title)s“ storniert. Schade, dass Sie nicht dabei sind.")
                % values
            )
    attachments = [_ics(registration, "CANCEL")]
    _send(
        registration.email,
        verb="events.cancelled",
        subject=subject,
        text=text.strip(),
        target=registration.event,
        attachments=attachments,
    )


def contingent_opened(contingent: Contingent) -> None:
    event = contingent.event
    values = {
        "name": contingent.coordinator_name,
        "city": contingent.municipality.short_name,
        "title": event.title,
        "places": contingent.places,
        "deadline": when(event.contingent_deadline) if event.contingent_deadline else "",
        "url": links.contingent_url(contingent),
    }
    with translation.override("de"):
        subject = _("Kontingent %(city)s: %(title)s") % values
        text = (
            _(
                "Guten Tag %(name)s,\n\nfür „%(title)s“ sind %(places)s Plätze für %(city)s reserviert. "
                "Über Ihren persönlichen Link benennen Sie bis %(deadline)s die Gäste Ihrer Stadt:\n%(url)s\n\n"
                "Danach gehen nicht genutzte Plätze an die allgemeine Anmeldung."
            )
            % values
        )
    _send(contingent.coordinator_email, verb="events.contingent", subject=subject, text=text, target=event)
