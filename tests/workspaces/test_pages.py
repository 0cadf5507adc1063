"""The workspace pages: list, create, edit with conflicts, archive, query counts and the demo."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from lib.concurrency import EditConflict
from members.models import Body, Membership
from tests.conftest import make_user, seat
from workspaces import actions
from workspaces.models import JoinRequest, Workspace, WorkspaceMember

from .conftest import give_role

pytestmark = pytest.mark.django_db

Role = WorkspaceMember.Role


def test_list_shows_mine_first_then_what_i_can_read_or_join(personas, body_workspaces, client_for, make_workspace):
    hidden = make_workspace(Workspace.Visibility.PRIVATE, name="Geheime Planung")
    findable = make_workspace(Workspace.Visibility.PRIVATE, Workspace.JoinPolicy.REQUEST, name="Talente gewinnen")
    public = make_workspace(Workspace.Visibility.PUBLIC, Workspace.JoinPolicy.OPEN, name="Forum 2027")
    actions.join(personas["member"], findable)
    html = client_for("member").get("/arbeitsbereiche/").content.decode()
    mine, others = html.split("Weitere Arbeitsbereiche")
    assert "Regiegruppe" in mine
    assert "Projektteam" in others  # platform-wide, readable without a seat in it
    assert "Talente gewinnen" in others and "Ihre Anfrage liegt vor" in others
    assert "Forum 2027" in others and "offen für Mitglieder" in others
    assert hidden.name not in html
    assert public.get_absolute_url() in others


def test_external_guest_sees_own_and_public_workspaces_only(personas, body_workspaces, client_for, make_workspace):
    make_workspace(Workspace.Visibility.PUBLIC, name="Öffentliches Forum")
    make_workspace(Workspace.Visibility.PLATFORM, Workspace.JoinPolicy.OPEN, name="Nur für Mitglieder")
    html = client_for("guest").get("/arbeitsbereiche/").content.decode()
    assert "Projektteam" in html  # guest seat in the project team
    assert "Öffentliches Forum" in html
    assert "Regiegruppe" not in html
    assert "Nur für Mitglieder" not in html
    assert "Arbeitsbereich anlegen" not in html


def test_member_creates_a_workspace_and_leads_it(personas, client_for):
    response = client_for("member").post(
        "/arbeitsbereiche/neu/",
        {
            "name": "  Qualitätsmerkmal   Interkulturelle Kompetenz ",
            "kind": "working_group",
            "description": "Wir sammeln **Kriterien**.",
            "visibility": "platform",
            "join_policy": "request",
        },
    )
    workspace = Workspace.objects.get(slug="qualitaetsmerkmal-interkulturelle-kompetenz")
    assert response["Location"] == "/arbeitsbereiche/qualitaetsmerkmal-interkulturelle-kompetenz/"
    assert workspace.name == "Qualitätsmerkmal Interkulturelle Kompetenz"
    assert workspace.created_by == personas["member"]
    assert workspace.members.get().role == Role.MANAGER
    page = client_for("member").get(response["Location"]).content.decode()
    assert "<strong>Kriterien</strong>" in page
    assert "Ihre Rolle: Leitung" in page


def test_create_form_validates_in_german_and_offers_no_body_workspaces(client_for):
    client = client_for("member")
    html = client.post("/arbeitsbereiche/neu/", {"name": "ab", "kind": "body", "visibility": "secret"}).content.decode()
    assert "Bitte geben Sie einen Namen mit mindestens 3 Zeichen an." in html
    assert "body ist keine gültige Auswahl." in html
    assert "Dieses Feld ist zwingend erforderlich." in html  # join policy
    assert 'value="body"' not in client.get("/arbeitsbereiche/neu/").content.decode()
    assert not Workspace.objects.exists()


def test_edit_with_a_stale_version_shows_the_conflict_and_keeps_the_newer_data(lead, make_workspace):
    from django.test import Client

    workspace = make_workspace(name="Forum 2027")
    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    form = {"name": "Forum 2027 – Programm", "kind": "event", "description": "", "visibility": "private"}
    form |= {"join_policy": "invitation", "version": workspace.version}
    actions.update_workspace(lead, Workspace.objects.get(pk=workspace.pk), workspace.version, name="Forum 2027 – Ort")
    response = client.post(f"/arbeitsbereiche/{workspace.slug}/bearbeiten/", form)
    assert response.status_code == 409
    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    assert Workspace.objects.get(pk=workspace.pk).name == "Forum 2027 – Ort"
    with pytest.raises(EditConflict):
        actions.update_workspace(lead, workspace, workspace.version, name="Noch ein Versuch")


def test_body_workspace_edit_keeps_its_kind(personas, body_workspaces, client_for):
    workspace = body_workspaces["regiegruppe"]
    client = client_for("office")
    assert 'name="kind"' not in client.get("/arbeitsbereiche/regiegruppe/bearbeiten/").content.decode()
    data = {"name": "Regiegruppe", "description": "Neu", "visibility": "platform", "join_policy": "request"}
    client.post("/arbeitsbereiche/regiegruppe/bearbeiten/", data | {"kind": "project", "version": workspace.version})
    workspace.refresh_from_db()
    assert (workspace.kind, workspace.join_policy, workspace.description) == ("body", "request", "Neu")


@pytest.mark.parametrize(
    ("change", "action"),
    [
        ({"visibility": "public"}, "workspace.published"),
        ({"visibility": "platform"}, "workspace.access_changed"),
        ({"join_policy": "open"}, "workspace.access_changed"),
        ({"description": "Mehr Text"}, "workspace.changed"),
    ],
)
def test_permission_changes_and_publications_are_audited_as_such(lead, make_workspace, change, action):
    workspace = make_workspace()
    actions.update_workspace(lead, workspace, workspace.version, **change)
    event = AuditEvent.objects.filter(object_type="workspaces.workspace").latest("id")
    assert event.action == action
    assert event.actor == lead
    key = next(iter(change))
    assert event.before[key] != event.after[key] == change[key]


def test_archiving_and_restoring_are_audited_and_conflict_with_open_edits(lead, make_workspace):
    from django.test import Client

    workspace = make_workspace()
    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    client.post(f"/arbeitsbereiche/{workspace.slug}/archivieren/", {"archived": "on"})
    archived = Workspace.objects.get(pk=workspace.pk)
    assert archived.is_archived
    with pytest.raises(EditConflict):  # an edit form opened before archiving cannot silently restore it
        actions.update_workspace(lead, workspace, workspace.version, name="Alter Stand")
    client.post(f"/arbeitsbereiche/{workspace.slug}/archivieren/", {})
    assert not Workspace.objects.get(pk=workspace.pk).is_archived
    events = AuditEvent.objects.filter(object_id=str(workspace.pk), action__in=["workspace.archived", "workspace.restored"])
    assert [(e.action, e.actor) for e in events.order_by("id")] == [("workspace.archived", lead), ("workspace.restored", lead)]


def _grow(workspace: Workspace, lead, n: int) -> None:
    """More people in the workspace, more workspaces in the list, more open requests."""
    body = Body.objects.get(slug="projektteam")
    for i in range(n):
        user = make_user(f"zusatz{workspace.pk}-{i}@test.example")
        seat(user, body.slug, Membership.Role.MEMBER, "herne", given_name=f"Zusatz{i}", family_name=f"Person{i}")
        give_role(workspace, user, Role.EDITOR if i % 2 else Role.READER)
        other = actions.create_workspace(user, name=f"Projekt {workspace.pk}-{i}", visibility="platform", join_policy="request")
        if i % 3 == 0:
            actions.join(lead, other)
        JoinRequest.objects.create(workspace=workspace, user=make_user(f"anfrage{workspace.pk}-{i}@test.example"))


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("member", "/arbeitsbereiche/"),
        ("guest", "/arbeitsbereiche/"),
        ("member", "/arbeitsbereiche/{slug}/"),
        ("anonymous", "/arbeitsbereiche/{slug}/"),
        ("lead", "/arbeitsbereiche/{slug}/mitglieder/"),
        ("office", "/arbeitsbereiche/projektteam/mitglieder/"),
    ],
)
def test_list_and_members_pages_use_a_constant_number_of_queries(
    persona, url, personas, lead, body_workspaces, make_workspace, django_assert_max_num_queries
):
    from django.test import Client

    workspace = make_workspace(Workspace.Visibility.PUBLIC, Workspace.JoinPolicy.REQUEST)
    give_role(workspace, personas["member"], Role.EDITOR)
    JoinRequest.objects.create(workspace=workspace, user=personas["outsider"])  # every section has a row already
    client = Client()
    user = lead if persona == "lead" else personas[persona]
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = url.format(slug=workspace.slug)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(workspace, lead, 12)
    actions.ensure_body_workspaces()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    # The page, the header's unread count and the panels (activity, dates, tasks, meetings, documents);
    # the ceiling only guards against a new per-row query, the growth check above is the real test.
    assert len(small.captured_queries) <= 18, [q["sql"] for q in small.captured_queries]


def test_demo_workspaces_are_idempotent_and_match_the_brief(cooperation):
    from members.demo import load_demo_accounts
    from workspaces.demo import FORUM_NAME, PROJECT_NAME, load_demo_workspaces

    load_demo_accounts()
    first = load_demo_workspaces()
    count = (Workspace.objects.count(), WorkspaceMember.objects.count())
    load_demo_workspaces()
    assert (Workspace.objects.count(), WorkspaceMember.objects.count()) == count
    project, forum = first["project"], first["forum"]
    assert (project.name, project.visibility, project.join_policy) == (PROJECT_NAME, "private", "request")
    assert (forum.name, forum.visibility, forum.join_policy) == (FORUM_NAME, "public", "open")
    leads = project.members.filter(role__in=[Role.MANAGER, Role.EDITOR]).values_list(
        "user__person__municipality__slug", flat=True
    )
    assert len(set(leads)) >= 3
    assert Workspace.objects.filter(kind="body").count() == Body.objects.count()
