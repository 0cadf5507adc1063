"""The scheduled work of events: the waiting list moves on (expired offers, returned contingent places) and
the retention rules delete accessibility needs and personal data. Every step is idempotent, so the worker's
daily scheduler and ``manage.py events_housekeeping`` (e.g. hourly from cron, for offers with short
deadlines) may run it as often as they like. Pages of an event run the queue step for that event too.
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


def run_daily(day: dt.date) -> dict[str, int]:
    """Entry point for notifications.scheduler (NOTIFICATIONS_DAILY_JOBS), which passes the day."""
    return run()
