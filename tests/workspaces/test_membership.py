"""Joining, leaving, requests, roles and the rule that a workspace never loses its last manager."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from workspaces import actions
from workspaces.models import JoinRequest, Workspace, WorkspaceMember

from .conftest import give_role

pytestmark = pytest.mark.django_db

Role = WorkspaceMember.Role
Policy = Workspace.JoinPolicy


def _events(workspace: Workspace) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="workspaces.workspace", object_id=str(workspace.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_creator_manages_the_new_workspace_and_creation_is_audited(lead, make_workspace):
    workspace = make_workspace(name="Basis Modul Interkulturelle Sensibilisierung")
    assert workspace.slug == "basis-modul-interkulturelle-sensibilisierung"
    assert workspace.members.get().role == Role.MANAGER
    assert _events(workspace) == ["workspace.created", "workspace.member.added"]


def test_slugs_stay_unique_and_never_shadow_the_create_page(make_workspace):
    first = make_workspace(name="Neu")
    second = make_workspace(name="Neu")
    assert first.slug == "neu-2"
    assert second.slug == "neu-3"


def test_seat_holder_joins_an_open_workspace_as_editor(personas, client_for, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, Policy.OPEN)
    response = client_for("member").post(f"/arbeitsbereiche/{workspace.slug}/beitreten/")
    assert response.status_code == 302
    assert workspace.members.get(user=personas["member"]).role == Role.EDITOR
    assert _events(workspace)[-1] == "workspace.member.joined"


@pytest.mark.parametrize("persona", ["guest", "outsider"])
def test_external_guests_cannot_join_open_workspaces_themselves(persona, personas, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PUBLIC, Policy.OPEN)
    with pytest.raises(ValidationError, match="Externe Gäste lädt die Leitung ein"):
        actions.join(personas[persona], workspace)
    assert not workspace.members.filter(user=personas[persona]).exists()


def test_invitation_only_workspaces_refuse_to_be_joined(personas, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, Policy.INVITATION)
    with pytest.raises(ValidationError, match="nur auf Einladung"):
        actions.join(personas["member"], workspace)


def test_archived_workspaces_cannot_be_joined(personas, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, Policy.OPEN)
    actions.archive(personas["admin"], workspace)
    with pytest.raises(ValidationError, match="archiviert"):
        actions.join(personas["member"], Workspace.objects.get(pk=workspace.pk))


def test_request_is_approved_by_a_manager_with_a_role(personas, lead, client_for, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PRIVATE, Policy.REQUEST)
    client_for("member").post(f"/arbeitsbereiche/{workspace.slug}/beitreten/", {"message": "Ich bringe Bochums Erfahrung ein."})
    join_request = JoinRequest.objects.get(workspace=workspace, user=personas["member"])
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.message == "Ich bringe Bochums Erfahrung ein."
    with pytest.raises(ValidationError, match="bereits vor"):
        actions.join(personas["member"], workspace)

    manager = _client_for_user(lead)
    page = manager.get(f"/arbeitsbereiche/{workspace.slug}/mitglieder/").content.decode()
    assert "Ich bringe Bochums Erfahrung ein." in page
    response = manager.post(
        f"/arbeitsbereiche/{workspace.slug}/anfragen/{join_request.pk}/entscheiden/", {"decision": "approve", "role": "reader"}
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == lead
    assert workspace.members.get(user=personas["member"]).role == Role.READER
    assert _events(workspace)[-3:] == ["workspace.request.created", "workspace.member.added", "workspace.request.approved"]
    again = manager.post(f"/arbeitsbereiche/{workspace.slug}/anfragen/{join_request.pk}/entscheiden/", {"decision": "decline"})
    assert again.status_code == 404  # decided requests are gone from the list


def test_declined_request_adds_nobody_and_a_new_request_is_possible(personas, lead, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, Policy.REQUEST)
    join_request = actions.join(personas["member"], workspace)
    actions.decide_request(lead, join_request, approve=False)
    assert not workspace.members.filter(user=personas["member"]).exists()
    assert isinstance(actions.join(personas["member"], workspace), JoinRequest)
    assert _events(workspace)[-1] == "workspace.request.created"


def test_external_guest_may_ask_to_join_a_public_workspace_and_comes_in_as_guest(personas, lead, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PUBLIC, Policy.REQUEST)
    join_request = actions.join(personas["guest"], workspace)
    actions.decide_request(lead, join_request, approve=True)
    assert workspace.members.get(user=personas["guest"]).role == Role.GUEST


def test_only_managers_decide_requests(personas, client_for, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, Policy.REQUEST)
    join_request = actions.join(personas["member"], workspace)
    give_role(workspace, personas["office"], Role.EDITOR)
    url = f"/arbeitsbereiche/{workspace.slug}/anfragen/{join_request.pk}/entscheiden/"
    assert client_for("office").post(url, {"decision": "approve"}).status_code == 404
    assert client_for("member").post(url, {"decision": "approve"}).status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_the_last_manager_can_neither_leave_nor_be_removed_nor_demoted(personas, lead, make_workspace):
    workspace = make_workspace()
    only = workspace.members.get(user=lead)
    message = "mindestens eine Person mit Leitung"
    with pytest.raises(ValidationError, match=message):
        actions.remove_member(personas["admin"], only)
    with pytest.raises(ValidationError, match=message):
        actions.change_role(personas["admin"], only, Role.EDITOR)
    with pytest.raises(ValidationError, match=message):
        actions.leave(lead, workspace)
    second = give_role(workspace, personas["member"], Role.MANAGER)
    actions.change_role(lead, only, Role.EDITOR)
    with pytest.raises(ValidationError, match=message):
        actions.remove_member(lead, second)
    actions.leave(lead, workspace)
    assert list(workspace.members.values_list("user", "role")) == [(personas["member"].pk, Role.MANAGER)]


def test_last_manager_demoting_themselves_gets_a_german_error_on_the_page(lead, make_workspace):
    workspace = make_workspace()
    client = _client_for_user(lead)
    only = workspace.members.get(user=lead)
    response = client.post(
        f"/arbeitsbereiche/{workspace.slug}/mitglieder/", {"op": "role", "member": only.pk, "role": "editor"}, follow=True
    )
    assert "Bitte übertragen Sie die Leitung zuerst an jemand anderen." in response.content.decode()
    only.refresh_from_db()
    assert only.role == Role.MANAGER


def test_manager_adds_changes_and_removes_people_on_the_members_page(personas, lead, make_workspace):
    from members.models import Person

    workspace = make_workspace()
    client = _client_for_user(lead)
    url = f"/arbeitsbereiche/{workspace.slug}/mitglieder/"
    guest_person = Person.objects.get(user=personas["guest"])
    client.post(url, {"op": "add", "person": guest_person.pk, "role": "guest"})
    member = workspace.members.get(user=personas["guest"])
    assert member.role == Role.GUEST
    client.post(url, {"op": "role", "member": member.pk, "role": "reader"})
    member.refresh_from_db()
    assert member.role == Role.READER
    client.post(url, {"op": "remove", "member": member.pk})
    assert not workspace.members.filter(user=personas["guest"]).exists()
    assert _events(workspace)[-3:] == ["workspace.member.added", "workspace.member.role_changed", "workspace.member.removed"]
    changed = AuditEvent.objects.get(action="workspace.member.role_changed", object_id=str(workspace.pk))
    assert (changed.before["role"], changed.after["role"]) == ("guest", "reader")
    assert changed.actor == lead
    removed = AuditEvent.objects.get(action="workspace.member.removed", object_id=str(workspace.pk))
    assert removed.before == {"user": personas["guest"].pk, "name": "Gustav Guest", "role": "reader", "source": "manual"}


def test_add_member_form_validates_in_german(personas, lead, make_workspace):
    from members.models import Person

    workspace = make_workspace()
    client = _client_for_user(lead)
    url = f"/arbeitsbereiche/{workspace.slug}/mitglieder/"
    html = client.post(url, {"op": "add", "person": "", "role": "editor"}).content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    no_account = Person.objects.filter(user__isnull=True).first()
    html = client.post(url, {"op": "add", "person": no_account.pk, "role": "editor"}).content.decode()
    assert "Diese Person kann nicht aufgenommen werden." in html
    lead_person = Person.objects.get(user=lead)  # already a member
    html = client.post(url, {"op": "add", "person": lead_person.pk, "role": "editor"}).content.decode()
    assert "Diese Person kann nicht aufgenommen werden." in html
    with pytest.raises(ValidationError, match="gehört bereits"):
        actions.add_member(lead, workspace, lead, Role.EDITOR)


def test_members_page_rejects_unknown_operations_and_foreign_member_ids(personas, lead, make_workspace):
    workspace = make_workspace()
    other = make_workspace(name="Anderes Projekt")
    foreign = give_role(other, personas["member"], Role.EDITOR)
    client = _client_for_user(lead)
    url = f"/arbeitsbereiche/{workspace.slug}/mitglieder/"
    assert client.post(url, {"op": "remove", "member": foreign.pk}).status_code == 404
    assert client.post(url, {"op": "remove", "member": "x"}).status_code == 404
    assert client.post(url, {"op": "drop-table"}).status_code == 404
    assert WorkspaceMember.objects.filter(pk=foreign.pk).exists()


def test_member_leaves_a_workspace(personas, client_for, make_workspace):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, Policy.OPEN)
    actions.join(personas["member"], workspace)
    response = client_for("member").post(f"/arbeitsbereiche/{workspace.slug}/verlassen/")
    assert response["Location"] == "/arbeitsbereiche/"
    assert not workspace.members.filter(user=personas["member"]).exists()
    assert _events(workspace)[-1] == "workspace.member.left"


def _client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
