"""Journey: a member posts news with an @mention; the mentioned person sees the unread count and the
notification, and the mail that a real SMTP server receives is German HTML + plain text with
one-click unsubscribe headers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from notifications.delivery import deliver
from tests.notifications.helpers import use_smtp
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.support.smtp import LocalSMTPServer
from workspaces.actions import create_workspace
from workspaces.models import WorkspaceMember

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_posts_news_with_a_mention_and_the_mentioned_person_is_told(page, browser_context, login_as, personas, settings):
    member, office = personas["member"], personas["office"]
    workspace = create_workspace(member, name="Ausbildungsmesse 2027", visibility="platform")
    WorkspaceMember.objects.create(workspace=workspace, user=office, role="editor")

    login_as(member)
    page.goto(f"/arbeitsbereiche/{workspace.slug}/")
    page.get_by_role("link", name="Beitrag schreiben").first.click()
    assert_accessible(page, context="Beitrag schreiben")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Bitte geben Sie eine Überschrift an.")
    assert_accessible(page, context="Beitrag schreiben mit Fehlern")
    page.get_by_label("Überschrift").fill("Stände für die Messe")
    page.get_by_label("Text", exact=True).fill("Wir brauchen **drei** Stände. @Olivia Office, übernehmen Sie die Planung?")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stände für die Messe")
    assert_accessible(page, context="Beitrag")

    browser_context.clear_cookies()
    login_as(office)
    page.goto("/mein-bereich/")
    bell = page.locator(".site-header__bell")
    expect(bell).to_contain_text("1")
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen")
    assert_accessible(page, context="Benachrichtigungen")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page, context="Benachrichtigungen 320px")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=re.compile("hat Sie erwähnt: Stände für die Messe")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stände für die Messe")
    expect(page.locator(".site-header__bell .bell-count")).to_have_count(0)  # read now

    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        deliver()
        [message] = [m for m in smtp.wait_for(1) if m.envelope_to == [office.email]]
    assert "Mara Member hat Sie erwähnt" in str(message["Subject"])
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "übernehmen Sie die Planung?" in plain and "übernehmen Sie die Planung?" in html
    assert '<html lang="de">' in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert "/benachrichtigungen/abbestellen/" in unsubscribe
