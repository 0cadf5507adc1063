"""Tasks: assignment to people and whole cities, my tasks, reminders, overdue list, conflicts, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from members.models import Municipality
from notifications.dispatch import run_once
from notifications.models import Notification
from notifications.scheduler import run_due
from tasks.actions import create_task, send_due_reminders
from tasks.models import Task
from tests.workspaces.conftest import give_role
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas, make_workspace, lead):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Forum 2027")
    give_role(workspace, personas["member"], "editor")
    return workspace


def test_assignment_notifies_at_once_even_in_a_muted_workspace(project, lead, personas):
    from notifications.actions import set_workspace_level

    member = personas["member"]
    set_workspace_level(member, project, "mute")
    create_task(lead, project, title="Raum buchen", assignees=[member], due_date=timezone.localdate() + dt.timedelta(days=10))
    note = Notification.objects.get(recipient=member)
    assert note.event.verb == "task.assigned" and "Raum buchen" in note.event.subject


def test_a_task_for_a_whole_city_reaches_its_people_and_appears_in_their_tasks(project, lead, personas, client_for):
    bochum = Municipality.objects.get(slug="bochum")  # the member persona works for Bochum
    task = create_task(lead, project, title="Zahlen liefern", municipalities=[bochum])
    run_once()
    assert Notification.objects.filter(recipient=personas["member"], event__verb="task.assigned").exists()
    assert not Notification.objects.filter(recipient=personas["office"]).exists()  # Essen
    page = client_for("member").get("/aufgaben/").content.decode()
    assert "Zahlen liefern" in page
    assert "Zahlen liefern" not in client_for("office").get("/aufgaben/").content.decode()
    # the city's people may open the task even without a role in the workspace
    project.members.filter(user=personas["member"]).delete()
    assert client_for("member").get(task.get_absolute_url()).status_code == 200


def test_assignees_change_the_status_and_readers_do_not(project, lead, personas, client_for):
    task = create_task(lead, project, title="Einladung verschicken", assignees=[personas["member"]])
    give_role(project, personas["guest"], "reader")
    assert client_for("guest").post(f"/aufgaben/{task.pk}/status/", {"status": "done", "version": 1}).status_code == 404
    assert client_for("member").post(f"/aufgaben/{task.pk}/status/", {"status": "done", "version": 1}).status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.completed_at is not None


def test_two_people_editing_the_same_task_get_a_conflict(project, lead, personas, client_for):
    task = create_task(lead, project, title="Plan")
    data = {"title": "Plan A", "description": "", "status": "open", "version": 1}
    assert client_for("member").post(f"/aufgaben/{task.pk}/bearbeiten/", data).status_code == 302
    second = client_for("member").post(f"/aufgaben/{task.pk}/bearbeiten/", {**data, "title": "Plan B"})
    assert "inzwischen von jemand anderem geändert" in second.content.decode()
    assert Task.objects.get(pk=task.pk).title == "Plan A"


def test_german_validation_messages(project, client_for):
    page = (
        client_for("member")
        .post(f"/arbeitsbereiche/{project.slug}/aufgaben/neu/", {"title": "", "status": "open", "due_date": "2001-01-01"})
        .content.decode()
    )
    assert "Bitte geben Sie einen Titel an." in page
    page = (
        client_for("member")
        .post(f"/arbeitsbereiche/{project.slug}/aufgaben/neu/", {"title": "Alt", "status": "open", "due_date": "2001-01-01"})
        .content.decode()
    )
    assert "Das Fälligkeitsdatum liegt in der Vergangenheit." in page


def test_reminders_go_out_once_before_the_due_date(project, lead, personas):
    member = personas["member"]
    today = timezone.localdate()
    soon = create_task(lead, project, title="Bald fällig", assignees=[member], due_date=today + dt.timedelta(days=1))
    create_task(lead, project, title="Später", assignees=[member], due_date=today + dt.timedelta(days=30))
    Notification.objects.all().delete()
    assert send_due_reminders(today) == 1
    assert send_due_reminders(today) == 0  # a restarted worker does not remind again
    note = Notification.objects.get(recipient=member)
    assert note.event.verb == "task.reminder" and "Bald fällig" in note.event.subject
    soon.refresh_from_db()
    assert soon.reminder_sent_on == today


def test_the_scheduler_runs_the_daily_jobs_once_per_day(project, lead, personas, settings):
    member = personas["member"]
    today = timezone.localdate()
    create_task(lead, project, title="Morgen", assignees=[member], due_date=today + dt.timedelta(days=1))
    at_eight = timezone.make_aware(dt.datetime.combine(today, dt.time(settings.NOTIFICATIONS_DIGEST_HOUR, 5)))
    assert "task-reminders" in run_due(at_eight)
    again = run_due(at_eight + dt.timedelta(hours=1))
    assert set(again) <= set(settings.NOTIFICATIONS_FREQUENT_JOBS)  # only jobs that run every few minutes
    assert Notification.objects.filter(event__verb="task.reminder").count() == 1


def test_overdue_list_for_the_managing_office(project, lead, personas, client_for):
    task = create_task(lead, project, title="Längst fällig", due_date=timezone.localdate() + dt.timedelta(days=1))
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    create_task(lead, project, title="Noch Zeit", due_date=timezone.localdate() + dt.timedelta(days=3))
    page = client_for("office").get("/aufgaben/ueberfaellig/").content.decode()
    assert "Längst fällig" in page and "Noch Zeit" not in page
    assert client_for("member").get("/aufgaben/ueberfaellig/").status_code == 404


def test_changes_and_deletions_are_audited(project, lead, client_for):
    task = create_task(lead, project, title="Weg damit")
    client_for("member").post(f"/aufgaben/{task.pk}/loeschen/")
    assert not Task.objects.filter(pk=task.pk).exists()
    assert list(AuditEvent.objects.filter(object_type="tasks.task").values_list("action", flat=True).order_by("at")) == [
        "task.created",
        "task.deleted",
    ]
