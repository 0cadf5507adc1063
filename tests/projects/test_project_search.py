"""Joint projects in the search: the public finds released projects only, and a project that is not
released is found by exactly those who may open its internal page (its team, the office, the Regiegruppe)."""

from __future__ import annotations

import pytest

from members.models import Membership, Municipality
from projects import actions
from tests.conftest import make_user, seat
from workspaces.actions import add_member
from workspaces.models import WorkspaceMember

pytestmark = pytest.mark.django_db

QUERY = "Mentorenprogramm"


@pytest.fixture
def project(personas):
    return actions.create_project(
        personas["office"],
        title="Mentorenprogramm Verwaltung",
        slug="mentoren",
        lead_municipality=Municipality.objects.get(slug="bochum"),
        summary="Erfahrene Beschäftigte begleiten Nachwuchskräfte.",
    )


def _finds(client) -> bool:
    response = client.get("/suche/", {"q": QUERY})
    assert response.status_code == 200
    return 'mentoren/"' in response.content.decode()  # the hit's link (internal or public page)


def test_an_unreleased_project_is_found_by_its_readers_only(project, personas, client_for, client):
    team = make_user("mentor-team@test.example")
    seat(team, "projektteam", Membership.Role.MEMBER, "herne")
    add_member(personas["office"], project.workspace, team, WorkspaceMember.Role.EDITOR)
    outsider = make_user("mentor-outsider@test.example")
    seat(outsider, "projektteam", Membership.Role.MEMBER, "hagen")

    assert _finds(client_for("office"))
    assert _finds(client_for("member"))  # a seat in the Regiegruppe
    client.force_login(team, backend="django.contrib.auth.backends.ModelBackend")
    assert _finds(client)
    client.force_login(outsider, backend="django.contrib.auth.backends.ModelBackend")
    assert not _finds(client)
    assert not _finds(client_for("anonymous"))


def test_release_and_withdrawal_change_who_finds_the_project(project, personas, client_for):
    anonymous = client_for("anonymous")
    assert not _finds(anonymous)
    project = actions.release(personas["office"], project, project.version)
    response = anonymous.get("/suche/", {"q": QUERY})
    assert "/gemeinschaftsprojekte/mentoren/" in response.content.decode()
    project = actions.withdraw_release(personas["office"], project, project.version)
    assert not _finds(anonymous)


def test_an_edit_is_found_at_once(project, personas, client_for):
    actions.update_project(personas["office"], project, project.version, goals="Patenschaften für Auszubildende")
    response = client_for("office").get("/suche/", {"q": "Patenschaften"})
    assert 'href="/projekte/mentoren/"' in response.content.decode()
