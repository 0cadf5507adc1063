"""The office creates a joint project with a partner city and a milestone, links the Regiegruppe's decision,
moves it to "application", releases its public page, and the public sees it. Every page is scanned with axe
at 1280 px and 320 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from projects.models import JointProject
from tests.projects.matrix import steering_decision
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def scan(page: Page, name: str) -> None:
    for width, height in ((1280, 900), (320, 640)):
        page.set_viewport_size({"width": width, "height": height})
        assert_no_horizontal_scroll(page, context=f"{name} {width}px")
        assert_accessible(page, context=f"{name} {width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_office_creates_links_and_releases_a_project_and_the_public_sees_it(
    page: Page, login_as, personas, chromium, live_server
):
    decision = steering_decision(personas["office"])
    login_as(personas["office"])
    page.goto("/projekte/")
    scan(page, "list")
    page.get_by_role("link", name="Neues Projekt").click()
    scan(page, "create form")
    page.get_by_label("Titel").fill("Mehrsprachige Bürgerdienste")
    page.get_by_label("federführende Kommune").select_option(label="Herne")
    page.get_by_label("Kurzbeschreibung").fill("Bürgerdienste in den Sprachen der Stadtgesellschaft.")
    page.get_by_role("button", name="Projekt anlegen").click()
    expect(page.get_by_role("heading", level=1, name="Mehrsprachige Bürgerdienste")).to_be_visible()
    scan(page, "detail")

    page.get_by_text("Partnerstadt hinzufügen oder ändern").click()
    page.get_by_label("Kommune", exact=True).select_option(label="Bochum")
    page.get_by_label("Beitrag im Projekt").fill("übersetzt die Formulare")
    page.get_by_role("button", name="Partnerstadt speichern").click()
    expect(page.get_by_text("Stadt Bochum – Projektpartnerin: übersetzt die Formulare")).to_be_visible()

    page.get_by_text("Meilenstein eintragen").click()
    page.get_by_role("button", name="Meilenstein speichern").click()
    expect(page.get_by_text("Bitte korrigieren Sie 2 Angaben.")).to_be_visible()
    scan(page, "detail with a form error")
    page.get_by_label("Meilenstein", exact=True).fill("Formulare in fünf Sprachen")
    page.get_by_label("geplant für").fill("2024-06-28")
    page.get_by_role("button", name="Meilenstein speichern").click()
    expect(page.get_by_role("link", name=re.compile("im Kalender.*Formulare in fünf Sprachen"))).to_be_visible()

    page.get_by_text("Einen Beschluss der Regiegruppe verknüpfen").click()
    page.get_by_label("Beschluss der Regiegruppe").select_option(value=str(decision.pk))
    page.get_by_role("button", name="Beschluss verknüpfen", exact=True).click()
    expect(page.locator(f"#beschluss-{decision.pk}")).to_contain_text(decision.text)

    page.get_by_label("neuer Stand").select_option(label="Antrag")
    page.get_by_role("button", name="Stand ändern").click()
    expect(page.get_by_text("Das Projekt steht jetzt auf „Antrag“.")).to_be_visible()
    scan(page, "detail filled")

    page.get_by_role("link", name="Projektangaben bearbeiten").click()
    scan(page, "edit form")
    page.get_by_label("Ziele").fill("Formulare in fünf Sprachen\nBeratung am Telefon in drei Sprachen")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Projektangaben sind gespeichert.")).to_be_visible()

    page.get_by_role("button", name="Öffentliche Projektseite freigeben").click()
    expect(page.get_by_text("Die Projektseite ist jetzt öffentlich.")).to_be_visible()
    project = JointProject.objects.get(title="Mehrsprachige Bürgerdienste")
    assert project.is_released

    public = chromium.new_context(locale="de-DE", base_url=live_server.url).new_page()
    public.goto("/gemeinschaftsprojekte/")
    scan(public, "public list")
    public.get_by_role("link", name="Mehrsprachige Bürgerdienste").click()
    expect(public.get_by_role("heading", level=1, name="Mehrsprachige Bürgerdienste")).to_be_visible()
    expect(public.get_by_text("Stadt Bochum")).to_be_visible()
    expect(public.get_by_text("Beratung am Telefon in drei Sprachen")).to_be_visible()
    scan(public, "public detail")
    public.context.close()
