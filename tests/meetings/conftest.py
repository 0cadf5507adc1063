"""A meeting scene on top of the demo structure: Regiegruppe meetings, agenda, a paper."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import Meeting
from members.models import Body, Membership, Municipality, Person

BERLIN = ZoneInfo("Europe/Berlin")


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=BERLIN)


@pytest.fixture
def regiegruppe(cooperation):
    return Body.objects.get(slug="regiegruppe")


@pytest.fixture
def office_user(personas):
    return personas["office"]


@pytest.fixture
def speaker(regiegruppe):
    return Membership.objects.get(body=regiegruppe, role=Membership.Role.SPEAKER).person


@pytest.fixture
def meeting(regiegruppe, office_user):
    meeting, _w = meeting_actions.create_meeting(
        office_user,
        regiegruppe,
        start=at(2030, 3, 12, 10),
        end=at(2030, 3, 12, 13),
        title="Regietreffen März",
        host=Municipality.objects.get(slug="herne"),
        status="scheduled",
    )
    return meeting


@pytest.fixture
def member_person(personas):
    return Person.objects.get(user=personas["member"])


def days_ago(days: int, hour: int = 10) -> dt.datetime:
    """A moment ``days`` before today in Berlin: meetings that have taken place, on any day the suite runs."""
    day = timezone.localdate() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BERLIN)


def held(office_user, body, *, days: int = 20, title: str = "Regietreffen", items=("Kampagne",)) -> Meeting:
    """A meeting of ``body`` that took place ``days`` ago with ``items`` on its agenda, marked as held (its
    agenda is frozen now, its minutes can be written)."""
    meeting, _w = meeting_actions.create_meeting(
        office_user,
        body,
        start=days_ago(days, 10),
        end=days_ago(days, 13),
        title=title,
        host=Municipality.objects.get(slug="herne"),
        status="scheduled",
    )
    for item_title in items:
        item = agenda_actions.propose_item(office_user, body, title=item_title)
        agenda_actions.decide_item(office_user, item, "accept", meeting=meeting)
    minutes_actions.mark_held(office_user, meeting)
    return meeting


@pytest.fixture
def held_meeting(regiegruppe, office_user):
    return held(office_user, regiegruppe)
