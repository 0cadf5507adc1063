"""News and tasks for every workspace visibility × workspace role × persona, through the HTTP pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from news.access import can_comment, is_insider
from news.actions import create_post
from tasks.access import can_view_tasks
from tasks.actions import create_task
from tests.workspaces.conftest import give_role
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin"]
ROLES = [None, *WorkspaceMember.Role.values]
# Reading the workspace without a role in it (as in tests/workspaces/test_access.py).
VIEW_WITHOUT_ROLE = {
    "private": {"anonymous": False, "outsider": False, "guest": False, "member": False, "office": False, "admin": True},
    "platform": {"anonymous": False, "outsider": False, "guest": False, "member": True, "office": True, "admin": True},
    "public": {"anonymous": True, "outsider": True, "guest": True, "member": True, "office": True, "admin": True},
}
SEATED = {"anonymous": False, "outsider": False, "guest": False, "member": True, "office": True, "admin": True}
CONTRIBUTES = {None: False, "manager": True, "editor": True, "reader": False, "guest": False}
MANAGES = {None: False, "manager": True, "editor": False, "reader": False, "guest": False}


def expected(visibility, role, persona):
    if persona == "anonymous":
        role = None
    view = VIEW_WITHOUT_ROLE[visibility][persona] or role is not None
    insider = persona != "anonymous" and (role is not None or (view and SEATED[persona]))
    return {
        "read post": view,
        "comments": insider,
        "write post": CONTRIBUTES[role],
        "edit others' post": MANAGES[role] or persona == "admin",
        "see tasks": insider,
        "write task": CONTRIBUTES[role],
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", Workspace.Visibility.values)
def test_news_and_tasks_for_every_visibility_role_and_persona(visibility, role, personas, client_for, make_workspace, lead):
    workspace = make_workspace(visibility)
    post = create_post(lead, workspace, title="Projektstand", body="Alles läuft.")
    task = create_task(lead, workspace, title="Bericht schreiben")
    if role is not None:
        for persona in PERSONAS[1:]:
            give_role(workspace, personas[persona], role)
    failures = []
    for persona in PERSONAS:
        want = expected(visibility, role, persona)
        client = client_for(persona)
        closed = 302 if persona == "anonymous" else 404
        user = personas[persona] or AnonymousUser()
        fresh = Workspace.objects.get(pk=workspace.pk)
        got = {
            "read post": client.get(f"/neuigkeiten/{post.pk}/").status_code == 200,
            "comments": is_insider(user, fresh) and can_comment(user, _post(post, fresh)),
            "write post": client.get(f"/arbeitsbereiche/{workspace.slug}/neuigkeiten/neu/").status_code == 200,
            "edit others' post": client.get(f"/neuigkeiten/{post.pk}/bearbeiten/").status_code == 200,
            "see tasks": client.get(f"/aufgaben/{task.pk}/").status_code == 200,
            "write task": client.get(f"/arbeitsbereiche/{workspace.slug}/aufgaben/neu/").status_code == 200,
        }
        assert can_view_tasks(user, Workspace.objects.get(pk=workspace.pk)) == want["see tasks"]
        for key, value in want.items():
            if got[key] != value:
                failures.append(f"{persona}: {key} {got[key]}, expected {value}")
        # what may not be read answers like a missing page
        for url, allowed in [(f"/neuigkeiten/{post.pk}/", want["read post"]), (f"/aufgaben/{task.pk}/", want["see tasks"])]:
            status = client.get(url).status_code
            if not allowed and status != closed:
                failures.append(f"{persona}: {url} answered {status}, expected {closed}")
        page = client.get(f"/neuigkeiten/{post.pk}/")
        if page.status_code == 200 and (("Kommentare" in page.content.decode()) != want["comments"]):
            failures.append(f"{persona}: comment section shown={not want['comments']}")
    assert not failures, f"{visibility}/{role}: " + "; ".join(failures)


def _post(post, workspace):
    post.workspace = workspace
    return post


def test_public_flag_feeds_the_public_page_also_from_a_private_workspace(personas, client_for, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PRIVATE)
    office = personas["office"]
    give_role(workspace, office, "manager")
    hidden = create_post(office, workspace, title="Nur intern", body="Intern.")
    shown = create_post(office, workspace, title="Fachtag Vielfalt", body="Alle sind eingeladen.", is_public=True)
    anonymous = client_for("anonymous")
    page = anonymous.get("/aktuelles/").content.decode()
    assert "Fachtag Vielfalt" in page and "Nur intern" not in page
    assert anonymous.get(f"/neuigkeiten/{shown.pk}/").status_code == 200
    assert anonymous.get(f"/neuigkeiten/{hidden.pk}/").status_code == 302
    assert "Kommentare" not in anonymous.get(f"/neuigkeiten/{shown.pk}/").content.decode()


def test_cooperation_posts_are_for_members_and_written_by_the_office(personas, client_for):
    post = create_post(personas["office"], None, title="Neue Mitgliedsstadt", body="Hagen ist dabei.")
    assert client_for("member").get(f"/neuigkeiten/{post.pk}/").status_code == 200
    assert client_for("guest").get(f"/neuigkeiten/{post.pk}/").status_code == 404
    assert client_for("outsider").get(f"/neuigkeiten/{post.pk}/").status_code == 404
    assert client_for("member").get("/neuigkeiten/neu/").status_code == 404
    assert client_for("office").get("/neuigkeiten/neu/").status_code == 200
