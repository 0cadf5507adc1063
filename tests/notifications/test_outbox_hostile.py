"""One bad mail never holds up the outbox: real SMTP, a title with a line break, refusing and deferring servers.

The line break is what a post title can carry when somebody posts the form by hand. Before, the
mail library's header error escaped the delivery loop, and every mail of the batch stayed
undelivered. Now the subject is one line, and whatever goes wrong with one mail is recorded on
its row (reason, attempts, next try) while the rest of the batch goes out.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from notifications import dispatch
from notifications.actions import notify
from notifications.audience import Audience
from notifications.models import Outbox
from tests.support.smtp import LocalSMTPServer, _Handler

from .helpers import many_users, use_smtp

pytestmark = pytest.mark.django_db


class _ChoosyHandler(_Handler):
    def __init__(self, owner, refuse: set[str], defer: set[str]):
        super().__init__(owner)
        self.refuse, self.defer = refuse, defer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        if address in self.defer:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class ChoosySMTPServer(LocalSMTPServer):
    """Refuses some recipients for good (550) and defers others (451)."""

    def __init__(self, *, refuse=(), defer=()):
        super().__init__()
        self._controller.handler = _ChoosyHandler(self, set(refuse), set(defer))


def _post(users, subject: str) -> None:
    notify(recipients=Audience.users(users), verb="news.posted", subject=subject, text="Bitte lesen.", url="/aktuelles/")


def test_a_line_break_in_a_title_neither_injects_a_header_nor_holds_up_the_batch(settings):
    users = many_users(4, "leser")
    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        _post(users[:1], "Neuer Beitrag: Haushalt\r\nBcc: opfer@example.org\n\x0bEntwurf")
        _post(users[1:], "Neuer Beitrag: Sommerfest")
        dispatch.run_once()
        messages = smtp.wait_for(4)
    assert Outbox.objects.filter(state=Outbox.State.SENT).count() == 4
    subjects = sorted(str(m["Subject"]) for m in messages)
    assert subjects[0] == "[Interkommunal] Neuer Beitrag: Haushalt Bcc: opfer@example.org Entwurf"
    assert all(m["Bcc"] is None for m in messages)
    assert sorted(address for m in messages for address in m.envelope_to) == sorted(u.email for u in users)


def test_a_very_long_title_is_cut_in_the_subject(settings):
    users = many_users(1, "lang")
    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        _post(users, "Neuer Beitrag: " + "Sehr langer Titel " * 20)
        dispatch.run_once()
        [message] = smtp.wait_for(1)
    assert len(str(message["Subject"])) <= 220
    assert str(message["Subject"]).endswith("…")


def test_a_refused_recipient_fails_alone_and_a_deferred_one_is_retried_with_backoff(settings):
    settings.NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS = 3
    users = many_users(4, "empfaenger")
    refused, deferred = users[1].email, users[2].email
    with ChoosySMTPServer(refuse={refused}, defer={deferred}) as smtp:
        use_smtp(settings, smtp)
        _post(users, "Neuer Beitrag: Termine")
        dispatch.run_once()
        delivered = smtp.wait_for(2)
        rows = {row.to_email: row for row in Outbox.objects.all()}
        assert sorted(m.envelope_to[0] for m in delivered) == sorted([users[0].email, users[3].email])
        assert rows[users[0].email].state == rows[users[3].email].state == Outbox.State.SENT
        assert rows[refused].state == Outbox.State.FAILED
        assert "550" in rows[refused].last_error
        first = rows[deferred]
        assert (first.state, first.attempts) == (Outbox.State.PENDING, 1)
        assert "451" in first.last_error
        assert first.next_attempt_at - timezone.now() > dt.timedelta(seconds=50)

        dispatch.run_once()  # not due yet: nothing happens
        assert Outbox.objects.get(pk=first.pk).attempts == 1

        waits = []
        for _attempt in (2, 3):
            row = Outbox.objects.get(pk=first.pk)
            with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
                dispatch.run_once()
                after = Outbox.objects.get(pk=first.pk)
                if after.next_attempt_at and after.state == Outbox.State.PENDING:
                    waits.append(after.next_attempt_at - timezone.now())
        assert after.state == Outbox.State.FAILED  # the last attempt
        assert after.attempts == 3 and "451" in after.last_error
        assert waits and waits[0] > dt.timedelta(seconds=100)  # the back-off grows
    assert Outbox.objects.get(to_email=refused).attempts == 1  # a permanent refusal is not retried
