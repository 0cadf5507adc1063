"""In Chromium: the office creates a paper with two consultation steps and a PDF; the public finds and reads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meetings.models import Paper
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_creates_a_paper_with_two_steps_and_the_public_reads_it(
    page, browser_context, login_as, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login_as(personas["office"])

    page.goto("/sitzungen/")
    page.get_by_role("link", name="Vorlagen").first.click()
    page.get_by_role("link", name="Vorlage anlegen").click()
    page.get_by_label("Drucksachennummer").fill("0612/2026")
    page.get_by_label("Titel").fill("Beitritt der Stadt Hamm")
    page.get_by_label("Art", exact=True).select_option("Beschlussvorlage")
    page.get_by_label("Datum").fill("2026-03-02")  # fixed-date: the paper's own dates, never compared with today
    page.get_by_label("federführendes Gremium").select_option(label="Regiegruppe")
    page.get_by_label("Inhalt").fill("Die Stadt Hamm beantragt die Aufnahme in die Kooperation.")
    page.get_by_role("button", name="Vorlage anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beratungsfolge der Vorlage 0612/2026")

    # Step 1: a city's committee, named here for the first time.
    page.get_by_label("oder neues externes Gremium: Name").fill("Integrationsrat")
    page.get_by_label("Stadt des neuen Gremiums").select_option(label="Hagen")
    page.get_by_label("Rolle").select_option("Vorberatung")
    page.get_by_label("Sitzungsdatum").fill("2026-03-10")  # fixed-date: the paper's own dates, never compared with today
    page.get_by_role("button", name="Schritt hinzufügen").click()
    expect(page.get_by_text("Der Schritt ist der Beratungsfolge hinzugefügt.")).to_be_visible()

    # Step 2: the Regiegruppe decides; a second authoritative step would be refused.
    page.get_by_label("Gremium der Kooperation").select_option(label="Regiegruppe")
    page.get_by_label("Rolle").select_option("Entscheidung")
    page.get_by_label("entscheidend (hier fällt der Beschluss)").check()
    page.get_by_label("Sitzungsdatum").fill("2026-04-15")  # fixed-date: the paper's own dates, never compared with today
    page.get_by_role("button", name="Schritt hinzufügen").click()
    expect(page.get_by_text("Der Schritt ist der Beratungsfolge hinzugefügt.")).to_be_visible()
    assert_accessible(page, context="sequence page with two steps")

    # A validation error is shown accessibly.
    page.get_by_label("Gremium der Kooperation").select_option(label="Projektteam")
    page.get_by_label("entscheidend (hier fällt der Beschluss)").check()
    page.get_by_role("button", name="Schritt hinzufügen").click()
    expect(page.get_by_role("alert")).to_contain_text("Nur ein Schritt der Beratungsfolge kann entscheidend sein")
    assert_accessible(page, context="sequence form with an error")

    paper = Paper.objects.get(reference="0612/2026")
    assert [str(s.organization) for s in paper.consultations.alive().order_by("order")] == [
        "Integrationsrat (Hagen)",
        "Regiegruppe",
    ]

    # A public PDF.
    page.goto(f"/sitzungen/vorlagen/{paper.pk}/dateien/")
    page.get_by_label("Datei (PDF)").set_input_files(
        {"name": "vorlage-hamm.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% Hamm\n"}
    )
    page.get_by_label("öffentlich").check()
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Die Datei ist hochgeladen.")).to_be_visible()

    # The public finds it in the list and reads the sequence and the file.
    browser_context.clear_cookies()
    page.goto("/sitzungen/vorlagen/")
    page.get_by_label("Drucksachennummer oder Titel").fill("Hamm")
    page.get_by_role("button", name="Filtern").click()
    page.get_by_role("link", name="0612/2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beschlussvorlage 0612/2026: Beitritt der Stadt Hamm")
    sequence = page.locator("ol.consultation-sequence > li")
    expect(sequence).to_have_count(2)
    expect(sequence.nth(0)).to_contain_text(
        "Integrationsrat (Hagen) – Vorberatung, 10.03.2026"
    )  # fixed-date: the paper's own dates, never compared with today
    expect(sequence.nth(1)).to_contain_text("Regiegruppe – Entscheidung")
    expect(sequence.nth(1)).to_contain_text("entscheidet")
    expect(page.get_by_role("link", name="vorlage-hamm (PDF)")).to_be_visible()
    expect(page.get_by_role("link", name="Bearbeiten")).to_have_count(0)
    assert_accessible(page, context="public paper page")
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scroll(page, context="public paper page")
