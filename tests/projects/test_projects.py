"""Joint projects: actions and status transitions, who sees what (404 alike), the public page, versioned edits."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from audit.models import AuditEvent
from calendar_events.models import Event
from lib.concurrency import EditConflict
from members.models import Membership, Municipality
from projects import actions, panels
from projects.models import JointProject, ProjectStatus
from tests.conftest import make_user, seat
from tests.projects.matrix import steering_decision
from workspaces.actions import add_member
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db

S = ProjectStatus


@pytest.fixture
def project(personas):
    return actions.create_project(
        personas["office"],
        title="Vielfalt in der Ausbildung",
        slug="vielfalt",
        lead_municipality=Municipality.objects.get(slug="dortmund"),
        summary="Praktika nach gemeinsamen Kriterien.",
    )


@pytest.fixture
def team_member(project, personas):
    """A partner city's person in the project team (an editor of the project's workspace), not in the Regiegruppe."""
    user = make_user("team@test.example")
    seat(user, "projektteam", Membership.Role.MEMBER, "duisburg")
    add_member(personas["office"], project.workspace, user, WorkspaceMember.Role.EDITOR)
    return user


@pytest.fixture
def other_member(cooperation):
    """A body member who is neither in the Regiegruppe nor in the project's team."""
    user = make_user("other@test.example")
    seat(user, "projektteam", Membership.Role.MEMBER, "hagen")
    return user


def _plain(content: bytes, slug: str) -> str:
    text = content.decode().replace(slug, "X")
    return re.sub(r"[A-Za-z0-9]{64}", "", text)  # CSRF tokens (form field and htmx header)


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- Creating ---------------------------------------------------------------------------------


def test_creating_a_project_creates_its_own_project_workspace_and_the_lead_as_partner(project, personas):
    assert project.workspace.kind == Workspace.Kind.PROJECT
    assert project.workspace.visibility == Workspace.Visibility.PRIVATE
    assert WorkspaceMember.objects.filter(workspace=project.workspace, user=personas["office"], role="manager").exists()
    assert [(p.municipality.slug, p.role) for p in project.partners.all()] == [("dortmund", "lead")]
    assert AuditEvent.objects.filter(action="project.created", object_id=str(project.pk)).exists()


def test_only_the_office_creates_projects(personas):
    with pytest.raises(PermissionDenied):
        actions.create_project(personas["member"], title="X", lead_municipality=Municipality.objects.get(slug="essen"))


def test_office_creates_a_project_through_the_page(client_for):
    essen = Municipality.objects.get(slug="essen")
    response = client_for("office").post("/projekte/neu/", {"title": "Neues Projekt", "lead_municipality": essen.pk})
    assert response.status_code == 302
    assert JointProject.objects.get(slug="neues-projekt").lead_municipality == essen


# --- Status transitions -----------------------------------------------------------------------


def test_the_whole_path_from_idea_to_closed(project, personas):
    office = personas["office"]
    for status in [S.APPLICATION, S.APPROVED, S.RUNNING, S.PROOF_OF_USE, S.CLOSED]:
        actions.change_status(office, project, project.version, status)
    project.refresh_from_db()
    assert project.status == S.CLOSED
    assert AuditEvent.objects.filter(action="project.status_changed", object_id=str(project.pk)).count() == 5


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ([], S.RUNNING),
        ([], S.CLOSED),
        ([S.APPLICATION], S.RUNNING),
        ([S.APPLICATION, S.APPROVED, S.RUNNING], S.WITHDRAWN),
        ([S.APPLICATION, S.APPROVED, S.RUNNING], S.CLOSED),
        ([S.APPLICATION, S.REJECTED], S.RUNNING),
    ],
)
def test_skipping_a_step_is_refused_with_a_german_reason(project, personas, path, wanted):
    office = personas["office"]
    for status in path:
        actions.change_status(office, project, project.version, status)
    with pytest.raises(ValidationError) as refused:
        actions.change_status(office, project, project.version, wanted)
    assert "kann nicht in den Stand" in str(refused.value)
    assert JointProject.objects.get(pk=project.pk).status == (path[-1] if path else S.IDEA)


def test_a_closed_or_withdrawn_project_stays_as_it_is(project, personas):
    office = personas["office"]
    actions.change_status(office, project, project.version, S.WITHDRAWN)
    with pytest.raises(ValidationError) as refused:
        actions.change_status(office, project, project.version, S.IDEA)
    assert "ist beendet" in str(refused.value)


def test_a_rejected_application_may_start_again_as_an_idea(project, personas):
    office = personas["office"]
    actions.change_status(office, project, project.version, S.APPLICATION)
    actions.change_status(office, project, project.version, S.REJECTED)
    actions.change_status(office, project, project.version, S.IDEA)
    assert JointProject.objects.get(pk=project.pk).status == S.IDEA


def test_status_from_an_old_version_is_a_conflict(project, personas, client_for):
    old = project.version
    actions.change_status(personas["office"], project, old, S.APPLICATION)
    with pytest.raises(EditConflict):
        actions.change_status(personas["office"], project, old, S.WITHDRAWN)
    response = client_for("office").post("/projekte/vielfalt/stand/", {"stand-status": "approved", "stand-version": old})
    assert response.status_code == 409
    assert JointProject.objects.get(pk=project.pk).status == S.APPLICATION


