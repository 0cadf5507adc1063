"""Public pages edited by the managing office, and the accessibility feedback form."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from website.models import AccessibilityFeedback, Page

pytestmark = [pytest.mark.django_db]


@pytest.mark.sqlite_fast
def test_feedback_reaches_the_managing_office_without_an_account(client_for, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("anonymous").post(
            "/barrierefreiheit/",
            {
                "page_url": "/verzeichnis/",
                "description": "Der Filter ist mit dem Screenreader nicht bedienbar.",
                "email": "leser@example.org",
            },
        )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.due_on - timezone.localdate(feedback.created)).days == 42
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [settings.MANAGING_OFFICE_EMAIL]
    assert message.reply_to == ["leser@example.org"]
    assert "Screenreader" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "Ombudsverfahren" in message.body


def test_feedback_form_validates_in_german_and_keeps_the_input(client_for):
    html = (
        client_for("anonymous").post("/barrierefreiheit/", {"description": "kurz", "email": "kein-at-zeichen"}).content.decode()
    )
    assert "mindestens 10 Zeichen" in html
    assert "gültige E-Mail-Adresse" in html
    assert "kein-at-zeichen" in html
    assert 'aria-invalid="true"' in html
    assert "data-error-summary" in html
    assert not AccessibilityFeedback.objects.exists()


def test_bots_filling_the_hidden_field_are_dropped_quietly(client_for):
    response = client_for("anonymous").post(
        "/barrierefreiheit/", {"description": "Werbung Werbung Werbung", "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert not AccessibilityFeedback.objects.exists()


def test_office_edits_a_legal_page_and_the_change_is_audited(client_for, personas):
    page = Page.objects.get(slug="impressum")
    data = {
        "title_de": "Impressum",
        "body_de": "## Anbieter\n\nStadt Essen",
        "title_en": "Legal notice",
        "body_en": "",
        "version": page.version,
    }
    response = client_for("office").post("/seiten/impressum/bearbeiten/", data)
    assert response.status_code == 302
    assert "Stadt Essen" in client_for("anonymous").get("/impressum/").content.decode()
    event = AuditEvent.objects.get(action="page.changed")
    assert event.actor == personas["office"]
    assert "Stadt Essen" in event.after["body_de"]


def test_page_markdown_cannot_carry_scripts(client_for):
    page = Page.objects.get(slug="impressum")
    evil = '## Hallo\n\n<script>alert(1)</script><iframe src="x"></iframe>\n\n[klick](javascript:alert(1)) <img src=x onerror=alert(1)>'
    client_for("office").post(
        "/seiten/impressum/bearbeiten/",
        {"title_de": "Impressum", "body_de": evil, "title_en": "", "body_en": "", "version": page.version},
    )
    html = client_for("anonymous").get("/impressum/").content.decode()
    assert "<script>alert(1)" not in html
    assert "<iframe" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_english_switch_shows_english_pages(client_for):
    client = client_for("anonymous")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/datenschutz/").content.decode()
    assert '<html lang="en">' in html
    assert Page.objects.get(slug="datenschutz").title_en in html


def test_every_page_links_the_legal_pages_in_the_footer(client_for):
    html = client_for("anonymous").get("/mitgliedsstaedte/").content.decode()
    for href in ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/", "/gebaerdensprache/"]:
        assert f'href="{href}' in html
