"""Payment reminders for overdue cost shares (run once a day by the worker's scheduler)."""

from __future__ import annotations

import datetime as dt


def send_reminders(today: dt.date) -> int:
    from .actions import send_payment_reminders

    return send_payment_reminders(today)
