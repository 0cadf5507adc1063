"""A task's due date in the search results is the day the task shows, in Berlin, on every backend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tasks.actions import create_task

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def test_search_shows_the_due_day_of_a_task(make_workspace, lead, run_worker):
    workspace = make_workspace("private", name="Bildungsprojekt")
    due = timezone.localdate() + dt.timedelta(days=9)
    run_worker(create_task, lead, workspace, title="Berichte einsammeln", due_date=due)
    client = Client()
    client.force_login(lead)
    page = client.get("/suche/", {"q": "Berichte"}).content.decode()
    assert "Berichte" in page
    assert due.strftime("%d.%m.%Y") in page
