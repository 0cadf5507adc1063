"""A month of dates as weeks of days, for the server-rendered month view (a table; a list on small screens)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from .ical import BERLIN


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    entries: list = field(default_factory=list)


@dataclass
class Month:
    first: dt.date
    weeks: list[list[Day]]
    previous: dt.date
    next: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.weeks[0][0].date, dt.time(0), tzinfo=BERLIN)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.weeks[-1][-1].date + dt.timedelta(days=1), dt.time(0), tzinfo=BERLIN)

    @property
    def has_entries(self) -> bool:
        return any(day.entries for week in self.weeks for day in week if day.in_month)


def parse_month(raw: str | None, today: dt.date) -> dt.date:
    """``?monat=2026-12`` → 1 December 2026; anything else → this month (years 2000–2100 only)."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        if 2000 <= year <= 2100:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def build_month(first: dt.date, today: dt.date | None = None) -> Month:
    """Weeks from Monday to Sunday covering the month (German weeks start on Monday)."""
    today = today or timezone.localdate()
    weeks = [
        [Day(date=day, in_month=day.month == first.month, is_today=day == today) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Month(first=first, weeks=weeks, previous=previous, next=following)


def place(month: Month, entries) -> Month:
    """Put each entry on every day it covers (a two-day workshop appears on both days)."""
    days = {day.date: day for week in month.weeks for day in week}
    for entry in entries:
        start = timezone.localtime(entry.starts_at, BERLIN).date()
        end = timezone.localtime(entry.ends_at - dt.timedelta(microseconds=1), BERLIN).date()
        day = max(start, month.weeks[0][0].date)
        while day <= end and day in days:
            days[day].entries.append(entry)
            day += dt.timedelta(days=1)
    return month
