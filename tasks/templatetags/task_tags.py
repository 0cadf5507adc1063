from django import template
from django.db.models import F

from tasks.access import can_edit_tasks, can_view_tasks
from tasks.models import Task

register = template.Library()
PANEL_SIZE = 5


def _first_and_count(qs) -> dict:
    """The first PANEL_SIZE tasks and how many there are; the count costs a query only when there are more."""
    tasks = list(qs[: PANEL_SIZE + 1])
    return {"tasks": tasks[:PANEL_SIZE], "count": len(tasks) if len(tasks) <= PANEL_SIZE else qs.count()}


@register.simple_tag(takes_context=True)
def open_tasks(context, workspace):
    """The workspace page's "Offene Aufgaben" panel, or None for people who may not see tasks."""
    user = context["user"]
    if not can_view_tasks(user, workspace):
        return None
    return {**_first_and_count(workspace.tasks.open().prefetch_related("cities")), "can_edit": can_edit_tasks(user, workspace)}


@register.simple_tag(takes_context=True)
def my_open_tasks(context):
    """The open tasks of the signed-in person or their city, soonest due first (for "Mein Bereich")."""
    user = context["user"]
    qs = Task.objects.assigned_to(user).open().filter(workspace__is_archived=False)
    return _first_and_count(qs.select_related("workspace").order_by(F("due_date").asc(nulls_last=True), "pk"))
