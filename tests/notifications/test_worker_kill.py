"""Killing the worker mid-batch loses no mail and sends none twice.

The real thing: the worker runs as a subprocess (``manage.py worker``) against the test's
PostgreSQL database and a real SMTP server on localhost, is killed with SIGKILL in the middle of
a batch, and started again. Every mail must arrive exactly once, recognised by its Message-ID.

The first test stops the worker at the one point where exactly-once is hardest: the SMTP server
holds back its answer to a message, so the worker is killed while that mail is "sending". The
server drops the message (the connection died before it accepted), the restarted worker sends it
again after the lease, and the row says so (``uncertain``). The second test kills the worker at
arbitrary moments: no mail is lost, and a duplicate can only be a mail the outbox flagged.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from notifications.actions import notify
from notifications.audience import Audience
from notifications.models import Outbox
from tests.support.smtp import LocalSMTPServer

from .helpers import many_users

pytestmark = [pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
MAILS = 150


class GatedSMTPServer(LocalSMTPServer):
    """Holds back its answer to the n-th message until released; then drops that message."""

    def __init__(self, hold_at: int):
        super().__init__()
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()
        self._seen = 0

    def _record(self, message):
        self._seen += 1
        if self._seen == self.hold_at:
            self.held.set()
            self.release.wait(60)  # the worker waits for "250" and is killed meanwhile
            return  # connection is gone: the message was never accepted
        super()._record(message)


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _start_worker(smtp_port: int, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "interkommunal.settings",
        "INTERKOMMUNAL_ENV": "test",
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "NOTIFICATIONS_OUTBOX_LEASE_SECONDS": "3",
        "NOTIFICATIONS_OUTBOX_BATCH": "20",
        "LOG_FORMAT": "plain",
        "LOG_LEVEL": "WARNING",
    }
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"], cwd=ROOT, env=env, stdout=log, stderr=log
    )


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def _wait_until(condition, timeout=90.0, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _all_sent() -> bool:
    return Outbox.objects.exclude(state=Outbox.State.SENT).count() == 0 and Outbox.objects.count() == MAILS


def _post_to_many():
    users = many_users(MAILS, "empfaenger")
    notify(
        recipients=Audience.users(users),  # more than the inline limit: the worker fans it out
        verb="test.kill",
        subject="Neuigkeit aus dem Projektteam",
        text="Bitte lesen Sie den neuen Beitrag.",
        url="/arbeitsbereiche/",
    )
    return users


def test_worker_killed_while_a_mail_is_being_sent_delivers_everything_exactly_once(cooperation, tmp_path):
    users = _post_to_many()
    with GatedSMTPServer(hold_at=40) as smtp:
        first = _start_worker(smtp.port, tmp_path / "worker.log")
        try:
            assert smtp.held.wait(60), (tmp_path / "worker.log").read_text()
            held_row = Outbox.objects.get(state=Outbox.State.SENDING)  # exactly one mail is in the hands of SMTP
            _kill(first)
        finally:
            if first.poll() is None:
                _kill(first)
            smtp.release.set()
        assert Outbox.objects.filter(state=Outbox.State.SENT).count() == 39
        second = _start_worker(smtp.port, tmp_path / "worker.log")
        try:
            _wait_until(_all_sent, what="all mails sent")
            smtp.wait_for(MAILS, timeout=30)
        finally:
            _kill(second)
        received = collections.Counter(str(m["Message-ID"]) for m in smtp.messages)
    expected = set(Outbox.objects.values_list("message_id", flat=True))
    assert set(received) == expected
    assert all(n == 1 for n in received.values()), [mid for mid, n in received.items() if n > 1]
    assert sorted(m.envelope_to[0] for m in smtp.messages) == sorted(u.email for u in users)
    flagged = list(Outbox.objects.filter(uncertain=True).values_list("pk", flat=True))
    assert flagged == [held_row.pk]  # the one mail that was in flight is known


def test_worker_killed_at_arbitrary_moments_loses_nothing_and_any_duplicate_is_flagged(cooperation, tmp_path):
    _post_to_many()
    with LocalSMTPServer() as smtp:
        for kill_after in (25, 70, 110):
            worker = _start_worker(smtp.port, tmp_path / "worker.log")
            try:
                smtp.wait_for(kill_after, timeout=60)
            finally:
                _kill(worker)
        worker = _start_worker(smtp.port, tmp_path / "worker.log")
        try:
            _wait_until(_all_sent, what="all mails sent")
        finally:
            _kill(worker)
        received = collections.Counter(str(m["Message-ID"]) for m in smtp.messages)
    rows = dict(Outbox.objects.values_list("message_id", "uncertain"))
    assert set(received) == set(rows)  # nothing lost
    duplicates = {mid for mid, n in received.items() if n > 1}
    assert all(rows[mid] for mid in duplicates)  # a duplicate is always a flagged mail
    assert Outbox.objects.filter(uncertain=True).count() <= 3  # at most one per killed worker
