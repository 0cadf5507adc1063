"""Reminders before a task's due date (run once a day by the worker's scheduler)."""

from __future__ import annotations

import datetime as dt


def send_reminders(today: dt.date) -> int:
    from .actions import send_due_reminders

    return send_due_reminders(today)
