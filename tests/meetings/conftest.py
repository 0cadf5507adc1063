"""A meeting scene on top of the demo structure: Regiegruppe meetings, agenda, a paper."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from meetings import actions
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
    meeting, _w = actions.create_meeting(
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
