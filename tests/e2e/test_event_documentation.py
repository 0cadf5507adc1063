"""Browser: the organisers publish a past forum's documentation; the public reads it on a phone and a wide
screen (axe, reflow), sees the photo with its alt text and the licence, downloads a presentation; unpublished
again, it is gone."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from documents.actions import upload
from tests.events.conftest import make_past_forum, png_file
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


def check(page, context: str) -> None:
    assert_accessible(page, context=context)
    assert_no_horizontal_scroll(page, context=context)


def test_organisers_publish_documentation_the_public_reads_it(page, live_server, login_as, personas, browser_context):
    office = personas["office"]
    event = make_past_forum(office, slug="forum-doku-browser")
    upload(office, event.workspace, SimpleUploadedFile("vortrag.txt", b"Folien"), title="Vortrag Vielfalt")
    upload(office, event.workspace, png_file(), title="Saal")
    base = live_server.url

    login_as(office)
    page.set_viewport_size(WIDE)
    page.goto(base + f"/veranstaltungen/{event.slug}/verwaltung/dokumentation/")
    check(page, "Dokumentation bearbeiten")
    page.locator("textarea[name=report]").fill("Ein Tag voller Gespräche.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Dokumentation ist gespeichert.")).to_be_visible()
    # A presentation, then a photo with alt text, consent and the uploader's release.
    page.locator("input[name=kind][value=presentation]").check()
    page.locator("select[name=document]").select_option(label="Vortrag Vielfalt")
    page.get_by_role("button", name="Hinzufügen").click()
    expect(page.get_by_text("Die Datei ist Teil der Dokumentation.")).to_be_visible()
    page.locator("input[name=kind][value=photo]").check()
    page.locator("select[name=document]").select_option(label="Saal")
    page.locator("input[name=alt_text]").fill("Der volle Saal von hinten")
    page.locator("input[name=consent][value=crowd]").check()
    page.locator("input[name=release]").check()
    page.get_by_role("button", name="Hinzufügen").click()
    expect(page.get_by_text("Die Datei ist Teil der Dokumentation.")).to_be_visible()
    page.get_by_role("button", name="Dokumentation veröffentlichen").click()
    expect(page.get_by_text("Die Dokumentation ist veröffentlicht.")).to_be_visible()
    check(page, "Dokumentation veröffentlicht")

    # The public, on a phone.
    browser_context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(base + f"/veranstaltungen/{event.slug}/")
    page.get_by_role("link", name="Zur Dokumentation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dokumentation")
    image = page.get_by_role("img", name="Der volle Saal von hinten")
    expect(image).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
    expect(page.get_by_text("CC BY 4.0", exact=False).first).to_be_visible()
    check(page, "Dokumentation öffentlich, 320 px")
    with page.expect_download() as download:
        page.get_by_role("link", name="Vortrag Vielfalt").click()
    assert download.value.suggested_filename == "vortrag.txt"
    page.set_viewport_size(WIDE)
    check(page, "Dokumentation öffentlich, breit")

    # Withdrawn: gone for the public.
    login_as(office)
    page.goto(base + f"/veranstaltungen/{event.slug}/verwaltung/dokumentation/")
    page.get_by_role("button", name="Veröffentlichung zurücknehmen").click()
    expect(page.get_by_text("Die Dokumentation ist nicht mehr öffentlich.")).to_be_visible()
    browser_context.clear_cookies()
    response = page.goto(base + f"/veranstaltungen/{event.slug}/dokumentation/")
    assert response.status == 404
