"""Journey: the office opens a self-check round → three raters of two cities answer → consolidation →
tasks from the flagged item → the one-page summary for the Regiegruppe's agenda; axe on every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.core import actions as meeting_actions
from members.models import Body
from selfcheck.models import Answer, Round
from tasks.models import Task
from tests.selfcheck.conftest import checklist, make_rater  # noqa: F401 - checklist is a fixture
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_opens_raters_answer_consolidation_tasks_summary(page, browser_context, login_as, personas, checklist):  # noqa: F811
    office = personas["office"]
    login_as(office)
    page.goto("/selbstcheck/verwaltung/")
    assert_accessible(page, context="Selbstcheck verwalten")
    section = page.get_by_role("region", name="Selbstcheck der interkommunalen Zusammenarbeit")
    section.get_by_label("Bezeichnung der Runde").fill("Selbstcheck 2026")
    section.get_by_role("button", name="Runde eröffnen").click()
    expect(page.locator(".messages")).to_contain_text("ist eröffnet")
    selfcheck_round = Round.objects.get(name="Selbstcheck 2026")
    first = selfcheck_round.items().first()

    page.goto("/selbstcheck/verwaltung/kooperation/")
    expect(page.locator(".kern-alert--warning")).to_contain_text("lassen sich erst nach ihrem Abschluss ändern")
    assert_accessible(page, context="Prüffragen während einer offenen Runde")

    # Three raters of two cities answer, independently: 0, 4 and 2 on the first question.
    raters = [
        (make_rater("essen.a@test.example", "essen"), "0"),
        (make_rater("essen.b@test.example", "essen"), "4"),
        (make_rater("bochum.a@test.example", "bochum"), "2"),
    ]
    browser_context.clear_cookies()
    for rater, value in raters:
        login_as(rater)
        page.goto("/selbstcheck/")
        assert_accessible(page, context="Selbstcheck, Übersicht")
        page.get_by_role("link", name="Selbstcheck 2026").click()
        assert_accessible(page, context="Bogen")
        item = page.locator(f"#punkt-{first.pk}")
        item.get_by_label(re.compile(f"^{value} –")).check()
        item.get_by_text("Kommentar und Belege").click()
        item.get_by_label("Kommentar").fill(f"Einschätzung {value}")
        page.get_by_role("button", name="Antworten speichern").click()
        expect(page.locator(".messages")).to_contain_text("Ihre Antworten wurden gespeichert")
        expect(page.locator(f"#punkt-{first.pk}").get_by_label(re.compile(f"^{value} –"))).to_be_checked()
        browser_context.clear_cookies()
    assert Answer.objects.filter(round=selfcheck_round).count() == 3

    # A rater sees the own city only; with two raters Essen's figures stay suppressed.
    login_as(raters[0][0])
    page.goto(f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/")
    expect(page.get_by_role("columnheader", name="Essen").first).to_be_visible()
    expect(page.get_by_role("columnheader", name="Bochum")).to_have_count(0)
    assert_accessible(page, context="Ergebnisse einer Stadt")
    browser_context.clear_cookies()

    # The office: the cooperation's consolidation flags the first question; a task for the Regiegruppe.
    login_as(office)
    page.goto(f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/")
    assert_accessible(page, context="Ergebnisse, alle Städte")
    flagged = page.locator("section[aria-labelledby=flagged]")
    expect(flagged).to_contain_text(first.text)
    flagged.get_by_label(first.text).check()
    page.get_by_role("button", name="Aufgaben anlegen").click()
    expect(page.locator(".messages")).to_contain_text("1 Aufgaben im Arbeitsbereich der Regiegruppe angelegt")
    task = Task.objects.get(selfcheck_follow_up__round=selfcheck_round)
    expect(page.locator("section[aria-labelledby=flagged]")).to_contain_text(task.title)
    assert_accessible(page, context="Ergebnisse mit Aufgabe")

    # The one-page summary for the agenda.
    response = page.request.get(f"/selbstcheck/runden/{selfcheck_round.pk}/zusammenfassung.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")

    # Close and release; the public page shows the cooperation only.
    page.get_by_role("button", name="Runde abschließen").click()
    expect(page.locator(".messages")).to_contain_text("Die Runde ist abgeschlossen")

    # The summary goes onto the Regiegruppe's next meeting as an agenda item with the PDF.
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=40)
    meeting, _w = meeting_actions.create_meeting(
        office,
        Body.objects.get(slug="regiegruppe"),
        start=start,
        end=start + dt.timedelta(hours=3),
        title="Planungssitzung der Regiegruppe",
        status="scheduled",
    )
    page.reload()
    page.get_by_label("Sitzung der Regiegruppe").select_option(value=str(meeting.pk))
    page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    expect(page.locator(".messages")).to_contain_text("auf der Tagesordnung der Sitzung „Planungssitzung der Regiegruppe“")
    assert_accessible(page, context="Ergebnisse, Zusammenfassung auf der Tagesordnung")
    page.get_by_role("link", name="Zur Sitzung").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Planungssitzung der Regiegruppe")
    expect(page.locator("main")).to_contain_text("Ergebnisse: Selbstcheck 2026")
    assert_accessible(page, context="Sitzung mit der Zusammenfassung")
    page.goto(f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/")
    page.get_by_role("button", name="Ergebnis der Kooperation veröffentlichen").click()
    page.get_by_role("link", name="Öffentliche Fassung").click()
    browser_context.clear_cookies()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Selbstcheck 2026")
    assert_accessible(page, context="Öffentliches Ergebnis")
