"""Periodic work of date polls: reminders before the deadline and deletion after the retention period.

Both steps are idempotent (a poll is reminded once, ``reminder_sent_at``; a deleted poll is gone), so
the worker's daily scheduler and the ``polls_housekeeping`` command may run them as often as they like.
"""

from __future__ import annotations

import datetime as dt

from . import actions


def run(now: dt.datetime | None = None) -> dict[str, int]:
    return {"reminded": actions.send_reminders(now), "deleted": actions.delete_expired(now)}


def run_daily(day: dt.date) -> dict[str, int]:
    """Entry point for notifications.scheduler (NOTIFICATIONS_DAILY_JOBS), which passes the day."""
    return run()
