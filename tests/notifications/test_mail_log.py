"""The office's mail log: what went to whom, when, whether it arrived; no secret links (issue 10)."""

from __future__ import annotations

import pytest

from notifications.actions import notify, queue_mail
from notifications.delivery import deliver
from notifications.models import Outbox
from tests.support.smtp import LocalSMTPServer, _Handler

from .helpers import use_smtp

pytestmark = pytest.mark.django_db


class _RefusingExtern(_Handler):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("extern@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


SECRET = "Zs9QkP2vW7xY4aB6cD8eF0gH1iJ3kL5m"


def test_the_office_sees_sent_and_failed_mails_with_their_state(personas, client_for, settings):
    member = personas["member"]
    notify(recipients=[member], verb="test", subject="Einladung zum Regietreffen", text="Wir treffen uns in Herne.")
    queue_mail(to_email="extern@example.org", subject="Ihre Rückmeldung", text="Danke.")
    smtp = LocalSMTPServer()
    smtp._controller.handler = _RefusingExtern(smtp)  # a real SMTP server that refuses one mailbox for good
    with smtp:
        use_smtp(settings, smtp)
        assert deliver() == 2
        smtp.wait_for(1)
    page = client_for("office").get("/benachrichtigungen/postausgang/").content.decode()
    assert "Einladung zum Regietreffen" in page and member.email in page and "gesendet" in page
    assert "extern@example.org" in page and "endgültig gescheitert" in page and "mailbox unavailable" in page
    failed = client_for("office").get("/benachrichtigungen/postausgang/?status=failed").content.decode()
    assert "extern@example.org" in failed and "Einladung zum Regietreffen" not in failed
    by_address = client_for("office").get("/benachrichtigungen/postausgang/?an=member@").content.decode()
    assert "Einladung zum Regietreffen" in by_address and "extern@example.org" not in by_address


def test_secret_links_in_subjects_and_errors_are_not_shown(personas, client_for):
    """Attacker view: whatever a mail row holds, the page shows no usable personal link."""
    Outbox.objects.create(
        to_email="gast@example.org",
        subject=f"Antworten Sie hier: https://plattform.example/terminabstimmung/{SECRET}/",
        text=f"https://plattform.example/terminabstimmung/{SECRET}/",
        last_error=f"SMTPDataError: rejected https://plattform.example/kalender/{SECRET}.ics",
    )
    response = client_for("office").get("/benachrichtigungen/postausgang/")
    page = response.content.decode()
    assert response.status_code == 200 and "gast@example.org" in page
    assert SECRET not in page


@pytest.mark.parametrize("persona", ["member", "guest", "outsider"])
def test_only_the_office_reads_the_mail_log(personas, client_for, persona):
    assert client_for(persona).get("/benachrichtigungen/postausgang/").status_code == 404


def test_mails_sent_at_once_are_in_the_log_with_their_state(personas, client_for, settings, django_capture_on_commit_callbacks):
    """The notice of accessibility feedback to the office does not go through the outbox; the log lists it anyway,
    and a mail the server refused shows as failed."""
    from django.core import mail

    from lib.mail import send_templated_mail
    from website.actions import submit_accessibility_feedback

    with django_capture_on_commit_callbacks(execute=True):
        feedback = submit_accessibility_feedback(description="Der Kontrast ist zu gering.", email="leser@example.org")
    [sent] = mail.outbox
    office = client_for("office")
    page = office.get("/benachrichtigungen/postausgang/?an=" + settings.MANAGING_OFFICE_EMAIL).content.decode()
    subject = sent.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert subject in page and "gesendet" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nobody listens there
    with pytest.raises(OSError):
        send_templated_mail("accessibility_feedback", ["zweite@example.org"], {"feedback": feedback})
    failed = office.get("/benachrichtigungen/postausgang/?status=failed").content.decode()
    assert "zweite@example.org" in failed and "endgültig gescheitert" in failed


def test_a_mail_sent_at_once_keeps_no_personal_link_in_the_log(personas, django_capture_on_commit_callbacks):
    """Attacker view: an account invitation carries its token; the recorded row must not."""
    from django.core import mail

    from accounts.actions import invite_person
    from members.models import Person

    person = Person.objects.create(given_name="Ida", family_name="Neu", email="ida@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = invite_person(personas["office"], person, email="ida@example.org", message="")
    assert any(token in m.body for m in mail.outbox)
    row = Outbox.objects.get(to_email="ida@example.org")
    assert row.state == Outbox.State.SENT
    assert all(token not in value for value in (row.subject, row.text, row.html, row.last_error))
