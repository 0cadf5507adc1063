"""Daily and weekly digests: contents, once per period, and no event both by itself and in a digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications import actions
from notifications.actions import notify
from notifications.digests import send_digests, week_start
from notifications.dispatch import run_once
from notifications.models import Digest, EmailMode, Notification
from notifications.scheduler import run_due
from workspaces.actions import create_workspace

from .helpers import many_users

pytestmark = pytest.mark.django_db


def _tell(users, subject, workspace=None):
    notify(recipients=users, verb="test.digest", subject=subject, text=subject, url="/neuigkeiten/", workspace=workspace)


def test_daily_digest_collects_the_days_events_once(personas):
    daily, immediate = many_users(2, "digest")
    actions.set_email_mode(daily, EmailMode.DAILY)
    workspace = create_workspace(personas["member"], name="Vielfalt im Personal", visibility="platform")
    _tell([daily, immediate], "Neuer Beitrag: Ausbildungsmesse", workspace)
    _tell([daily, immediate], "Neue Aufgabe: Zahlen liefern")
    run_once()
    assert [m.to for m in mail.outbox] == [[immediate.email], [immediate.email]]  # per event, only to "immediate"
    mail.outbox.clear()

    today = timezone.localdate()
    assert send_digests(Digest.Kind.DAILY, today) == 1
    assert send_digests(Digest.Kind.DAILY, today) == 0  # once per day, also after a restart
    run_once()
    [digest] = mail.outbox
    assert digest.to == [daily.email]
    assert digest.subject.startswith("[Interkommunal] Ihre tägliche Zusammenfassung")
    assert "2 Neuigkeiten" in digest.subject
    text = digest.body
    assert "Vielfalt im Personal" in text and "Ganze Kooperation" in text
    assert "Neuer Beitrag: Ausbildungsmesse" in text and "Neue Aufgabe: Zahlen liefern" in text
    html = digest.alternatives[0][0]
    assert "Ausbildungsmesse" in html and 'lang="de"' in html
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Notification.objects.filter(recipient=daily).values_list("mail", flat=True)) == {"digested"}
    assert set(Notification.objects.filter(recipient=immediate).values_list("mail", flat=True)) == {"immediate"}


def test_events_after_a_digest_wait_for_the_next_one(personas):
    [daily] = many_users(1, "later")
    actions.set_email_mode(daily, EmailMode.DAILY)
    today = timezone.localdate()
    _tell([daily], "Erstes")
    send_digests(Digest.Kind.DAILY, today)
    _tell([daily], "Zweites")
    assert send_digests(Digest.Kind.DAILY, today) == 0
    assert send_digests(Digest.Kind.DAILY, today + dt.timedelta(days=1)) == 1
    second = Digest.objects.get(period=today + dt.timedelta(days=1))
    assert list(second.notifications.values_list("event__subject", flat=True)) == ["Zweites"]


def test_weekly_digest_runs_on_its_weekday_and_only_for_weekly_people(personas, settings):
    daily, weekly = many_users(2, "weekly")
    actions.set_email_mode(daily, EmailMode.DAILY)
    actions.set_email_mode(weekly, EmailMode.WEEKLY)
    _tell([daily, weekly], "Wochenthema")
    monday = week_start(timezone.localdate()) + dt.timedelta(days=7)
    at = timezone.make_aware(dt.datetime.combine(monday, dt.time(settings.NOTIFICATIONS_DIGEST_HOUR, 1)))
    ran = run_due(at)
    assert "digest-weekly" in ran and "digest-daily" in ran
    assert run_due(at) == []
    weekly_digest = Digest.objects.get(user=weekly)
    assert weekly_digest.kind == "weekly" and weekly_digest.period == monday
    assert Digest.objects.get(user=daily).kind == "daily"
    tuesday = at + dt.timedelta(days=1)
    assert "digest-weekly" not in run_due(tuesday)
