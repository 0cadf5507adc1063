"""Who may see and change events: every workspace visibility × workspace role × persona."""

from __future__ import annotations

import pytest

from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin"]
ROLES = [None, *WorkspaceMember.Role.values]

# Readers of the workspace read its events; managers and editors write them (as in tests/workspaces/test_access.py).
VIEW_WITHOUT_ROLE = {
    "private": {"anonymous": False, "outsider": False, "guest": False, "member": False, "office": False, "admin": True},
    "platform": {"anonymous": False, "outsider": False, "guest": False, "member": True, "office": True, "admin": True},
    "public": {"anonymous": True, "outsider": True, "guest": True, "member": True, "office": True, "admin": True},
}
WRITES = {None: False, "manager": True, "editor": True, "reader": False, "guest": False}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", Workspace.Visibility.values)
def test_event_pages_for_every_visibility_role_and_persona(visibility, role, personas, client_for, make_workspace, make_event):
    workspace = make_workspace(visibility)
    event = make_event(workspace)
    if role is not None:
        for persona in PERSONAS[1:]:
            give_role(workspace, personas[persona], role)
    failures = []
    for persona in PERSONAS:
        effective_role = None if persona == "anonymous" else role
        view = VIEW_WITHOUT_ROLE[visibility][persona] or effective_role is not None
        write = WRITES[effective_role]
        closed = 302 if persona == "anonymous" else 404
        client = client_for(persona)
        pages = {
            f"/arbeitsbereiche/{workspace.slug}/termine/": 200 if view else closed,
            f"/termine/{event.pk}/": 200 if view else closed,
            f"/termine/{event.pk}/termin.ics": 200 if view else closed,
            f"/arbeitsbereiche/{workspace.slug}/termine/neu/": 200 if write else closed,
            f"/termine/{event.pk}/bearbeiten/": 200 if write else closed,
            f"/termine/{event.pk}/loeschen/": 200 if write else closed,
        }
        for url, expected in pages.items():
            status = client.get(url).status_code
            if status != expected:
                failures.append(f"{persona} GET {url}: {status}, expected {expected}")
        # Writing by POST: forbidden answers 404 (anonymous: login), and nothing changes.
        if not write:
            status = client.post(f"/termine/{event.pk}/loeschen/").status_code
            if status != (302 if persona == "anonymous" else 404):
                failures.append(f"{persona} POST delete: {status}")
    assert event.__class__.objects.filter(pk=event.pk).exists()
    assert not failures, f"{visibility}/{role}: " + "; ".join(failures)


def test_archived_workspace_keeps_events_readable_but_not_writable(personas, client_for, make_workspace, make_event):
    from workspaces.actions import archive

    workspace = make_workspace(Workspace.Visibility.PLATFORM)
    event = make_event(workspace)
    give_role(workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    archive(personas["admin"], workspace)
    client = client_for("member")
    assert client.get(f"/termine/{event.pk}/").status_code == 200
    assert client.get(f"/termine/{event.pk}/bearbeiten/").status_code == 404
    assert client.get(f"/arbeitsbereiche/{workspace.slug}/termine/neu/").status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "member", "office"])
def test_missing_and_forbidden_events_answer_404_alike(persona, client_for, make_workspace, make_event):
    hidden = make_event(make_workspace(Workspace.Visibility.PRIVATE))
    client = client_for(persona)
    for pk in (hidden.pk, 999_999):
        for suffix in ("", "termin.ics", "bearbeiten/", "loeschen/"):
            assert client.get(f"/termine/{pk}/{suffix}").status_code == 404
