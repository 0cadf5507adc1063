from __future__ import annotations

import pytest

from calendar_events.demo import POLL_TITLE, load_demo_calendar
from calendar_events.models import Event
from members.demo import load_demo, load_demo_accounts
from polls.models import Poll
from workspaces.demo import load_demo_workspaces

pytestmark = pytest.mark.django_db


def test_demo_dates_and_poll_are_created_once():
    load_demo()
    load_demo_accounts()
    load_demo_workspaces()
    load_demo_calendar()
    events = Event.objects.count()
    load_demo_calendar()
    assert events >= 5 and Event.objects.count() == events
    poll = Poll.objects.get(title=POLL_TITLE)
    assert poll.accepts_answers and poll.slots.count() == 3
    assert poll.participants.filter(user__isnull=True, email="jana.beispiel@partner.example").exists()
    assert poll.participants.filter(user__isnull=False).count() > 1
