"""Action items keep their done/open state in a task (tasks app); meetings remember the poll's event.

Existing action items get their task in the body's workspace (created if the body had none yet), with
the state they had; going back copies the tasks' state into the restored columns and removes them.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

OPEN = ("open", "in_progress")


def _workspace_for(apps, body):
    Workspace = apps.get_model("workspaces", "Workspace")
    workspace = Workspace.objects.filter(body=body).first()
    if workspace is None:
        slug, n = body.slug, 1
        while Workspace.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{body.slug}-{n}"
        workspace = Workspace.objects.create(name=body.name, slug=slug, kind="body", body=body, visibility="platform")
    return workspace


def actions_to_tasks(apps, schema_editor):
    ActionItem = apps.get_model("meetings", "ActionItem")
    Task = apps.get_model("tasks", "Task")
    ContentType = apps.get_model("contenttypes", "ContentType")
    meeting_type, _created = ContentType.objects.get_or_create(app_label="meetings", model="meeting")
    for action in ActionItem.objects.filter(task__isnull=True).select_related("agenda_item", "body", "assignee"):
        done = action.status == "done"
        task = Task.objects.create(
            workspace=_workspace_for(apps, action.body),
            title=action.description[:200],
            description=action.description if len(action.description) > 200 else "",
            status="done" if done else "open",
            completed_at=(action.done_at or timezone.now()) if done else None,
            due_date=action.due_date,
            source_type=meeting_type,
            source_id=str(action.agenda_item.meeting_id or ""),
        )
        if action.assignee_id and action.assignee.user_id:
            task.assignees.add(action.assignee.user_id)
        if action.municipality_id:
            task.assigned_municipalities.add(action.municipality_id)
        action.task = task
        action.save(update_fields=["task"])


def tasks_to_actions(apps, schema_editor):
    """Copy the tasks' state back and remove those tasks (going forward again recreates them)."""
    ActionItem = apps.get_model("meetings", "ActionItem")
    Task = apps.get_model("tasks", "Task")
    task_ids = []
    for action in ActionItem.objects.select_related("task"):
        open_ = action.task is not None and action.task.status in OPEN
        action.status = "open" if open_ else "done"
        action.done_at = None if open_ else (action.task.completed_at if action.task else timezone.now())
        action.save(update_fields=["status", "done_at"])
        if action.task_id:
            task_ids.append(action.task_id)
    Task.objects.filter(pk__in=task_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calendar_events", "0001_events_and_feeds"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0001_meeting_cycle"),
        ("tasks", "0001_tasks_with_assignees_and_reminders"),
        ("workspaces", "0001_workspaces_members_and_join_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionitem",
            name="task",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="action_item",
                to="tasks.task",
                verbose_name="Aufgabe im Arbeitsbereich",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="event",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                help_text="Der bestätigte Termin einer Terminabstimmung, aus dem die Sitzung entstand (gleiche Kalender-UID).",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="meeting",
                to="calendar_events.event",
                verbose_name="Termin aus der Terminabstimmung",
            ),
        ),
        migrations.RunPython(actions_to_tasks, tasks_to_actions),
        migrations.RemoveField(model_name="actionitem", name="done_at"),
        migrations.RemoveField(model_name="actionitem", name="status"),
    ]
