"""Attacker test, written from the outside (HTTP only): one city's person must not close a task for all cities."""

from __future__ import annotations

import pytest

from members.models import Membership, Municipality
from tasks.actions import create_task
from tasks.models import Task
from tests.conftest import make_user, seat
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def test_one_city_s_person_cannot_close_a_task_for_every_city(personas, make_workspace, lead, client):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Messe 2027")
    cities = [Municipality.objects.get(slug="bochum"), Municipality.objects.get(slug="herne")]
    task = create_task(lead, workspace, title="Zahlen liefern", municipalities=cities)
    bochum = make_user("bochum@test.example")
    seat(bochum, "projektteam", Membership.Role.MEMBER, "bochum", given_name="Bo", family_name="Chum")
    client.force_login(bochum, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/aufgaben/{task.pk}/").content.decode()
    assert "Zahlen liefern" in page
    client.post(f"/aufgaben/{task.pk}/status/", {"status": "done", "version": task.version})
    task.refresh_from_db()
    assert task.status != Task.Status.DONE, "one city closed the task for Herne too"
