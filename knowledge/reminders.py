"""Review-by reminders of practice examples (run once a day by the worker's scheduler)."""

from __future__ import annotations

import datetime as dt


def create_reminders(today: dt.date) -> int:
    from .actions import create_review_reminders

    return create_review_reminders(today)
