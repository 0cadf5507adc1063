"""The agenda and minutes side of the office's year in Chromium (issue 10): the speaker and the office edit
the agenda; the meeting is marked held and its agenda freezes; typed minutes survive an error; circulation,
approval and publication ask first and say what happened; a correction shows on the public page.

Every page ends with an axe scan; the changed screens are checked at 320 px too and saved as screenshots
(``CYCLE_SHOTS``, default: not saved)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.models import Minutes
from members.models import Body, Membership, Municipality, Person
from tests.conftest import make_user
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}
SHOTS = os.environ.get("CYCLE_SHOTS", "")


def check(page, name: str) -> None:
    """axe at 1280 px, reflow at 320 px, and screenshots of both when asked for."""
    assert_accessible(page, context=name)
    for viewport in (NARROW, WIDE):
        page.set_viewport_size(viewport)
        if viewport is NARROW:
            assert_no_horizontal_scroll(page, context=name)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{viewport['width']}.png", full_page=True)


def switch(browser_context, login_as, user) -> None:
    browser_context.clear_cookies()
    login_as(user)


def test_agenda_by_speaker_and_office_then_frozen_minutes_confirmed_and_corrected(
    page, browser_context, login_as, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    office = personas["office"]
    body = Body.objects.get(slug="regiegruppe")
    speaker_user = make_user("sprecherin@test.example")
    speaker = Membership.objects.get(body=body, role=Membership.Role.SPEAKER).person
    Person.objects.filter(pk=speaker.pk).update(user=speaker_user)
    day = dt.date.today() + dt.timedelta(days=40)
    ahead, _w = meeting_actions.create_meeting(
        office,
        body,
        start=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
        end=dt.datetime.combine(day, dt.time(13), tzinfo=dt.UTC),
        title="Regietreffen Herbst",
        status="scheduled",
    )

    # The speaker reaches the agenda from the meeting page and adds an item directly.
    switch(browser_context, login_as, speaker_user)
    page.goto(f"/sitzungen/{ahead.pk}/")
    page.get_by_role("link", name="Tagesordnung bearbeiten").click()
    page.get_by_role("link", name="Punkt hinzufügen").click()
    page.get_by_label("Titel").fill("Bericht aus Hagen")
    page.get_by_label("Dauer (Minuten)").fill("25")
    check(page, "agenda-item-form")
    page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    expect(page.locator(".messages")).to_contain_text("„Bericht aus Hagen“ steht jetzt auf der Tagesordnung")
    expect(page.get_by_text("TOP 1: Bericht aus Hagen")).to_be_visible()

    # The office finds the same page from the meeting and edits the item.
    switch(browser_context, login_as, office)
    page.goto(f"/sitzungen/{ahead.pk}/")
    page.get_by_role("link", name="Tagesordnung bearbeiten").click()
    page.get_by_role("link", name=re.compile("bearbeiten.*Bericht aus Hagen")).click()
    page.get_by_label("Titel").fill("Bericht aus Hagen: Beitritt")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("TOP 1: Bericht aus Hagen: Beitritt")).to_be_visible()
    check(page, "agenda-open")

    # A meeting that took place: marked held after a question; its agenda is frozen.
    past = dt.date.today() - dt.timedelta(days=10)
    meeting, _w = meeting_actions.create_meeting(
        office,
        body,
        start=dt.datetime.combine(past, dt.time(8), tzinfo=dt.UTC),
        end=dt.datetime.combine(past, dt.time(11), tzinfo=dt.UTC),
        title="Regietreffen Sommer",
        host=Municipality.objects.get(slug="herne"),
        status="scheduled",
    )
    for title in ("Ausbildungsmessen", "Forum"):
        agenda_actions.add_item(office, meeting, None, title=title)
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    expect(page.get_by_text("Bitte vermerken Sie zuerst")).to_be_visible()
    page.get_by_role("link", name="Als durchgeführt vermerken …").click()
    expect(page.get_by_text("Die Tagesordnung wird abgeschlossen")).to_be_visible()
    check(page, "step-held")
    page.get_by_role("button", name="Ja, die Sitzung hat stattgefunden").click()
    expect(page.locator(".messages")).to_contain_text("als durchgeführt vermerkt")
    page.goto(f"/sitzungen/{meeting.pk}/tagesordnung/")
    expect(page.get_by_role("heading", name="Die Tagesordnung ist abgeschlossen")).to_be_visible()
    assert page.get_by_role("button", name=re.compile("nach unten")).count() == 0
    check(page, "agenda-frozen")

    # Minutes: an error keeps the typed text and points at its field.
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/")
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("Ausbildungsmessen")))
    section.locator("summary").click()
    typed = "Die Städte berichten über ihre Ausbildungsmessen; Hagen lädt zur nächsten ein."
    section.get_by_label("Zusammenfassung").fill(typed)
    section.get_by_label("Neue Aufgabe").fill("Zahlen zusammenstellen")
    section.get_by_role("button", name=re.compile("^Speichern")).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("TOP 1: Ausbildungsmessen – verantwortliche Person")
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("Ausbildungsmessen")))
    expect(section.get_by_label("Zusammenfassung")).to_have_value(typed)
    expect(section.get_by_label("verantwortliche Person")).to_have_attribute("aria-invalid", "true")
    check(page, "minutes-error")
    section.get_by_label("verantwortliche Stadt").select_option(label="Hagen")
    section.get_by_role("button", name=re.compile("^Speichern")).click()
    expect(page.locator(".messages")).to_contain_text("„Ausbildungsmessen“ ist gespeichert")
    expect(page.locator("p", has_text=typed)).to_be_visible()

    # Circulation, approval and publication: each asks first and says what happened.
    page.get_by_role("link", name="An die Anwesenden zur Abstimmung senden …").click()
    expect(page.get_by_role("heading", name="Was jetzt geschieht")).to_be_visible()
    check(page, "step-circulate")
    page.get_by_role("button", name="Protokoll in Umlauf geben").click()
    expect(page.locator(".messages")).to_contain_text("Das Protokoll ist in Umlauf")
    expect(page.get_by_text(re.compile("Die Frist für Einwände läuft noch"))).to_be_visible()
    Minutes.objects.filter(meeting=meeting).update(objection_deadline=dt.date.today() - dt.timedelta(days=1))
    page.goto(f"/sitzungen/{meeting.pk}/protokoll/schritt/genehmigen/")
    page.get_by_role("button", name="Protokoll genehmigen").click()
    expect(page.locator(".messages")).to_contain_text("genehmigt und gesperrt")
    page.get_by_role("link", name="Veröffentlichen …").click()
    expect(page.get_by_text(re.compile("2 öffentliche TOPs"))).to_be_visible()
    check(page, "step-publish")
    page.get_by_role("button", name="Protokoll veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("Das Protokoll ist veröffentlicht")

    # A correction: fill in, check, record; the public page shows the corrected text with the note.
    page.get_by_role("link", name=re.compile("^Berichtigen")).first.click()
    page.get_by_label("Zusammenfassung (berichtigte Fassung)").fill(typed.replace("Hagen", "Bochum"))
    page.get_by_label("Grund der Berichtigung").fill("Einladende Stadt war Bochum")
    page.get_by_role("button", name="Weiter zur Prüfung").click()
    expect(page.get_by_role("heading", name="Berichtigung prüfen")).to_be_visible()
    check(page, "correction-check")
    page.get_by_role("button", name="Berichtigung eintragen").click()
    expect(page.locator(".messages")).to_contain_text("Die Berichtigung Nr. 1 ist eingetragen")
    browser_context.clear_cookies()
    page.goto(f"/sitzungen/{meeting.pk}/")
    expect(page.get_by_text(typed.replace("Hagen", "Bochum"))).to_be_visible()
    expect(page.get_by_text(re.compile("Berichtigt am .* \\(Berichtigung Nr. 1\\)"))).to_be_visible()
    check(page, "public-corrected")
