"""Reminders before the answer to accessibility feedback is due (run once a day by the worker's scheduler)."""

from __future__ import annotations

import datetime as dt


def send_reminders(today: dt.date) -> int:
    from .actions import send_feedback_deadline_reminders

    return send_feedback_deadline_reminders(today)
