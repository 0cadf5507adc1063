"""Journey in Chromium: upload a PDF into a workspace, then find it by an inflected German word; axe on every step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents import generate
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from workspaces.actions import ensure_body_workspaces

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_uploads_a_pdf_and_finds_it_by_an_inflected_word(page, login_as, personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_body_workspaces()
    pdf = tmp_path / "ausbildungsbericht.pdf"
    pdf.write_bytes(generate.pdf("Ausbildungsbericht", ["Die Städte stellen mehr Auszubildende mit Zuwanderungsgeschichte ein."]))
    login_as(personas["member"])  # Regiegruppe member: editor in its workspace

    page.goto("/arbeitsbereiche/regiegruppe/")
    expect(page.get_by_role("heading", name="Neue Dokumente")).to_be_visible()
    page.get_by_role("link", name="Alle Dokumente dieses Arbeitsbereichs").click()
    assert_accessible(page, context="Dokumente, leer")
    page.get_by_label("Dateien", exact=True).set_input_files(str(pdf))
    page.get_by_role("button", name="Hochladen").click()
    expect(page.locator(".messages")).to_contain_text("1 Datei wurde gespeichert")
    expect(page.get_by_role("link", name="ausbildungsbericht.pdf")).to_be_visible()
    assert_accessible(page, context="Dokumente mit einer Datei")

    page.get_by_label("Plattform durchsuchen").fill("Stadt")  # the PDF says "Städte"
    page.get_by_label("Plattform durchsuchen").press("Enter")
    result = page.locator(".search-results li").first
    expect(result).to_contain_text("ausbildungsbericht")
    expect(result.locator("mark").first).to_have_text("Städte")
    assert_accessible(page, context="Suchergebnis")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page, context="Suchergebnis 320px")
    page.set_viewport_size({"width": 1280, "height": 900})

    result.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ausbildungsbericht")
    expect(page.get_by_text("Text ausgelesen")).to_be_visible()
    assert_accessible(page, context="Dokument mit Fassungen")
