from django import template

from tasks.access import can_edit_tasks, can_view_tasks

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
