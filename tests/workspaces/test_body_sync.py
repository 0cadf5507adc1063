"""A body's workspace follows the body's memberships; members added by hand stay."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from members import actions as member_actions
from members.models import Body, Membership, Person
from tests.conftest import make_user
from workspaces import actions
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db

Role = WorkspaceMember.Role
START = dt.date(2025, 1, 1)


def _person_with_account(email: str, city=None) -> Person:
    from members.models import Municipality

    user = make_user(email)
    return Person.objects.create(
        given_name="Sina",
        family_name="Sitz",
        municipality=city or Municipality.objects.get(slug="herne"),
        email=email,
        user=user,
    )


def _role_in(body_slug: str, user) -> str | None:
    return WorkspaceMember.objects.filter(workspace__body__slug=body_slug, user=user).values_list("role", flat=True).first()


def test_every_body_gets_one_workspace_visible_to_platform_members(body_workspaces):
    assert set(body_workspaces) == set(Body.objects.values_list("slug", flat=True))
    for workspace in body_workspaces.values():
        assert workspace.kind == Workspace.Kind.BODY
        assert workspace.visibility == Workspace.Visibility.PLATFORM
        assert workspace.slug == workspace.body.slug
    assert actions.ensure_body_workspaces().created_workspaces == 0


def test_personas_seats_become_workspace_roles(personas, body_workspaces):
    assert _role_in("regiegruppe", personas["member"]) == Role.EDITOR
    assert _role_in("projektteam", personas["guest"]) == Role.GUEST
    for body in body_workspaces:  # the managing office manages every body workspace
        assert _role_in(body, personas["office"]) == Role.MANAGER
    assert _role_in("regiegruppe", personas["outsider"]) is None


@pytest.mark.parametrize(
    ("seat_role", "workspace_role"),
    [
        (Membership.Role.SPEAKER, Role.MANAGER),
        (Membership.Role.DEPUTY_SPEAKER, Role.MANAGER),
        (Membership.Role.MEMBER, Role.EDITOR),
        (Membership.Role.GUEST, Role.GUEST),
    ],
)
def test_adding_a_membership_adds_the_person_with_the_matching_role(
    seat_role, workspace_role, personas, body_workspaces, django_capture_on_commit_callbacks
):
    person = _person_with_account("neu@test.example")
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.add_membership(
            personas["office"], person=person, body=Body.objects.get(slug="regiegruppe"), role=seat_role, start_date=START
        )
    member = WorkspaceMember.objects.get(workspace=body_workspaces["regiegruppe"], user=person.user)
    assert (member.role, member.source) == (workspace_role, WorkspaceMember.Source.BODY)
    event = AuditEvent.objects.filter(action="workspace.member.added").latest("id")
    assert event.actor_label == "System"
    assert event.after["user"] == person.user_id


def test_deputy_member_edits_too(personas, body_workspaces, django_capture_on_commit_callbacks):
    principal = Membership.objects.current().filter(body__slug="regiegruppe", role=Membership.Role.MEMBER).first()
    person = _person_with_account("vertretung@test.example", principal.municipality)
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.add_membership(
            personas["office"],
            person=person,
            body=principal.body,
            role=Membership.Role.DEPUTY_MEMBER,
            deputy_for=principal,
            start_date=START,
        )
    assert _role_in("regiegruppe", person.user) == Role.EDITOR


def test_ending_a_membership_removes_the_person(personas, body_workspaces, django_capture_on_commit_callbacks):
    seat = Membership.objects.get(person__user=personas["member"], body__slug="regiegruppe")
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.end_membership(personas["office"], seat, timezone.localdate() - dt.timedelta(days=1))
    assert _role_in("regiegruppe", personas["member"]) is None
    removed = AuditEvent.objects.filter(action="workspace.member.removed").latest("id")
    assert removed.before["user"] == personas["member"].pk


def test_seat_ending_in_the_future_stays_until_the_daily_sync_after_that_date(
    personas, body_workspaces, django_capture_on_commit_callbacks
):
    import time_machine

    seat = Membership.objects.get(person__user=personas["member"], body__slug="regiegruppe")
    end = timezone.localdate() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.end_membership(personas["office"], seat, end)
    assert _role_in("regiegruppe", personas["member"]) == Role.EDITOR
    with time_machine.travel(end + dt.timedelta(days=1), tick=False):
        call_command("sync_workspaces", stdout=io.StringIO())
    assert _role_in("regiegruppe", personas["member"]) is None


def test_members_added_by_hand_stay_when_the_body_changes(personas, body_workspaces, django_capture_on_commit_callbacks):
    workspace = body_workspaces["regiegruppe"]
    actions.add_member(personas["office"], workspace, personas["outsider"], Role.READER)
    seat = Membership.objects.get(person__user=personas["member"], body=workspace.body)
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.end_membership(personas["office"], seat, timezone.localdate() - dt.timedelta(days=1))
    result = actions.ensure_body_workspaces()
    assert (result.added, result.changed, result.removed) == (0, 0, 0)
    manual = workspace.members.get(user=personas["outsider"])
    assert (manual.role, manual.source) == (Role.READER, WorkspaceMember.Source.MANUAL)


def test_a_manual_row_is_not_taken_over_by_a_later_seat(personas, body_workspaces, django_capture_on_commit_callbacks):
    workspace = body_workspaces["regiegruppe"]
    person = _person_with_account("doppelt@test.example")
    actions.add_member(personas["office"], workspace, person.user, Role.READER)
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.add_membership(
            personas["office"], person=person, body=workspace.body, role=Membership.Role.SPEAKER, start_date=START
        )
    row = workspace.members.get(user=person.user)
    assert (row.role, row.source) == (Role.READER, WorkspaceMember.Source.MANUAL)


def test_seat_changes_update_the_synced_role(personas, body_workspaces, django_capture_on_commit_callbacks):
    seat = Membership.objects.get(person__user=personas["member"], body__slug="regiegruppe")
    Membership.objects.filter(pk=seat.pk).update(role=Membership.Role.SPEAKER)
    result = actions.sync_body_workspace(seat.body)
    assert result.changed == 1
    assert _role_in("regiegruppe", personas["member"]) == Role.MANAGER
    event = AuditEvent.objects.filter(action="workspace.member.role_changed").latest("id")
    assert (event.before["role"], event.after["role"]) == ("editor", "manager")


def test_managing_office_seat_makes_someone_manager_of_every_body_workspace(
    personas, body_workspaces, django_capture_on_commit_callbacks
):
    person = _person_with_account("buero@test.example")
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.add_membership(
            personas["office"],
            person=person,
            body=Body.objects.get(kind=Body.Kind.MANAGING_OFFICE),
            role=Membership.Role.MANAGING_OFFICE,
            start_date=START,
        )
    assert {_role_in(slug, person.user) for slug in body_workspaces} == {Role.MANAGER}


def test_accepting_an_invitation_brings_the_new_account_into_the_body_workspaces(
    personas, body_workspaces, django_capture_on_commit_callbacks
):
    from accounts.actions import accept_invitation, invite_person

    seat = Membership.objects.current().filter(body__slug="projektteam", role="member", person__user__isnull=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = invite_person(personas["office"], seat.person)
    with django_capture_on_commit_callbacks(execute=True):
        user = accept_invitation(invitation, "ein-langes-sicheres-passwort-2026")
    assert _role_in("projektteam", user) == Role.EDITOR


def test_body_seats_cannot_be_changed_or_left_in_the_workspace(personas, body_workspaces):
    workspace = body_workspaces["regiegruppe"]
    synced = workspace.members.get(user=personas["member"])
    message = "ergibt sich aus dem Gremium"
    with pytest.raises(ValidationError, match=message):
        actions.change_role(personas["office"], synced, Role.READER)
    with pytest.raises(ValidationError, match=message):
        actions.remove_member(personas["office"], synced)
    with pytest.raises(ValidationError, match=message):
        actions.leave(personas["member"], workspace)


def test_inactive_people_and_accounts_are_not_synced(personas, body_workspaces):
    Person.objects.filter(user=personas["member"]).update(is_active=False)
    actions.ensure_body_workspaces()
    assert _role_in("regiegruppe", personas["member"]) is None
    Person.objects.filter(user=personas["member"]).update(is_active=True)
    User.objects.filter(pk=personas["member"].pk).update(is_active=False)
    actions.ensure_body_workspaces()
    assert _role_in("regiegruppe", personas["member"]) is None


def test_sync_command_reports_what_it_did(personas, capsys):
    call_command("sync_workspaces")
    first = capsys.readouterr().out
    assert first.startswith("Arbeitsbereiche der Gremien abgeglichen: 3 neu angelegt")
    call_command("sync_workspaces")
    assert "0 neu angelegt, 0 Personen aufgenommen, 0 Rollen geändert, 0 Personen entfernt" in capsys.readouterr().out
