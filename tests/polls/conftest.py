"""Poll fixtures: a project workspace led by Lea Lead with the member persona as editor, and a running poll."""

from __future__ import annotations

import datetime as dt

import pytest

from polls.actions import create_poll
from tests.calendar_events.conftest import soon
from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401
from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role


@pytest.fixture
def make_poll(lead):  # noqa: F811 - the imported fixture, requested by name
    def make(workspace, **fields):
        fields.setdefault("title", "Regietreffen Herbst")
        fields.setdefault("location", "Rathaus Herne")
        fields.setdefault("deadline", soon(5, 18))
        fields.setdefault("slots", [(soon(10), soon(10, 12)), (soon(11, 14), soon(11, 16))])
        return create_poll(fields.pop("actor", lead), workspace, **fields)

    return make


@pytest.fixture
def team_workspace(make_workspace, personas):  # noqa: F811
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Gemeinsames Projekt")
    give_role(workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    return workspace


def past(hours: int = 1) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
