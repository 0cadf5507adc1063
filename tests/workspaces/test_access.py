"""Who may view, contribute to and manage a workspace: every visibility × workspace role × persona."""

from __future__ import annotations

import pytest

from workspaces.access import can_contribute, can_manage, can_view, workspaces_visible_to
from workspaces.models import Workspace, WorkspaceMember

from .conftest import give_role

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin"]
ROLES = [None, *WorkspaceMember.Role.values]

# Who reads a workspace they do not belong to. Admins see everything (support); the guest persona is
# an external guest (a guest seat only), the outsider has an account and no seat at all.
VIEW_WITHOUT_ROLE = {
    "private": {"anonymous": False, "outsider": False, "guest": False, "member": False, "office": False, "admin": True},
    "platform": {"anonymous": False, "outsider": False, "guest": False, "member": True, "office": True, "admin": True},
    "public": {"anonymous": True, "outsider": True, "guest": True, "member": True, "office": True, "admin": True},
}
CONTRIBUTES = {None: False, "manager": True, "editor": True, "reader": False, "guest": False}
MANAGES = {None: False, "manager": True, "editor": False, "reader": False, "guest": False}


def expected(visibility: str, role: str | None, persona: str) -> tuple[bool, bool, bool]:
    if persona == "anonymous":
        role = None  # nobody can give the public a role
    view = VIEW_WITHOUT_ROLE[visibility][persona] or role is not None
    manage = MANAGES[role] or persona == "admin"
    return view, CONTRIBUTES[role], manage


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", Workspace.Visibility.values)
def test_view_contribute_manage_for_every_visibility_role_and_persona(
    visibility, role, personas, client_for, make_workspace, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    workspace = make_workspace(visibility)
    if role is not None:
        for persona in PERSONAS[1:]:
            give_role(workspace, personas[persona], role)
    failures = []
    for persona in PERSONAS:
        user = personas[persona] or AnonymousUser()
        fresh = Workspace.objects.get(pk=workspace.pk)  # no cached role between personas
        view, contribute, manage = expected(visibility, role, persona)
        got = (can_view(user, fresh), can_contribute(user, fresh), can_manage(user, fresh))
        if got != (view, contribute, manage):
            failures.append(f"{persona}: view/contribute/manage {got}, expected {(view, contribute, manage)}")
        if (workspaces_visible_to(user).filter(pk=workspace.pk).exists()) != view:
            failures.append(f"{persona}: list visibility differs from can_view")
        client = client_for(persona)
        closed = 302 if persona == "anonymous" else 404
        detail = client.get(f"/arbeitsbereiche/{workspace.slug}/").status_code
        if detail != (200 if view else closed):
            failures.append(f"{persona}: detail page {detail}")
        edit = client.get(f"/arbeitsbereiche/{workspace.slug}/bearbeiten/").status_code
        if edit != (200 if manage else closed):
            failures.append(f"{persona}: edit page {edit}")
        members = client.get(f"/arbeitsbereiche/{workspace.slug}/mitglieder/").status_code
        if members != (200 if manage else closed):
            failures.append(f"{persona}: members page {members}")
    assert not failures, f"{visibility}/{role}: " + "; ".join(failures)


def test_archived_workspace_is_read_only_for_editors(personas, make_workspace):
    from workspaces.actions import archive

    workspace = make_workspace(Workspace.Visibility.PLATFORM)
    give_role(workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    archive(personas["admin"], workspace)
    workspace = Workspace.objects.get(pk=workspace.pk)
    assert can_view(personas["member"], workspace)
    assert not can_contribute(personas["member"], workspace)


@pytest.mark.parametrize("persona", ["outsider", "guest", "member", "office"])
def test_missing_and_forbidden_workspaces_answer_404_alike(persona, client_for, make_workspace):
    hidden = make_workspace(Workspace.Visibility.PRIVATE)
    client = client_for(persona)
    for url in (f"/arbeitsbereiche/{hidden.slug}/", "/arbeitsbereiche/gibt-es-nicht/"):
        assert client.get(url).status_code == 404
        assert client.get(url + "bearbeiten/").status_code == 404
        assert client.get(url + "mitglieder/").status_code == 404
        assert client.post(url + "beitreten/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_for_missing_and_closed_workspaces_alike(client_for, make_workspace):
    hidden = make_workspace(Workspace.Visibility.PLATFORM)
    client = client_for("anonymous")
    for slug in (hidden.slug, "gibt-es-nicht"):
        response = client.get(f"/arbeitsbereiche/{slug}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?next=")


def test_private_workspace_taking_requests_shows_only_name_and_description_to_seat_holders(client_for, make_workspace):
    workspace = make_workspace(
        Workspace.Visibility.PRIVATE, Workspace.JoinPolicy.REQUEST, description="Wir planen **gemeinsam**."
    )
    html = client_for("member").get(f"/arbeitsbereiche/{workspace.slug}/").content.decode()
    assert "Die Inhalte dieses Arbeitsbereichs sehen nur seine Mitglieder." in html
    assert "<strong>gemeinsam</strong>" in html
    assert "Beitritt anfragen" in html
    assert "Lea Lead" not in html  # the members panel stays closed
    for persona in ("outsider", "guest"):  # external guests are invited, they do not find private workspaces
        assert client_for(persona).get(f"/arbeitsbereiche/{workspace.slug}/").status_code == 404


def test_outside_viewers_see_only_members_whose_profile_is_visible_to_them(personas, client_for, make_workspace):
    from members.models import Person

    workspace = make_workspace(Workspace.Visibility.PUBLIC)
    give_role(workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    Person.objects.filter(user=personas["member"]).update(profile_visibility="public")
    html = client_for("anonymous").get(f"/arbeitsbereiche/{workspace.slug}/").content.decode()
    assert "Mara Member" in html
    assert "Lea Lead" not in html  # profile for signed-in members only
    assert "Dazu 1 weitere Person" in html
    insider = client_for("member").get(f"/arbeitsbereiche/{workspace.slug}/").content.decode()
    assert "Lea Lead" in insider
