"""Journey (b): the managing office adds an 11th municipality and its first member."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from members.models import Membership, Municipality
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_adds_eleventh_municipality_and_first_member(page, login_as, personas):
    join = dt.date.today() + dt.timedelta(days=45)  # in the future on whatever day the suite runs
    login_as(personas["office"])
    page.goto("/verwaltung/")
    assert_accessible(page, context="Verwaltung")
    page.get_by_role("link", name=re.compile("Kommunen")).first.click()
    page.get_by_role("link", name="Kommune hinzufügen").click()
    assert_accessible(page, context="Kommune anlegen, leer")

    # First attempt with mistakes: wrong AGS, leave date before join date.
    page.get_by_label("amtlicher Name").fill("Stadt Recklinghausen")
    page.get_by_label("Kurzname").fill("Recklinghausen")
    page.get_by_label("Amtlicher Gemeindeschlüssel").fill("5562032")
    page.get_by_label("Beitritt", exact=True).fill(join.isoformat())
    page.get_by_role("button", name="Speichern").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("genau 8 Ziffern")
    assert_accessible(page, context="Kommune anlegen, mit Fehlern")
    expect(page.get_by_label("amtlicher Name")).to_have_value("Stadt Recklinghausen")  # nothing lost

    page.get_by_label("Amtlicher Gemeindeschlüssel").fill("05562032")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("Recklinghausen wurde angelegt")
    assert Municipality.objects.count() == 11

    # Its first member, straight from the list.
    page.get_by_role("link", name=re.compile("Person für Recklinghausen anlegen")).click()
    expect(page.get_by_label("Kommune")).to_have_value(str(Municipality.objects.get(slug="recklinghausen").pk))
    page.get_by_label("Vorname").fill("Ronja")
    page.get_by_label("Nachname").fill("Rehberg")
    page.get_by_role("textbox", name="E-Mail (optional)").fill("ronja.rehberg@recklinghausen.example")
    page.get_by_label(re.compile(r"^Funktion")).fill("Leitung Kommunales Integrationszentrum")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("Fügen Sie jetzt eine Mitgliedschaft hinzu")
    assert_accessible(page, context="Mitgliedschaft anlegen")
    page.get_by_label("Gremium").select_option(label="Regiegruppe")
    page.get_by_label("Rolle").select_option(label="Mitglied")
    page.get_by_label("Beginn").fill(join.isoformat())
    page.get_by_role("button", name="Mitgliedschaft eintragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ronja Rehberg")
    expect(page.get_by_role("table")).to_contain_text("Regiegruppe")
    seat = Membership.objects.get(person__family_name="Rehberg")
    assert seat.municipality.slug == "recklinghausen"
    assert seat.body.slug == "regiegruppe"

    # The public member-cities page announces the new city until its join date has come.
    page.goto("/mitgliedsstaedte/")
    expect(page.get_by_role("table")).not_to_contain_text("Recklinghausen")
    expect(page.get_by_text(f"Stadt Recklinghausen tritt am {join:%d.%m.%Y} bei.")).to_be_visible()