def test_an_invalid_transition_through_the_page_answers_400_with_the_reason(project, client_for):
    response = client_for("office").post(
        "/projekte/vielfalt/stand/", {"stand-status": "closed", "stand-version": project.version}
    )
    assert response.status_code == 400
    assert "Möglich ist" in response.content.decode()


# --- Edits ------------------------------------------------------------------------------------


def test_two_editors_from_the_same_version_the_second_gets_409(project, team_member, client_for):
    office = client_for("office")
    team = _client(team_member)
    form = {"title": project.title, "summary": "Fassung A", "version": project.version}
    assert team.post("/projekte/vielfalt/bearbeiten/", form).status_code == 302
    response = office.post(
        "/projekte/vielfalt/bearbeiten/",
        {**form, "summary": "Fassung B", "lead_municipality": project.lead_municipality_id},
    )
    assert response.status_code == 409
    assert JointProject.objects.get(pk=project.pk).summary == "Fassung A"


def test_changing_the_lead_city_moves_the_lead_role(project, personas):
    essen = Municipality.objects.get(slug="essen")
    actions.update_project(personas["office"], project, project.version, lead_municipality=essen)
    roles = {p.municipality.slug: p.role for p in project.partners.all()}
    assert roles == {"essen": "lead", "dortmund": "partner"}


def test_the_team_may_not_change_the_lead_city(project, team_member):
    with pytest.raises(PermissionDenied):
        actions.update_project(team_member, project, project.version, lead_municipality=Municipality.objects.get(slug="essen"))


# --- Partners, milestones, decisions ----------------------------------------------------------


def test_partners_with_roles_and_the_lead_stays(project, personas):
    office = personas["office"]
    herne = Municipality.objects.get(slug="herne")
    partner = actions.set_partner(office, project, herne, "partner", "richtet den Fachtag aus")
    actions.set_partner(office, project, herne, "associated")
    partner.refresh_from_db()
    assert partner.role == "associated"
    lead = project.partners.get(role="lead")
    with pytest.raises(ValidationError):
        actions.remove_partner(office, lead)
    with pytest.raises(ValidationError):
        actions.set_partner(office, project, project.lead_municipality, "partner")
    assert AuditEvent.objects.filter(action="project.partner.set", object_id=str(project.pk)).count() == 2


def test_a_milestone_stands_in_the_workspace_calendar(project, team_member):
    milestone = actions.add_milestone(team_member, project, title="Ausbildungsmesse", due_on=dt.date(2024, 9, 17))
    assert milestone.event.workspace == project.workspace
    assert milestone.event.title == "Meilenstein: Ausbildungsmesse"
    actions.mark_milestone_done(team_member, milestone, dt.date(2024, 9, 17))
    event_pk = milestone.event.pk
    actions.delete_milestone(team_member, milestone)
    assert not Event.objects.filter(pk=event_pk).exists()
    assert AuditEvent.objects.filter(action__startswith="project.milestone.", object_id=str(project.pk)).count() == 3


def test_a_linked_decision_shows_on_the_project_and_links_back_from_the_register(project, personas, client_for):
    decision = steering_decision(personas["office"])
    actions.link_decision(personas["office"], project, decision)
    with pytest.raises(ValidationError):
        actions.link_decision(personas["office"], project, decision)
    page = client_for("member").get("/projekte/vielfalt/").content.decode()
    assert decision.text in page
    register = client_for("member").get("/sitzungen/beschluesse/").content.decode()
    assert "/projekte/vielfalt/" in register


def test_the_register_does_not_name_projects_the_reader_may_not_see(project, personas, other_member):
    decision = steering_decision(personas["office"])
    actions.link_decision(personas["office"], project, decision)
    register = _client(other_member).get("/sitzungen/beschluesse/").content.decode()
    assert "/projekte/vielfalt/" not in register


# --- Who sees what ----------------------------------------------------------------------------


def test_personas_see_and_edit_as_promised(project, team_member, other_member, personas):
    expectations = {
        # persona: (detail, edit page)
        "office": (200, 200),
        "team": (200, 200),
        "regiegruppe": (200, 404),
        "other": (404, 404),
        "guest": (404, 404),
        "outsider": (404, 404),
    }
    users = {
        "office": personas["office"],
        "team": team_member,
        "regiegruppe": personas["member"],
        "other": other_member,
        "guest": personas["guest"],
        "outsider": personas["outsider"],
    }
    seen = {
        name: (
            _client(user).get("/projekte/vielfalt/").status_code,
            _client(user).get("/projekte/vielfalt/bearbeiten/").status_code,
        )
        for name, user in users.items()
    }
    assert seen == expectations
    assert _client(None).get("/projekte/vielfalt/").status_code == 302


