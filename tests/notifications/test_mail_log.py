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
