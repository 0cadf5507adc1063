"""The public library: publications and practice examples in one look, at 320 and 1280 px, axe on each page;
and the practice-example form's picker of released monitoring indicators.

Screenshots go to ``$PUBLOOK_SCREENSHOTS`` when it is set (for a human look), nowhere otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from documents import actions as documents
from documents import generate
from knowledge import actions as knowledge
from members.models import Municipality
from tests.knowledge.scene import approve_twice, example_data, released_figures
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.workspaces.conftest import lead, make_workspace  # noqa: F401 - fixtures
from workspaces.models import Workspace

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 1280)


def _shot(page, name: str) -> None:
    folder = os.environ.get("PUBLOOK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def library(personas, make_workspace, lead, settings, tmp_path):  # noqa: F811 - fixtures
    settings.MEDIA_ROOT = tmp_path / "media"
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Handreichungen")
    essen, bochum = Municipality.objects.get(slug="essen"), Municipality.objects.get(slug="bochum")
    items = [
        ("Handreichung Interkulturelle Personalauswahl", "handbook", "cc-by-4.0", [essen, bochum]),
        ("Modul 3: Kommunikation in der Verwaltung mit einem sehr langen Titel zum Umbrechen", "module", "cc-by-sa-4.0", [essen]),
        ("Dokumentation des Interkommunalen Forums", "documentation", "all-rights-reserved", []),
    ]
    for title, kind, licence, cities in items:
        data = generate.pdf(title, ["Inhalt der Veröffentlichung für die Städte der Kooperation."])
        upload = SimpleUploadedFile(f"{kind}-mit-langem-dateinamen-2026.pdf", data, content_type="application/pdf")
        document = documents.upload(lead, workspace, upload, title=title)
        document.description = "Für Personalstellen und Integrationsbeauftragte: Schritte, Beispiele und Vorlagen."
        document.save(update_fields=["description"])
        documents.set_publication_details(lead, document, document.version, licence=licence, kind=kind, cities=cities)
        documents.set_public(lead, document, True)
    figures = released_figures()
    example = knowledge.create_example(
        personas["contributor"], example_data(evidence_indicator=figures["essen"], cities=[essen, bochum])
    )
    knowledge.submit(personas["contributor"], example, example.version)
    example.refresh_from_db()
    knowledge.assign_reviewer(personas["office"], example, personas["member"])
    approve_twice(example, personas["office"], personas["member"])
    return {"example": example, "figures": figures}


@pytest.mark.parametrize("width", WIDTHS)
def test_publications_and_examples_share_one_accessible_look(page, library, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path, name, heading in (
        ("/veroeffentlichungen/", "publications", "Veröffentlichungen"),
        ("/wissen/", "examples", "Praxisbeispiele"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        nav = page.get_by_role("navigation", name="Bibliothek")
        expect(nav.get_by_role("link", name=heading)).to_have_attribute("aria-current", "page")
        expect(page.locator(".filter-panel")).to_be_visible()
        expect(page.locator(".library-card").first.locator(".licence-badge")).to_be_visible()
        assert_accessible(page, context=f"{name} {width}px")
        assert_no_horizontal_scroll(page, context=f"{name} {width}px")
        _shot(page, f"{name}-{width}")

    page.goto("/veroeffentlichungen/")
    card = page.locator(".library-card", has_text="Handreichung Interkulturelle Personalauswahl")
    expect(card).to_contain_text("CC BY 4.0")
    expect(card).to_contain_text("PDF")
    page.get_by_label("Art").select_option(label="Modul")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator(".library-card")).to_have_count(1)
    expect(page.locator(".library-card")).to_contain_text("CC BY-SA 4.0")
    page.locator(".library-card a.kern-link").first.click()
    expect(page.locator(".attribution")).to_contain_text("CC BY-SA 4.0")
    assert_accessible(page, context=f"publication page {width}px")
    assert_no_horizontal_scroll(page, context=f"publication page {width}px")
    _shot(page, f"publication-detail-{width}")

    page.goto(f"/wissen/{library['example'].pk}/")
    expect(page.locator(".evidence-indicator")).to_contain_text("Einwanderungsgeschichte – Essen")
    assert_accessible(page, context=f"example page {width}px")
    assert_no_horizontal_scroll(page, context=f"example page {width}px")
    _shot(page, f"example-detail-{width}")


def test_the_example_form_picks_a_released_indicator(page, login_as, personas, cooperation):
    figures = released_figures()
    login_as(personas["contributor"])
    page.goto("/wissen/neu/")
    picker = page.get_by_label("Kennzahl aus dem Monitoring")
    options = picker.locator("option").all_inner_texts()
    assert any("Essen, Befragung 2025" in o for o in options), options
    assert not any("Bochum" in o for o in options), options  # evaluated, not released
    assert not any("Herne" in o for o in options), options  # released, but suppressed
    page.get_by_label("Titel", exact=True).fill("Sprachmittlung im Bürgerbüro")
    page.get_by_label("Kurzbeschreibung", exact=True).fill("Ehrenamtliche Sprachmittlerinnen im Bürgerbüro.")
    page.get_by_label("Handlungsfeld der interkulturellen Öffnung").select_option(label="Zugang zu Dienstleistungen")
    page.get_by_label("Zielgruppe", exact=True).select_option(label="Eingewanderte Menschen")
    page.get_by_label("Ziele", exact=True).fill("Verständigung ohne Umwege.")
    page.get_by_label("Vorgehen", exact=True).fill("Termine mit Sprachmittlung buchbar.")
    page.get_by_label("Ansprechperson", exact=True).fill("Kira Contributor")
    picker.select_option(value=str(figures["essen"].pk))
    assert_accessible(page, context="Picker")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.locator(".messages")).to_contain_text("Der Entwurf ist gespeichert")
    expect(page.get_by_label("Kennzahl aus dem Monitoring")).to_have_value(str(figures["essen"].pk))
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scroll(page, context="Picker 320px")
    _shot(page, "picker-320")
