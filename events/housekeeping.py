"""The scheduled work of events: the waiting list moves on (expired offers, returned contingent places) and
the retention rules delete accessibility needs and personal data. Every step is idempotent.

The worker's scheduler (notifications/scheduler.py, one run per slot under an advisory lock however many
workers there are) runs the queue step every ``EVENTS_QUEUE_MINUTES`` (default 5) as ``events-queue``, so an
offer of a few hours passes on within minutes of its end, and the whole of it daily. ``manage.py
events_housekeeping`` does the same by hand; pages of an event run the queue step for that event too.
"""

from __future__ import annotations

import datetime as dt

from . import actions


def run(now: dt.datetime | None = None) -> dict[str, int]:
    moved = actions.move_queue(now)
    return {
        **moved,
        "accessibility_deleted": actions.delete_accessibility_data(now),
        "anonymised": actions.delete_personal_data(now),
    }


def run_queue(slot: dt.datetime | None = None) -> dict[str, int]:
    """Entry point for the scheduler's frequent jobs (NOTIFICATIONS_FREQUENT_JOBS): the waiting lists move on.
    It runs at the real time, not the slot's start, so an offer that ended within the slot passes on too."""
    return actions.move_queue()


def run_daily(day: dt.date) -> dict[str, int]:
    """Entry point for notifications.scheduler (NOTIFICATIONS_DAILY_JOBS), which passes the day."""
    return run()
