"""Workspaces on top of the shared personas: body workspaces exist, plus helpers for project workspaces."""

from __future__ import annotations

import pytest

from members.models import Membership
from tests.conftest import make_user, seat
from workspaces.actions import create_workspace, ensure_body_workspaces
from workspaces.models import Workspace, WorkspaceMember


@pytest.fixture
def body_workspaces(personas):
    """The body workspaces, synced with the personas' seats (created directly, so no hook ran)."""
    ensure_body_workspaces()
    return {ws.body.slug: ws for ws in Workspace.objects.filter(kind=Workspace.Kind.BODY).select_related("body")}


@pytest.fixture
def lead(personas):
    """A project lead from Dortmund with a seat in the project team."""
    user = make_user("lead@test.example")
    seat(user, "projektteam", Membership.Role.MEMBER, "dortmund", given_name="Lea", family_name="Lead")
    return user


@pytest.fixture
def make_workspace(lead):
    def make(visibility=Workspace.Visibility.PRIVATE, join_policy=Workspace.JoinPolicy.INVITATION, **fields) -> Workspace:
        fields.setdefault("name", f"Projekt {visibility} {join_policy}")
        return create_workspace(lead, visibility=visibility, join_policy=join_policy, **fields)

    return make


def give_role(workspace: Workspace, user, role: str) -> WorkspaceMember:
    return WorkspaceMember.objects.create(workspace=workspace, user=user, role=role)
