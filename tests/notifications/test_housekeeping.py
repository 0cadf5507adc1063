"""Mail copies are kept NOTIFICATIONS_MAIL_RETENTION_DAYS, mail on its way never; the worker runs it daily."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notifications.actions import notify
from notifications.housekeeping import purge_mail_copies
from notifications.models import Outbox
from notifications.scheduler import run_due

from .helpers import many_users

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def test_old_sent_and_failed_copies_go_but_pending_and_recent_ones_stay(settings):
    settings.NOTIFICATIONS_MAIL_RETENTION_DAYS = 30
    users = many_users(4, prefix="aufbewahrung")
    notify(recipients=users, verb="test.retention", subject="Hinweis", text="Text", always=True)
    rows = list(Outbox.objects.order_by("pk"))
    assert len(rows) == 4
    old = timezone.now() - dt.timedelta(days=31)
    states = [Outbox.State.SENT, Outbox.State.FAILED, Outbox.State.PENDING, Outbox.State.SENT]
    for row, state in zip(rows, states, strict=True):
        Outbox.objects.filter(pk=row.pk).update(state=state, created=old if row is not rows[-1] else timezone.now())
    assert purge_mail_copies() == 2
    assert sorted(Outbox.objects.values_list("state", flat=True)) == ["pending", "sent"]


def test_the_worker_runs_the_housekeeping_once_a_day():
    ran = run_due(dt.datetime.now(dt.UTC).replace(hour=20))
    assert "notifications-housekeeping" in ran
    assert "notifications-housekeeping" not in run_due(dt.datetime.now(dt.UTC).replace(hour=21))
