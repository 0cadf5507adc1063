"""Journey: the office records an application → the notice with two conditions → requests a tranche → a partner
city enters an expense → the proof of use is drafted, reviewed, submitted and exported; axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from funding.demo import ensure_project
from funding.models import Application, Expense, PaymentRequest, Programme, ProofOfUse
from members.models import Membership
from tests.conftest import make_user, seat
from tests.support.browser import assert_accessible
from workspaces.actions import add_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_application_notice_tranche_partner_expense_proof(page, browser_context, login_as, personas):
    from funding.models import Rule

    Rule.objects.all().delete()  # as after a flush by an earlier test: the shipped rules are seeded again on use
    office = personas["office"]
    today = timezone.localdate()
    project = ensure_project(office, slug="journey", title="Reiseprojekt", lead="essen", partners=["herne"], status="application")
    partner = make_user("herne.partner@test.example")
    seat(partner, "projektteam", Membership.Role.MEMBER, "herne")
    add_member(office, project.workspace, partner)
    base = f"/projekte/{project.slug}/foerderung/"

    login_as(office)
    page.goto("/foerderung/programme/")
    assert_accessible(page, context="Förderprogramme")
    page.locator("#id_name").fill("KOMM-AN NRW")
    page.locator("#id_funder").fill("Land Nordrhein-Westfalen")
    page.locator("#id_guideline").fill("Richtlinie KOMM-AN NRW")
    page.locator("#id_authority").fill("Bezirksregierung Arnsberg")
    page.locator("#id_funding_type").select_option("share")
    page.get_by_role("button", name="Anlegen").click()
    expect(page.locator(".messages")).to_contain_text("ist angelegt")
    programme = Programme.objects.get(name="KOMM-AN NRW")

    page.goto(base)
    assert_accessible(page, context="Förderung ohne Antrag")
    page.get_by_role("link", name="Förderantrag erfassen").click()
    assert_accessible(page, context="Förderantrag erfassen")
    page.locator("#id_programme").select_option(str(programme.pk))
    page.locator("#id_title").fill("Reiseantrag")
    page.locator("#id_submitted_on").fill(f"{today - dt.timedelta(days=60):%Y-%m-%d}")
    page.locator("#id_plan").fill(
        "Ausgabe; personal; Personalausgaben; 10.000,00\n"
        "Zuwendung; zuwendung; Zuwendung; 8.000,00\n"
        "Eigenanteil; eigen-essen; Eigenanteil Essen; 1.000,00; Essen\n"
        "Eigenanteil; eigen-herne; Eigenanteil Herne; 1.000,00; Herne"
    )
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("Finanzierungsplan ist gespeichert")
    assert_accessible(page, context="Förderung mit Antrag")

    page.get_by_role("link", name="Zuwendungsbescheid erfassen").click()
    assert_accessible(page, context="Bescheid erfassen")
    fields = {
        "date": f"{today - dt.timedelta(days=40):%Y-%m-%d}",
        "reference": "AZ-2025-1",
        "period_start": f"{today - dt.timedelta(days=30):%Y-%m-%d}",
        "period_end": f"{today + dt.timedelta(days=365):%Y-%m-%d}",
        "amount": "8.000,00",
        "final_on": f"{today - dt.timedelta(days=20):%Y-%m-%d}",
        "final_proof_months": "6",
        "condition_1": "Beginn der Maßnahme anzeigen",
        "condition_1_due": f"{today + dt.timedelta(days=14):%Y-%m-%d}",
        "condition_2": "Hinweis auf die Landesförderung",
    }
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_general_conditions").select_option("ANBest-G")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("Der Bescheid ist erfasst")
    expect(page.get_by_text("Beginn der Maßnahme anzeigen")).to_be_visible()
    assert_accessible(page, context="Förderung mit Bescheid")
    application = Application.objects.get(project=project)
    assert application.notice.obligations.count() == 2

    page.goto(base + "zahlungsplan/")
    page.locator("#id_due_on").fill(f"{today + dt.timedelta(days=10):%Y-%m-%d}")
    page.locator("#id_amount").fill("2.500,00")
    page.locator("#id_description").fill("Honorar")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("erwartete Zahlung")
    assert_accessible(page, context="Zahlungsplan")
    page.goto(base + "mittelabruf/")
    assert_accessible(page, context="Mittel abrufen")
    expect(page.locator("#id_amount")).to_have_value("2000,00")  # 80 % of 2,500 due within two months
    page.locator("#id_amount").fill("2.000,01")
    page.get_by_role("button", name="Mittel abrufen").click()
    expect(page.locator(".error-summary")).to_contain_text("VVG zu § 44 LHO NRW Nr. 7.2")
    page.locator("#id_amount").fill("2.000,00")
    page.get_by_role("button", name="Mittel abrufen").click()
    expect(page.locator(".messages")).to_contain_text("Mittelabruf ist gespeichert")
    assert PaymentRequest.objects.get(application=application).amount == 2000
    browser_context.clear_cookies()

    login_as(partner)
    page.goto(base + "ausgaben/")
    assert_accessible(page, context="Ausgaben einer Partnerstadt")
    page.locator("#id_line_key").select_option("personal")
    page.locator("#id_municipality").select_option(label="Herne")
    page.locator("#id_paid_on").fill(f"{today:%Y-%m-%d}")
    page.locator("#id_payee").fill("Herner Honorarkraft")
    page.locator("#id_description").fill("Workshop")
    page.locator("#id_net").fill("1.250,00")
    page.get_by_role("button", name="Ausgabe erfassen").click()
    expect(page.locator(".messages")).to_contain_text("Die Ausgabe ist erfasst")
    assert Expense.objects.get(application=application).municipality.slug == "herne"
    browser_context.clear_cookies()

    login_as(office)
    proof = application.proofs.get(kind=ProofOfUse.Kind.FINAL)
    page.goto(base + f"nachweise/{proof.pk}/")
    assert_accessible(page, context="Nachweis, Entwurf")
    expect(page.locator("#id_narrative")).to_contain_text("Ziele und Verlauf")
    page.locator("#id_narrative").fill("Sachbericht: Workshops in Essen und Herne.")
    page.get_by_role("button", name="Sachbericht speichern").click()
    expect(page.locator(".messages")).to_contain_text("Sachbericht ist gespeichert")
    page.get_by_role("button", name="Als geprüft markieren").click()
    expect(page.locator(".messages")).to_contain_text("Stand des Nachweises ist geändert")
    page.get_by_role("button", name="Als eingereicht vermerken").click()
    expect(page.locator(".messages")).to_contain_text("Stand des Nachweises ist geändert")
    assert_accessible(page, context="Nachweis, eingereicht")
    proof.refresh_from_db()
    assert proof.status == ProofOfUse.Status.SUBMITTED and proof.retention_until is not None
    xlsx = page.request.get(base + f"nachweise/{proof.pk}/belegliste.xlsx")
    assert xlsx.status == 200 and xlsx.body()[:2] == b"PK"
    pdf = page.request.get(base + f"nachweise/{proof.pk}/nachweis.pdf")
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
