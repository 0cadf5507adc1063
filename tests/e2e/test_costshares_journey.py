"""The office sets the year's budget and key → the calculation sheet → a city's notice (PDF, XRechnung) → a payment.

Every page on the way is scanned with axe, at 1280 px and at 320 px.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from costshares.models import Payment, Setting
from costshares.xrechnung import validate
from members.models import Municipality
from monitoring.models import PopulationReference
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def scan(page: Page, name: str) -> None:
    for width, height in ((1280, 900), (320, 640)):
        page.set_viewport_size({"width": width, "height": height})
        assert_no_horizontal_scroll(page, context=f"{name} {width}px")
        assert_accessible(page, context=f"{name} {width}px")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_office_sets_the_budget_and_key_then_sheet_notice_and_payment(page: Page, login_as, personas, live_server):
    PopulationReference.objects.create(
        municipality=Municipality.objects.get(slug="bottrop"),
        reference_date=dt.date(2011, 5, 9),
        concept="mh_census_2011",
        population_total=117_311,
        source="Zensus 2011, Ergebnis der Stadt Bottrop",
    )
    login_as(personas["office"])
    page.goto("/kostenverteilung/")
    scan(page, "index")
    page.get_by_role("link", name="Neue Festsetzung").click()
    scan(page, "form")
    page.get_by_label("Haushaltsjahr").fill("2025")
    page.get_by_label("Haushalt der Kooperation (€)").fill("20.000,00")
    page.get_by_label("Anteil gleicher Beträge (%)").fill("40")
    page.get_by_label("Anteil nach Einwohnerzahl (%)").fill("50")
    page.get_by_label("Stichtag der Kennzahlen").fill("2024-12-31")
    page.get_by_label("fällig am").fill("2025-03-31")
    page.get_by_role("button", name="Anteile berechnen und speichern").click()
    expect(page.get_by_text("ergeben zusammen 90 % statt 100 %")).to_be_visible()
    scan(page, "form with errors")
    assert not Setting.objects.exists()
    page.get_by_label("Anteil gleicher Beträge (%)").fill("50")
    page.get_by_role("button", name="Anteile berechnen und speichern").click()
    expect(page.get_by_role("heading", name="Rechenblatt Kostenverteilung 2025")).to_be_visible()
    expect(page.get_by_text("20.000,00 €").first).to_be_visible()
    scan(page, "sheet")

    page.get_by_role("link", name="Hagen").click()
    expect(page.get_by_role("heading", name="Kostenanteil Hagen 2025")).to_be_visible()
    scan(page, "notice")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Bescheid als PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name="Rechnungsdaten und Haushaltsansätze der Stadt").click()
    scan(page, "city")
    page.get_by_label("Leitweg-ID").fill("05914000-1-79")
    page.get_by_label("Straße und Hausnummer").fill("Rathausstraße 11")
    page.get_by_label("Postleitzahl").fill("58095")
    page.get_by_label("Ort", exact=True).fill("Hagen")
    page.get_by_role("button", name="Rechnungsempfänger speichern").click()
    expect(page.get_by_text("Gespeichert.")).to_be_visible()

    share = Setting.objects.get(year=2025).shares.get(municipality__slug="hagen")
    page.goto(share.get_absolute_url())
    with page.expect_download() as xml:
        page.get_by_role("link", name="Bescheid als XRechnung (XML)").click()
    content = Path(xml.value.path()).read_bytes()
    assert validate(content) == []
    assert b"05914000-1-79" in content

    page.get_by_label("Betrag (€)").fill("1.000,00")
    page.get_by_label("eingegangen am").fill("2025-03-20")
    page.get_by_role("button", name="Zahlung erfassen").click()
    expect(page.get_by_text("Der Zahlungseingang ist erfasst.")).to_be_visible()
    scan(page, "notice with payment")
    assert Payment.objects.get().amount == Decimal("1000.00")

    page.goto("/kostenverteilung/uebersicht/")
    expect(page.get_by_role("heading", name="Kostenverteilung: Übersicht")).to_be_visible()
    scan(page, "overview")
