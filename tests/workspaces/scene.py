"""Workspace data for the browser scans: body workspaces, a member added by hand and an open request.

Used by tests/e2e/test_accessibility_scan.py so axe also sees the role forms and the request cards.
"""

from __future__ import annotations

from accounts.models import User
from workspaces.actions import add_member, ensure_body_workspaces
from workspaces.models import JoinRequest, Workspace, WorkspaceMember


def workspace_scene() -> None:
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    outsider = User.objects.get(email="outsider@test.example")
    guest = User.objects.get(email="guest@test.example")
    if not workspace.members.filter(user=outsider).exists():
        add_member(None, workspace, outsider, WorkspaceMember.Role.READER)
    JoinRequest.objects.get_or_create(
        workspace=workspace,
        user=guest,
        status=JoinRequest.Status.PENDING,
        defaults={"message": "Die Landesinitiative möchte die Ergebnisse begleiten."},
    )
