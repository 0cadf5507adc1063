"""The invitation part of the office's year in Chromium, mail over real SMTP (issue 10).

Date poll for the whole Regiegruppe → confirmed: a draft meeting that keeps the poll's place and host and
names the body once → the office previews the invitation with its own covering text, adds a guest and
sends → the first mail is a first invitation → a member without an account and the guest answer through
their personal links → the office sees who answered what and reminds the rest → the minutes' attendance
is prefilled. Every page is scanned with axe; the changed screens are photographed at 320 and 1280 px.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.invitations.recipients import recipients
from meetings.minutes import actions as minutes_actions
from meetings.models import Meeting, Reply
from tests.calendar_events.conftest import soon
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.support.smtp import LocalSMTPServer
from workspaces.actions import ensure_body_workspaces

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("INVITE_SHOTS", "")) if os.environ.get("INVITE_SHOTS") else None
LINK = re.compile(r"https?://[^\s\"<>]*(/sitzungen/antwort/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def smtp(settings, live_server, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.SITE_URL = live_server.url
        yield server


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def both_widths(page, name: str, context: str) -> None:
    """axe and no sideways scrolling at 1280 and 320 px; screenshots when INVITE_SHOTS names a folder."""
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        assert_no_horizontal_scroll(page, context=f"{context} at {viewport['width']}px")
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
    page.set_viewport_size(WIDE)
    assert_accessible(page, context=context)


def test_invitation_and_replies_with_and_without_an_account(page, browser_context, login_as, personas, smtp):
    office, member = personas["office"], personas["member"]
    ensure_body_workspaces()
    day = soon(40)

    # A date poll for a meeting, asking the whole body (most members have no account).
    login_as(office)
    page.goto("/arbeitsbereiche/regiegruppe/terminabstimmungen/neu/")
    page.get_by_label("Titel", exact=True).fill("Regiegruppe: Regietreffen im Herbst")
    page.get_by_label(re.compile("^Sitzung des Gremiums")).check()
    page.get_by_role("textbox", name=re.compile("^Ort")).fill("Rathaus Bottrop, Ratssaal")
    page.get_by_label("Antworten bis").fill(soon(10, 18).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Vorschlag 1: Beginn").fill(day.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Vorschlag 1: Ende").fill(day.strftime("%Y-%m-%dT13:00"))
    expect(page.get_by_label(re.compile("Alle Mitglieder des Gremiums „Regiegruppe“ einladen"))).to_be_checked()
    page.get_by_role("button", name="Abstimmung starten").click()
    expect(page.get_by_text(re.compile("Die Terminabstimmung .* läuft"))).to_be_visible()
    page.get_by_label(re.compile(r"10:00–13:00 Uhr")).check()
    page.get_by_role("button", name="Termin bestätigen").click()

    # The draft keeps the poll's place and host and names the body once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Regiegruppe: Regietreffen im Herbst")
    expect(page.get_by_text("Rathaus Bottrop, Ratssaal")).to_be_visible()
    meeting = Meeting.objects.get(title="Regietreffen im Herbst")
    assert meeting.host_municipality.short_name == "Bottrop"
    for title, public in (("Bericht aus den Städten", True), ("Vertrauliche Personalfrage", False)):
        item = agenda_actions.propose_item(office, meeting.body, title=title, public=public)
        agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    meeting_actions.schedule_meeting(office, meeting)

    # Preview with the office's own covering text, a guest, then send.
    page.goto(f"/sitzungen/{meeting.pk}/einladung/")
    page.get_by_label("Anschreiben der Geschäftsführung").fill("Liebe Mitglieder, bitte bringen Sie Ihre Jahreszahlen mit.")
    page.get_by_role("button", name="Vorschau der E-Mail").click()
    preview = page.locator(".mail-preview")
    expect(preview).to_contain_text("Liebe Mitglieder, bitte bringen Sie Ihre Jahreszahlen mit.")
    expect(preview).to_contain_text("hiermit lädt die Geschäftsführung Sie zur Sitzung")
    expect(preview).not_to_contain_text("hat sich geändert")
    both_widths(page, "einladung-vorschau", "invitation page with preview")
    page.get_by_label("Name", exact=True).fill("Dr. Gerda Gast")
    page.get_by_label("E-Mail-Adresse", exact=True).fill("gerda@partner.example")
    page.get_by_label(re.compile("^Organisation")).fill("Landesinitiative")
    page.get_by_role("button", name="Gast hinzufügen").click()
    expect(page.get_by_text(re.compile("Dr. Gerda Gast erhält die Einladung"))).to_be_visible()
    page.get_by_label("Anschreiben der Geschäftsführung").fill("Liebe Mitglieder, bitte bringen Sie Ihre Jahreszahlen mit.")
    page.get_by_role("button", name="Einladung senden").click()
    expect(page.get_by_text(re.compile("Die Einladung geht an \\d+ Personen"))).to_be_visible()
    people = recipients(meeting)
    received = smtp.wait_for(len(people) + 1, timeout=60)
    without_account = next(p for p in people if p.user_id is None)
    silent_mail = next(m for m in received if m.envelope_to == [without_account.email])
    assert "] Einladung: Regiegruppe am" in silent_mail["Subject"]  # a first invitation, not an update
    assert "bitte bringen Sie Ihre Jahreszahlen mit" in text_of(silent_mail)
    guest_mail = next(m for m in received if m.envelope_to == ["gerda@partner.example"])
    assert "Vertrauliche Personalfrage" not in text_of(guest_mail)

    # A member without an account replies through the personal link: no login.
    browser_context.clear_cookies()
    page.goto(LINK.search(text_of(silent_mail)).group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Rückmeldung")
    expect(page.get_by_text("Vertrauliche Personalfrage")).to_be_visible()  # a member reads the whole agenda
    page.get_by_label("Meine Vertretung nimmt teil").check()
    page.get_by_label("Wer vertritt Sie?").fill("Paula Vertretung")
    page.get_by_label("Bemerkung").fill("Ich bin im Urlaub.")
    page.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    expect(page.get_by_text("Vertretung: Paula Vertretung.")).to_be_visible()
    both_widths(page, "rueckmeldung-link", "personal reply page (member without account)")

    # The guest answers through theirs and sees only the public agenda.
    page.goto(LINK.search(text_of(guest_mail)).group(1))
    assert page.get_by_text("Vertrauliche Personalfrage").count() == 0
    page.get_by_label("Ich nehme teil").check()
    page.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()

    # A member with an account answers on the meeting page.
    login_as(member)
    page.goto(f"/sitzungen/{meeting.pk}/")
    page.get_by_label("Ich nehme teil").check()
    page.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    assert Reply.objects.filter(meeting=meeting).count() == 3

    # The office sees who answered what and reminds the others.
    browser_context.clear_cookies()
    login_as(office)
    page.goto(f"/sitzungen/{meeting.pk}/")
    overview = page.locator("section", has=page.get_by_role("heading", name="Rückmeldungen zur Einladung"))
    expect(overview).to_contain_text(f"{without_account.full_name} → Paula Vertretung")
    expect(overview).to_contain_text("Dr. Gerda Gast")
    silent = len(people) - 2
    both_widths(page, "sitzung-rueckmeldungen", "meeting page with the replies (office)")
    smtp.clear()
    page.get_by_role("button", name=f"{silent} Personen ohne Rückmeldung erinnern").click()
    expect(page.get_by_text(f"{silent} Personen ohne Rückmeldung werden erinnert.")).to_be_visible()
    reminders = smtp.wait_for(silent, timeout=60)
    assert without_account.email not in {m.envelope_to[0] for m in reminders}
    assert all(LINK.search(text_of(m)) for m in reminders)

    # The meeting took place (moved into the past here) and the office marked it held: the minutes start
    # from the replies, the member who attends is ticked.
    past = timezone.now() - dt.timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(start=past, end=past + dt.timedelta(hours=2))
    meeting.refresh_from_db()
    minutes_actions.mark_held(office, meeting)
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    expect(page.get_by_label("Mara Member", exact=False)).to_be_checked()
