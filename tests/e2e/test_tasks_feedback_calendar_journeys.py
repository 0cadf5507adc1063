"""Journeys of issue 10 in a real browser: a task for several cities, answering accessibility feedback,
the calendar's month view and the mail log. Each ends with an axe scan, at 1280 px and at 320 px;
the screenshots for the closing note are written to TASKSUX_SHOTS when that is set."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from calendar_events.actions import create_event
from members.models import Membership, Municipality
from notifications.delivery import deliver
from tasks.actions import create_task
from tests.conftest import make_user, seat
from tests.notifications.helpers import use_smtp
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.support.smtp import LocalSMTPServer
from tests.workspaces.conftest import lead, make_workspace  # noqa: F401 - fixtures
from website.actions import submit_accessibility_feedback
from website.models import AccessibilityFeedback
from workspaces.models import Workspace, WorkspaceMember

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}
SHOTS = os.environ.get("TASKSUX_SHOTS")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def both_widths(page: Page, url: str, name: str) -> None:
    for label, viewport in (("1280", WIDE), ("320", NARROW)):
        page.set_viewport_size(viewport)
        page.goto(url)
        assert_no_horizontal_scroll(page, context=f"{name} {label}px")
        assert_accessible(page, context=f"{name} {label}px")
        shot(page, f"{name}-{label}")
    page.set_viewport_size(WIDE)


def test_each_city_reports_its_part_and_the_office_sees_the_progress(page, login_as, personas, make_workspace, lead):  # noqa: F811
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Ausbildungsmesse 2027")
    WorkspaceMember.objects.create(workspace=workspace, user=personas["office"], role="manager")
    cities = [Municipality.objects.get(slug=slug) for slug in ("bochum", "herne")]
    task = create_task(
        lead,
        workspace,
        title="Ausbildungszahlen melden",
        municipalities=cities,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    herne = make_user("herne@test.example")
    seat(herne, "projektteam", Membership.Role.MEMBER, "herne", given_name="Hanna", family_name="Herne")

    # Herne's person reports for Herne only; the whole task stays open for Bochum.
    login_as(herne)
    page.goto(task.get_absolute_url())
    expect(page.get_by_role("button", name="Status ändern")).to_have_count(0)
    form = page.locator("#stadt-herne form")
    form.get_by_label("Stand der Stadt").select_option("done")
    form.get_by_label("Notiz (optional)").fill("Zahlen sind an die Geschäftsführung gegangen.")
    form.get_by_role("button", name="Stand für Herne melden").click()
    expect(page.get_by_text("Der Stand für Herne ist jetzt „erledigt“.")).to_be_visible()
    expect(page.get_by_text("1 von 2 Städten erledigt.")).to_be_visible()
    page.get_by_role("textbox", name="Kommentar").fill("Die Zahlen für 2026 folgen im Januar.")
    page.get_by_role("button", name="Kommentar speichern").click()
    expect(page.locator("#kommentare")).to_contain_text("Die Zahlen für 2026 folgen im Januar.")
    page.set_input_files(
        "#id_file", files=[{"name": "zahlen.txt", "mimeType": "text/plain", "buffer": b"Herne: 12 Auszubildende\n"}]
    )
    page.get_by_role("button", name="Datei anhängen").click()
    expect(page.locator("#anhaenge")).to_contain_text("zahlen.txt")
    assert_accessible(page, context="Aufgabe (Stadt)")
    task.refresh_from_db()
    assert task.status == "in_progress"

    # The office sees the progress per city, on the task and in the list.
    login_as(personas["office"])
    both_widths(page, f"/arbeitsbereiche/{workspace.slug}/aufgaben/", "aufgaben-liste")
    expect(page.get_by_text("1 von 2 Städten erledigt")).to_be_visible()
    both_widths(page, task.get_absolute_url(), "aufgabe-staedte")
    expect(page.locator("#stadt-herne")).to_contain_text("Zahlen sind an die Geschäftsführung gegangen.")


def test_the_office_answers_feedback_and_the_sender_gets_the_answer(page, login_as, personas, settings):
    feedback = submit_accessibility_feedback(
        page_url="/verzeichnis/", description="Der Filter ist mit der Tastatur nicht erreichbar.", email="leser@example.org"
    )
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(due_on=timezone.localdate() + dt.timedelta(days=5))
    login_as(personas["office"])
    both_widths(page, "/barrierefreiheit/rueckmeldungen/", "barriere-liste")
    expect(page.get_by_text("Frist endet bald")).to_be_visible()
    page.get_by_role("link", name=re.compile("Der Filter ist mit der Tastatur")).click()
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Bitte schreiben Sie eine Antwort.", exact=True)).to_be_visible()
    page.get_by_label("Antwort an die meldende Person").fill("Danke! Der Filter ist jetzt mit der Tastatur bedienbar.")
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Die Antwort wird an leser@example.org gesendet")).to_be_visible()
    shot(page, "barriere-beantwortet-1280")
    assert_accessible(page, context="Rückmeldung beantwortet")
    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        deliver()
        [message] = smtp.wait_for(1)
    assert message.envelope_to == ["leser@example.org"]
    # The mail log shows it went out.
    both_widths(page, "/benachrichtigungen/postausgang/", "postausgang")
    expect(page.locator("table")).to_contain_text("leser@example.org")
    expect(page.locator("table")).to_contain_text("gesendet")


def test_the_month_view_is_a_table_with_today_marked_and_a_list_on_a_phone(page, login_as, personas):
    workspace = Workspace.objects.create(name="Regiegruppe Kalender", slug="rg-kalender", visibility="platform")
    WorkspaceMember.objects.create(workspace=workspace, user=personas["member"], role="editor")
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(10)))
    create_event(
        None,
        workspace,
        title="Regietreffen heute",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="Rathaus Essen",
    )
    login_as(personas["member"])
    both_widths(page, "/mein-kalender/monat/", "kalender-monat")
    expect(page.locator("[aria-current=date]")).to_have_count(1)
    expect(page.locator("caption")).to_be_visible()
    page.keyboard.press("Tab")
    link = page.get_by_role("link", name=re.compile("Regietreffen heute"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Regietreffen heute")).to_be_visible()
    page.goto("/mein-kalender/monat/")
    page.get_by_role("link", name=re.compile("Nächster Monat")).click()
    expect(page.locator("[aria-current=date]")).to_have_count(0)
    page.set_viewport_size(NARROW)
    page.goto("/mein-kalender/monat/")
    today_cell = page.locator(".month-day--today")
    expect(today_cell).to_be_visible()
    assert today_cell.bounding_box()["width"] > 250  # one day per line on a phone
