"""Keyboard-only journey in Chromium: an employee answers with a code and submits, the code is refused
the second time, and after the wave the city's HR user opens the dashboard. axe scans every step."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Page, expect

from members.models import Municipality
from monitoring import actions
from monitoring.demo import synthetic_responses
from monitoring.models import MonitoringAccess, Response, Wave
from monitoring.survey import generate_codes
from tests.conftest import make_user
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

from .conftest import make_wave

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tab_to(view: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        view.keyboard.press("Tab")
        if view.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received the keyboard focus")


def choose(view: Page, item: str, position: int) -> None:
    """Select the answer at ``position`` of a radio group with Tab, Space and the arrow keys."""
    tab_to(view, f"input[name={item}]")
    view.keyboard.press("Space")
    for _ in range(position):
        view.keyboard.press("ArrowDown")
    expect(view.locator(f"input[name={item}]").nth(position)).to_be_checked()


def next_page(view: Page, button: str = "next") -> None:
    tab_to(view, f"button[value={button}]")
    view.keyboard.press("Enter")


def test_keyboard_only_survey_and_city_dashboard(page, login_as, personas, survey_round):
    wave = make_wave(survey_round, "essen")
    Response.objects.bulk_create(synthetic_responses(wave, 240, 0.12, random.Random(8)))
    code = generate_codes(wave, 1)[0]

    page.goto("/umfrage/")
    assert_accessible(page, context="Umfrage: Zugangscode")
    tab_to(page, "#id_code")
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geburtsort und Staatsangehörigkeit")
    assert_accessible(page, context="Umfrage: Seite 1")

    choose(page, "q1", 0)  # born in Germany: ja
    choose(page, "q3", 0)  # German only
    next_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zuzug und Erwerb der Staatsangehörigkeit")
    choose(page, "q4", 0)  # by birth
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Eltern")
    next_page(page)  # nothing answered: the error summary gets the focus
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte beantworten Sie 4 Fragen")
    assert_accessible(page, context="Umfrage: Fehlermeldung")
    choose(page, "q5m", 1)  # mother not born in Germany
    choose(page, "q7m", 1)  # not German since birth
    choose(page, "q5f", 0)
    choose(page, "q7f", 0)
    next_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zuzug Ihrer Eltern")
    choose(page, "q6m", 0)
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Angaben zu Ihrer Beschäftigung")
    page.set_viewport_size({"width": 320, "height": 900})
    assert_accessible(page, context="Umfrage: Beschäftigung @320px")
    assert_no_horizontal_scroll(page, context="Umfrage: Beschäftigung")
    page.set_viewport_size({"width": 1280, "height": 900})
    for item, position in (
        ("department_group", 1),
        ("pay_band", 1),
        ("trainee", 1),
        ("age_band", 0),
        ("gender", 2),
        ("working_time", 0),
    ):
        choose(page, item, position)
    next_page(page, "submit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Teilnahme!")
    assert_accessible(page, context="Umfrage: Danke")
    assert page.context.cookies() == []

    page.goto("/umfrage/")
    tab_to(page, "#id_code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.locator("[data-error-summary]")).to_contain_text("bereits abgeschickt")
    assert_accessible(page, context="Umfrage: Code verbraucht")

    # After the wave: closed, evaluated; the city's HR user finds the dashboard by keyboard.
    actions.set_wave_status(personas["office"], wave, Wave.Status.CLOSED)  # moves the waiting answer in
    assert Response.objects.filter(wave=wave).count() == 241
    mother_only = Response.objects.filter(wave=wave, answers__q5m="no", answers__q5f="yes")  # no synthetic answer has this
    assert mother_only.get().answers["q6m"] == "yes" and mother_only.get().answers["q6f"] == "not_asked"
    actions.finalise_round(personas["office"], survey_round)
    hr = make_user("personal@essen.example")
    MonitoringAccess.objects.create(user=hr, municipality=Municipality.objects.get(slug="essen"), function="hr")
    login_as(hr)
    page.goto("/monitoring/")
    assert_accessible(page, context="Monitoring: Übersicht")
    tab_to(page, f"a[href='/monitoring/runden/{survey_round.slug}/essen/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Stadt Essen"))
    expect(page.get_by_role("table").first).to_contain_text("Antworten insgesamt")
    assert_accessible(page, context="Monitoring: Dashboard Essen")
    page.set_viewport_size({"width": 320, "height": 900})
    assert_no_horizontal_scroll(page, context="Monitoring: Dashboard Essen")
    tab_to(page, "a[href='?konzept=eg']")
    page.keyboard.press("Enter")
    expect(page.locator("a[aria-current='true']")).to_have_text("Einwanderungsgeschichte (Destatis)")
