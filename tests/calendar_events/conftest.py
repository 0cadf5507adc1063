"""Calendar fixtures on top of the workspace ones: an event factory in Europe/Berlin."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from calendar_events.actions import create_event
from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def soon(days: int = 7, hour: int = 10) -> dt.datetime:
    """A time ``days`` from today in Berlin (feeds and the personal calendar look a year ahead)."""
    day = dt.datetime.now(BERLIN).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


@pytest.fixture
def make_event(lead):  # noqa: F811 - the imported fixture, requested by name
    def make(workspace, **fields):
        fields.setdefault("title", "Projekttreffen")
        fields.setdefault("starts_at", berlin(2031, 6, 12, 10, 0))
        fields.setdefault("ends_at", fields["starts_at"] + dt.timedelta(hours=2))
        fields.setdefault("location", "Rathaus Herne, Raum 215")
        return create_event(lead, workspace, **fields)

    return make
