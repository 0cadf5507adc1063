"""Journey: the office drafts the yearly report, writes its foreword, freezes it, links the Regiegruppe's
decision and publishes it; the public reads it. Axe on every page of the report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annualreport.models import AnnualReport
from members.models import Body, Municipality
from tests.annualreport import activity as a
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def test_the_yearly_report_from_draft_to_published(page, login_as, personas, browser_context):
    workspace = a.workspaces()
    steering = Body.objects.get(slug="regiegruppe")
    essen = Municipality.objects.get(slug="essen")
    for month in (3, 9):
        meeting = a.held_meeting(steering, a.at(YEAR, month, 4))
        a.minutes_for(meeting, a.people(essen, 6, f"P{month}-"), [essen])
        a.decision(a.item(meeting, "Fortbildung"), text="Schulung für Personalverantwortliche")
    a.event(workspace, a.at(YEAR, 5, 5), "Workshop Interkulturelle Kompetenz")
    approval = a.item(a.held_meeting(steering, a.at(YEAR + 1, 2, 2), title="Regiegruppe im Februar"), f"Jahresbericht {YEAR}")
    a.decision(approval, text=f"Die Regiegruppe beschließt den Jahresbericht {YEAR}.")

    login_as(personas["office"])
    page.goto("/jahresberichte/")
    assert_accessible(page, context="Jahresberichte")
    page.get_by_label("Berichtsjahr").fill(str(YEAR))
    page.get_by_role("button", name="Entwurf anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jahresbericht {YEAR}")
    expect(page.locator("#section-meetings table")).to_contain_text("Regiegruppe")
    assert_accessible(page, context="Entwurf")

    page.get_by_role("link", name="Vorwort").click()
    assert_accessible(page, context="Vorwort bearbeiten")
    page.get_by_label("Text").fill("Ein Jahr voller Begegnungen zwischen zehn Städten.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#text-foreword")).to_contain_text("Ein Jahr voller Begegnungen")

    page.get_by_role("link", name="Sicht der Landesinitiative").click()
    expect(page.get_by_role("table", name="Aktivitäten je Handlungsfeld")).to_contain_text("Interkulturelle Fortbildung")
    assert_accessible(page, context="Landesinitiative")
    page.go_back()

    page.get_by_role("button", name="Bericht einfrieren").click(timeout=120_000)  # renders and stores the PDF/A
    expect(page.locator(".messages")).to_contain_text("eingefroren")
    assert_accessible(page, context="eingefroren")

    page.get_by_role("link", name="Beschluss der Regiegruppe verknüpfen").click()
    assert_accessible(page, context="Beschluss verknüpfen")
    page.get_by_label(re.compile("Tagesordnungspunkt der Regiegruppe")).select_option(str(approval.pk))
    page.get_by_role("button", name="Verknüpfen").click()
    expect(page.locator(".report-steps")).to_contain_text(f"Jahresbericht {YEAR}")
    page.get_by_role("button", name="Auf der Website veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("öffentlichen Website")
    report = AnnualReport.objects.get(year=YEAR)
    assert report.is_frozen and report.is_released and report.approval_item_id == approval.pk

    public = browser_context.browser.new_context(locale="de-DE", base_url=page.url.split("/jahresberichte")[0])
    anonymous = public.new_page()
    anonymous.goto(f"/jahresbericht/{YEAR}/")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(f"Jahresbericht {YEAR}")
    expect(anonymous.locator("#text-foreword")).to_contain_text("Ein Jahr voller Begegnungen")
    expect(anonymous.get_by_role("link", name="PDF/A herunterladen")).to_be_visible()
    assert_accessible(anonymous, context="öffentlicher Jahresbericht")
    public.close()

    page.get_by_role("link", name="Berichtigte Fassung anlegen").click()
    assert_accessible(page, context="Berichtigen")
