"""The office answers accessibility feedback within six weeks: answer by mail, status, deadline, reminder (issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from notifications.delivery import deliver
from notifications.models import Notification, Outbox
from notifications.scheduler import run_due
from tests.notifications.helpers import use_smtp
from tests.support.smtp import LocalSMTPServer
from website.actions import send_feedback_deadline_reminders, submit_accessibility_feedback
from website.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(db):
    return submit_accessibility_feedback(
        page_url="/verzeichnis/",
        description="Der Filter ist mit dem Screenreader nicht bedienbar.",
        name="Lena Leser",
        email="leser@example.org",
    )


def test_the_office_answers_and_the_answer_reaches_the_sender_over_smtp(feedback, client_for, settings):
    office = client_for("office")
    detail = office.get(f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/")
    assert detail.status_code == 200 and "Screenreader" in detail.content.decode()
    response = office.post(
        f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/antworten/",
        {"antwort-answer": "Danke, der Filter ist jetzt per Tastatur bedienbar.", "antwort-version": feedback.version},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.answered_at is not None
    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        assert deliver() == 1
        [message] = smtp.wait_for(1)
    assert message.envelope_to == ["leser@example.org"]
    assert message["Reply-To"] == settings.FEEDBACK_REPLY_TO_EMAIL == settings.MANAGING_OFFICE_EMAIL  # replies reach the office
    assert "Ihre Rückmeldung zur Barrierefreiheit" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "per Tastatur bedienbar" in text and "> Der Filter ist mit dem Screenreader" in text
    assert "Benachrichtigungen einstellen" not in text  # the sender has no account
    assert Outbox.objects.get(to_email="leser@example.org").state == Outbox.State.SENT
    actions = set(AuditEvent.objects.filter(object_type="website.accessibilityfeedback").values_list("action", flat=True))
    assert "accessibility_feedback.answered" in actions


def test_an_empty_answer_keeps_the_page_and_says_what_is_missing(feedback, client_for):
    response = client_for("office").post(
        f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/antworten/", {"antwort-answer": "  ", "antwort-version": 1}
    )
    assert response.status_code == 400 and "Bitte schreiben Sie eine Antwort." in response.content.decode()
    assert not Outbox.objects.exists()


def test_status_changes_are_versioned_and_audited(feedback, client_for):
    office = client_for("office")
    url = f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/status/"
    assert office.post(url, {"status-status": "in_progress", "status-version": 1}).status_code == 302
    stale = office.post(url, {"status-status": "closed", "status-version": 1})
    assert stale.status_code == 409 and "inzwischen von jemand anderem geändert" in stale.content.decode()
    feedback.refresh_from_db()
    assert feedback.status == "in_progress"
    assert office.post(url, {"status-status": "closed", "status-version": 2}).status_code == 302
    assert AuditEvent.objects.filter(action="accessibility_feedback.status").count() == 2


def test_the_list_shows_the_deadline_and_hides_closed_feedback_by_default(feedback, client_for):
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    closed = submit_accessibility_feedback(description="Kontrast der Schaltflächen zu gering.")
    AccessibilityFeedback.objects.filter(pk=closed.pk).update(status="closed")
    page = client_for("office").get("/barrierefreiheit/rueckmeldungen/").content.decode()
    assert "Frist überschritten" in page and "Kontrast" not in page
    assert "Kontrast" in client_for("office").get("/barrierefreiheit/rueckmeldungen/?anzeigen=alle").content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "member", "guest"])
def test_only_the_office_reads_and_answers_feedback(feedback, client_for, persona):
    client = client_for(persona)
    assert client.get(f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/").status_code in (302, 404)
    client.post(f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/antworten/", {"antwort-answer": "x", "antwort-version": 1})
    client.post(f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/status/", {"status-status": "closed", "status-version": 1})
    feedback.refresh_from_db()
    assert feedback.status == "new" and not Outbox.objects.exists()


def test_the_office_is_reminded_once_a_week_before_the_deadline(feedback, personas, settings):
    today = timezone.localdate()
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(due_on=today + dt.timedelta(days=10))
    assert send_feedback_deadline_reminders(today) == 0
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(due_on=today + dt.timedelta(days=7))
    at_eight = timezone.make_aware(dt.datetime.combine(today, dt.time(settings.NOTIFICATIONS_DIGEST_HOUR, 5)))
    assert "feedback-reminders" in run_due(at_eight)
    assert send_feedback_deadline_reminders(today + dt.timedelta(days=1)) == 0  # once per feedback
    note = Notification.objects.get(event__verb="accessibility_feedback.reminder")
    assert note.recipient == personas["office"]
    assert Outbox.objects.filter(to_email=personas["office"].email).exists()


def test_answered_feedback_is_not_reminded(feedback):
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(status="answered", due_on=timezone.localdate())
    assert send_feedback_deadline_reminders(timezone.localdate()) == 0


def test_the_reply_to_of_answers_comes_from_the_settings(feedback, client_for, settings):
    settings.FEEDBACK_REPLY_TO_EMAIL = "barrierefreiheit@example.org"
    client_for("office").post(
        f"/barrierefreiheit/rueckmeldungen/{feedback.pk}/antworten/",
        {"antwort-answer": "Danke für den Hinweis.", "antwort-version": feedback.version},
    )
    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        assert deliver() == 1
        [message] = smtp.wait_for(1)
    assert message["Reply-To"] == "barrierefreiheit@example.org"
