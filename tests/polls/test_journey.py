"""Journey in Chromium: a date poll with an external participant, from the invitation to the .ics in the mailbox.

The organiser starts the poll and invites an external person; the mail goes over a real SMTP server
on localhost; the external person answers through the personal link without an account; the
organiser confirms; the event is in the calendar and every participant receives the confirmation
with an .ics that parses and carries the event's UID. Every page on the way gets an axe scan.
"""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from calendar_events.models import Event
from notifications.dispatch import run_once
from polls.models import Answer, Participant, Poll
from tests.calendar_events.conftest import soon
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.support.smtp import LocalSMTPServer
from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _scan(page, what: str) -> None:
    assert_accessible(page, context=what)
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scroll(page, context=what)
    page.set_viewport_size({"width": 1280, "height": 900})


def _use_smtp(settings, smtp) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_USE_TLS = False


def _ics(message) -> Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_filename() == "termin.ics"]
    assert part.get_content_type() == "text/calendar"
    return Calendar.from_ical(part.get_payload(decode=True))


def test_date_poll_with_an_external_participant(page, chromium, live_server, login_as, personas, lead, make_workspace, settings):
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Forum 2031 vorbereiten")
    give_role(workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    login_as(lead)
    day1, day2 = soon(20), soon(21)

    # The organiser starts the poll.
    page.goto(f"/arbeitsbereiche/{workspace.slug}/terminabstimmungen/neu/")
    _scan(page, "poll form")
    page.get_by_label("Titel", exact=True).fill("Vorbereitungstreffen Forum")
    page.get_by_role("textbox", name="Ort (optional)").fill("Rathaus Herne, Raum 215")
    page.get_by_label("Antworten bis").fill(soon(10, 18).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Vorschlag 1: Beginn").fill(day1.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Vorschlag 1: Ende").fill(day1.strftime("%Y-%m-%dT12:00"))
    page.get_by_label("Vorschlag 2: Beginn").fill(day2.strftime("%Y-%m-%dT14:00"))
    page.get_by_label("Vorschlag 2: Ende").fill(day2.strftime("%Y-%m-%dT16:00"))
    page.get_by_role("button", name="Abstimmung starten").click()
    page.get_by_text("läuft").first.wait_for()
    poll = Poll.objects.get()
    assert page.url.endswith(f"/terminabstimmungen/{poll.pk}/")
    assert "Uhr (ME" in page.content()  # slots with their time zone
    _scan(page, "poll detail (organiser)")

    with LocalSMTPServer() as smtp:
        _use_smtp(settings, smtp)
        # … and invites an external participant.
        page.get_by_label("Name", exact=True).fill("Erika Extern")
        page.get_by_label("E-Mail-Adresse", exact=True).fill("erika@partner.example")
        page.get_by_role("button", name="Einladen").click()
        page.get_by_text("erhält eine E-Mail mit einem persönlichen Link").wait_for()
        run_once()
        invitation = next(m for m in smtp.wait_for(2) if m.envelope_to == ["erika@partner.example"])
        text = invitation.get_body(("plain",)).get_content()
        link = re.search(r"http://testserver(/terminabstimmung/[^/\s]+/)", text).group(1)
        smtp.clear()

        # The external person answers through the link, without an account.
        guest_context = chromium.new_context(locale="de-DE", base_url=live_server.url)
        guest = guest_context.new_page()
        guest.goto(link)
        assert "Terminabstimmung für Erika Extern" in guest.content()
        _scan(guest, "external answer page")
        first, second = poll.slots.all()
        guest.locator(f"input[name='slot_{first.pk}'][value='no']").check()
        guest.locator(f"input[name='slot_{second.pk}'][value='yes']").check()
        guest.get_by_label("Kommentar").fill("Am ersten Tag bin ich verreist.")
        guest.get_by_role("button", name="Antwort speichern").click()
        guest.get_by_text("Vielen Dank, Ihre Antwort wurde gespeichert.").wait_for()
        _scan(guest, "external answer page after saving")
        erika = Participant.objects.get(email="erika@partner.example")
        assert dict(Answer.objects.filter(participant=erika).values_list("slot_id", "choice")) == {
            first.pk: "no",
            second.pk: "yes",
        }
        guest.goto("/terminabstimmung/falscher-link/")
        assert guest.get_by_role("heading", level=1).inner_text()  # the friendly 404 page
        guest_context.close()

        # The organiser confirms the second slot.
        page.reload()
        assert "Erika Extern" in page.content()
        page.get_by_label(re.compile(r"14:00–16:00 Uhr")).check()
        page.get_by_role("button", name="Termin bestätigen").click()
        page.get_by_text("Der Termin ist bestätigt und steht im Kalender.").wait_for()
        event = Event.objects.get(workspace=workspace)
        assert page.url.endswith(f"/termine/{event.pk}/")
        _scan(page, "event created from the poll")

        run_once()
        messages = smtp.wait_for(2)
    recipients = sorted(m.envelope_to[0] for m in messages)
    assert recipients == ["erika@partner.example", "member@test.example"]
    for message in messages:
        assert "Termin bestätigt: Vorbereitungstreffen Forum" in message["Subject"]
        cal = _ics(message)
        [vevent] = cal.walk("VEVENT")
        assert cal["METHOD"] == "REQUEST"
        assert vevent["UID"] == event.uid
        assert vevent.decoded("DTSTART") == second.starts_at and vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert cal.walk("VTIMEZONE")
