"""Demo data a city would believe (issue 10): meetings on working days, no task twice, comparable population years."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from calendar_events.demo import load_demo_calendar
from calendar_events.models import Event
from meetings.demo import load_demo_integration, load_demo_meetings
from meetings.models import Meeting
from members.demo import load_demo, load_demo_accounts
from monitoring.demo import comparable_population_rows
from tasks.demo import load_demo_tasks
from tasks.models import Task
from workspaces.demo import load_demo_workspaces

pytestmark = pytest.mark.django_db


def test_meetings_and_events_are_on_working_days_and_no_task_appears_twice():
    load_demo()
    load_demo_accounts()
    load_demo_workspaces()
    load_demo_tasks()
    load_demo_calendar()
    load_demo_meetings()
    load_demo_integration()
    weekend = [m for m in Meeting.objects.all() if timezone.localtime(m.start).weekday() >= 5]
    assert not weekend, [f"{m.title} {m.start:%a %d.%m.%Y}" for m in weekend]
    assert not [e for e in Event.objects.all() if timezone.localtime(e.starts_at).weekday() >= 5]
    twice = [title for title, n in Counter(Task.objects.values_list("title", flat=True)).items() if n > 1]
    assert not twice
    progress = Task.objects.get(title="Ausbildungszahlen 2026 melden").city_progress
    assert progress == (1, 3)


def test_the_demo_compares_population_shares_of_one_vintage_only():
    header, *rows = comparable_population_rows().decode().splitlines()
    shares = {(row.split(";")[2], row.split(";")[1]) for row in rows if row.split(";")[2].startswith("mh_")}
    assert shares == {("mh_census_2011", "09.05.2011")}
    totals = {row.split(";")[1] for row in rows if row.split(";")[2] == "population"}
    assert totals == {"15.05.2022", "31.12.2024"}