def test_forbidden_and_unknown_projects_look_the_same(project, other_member):
    client = _client(other_member)
    forbidden = client.get("/projekte/vielfalt/")
    unknown = client.get("/projekte/gibt-es-nicht/")
    assert forbidden.status_code == unknown.status_code == 404
    # The pages differ only in the address they carry (the language switch returns to it) and the CSRF token.
    assert _plain(forbidden.content, "vielfalt") == _plain(unknown.content, "gibt-es-nicht")


def test_the_list_shows_only_the_own_projects(project, team_member, other_member):
    assert "Vielfalt in der Ausbildung" in _client(team_member).get("/projekte/").content.decode()
    assert "Vielfalt in der Ausbildung" not in _client(other_member).get("/projekte/").content.decode()


def test_the_team_edits_milestones_but_not_the_status(project, team_member):
    client = _client(team_member)
    assert (
        client.post(
            "/projekte/vielfalt/meilensteine/", {"meilenstein-title": "Auftakt", "meilenstein-due_on": "2024-01-10"}
        ).status_code
        == 302
    )
    assert project.milestones.count() == 1
    response = client.post("/projekte/vielfalt/stand/", {"stand-status": "application", "stand-version": project.version})
    assert response.status_code == 404
    assert JointProject.objects.get(pk=project.pk).status == S.IDEA


def test_the_regiegruppe_reads_but_cannot_add_milestones(project, client_for):
    response = client_for("member").post(
        "/projekte/vielfalt/meilensteine/", {"meilenstein-title": "Fremd", "meilenstein-due_on": "2024-01-10"}
    )
    assert response.status_code == 404
    assert project.milestones.count() == 0


# --- Public page ------------------------------------------------------------------------------


def test_the_public_page_exists_only_once_released(project, personas, client_for):
    anonymous = client_for("anonymous")
    unknown = anonymous.get("/gemeinschaftsprojekte/gibt-es-nicht/")
    before = anonymous.get("/gemeinschaftsprojekte/vielfalt/")
    assert before.status_code == unknown.status_code == 404
    assert "Vielfalt in der Ausbildung" not in anonymous.get("/gemeinschaftsprojekte/").content.decode()
    response = client_for("office").post("/projekte/vielfalt/freigabe/", {"op": "release", "freigabe-version": project.version})
    assert response.status_code == 302
    page = anonymous.get("/gemeinschaftsprojekte/vielfalt/")
    assert page.status_code == 200
    assert "Praktika nach gemeinsamen Kriterien." in page.content.decode()
    assert "Vielfalt in der Ausbildung" in anonymous.get("/gemeinschaftsprojekte/").content.decode()
    project.refresh_from_db()
    actions.withdraw_release(personas["office"], project, project.version)
    assert anonymous.get("/gemeinschaftsprojekte/vielfalt/").status_code == 404
    events = AuditEvent.objects.filter(object_id=str(project.pk), action__startswith="project.release").order_by("pk")
    assert [event.action for event in events] == ["project.released", "project.release_withdrawn"]


def test_release_needs_a_summary_and_is_office_only(personas, team_member, project):
    with pytest.raises(PermissionDenied):
        actions.release(team_member, project, project.version)
    actions.update_project(personas["office"], project, project.version, summary="")
    with pytest.raises(ValidationError) as refused:
        actions.release(personas["office"], project, project.version)
    assert "Kurzbeschreibung" in str(refused.value)


def test_the_public_page_shows_published_documents_only(project, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import actions as document_actions

    office = personas["office"]
    public = document_actions.upload(
        office, project.workspace, SimpleUploadedFile("leitfaden.txt", b"Leitfaden"), title="Leitfaden"
    )
    document_actions.set_public(office, public, True)
    document_actions.upload(office, project.workspace, SimpleUploadedFile("intern.txt", b"intern"), title="Interner Vermerk")
    project.refresh_from_db()
    actions.release(office, project, project.version)
    page = _client(None).get("/gemeinschaftsprojekte/vielfalt/").content.decode()
    assert "Leitfaden" in page
    assert "Interner Vermerk" not in page


# --- Panels -----------------------------------------------------------------------------------


def test_other_apps_hang_panels_into_the_project_page(project, client_for):
    def funding_panel(request, project):
        return panels.Panel(title="Förderung (Test)", template="projects/_facts.html", context={})

    panels.register(funding_panel)
    try:
        page = client_for("office").get("/projekte/vielfalt/").content.decode()
    finally:
        panels.unregister(funding_panel)
    assert "Förderung (Test)" in page
    assert "Förderung (Test)" not in client_for("office").get("/projekte/vielfalt/").content.decode()


# --- Demo -------------------------------------------------------------------------------------


def test_the_demo_builds_both_projects_once(personas):
    from members.demo import load_demo_accounts
    from projects.demo import load_demo_projects

    load_demo_accounts()
    load_demo_projects()
    load_demo_projects()
    closed = JointProject.objects.get(slug="interkulturelle-personalgewinnung")
    running = JointProject.objects.get(slug="vielfalt-in-ausbildung")
    assert (closed.status, closed.is_released, closed.lead_municipality.slug) == (S.CLOSED, True, "essen")
    assert (running.status, running.is_released, running.lead_municipality.slug) == (S.RUNNING, False, "dortmund")
    assert closed.partners.count() >= 4
    assert JointProject.objects.count() == 2
