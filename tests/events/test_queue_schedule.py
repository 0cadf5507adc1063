"""Offers shorter than a day: the worker's scheduler moves the waiting lists every few minutes (one run per
slot under the advisory lock), not only the daily job, a page view or cron. Frozen time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from events import actions
from events.models import Registration
from members.models import Municipality
from notifications.models import ScheduledRun
from notifications.scheduler import run_due
from tests.events.conftest import make_forum

pytestmark = pytest.mark.django_db
Status = Registration.Status


def _at_slot(moment: dt.datetime, minutes: int = 0) -> dt.datetime:
    """A moment ``minutes`` into a 5-minute slot (so two calls fall into the same slot)."""
    return moment.replace(second=0, microsecond=0, minute=moment.minute - moment.minute % 5) + dt.timedelta(minutes=minutes)


def _morning() -> dt.datetime:
    """Tomorrow 10:01 local time: after the daily jobs' hour, so the first run_due does the day's jobs and later
    runs that day are the frequent job's alone (the daily job cannot be what moves the queue here)."""
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    return tomorrow.replace(hour=10, minute=1, second=0, microsecond=0)


def test_an_offer_of_one_hour_passes_on_within_minutes_of_its_end(personas, settings):
    settings.EVENTS_QUEUE_MINUTES = 5
    start = _morning()
    with time_machine.travel(start, tick=False):
        assert "events-housekeeping" in run_due(timezone.now())  # the day's run, done before the offer exists
        forum = make_forum(personas["office"], capacity=1, offer_hours=1)
        first = actions.register(forum, name="Anna Erste", email="anna@example.org")
        second = actions.register(forum, name="Bert Zweiter", email="bert@example.org")
        third = actions.register(forum, name="Cora Dritte", email="cora@example.org")
        actions.cancel(first)
        second.refresh_from_db()
        assert second.status == Status.OFFERED
    # Nobody opens a page: at 1 h 5 min the scheduler's slot has passed the offer on.
    later = _at_slot(start + dt.timedelta(hours=1, minutes=5), 1)
    with time_machine.travel(later, tick=False):
        ran = run_due(timezone.now())
        assert "events-queue" in ran and "events-housekeeping" not in ran
        assert "events-queue" not in run_due(timezone.now() + dt.timedelta(minutes=2))  # once per slot
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.EXPIRED
    assert third.status == Status.OFFERED
    assert third.offer_expires_at == later + dt.timedelta(hours=1)
    # The next slot runs again (idempotent: nothing more to do).
    with time_machine.travel(later + dt.timedelta(minutes=5), tick=False):
        assert "events-queue" in run_due(timezone.now())
    third.refresh_from_db()
    assert third.status == Status.OFFERED


def test_a_contingent_cut_off_within_the_day_returns_the_places(personas):
    office = personas["office"]
    start = _morning()
    with time_machine.travel(start, tick=False):
        assert "events-housekeeping" in run_due(timezone.now())
        forum = make_forum(office, capacity=2, contingent_deadline=start + dt.timedelta(hours=2))
        actions.add_contingent(
            office,
            forum,
            municipality=Municipality.objects.get(slug="essen"),
            places=2,
            coordinator_name="Clara Koordination",
            coordinator_email="clara@essen.example",
        )
        waiting = actions.register(forum, name="Wanda Warteliste", email="wanda@example.org")
        assert waiting.status == Status.WAITING
    with time_machine.travel(start + dt.timedelta(hours=2, minutes=4), tick=False):
        assert "events-queue" in run_due(timezone.now())
    waiting.refresh_from_db()
    forum.refresh_from_db()
    assert forum.unused_returned_at is not None
    assert waiting.status == Status.OFFERED


def test_old_slots_are_cleaned_up(personas):
    start = _at_slot(timezone.now(), 1)
    with time_machine.travel(start, tick=False):
        run_due(timezone.now())
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        run_due(timezone.now())
    assert ScheduledRun.objects.filter(job="events-queue").count() == 1
