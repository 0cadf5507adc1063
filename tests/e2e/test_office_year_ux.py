"""Journeys of the office's year without friction (issue 10): shared CSS faults, the small screen, the first minutes.

Layout faults are checked on the rendered boxes (heights, widths, overlaps), not on class names; every journey ends
with an axe scan, and the ones where layout matters run at 320 px too.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from members.models import Municipality
from monitoring.actions import grant_access
from news.actions import create_post
from tasks.actions import create_task
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.workspaces.conftest import lead, make_workspace  # noqa: F401 - fixtures
from website.demo import load_pages
from workspaces.actions import create_workspace
from workspaces.models import WorkspaceMember

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


def box(page: Page, locator) -> dict:
    result = locator.bounding_box()
    assert result is not None, f"{locator} is not rendered"
    return result


def line_height(page: Page, locator) -> float:
    return locator.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 24")


# How many lines the visible text of a button (its label's own text, without the hidden suffix) takes.
_LINES = """el => {
  const label = el.querySelector('.kern-label') || el;
  const text = Array.from(label.childNodes).find((n) => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
}"""


def assert_one_line(page: Page, locator, what: str) -> None:
    lines = locator.evaluate(_LINES)
    assert lines == 1, f"{what}: the label takes {lines} lines"
    assert box(page, locator)["height"] < 64, f"{what}: {box(page, locator)['height']:.0f}px high"


def disjoint(a: dict, b: dict) -> bool:
    return (
        a["x"] + a["width"] <= b["x"] + 0.5
        or b["x"] + b["width"] <= a["x"] + 0.5
        or a["y"] + a["height"] <= b["y"] + 0.5
        or b["y"] + b["height"] <= a["y"] + 0.5
    )


def test_buttons_with_a_hidden_suffix_keep_their_label_on_one_line_and_never_overlap(page, login_as, personas, live_server):
    member, office = personas["member"], personas["office"]
    workspace = create_workspace(office, name="Messe 2027", visibility="platform")
    WorkspaceMember.objects.create(workspace=workspace, user=member, role="editor")
    create_post(office, workspace, title="Stände für die Messe", body="@Mara Member, planen Sie die Stände?")
    login_as(member)
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        page.goto("/benachrichtigungen/")
        button = page.get_by_role("button", name=re.compile("^Als gelesen markieren"))
        expect(button).to_be_visible()
        assert_one_line(page, button, f"Als gelesen markieren at {viewport['width']}px")
        assert box(page, button)["width"] > 120
        assert_no_horizontal_scroll(page, context="Benachrichtigungen")
    assert_accessible(page, context="Benachrichtigungen 320px")

    # x-small text buttons in a row (the agenda's "nach oben / nach unten / vertagen" markup) on the site's CSS.
    page.set_viewport_size(WIDE)
    row = "".join(
        f'<button class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-label">{label}'
        f'<span class="kern-sr-only">: TOP 3 Haushalt</span></span></button>'
        for label in ("nach oben", "nach unten", "vertagen")
    )
    page.goto("/gibt-es-nicht/")  # any page with the site's stylesheets
    page.evaluate(
        "html => { document.querySelector('main .page').innerHTML = '<div class=\"cluster\" id=\"row\">' + html + '</div>'; }",
        row,
    )
    buttons = page.locator("#row button")
    boxes = [box(page, buttons.nth(i)) for i in range(3)]
    for i, b in enumerate(boxes):
        assert b["width"] > 40, f"button {i} is a {b['width']:.0f}px square"
        assert_one_line(page, buttons.nth(i), f"x-small button {i}")
    assert disjoint(boxes[0], boxes[1]) and disjoint(boxes[1], boxes[2]) and disjoint(boxes[0], boxes[2])

    # The same on a real page: removing a city's access to the survey results.
    grant_access(None, member, Municipality.objects.get(slug="essen"), "hr")
    login_as(office)
    page.goto("/monitoring/verwaltung/zugriffe/")
    remove = page.get_by_role("button", name=re.compile("^Entfernen")).first
    assert box(page, remove)["width"] > 60
    assert_one_line(page, remove, "Entfernen")
    assert_accessible(page, context="Zugriffe")


def test_the_hint_of_a_checkbox_reads_under_its_label(page, login_as, personas):
    member = personas["member"]
    workspace = create_workspace(member, name="Ausbildungsmesse", visibility="platform")
    login_as(member)
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        page.goto(f"/arbeitsbereiche/{workspace.slug}/neuigkeiten/neu/")
        label = page.get_by_text("Jetzt veröffentlichen", exact=True)
        hint = page.get_by_text(re.compile("^Ohne Haken bleibt der Beitrag ein Entwurf"))
        hint_box, label_box = box(page, hint), box(page, label)
        form_width = box(page, page.locator("main form"))["width"]
        assert hint_box["width"] > 0.6 * form_width, f"hint squeezed to {hint_box['width']:.0f} of {form_width:.0f}px"
        assert hint_box["x"] >= label_box["x"] - 1 and hint_box["y"] >= label_box["y"] + label_box["height"] - 1
        assert hint_box["height"] < 6 * line_height(page, hint)
        assert_no_horizontal_scroll(page, context="Beitrag schreiben")
        assert_accessible(page, context=f"Beitrag schreiben {viewport['width']}px")


def test_a_news_image_needs_a_description_and_the_form_says_so_before_saving(page, login_as, personas):
    member = personas["member"]
    workspace = create_workspace(member, name="Bildprojekt", visibility="platform")
    login_as(member)
    page.goto(f"/arbeitsbereiche/{workspace.slug}/neuigkeiten/neu/")
    label = page.locator("label[for=id_image_alt]")
    expect(label).to_contain_text("nötig, wenn der Beitrag ein Bild hat")
    expect(label).not_to_contain_text("optional")
    page.get_by_label("Text", exact=True).fill("Ein Foto vom Stand.")
    page.set_input_files("#id_image", files=[{"name": "stand.gif", "mimeType": "image/gif", "buffer": GIF}])
    page.get_by_role("button", name="Speichern").click()  # no heading, no description: two errors at once
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Beschreibung des Bildes")
    expect(summary).to_contain_text("Überschrift")
    expect(page.get_by_text(re.compile("Ihr Bild „stand.gif“ ist ausgewählt"))).to_be_visible()  # not lost
    assert_accessible(page, context="Beitrag mit Bild ohne Beschreibung")
    page.get_by_label(re.compile("^Überschrift")).fill("Mit Bild")
    page.get_by_label(re.compile("^Beschreibung des Bildes")).fill("Der Stand der Stadt Bochum")
    page.get_by_role("button", name="Speichern").click()  # the image is not chosen again
    expect(page.get_by_role("heading", level=1)).to_have_text("Mit Bild")
    expect(page.get_by_role("img", name="Der Stand der Stadt Bochum")).to_be_visible()


GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def test_on_a_small_screen_the_menu_folds_and_opens(page, login_as, personas):
    login_as(personas["member"])
    page.set_viewport_size(NARROW)
    page.goto("/mein-bereich/")
    header = page.locator(".site-header")
    toggle = page.get_by_role("button", name="Menü")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav).to_be_hidden()
    top = box(page, page.locator(".kern-kopfzeile"))["height"] + box(page, header)["height"]
    assert top <= 200, f"header and menu take {top:.0f} of 640 px"
    assert_accessible(page, context="Mein Bereich 320px, Menü zu")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Arbeitsbereiche")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    assert_no_horizontal_scroll(page, context="Menü offen")
    assert_accessible(page, context="Mein Bereich 320px, Menü offen")
    nav.get_by_role("link", name="Verzeichnis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verzeichnis")
    page.set_viewport_size(WIDE)
    expect(toggle).to_be_hidden()
    expect(nav).to_be_visible()


def test_a_wide_table_says_that_it_scrolls_sideways(page, login_as, personas):
    login_as(personas["office"])
    page.set_viewport_size(NARROW)
    page.goto("/verwaltung/kommunen/")
    wrap = page.locator(".table-wrap").first
    if wrap.evaluate("el => el.scrollWidth > el.clientWidth + 1"):
        expect(page.locator(".table-wrap__hint").first).to_be_visible()
    page.set_viewport_size(WIDE)
    page.reload()
    assert page.locator(".table-wrap__hint:visible").count() == 0 or wrap.evaluate("el => el.scrollWidth > el.clientWidth + 1")
    assert_accessible(page, context="Kommunen")


def test_the_public_feedback_form_hides_its_trap_and_keeps_what_was_typed(page):
    load_pages()  # the browser tests empty the database; the public pages come back from their files
    for viewport in (NARROW, WIDE):
        page.set_viewport_size(viewport)
        page.goto("/barrierefreiheit/")
        expect(page.get_by_text("Bitte leer lassen")).to_be_hidden()
        expect(page.locator("input[name=website]")).to_be_hidden()
    page.get_by_label(re.compile("^Auf welcher Seite")).fill("/verzeichnis/")
    page.get_by_label(re.compile("^Beschreibung der Barriere")).fill("kurz")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("mindestens 10 Zeichen")
    expect(page.get_by_label(re.compile("^Auf welcher Seite"))).to_have_value("/verzeichnis/")
    assert_accessible(page, context="Barriere melden mit Fehler")
    page.get_by_label(re.compile("^Beschreibung der Barriere")).fill("Der Filter ist mit der Tastatur nicht erreichbar.")
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page.get_by_text(re.compile("Vielen Dank! Ihre Rückmeldung"))).to_be_visible()


def test_upload_without_a_file_says_what_is_missing(page, login_as, personas):
    member = personas["member"]
    workspace = create_workspace(member, name="Dokumentenprojekt", visibility="platform")
    login_as(member)
    page.goto(f"/arbeitsbereiche/{workspace.slug}/dokumente/")
    file_input = page.locator("input[type=file]")
    assert box(page, file_input)["height"] >= 40  # a framed field, not a bare browser control
    page.get_by_role("button", name="Hochladen").click()  # the browser asks for a file (required)
    assert page.locator("input[type=file]").evaluate("el => el.validationMessage") != ""
    page.locator("form.upload-form").evaluate("form => { form.noValidate = true; }")  # a browser that lets it through
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Bitte wählen Sie mindestens eine Datei aus.")).to_be_visible()
    page.set_viewport_size(NARROW)
    assert_no_horizontal_scroll(page, context="Dokumente")
    assert_accessible(page, context="Dokumente nach leerem Hochladen")


def test_a_city_assignee_follows_the_task_breadcrumbs_and_finds_the_due_day(page, login_as, personas, make_workspace, lead):  # noqa: F811
    member = personas["member"]  # Bochum, no seat in the private workspace
    workspace = make_workspace("private", name="Praktikumsbörse")
    due = timezone.localdate() + dt.timedelta(days=9)
    task = create_task(
        lead, workspace, title="Praktikumsplätze melden", municipalities=[Municipality.objects.get(slug="bochum")], due_date=due
    )
    login_as(member)
    page.goto("/aufgaben/")
    page.get_by_role("link", name="Praktikumsplätze melden").first.click()
    expect(page).to_have_url(re.compile(f"/aufgaben/{task.pk}/$"))
    crumbs = page.get_by_role("navigation", name="Brotkrümelnavigation").get_by_role("link")
    hrefs = [crumbs.nth(i).get_attribute("href") for i in range(crumbs.count())]
    assert hrefs, "no breadcrumbs"
    for href in hrefs:
        assert page.request.get(href).status == 200, href
    assert_accessible(page, context="Aufgabe über die Stadt")
    page.goto("/suche/?q=Praktikumsplätze")
    expect(page.locator(".search-results")).to_contain_text(due.strftime("%d.%m.%Y"))


def test_every_tile_of_the_dashboard_and_the_office_leads_to_a_page(page, login_as, personas):
    hr = personas["outsider"]  # an account without a seat, given the access of Essen's HR department
    grant_access(None, hr, Municipality.objects.get(slug="essen"), "hr")
    for name in ("admin", "office", "member", "guest"):
        page.context.clear_cookies()
        login_as(personas[name])
        for start in ("/mein-bereich/", "/verwaltung/") if name in {"admin", "office"} else ("/mein-bereich/",):
            page.goto(start)
            tiles = page.locator("a.tile")
            for href in [tiles.nth(i).get_attribute("href") for i in range(tiles.count())]:
                assert page.request.get(href).status == 200, f"{name}: {start} → {href}"
        assert_accessible(page, context=f"Kacheln {name}")
    page.context.clear_cookies()
    login_as(hr)
    page.goto("/mein-bereich/")
    expect(page.get_by_text(re.compile("Sie sind angemeldet als: Personalabteilung Essen"))).to_be_visible()
    assert_accessible(page, context="Mein Bereich der Personalabteilung")


def test_mentions_are_highlighted_and_lead_to_the_person(page, login_as, personas):
    member, office = personas["member"], personas["office"]
    workspace = create_workspace(office, name="Forum 2027", visibility="platform")
    WorkspaceMember.objects.create(workspace=workspace, user=member, role="editor")
    post = create_post(office, workspace, title="Programm", body="Danke, @Mara Member! Siehe `@Mara Member` im Code.")
    login_as(member)
    page.goto(post.get_absolute_url())
    mention = page.locator(".prose a.mention")
    expect(mention).to_have_count(1)  # not inside code
    expect(mention).to_have_text("@Mara Member")
    background = mention.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in {"rgba(0, 0, 0, 0)", "transparent"}
    assert_accessible(page, context="Beitrag mit Erwähnung")
    mention.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mara Member")


def test_the_development_mailbox_shows_the_mails_in_the_browser(page, settings, tmp_path):
    settings.EMAIL_BACKEND = "ops.devmail.MailboxBackend"
    settings.DEV_MAILBOX = True
    settings.DEV_MAILBOX_DIR = tmp_path / "mail"
    mail.send_mail(
        "Einladung zu Interkommunal", "Ihr Link: http://127.0.0.1:8000/konto/einladung/abc/", None, ["neu@essen.example"]
    )
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        page.goto("/entwicklung/postfach/")
        assert_accessible(page, context=f"Postfach {viewport['width']}px")
        page.get_by_role("link", name="Einladung zu Interkommunal").click()
        expect(page.get_by_role("link", name=re.compile("einladung"))).to_be_visible()
        assert_no_horizontal_scroll(page, context="E-Mail")
        assert_accessible(page, context=f"E-Mail {viewport['width']}px")
    page.goto("/gibt-es-nicht/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    assert_accessible(page, context="404")
