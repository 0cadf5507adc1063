"""Tasks in the search: found by exactly who may open them (tasks/access.py). Tasks are never public.

Who may open a task: the workspace's members (any role), people with a seat in a body who may read the
workspace, platform admins, and whoever is assigned, in person or as an active person of an assigned
municipality, wherever the task is. The entry expresses the first three with ``search.registry.for_insiders``
(audience and workspace) and the assignees as its readers (grants), so an assignee outside the workspace
finds the task as under "Meine Aufgaben". Changes of the assignees are followed (``connect``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models.signals import m2m_changed
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lib.markdown import markdown_to_text
from search.indexing import schedule, schedule_after_commit, schedule_many
from search.registry import Entry, Provider, for_insiders

from .models import Task


class TaskProvider(Provider):
    kind = "task"
    label = _("Aufgaben")
    model = Task
    workspace_lookup = "workspace_id"

    def queryset(self):
        return Task.objects.select_related("workspace").prefetch_related("assignees", "assigned_municipalities")

    def visible_to(self, user):
        from .access import tasks_visible_to

        return tasks_visible_to(user)

    def build(self, task: Task) -> Entry | None:
        with translation.override("de"):
            status = str(task.get_status_display())
        return Entry(
            title=task.title,
            body=" · ".join(p for p in (status, markdown_to_text(task.description)) if p),
            url=task.get_absolute_url(),
            date=_date(task),
            **for_insiders(task.workspace),
            readers=[user.pk for user in task.assignees.all()],
            reader_municipalities=[municipality.pk for municipality in task.assigned_municipalities.all()],
        )

    def connect(self) -> None:
        """Assignees may change outside tasks.actions (admin, shell, data fixes): every change re-indexes."""
        for relation in (Task.assignees, Task.assigned_municipalities):
            m2m_changed.connect(
                _assignees_changed, sender=relation.through, weak=False, dispatch_uid=f"search-task-{relation.field.name}"
            )


def _assignees_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        if action != "pre_clear":
            schedule("task", instance.pk)
        return
    # From the other side (a user's or a municipality's tasks): the tasks named, or all of them before a clear.
    if action == "pre_clear":
        field = "assignees" if sender is Task.assignees.through else "assigned_municipalities"
        schedule_after_commit("task", list(Task.objects.filter(**{field: instance}).values_list("pk", flat=True)))
    elif action != "post_clear":
        schedule_many("task", sorted(pk_set or ()))


def _date(task: Task) -> dt.datetime:
    """The due date (start of the day, Berlin) where there is one, else when the task was made."""
    if task.due_date is None:
        return task.created
    return timezone.make_aware(dt.datetime.combine(task.due_date, dt.time.min))
