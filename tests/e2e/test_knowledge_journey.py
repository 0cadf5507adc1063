"""Journey: an external contributor submits a practice example → a reviewer asks for a change → the contributor
revises → the office and the second reviewer approve → the public finds it by search. Axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from knowledge.models import PracticeExample
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_contributor_submits_reviewers_ask_revise_approve_public_finds(page, browser_context, login_as, personas):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]

    login_as(contributor)
    page.goto("/wissen/meine/")
    assert_accessible(page, context="Meine Praxisbeispiele")
    page.get_by_role("link", name="Neues Praxisbeispiel").click()
    assert_accessible(page, context="Neues Praxisbeispiel")
    page.get_by_label("Titel", exact=True).fill("Stadtteilmütter im Jobcenter")
    page.get_by_label("Kurzbeschreibung", exact=True).fill("Mütter aus dem Stadtteil beraten im Jobcenter in ihrer Sprache.")
    page.get_by_label("Handlungsfeld der interkulturellen Öffnung").select_option(label="Zugang zu Dienstleistungen")
    page.get_by_label("Zielgruppe", exact=True).select_option(label="Eingewanderte Menschen")
    page.get_by_label("Ziele", exact=True).fill("Mehr Frauen erreichen die Beratung.")
    page.get_by_label("Vorgehen", exact=True).fill("Wöchentliche Sprechstunde im Jobcenter.")
    page.get_by_label("Ansprechperson", exact=True).fill("Kira Contributor")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.locator(".messages")).to_contain_text("Der Entwurf ist gespeichert")
    assert_accessible(page, context="Entwurf bearbeiten")
    page.get_by_role("button", name="Einreichen").click()
    expect(page.locator(".messages")).to_contain_text("Eingereicht")
    example = PracticeExample.objects.get(author=contributor)
    browser_context.clear_cookies()

    login_as(office)
    page.goto("/wissen/pruefung/")
    assert_accessible(page, context="Prüfliste")
    page.get_by_role("link", name="Stadtteilmütter im Jobcenter").click()
    assert_accessible(page, context="Prüfung")
    page.get_by_label("Zweite Prüferin / zweiter Prüfer").select_option(label="Mara Member")
    page.get_by_role("button", name="Zuweisen").click()
    expect(page.locator(".messages")).to_contain_text("benachrichtigt")
    page.get_by_label("Änderungen erbeten").check()
    page.get_by_label("Kommentar oder Begründung").fill("Bitte nennen Sie die Sprachen der Beratung.")
    page.get_by_role("button", name="Absenden").click()
    expect(page.locator(".messages")).to_contain_text("um Änderungen gebeten")
    browser_context.clear_cookies()

    login_as(contributor)
    page.goto("/wissen/meine/")
    page.get_by_role("link", name="Stadtteilmütter im Jobcenter").click()
    expect(page.get_by_text("Bitte nennen Sie die Sprachen der Beratung.")).to_be_visible()
    assert_accessible(page, context="Überarbeiten")
    page.get_by_label("Vorgehen", exact=True).fill("Wöchentliche Sprechstunde im Jobcenter auf Türkisch, Arabisch und Russisch.")
    page.get_by_label("Was hat sich geändert?").fill("Sprachen ergänzt")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.get_by_role("button", name="Einreichen").click()
    expect(page.locator(".messages")).to_contain_text("Eingereicht")
    page.goto(f"/wissen/{example.pk}/fassungen/")
    expect(page.locator("ins").first).to_contain_text("Türkisch")
    assert_accessible(page, context="Fassungen")
    browser_context.clear_cookies()

    for reviewer in (office, member):
        login_as(reviewer)
        page.goto(f"/wissen/{example.pk}/pruefung/")
        page.get_by_label("Freigabe").check()
        page.get_by_role("button", name="Absenden").click()
        expect(page.locator(".messages")).to_contain_text("Freigabe ist gespeichert")
        browser_context.clear_cookies()
    example.refresh_from_db()
    assert example.published.number == 2

    page.goto("/suche/?q=Stadtteilmütter")
    assert_accessible(page, context="Suche")
    page.get_by_role("link", name="Stadtteilmütter im Jobcenter").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadtteilmütter im Jobcenter")
    expect(page.locator(".attribution")).to_contain_text("CC BY 4.0")
    assert_accessible(page, context="Praxisbeispiel, öffentlich")
    page.goto("/wissen/?feld=access")
    expect(page.get_by_role("link", name="Stadtteilmütter im Jobcenter")).to_be_visible()
    assert_accessible(page, context="Praxisbeispiele, gefiltert")
    page.goto("/wissen/mitwirken/")
    assert_accessible(page, context="Registrierung für Mitwirkende")
