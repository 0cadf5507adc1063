from django import template
from django.db.models import F

from tasks.access import can_edit_tasks, can_view_tasks
from tasks.models import Task

register = template.Library()
PANEL_SIZE = 5


@register.simple_tag(takes_context=True)
def open_tasks(context, workspace):
    """The workspace page's "Offene Aufgaben" panel, or None for people who may not see tasks."""
    user = context["user"]
    if not can_view_tasks(user, workspace):
        return None
    qs = workspace.tasks.open()
    tasks = list(qs[: PANEL_SIZE + 1])
    return {
        "tasks": tasks[:PANEL_SIZE],
        "count": len(tasks) if len(tasks) <= PANEL_SIZE else qs.count(),
        "can_edit": can_edit_tasks(user, workspace),
    }


@register.simple_tag(takes_context=True)
def my_open_tasks(context):
    """The open tasks of the signed-in person or their city, soonest due first (for "Mein Bereich")."""
    user = context["user"]
    qs = Task.objects.assigned_to(user).open().filter(workspace__is_archived=False)
    tasks = list(qs.select_related("workspace").order_by(F("due_date").asc(nulls_last=True), "pk")[: PANEL_SIZE + 1])
    return {"tasks": tasks[:PANEL_SIZE], "count": len(tasks) if len(tasks) <= PANEL_SIZE else qs.count()}
