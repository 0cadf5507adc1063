"""Tasks in the search. Tasks are never public (tasks/access.py); they are found by the workspace's insiders.

Who may open a task: the workspace's members (any role), people with a seat in a body who may read the
workspace, platform admins, and whoever is assigned (in person or through their municipality).
The entry expresses the first three (see ``search.registry.for_insiders``): in a private or platform workspace
the entry belongs to the workspace; in a public one it is for the members with a seat in a body, without
a workspace. Not expressible with an entry's audience and workspace, and so not found (but still opened,
and listed under "Meine Aufgaben"): assignees outside the workspace, and external members (no seat in a
body) of a public workspace. Nobody finds a task they may not open.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lib.markdown import markdown_to_text
from search.registry import Entry, Provider, for_insiders

from .models import Task


class TaskProvider(Provider):
    kind = "task"
    label = _("Aufgaben")
    model = Task
    workspace_lookup = "workspace_id"

    def queryset(self):
        return Task.objects.select_related("workspace")

    def build(self, task: Task) -> Entry | None:
        with translation.override("de"):
            status = str(task.get_status_display())
        return Entry(
            title=task.title,
            body=" · ".join(p for p in (status, markdown_to_text(task.description)) if p),
            url=task.get_absolute_url(),
            date=_date(task),
            **for_insiders(task.workspace),
        )


def _date(task: Task) -> dt.datetime:
    """The due date (start of the day, Berlin) where there is one, else when the task was made."""
    if task.due_date is None:
        return task.created
    return timezone.make_aware(dt.datetime.combine(task.due_date, dt.time.min))
