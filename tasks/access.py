"""Who may see and change tasks.

- Tasks belong to a workspace. They are working material, so the public never sees them, even in a
  public workspace: they are for the workspace's members (any role) and, where the workspace is
  readable for them, people with a seat in a body (and the platform admins).
- Whoever is assigned (in person, or through their municipality) sees the task, wherever it is.
- Managers and editors of the workspace create, edit and delete tasks; assignees change the status.
  A task for cities is the cities' own: each city's people report their city's progress
  (``can_report_for``), and only editors and people assigned by name change the whole task's status.
- Assignees and editors comment and attach files. An attachment is deleted by whoever uploaded it or by
  the managing office (``get_attachment_for_user(..., delete=True)``).

``get_task_for_user`` answers 404 both for a missing task and one the user may not reach.
"""

from __future__ import annotations

from django.http import Http404

from accounts.roles import is_member, is_office
from workspaces.access import can_contribute, can_view, is_platform_admin, role_of, with_viewer_role, workspaces_visible_to
from workspaces.models import Workspace, WorkspaceMember

from .models import Task, TaskAttachment, TaskCity


def can_view_tasks(user, workspace: Workspace) -> bool:
    if not user.is_authenticated:
        return False
    return role_of(user, workspace) is not None or (can_view(user, workspace) and is_member(user))


def can_edit_tasks(user, workspace: Workspace) -> bool:
    return can_contribute(user, workspace)


def is_assignee(user, task: Task) -> bool:
    return user.is_authenticated and Task.objects.filter(pk=task.pk).assigned_to(user).exists()


def can_change_status(user, task: Task) -> bool:
    """The whole task's status: editors; assignees too, unless the task is one for cities (then by name only)."""
    if task.workspace.is_archived or not user.is_authenticated:
        return False
    if can_edit_tasks(user, task.workspace):
        return True
    if task.assigned_municipalities.exists():
        return task.assignees.filter(pk=user.pk).exists()
    return is_assignee(user, task)


def can_take_part(user, task: Task) -> bool:
    """Comment and attach files: whoever works on the task."""
    if task.workspace.is_archived:
        return False
    return can_edit_tasks(user, task.workspace) or is_assignee(user, task)


def own_city_id(user) -> int | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None and person.is_active and person.municipality_id:
        return person.municipality_id
    return None


def can_report_for(user, task: Task, row: TaskCity) -> bool:
    """A city's people report their own city's progress; the workspace's editors any city's (on its behalf)."""
    if task.workspace.is_archived:
        return False
    return can_edit_tasks(user, task.workspace) or own_city_id(user) == row.municipality_id


def tasks_visible_to(user):
    if not user.is_authenticated:
        return Task.objects.none()
    if is_platform_admin(user):
        return Task.objects.all()
    own = WorkspaceMember.objects.filter(user=user).values("workspace_id")
    readable = Task.objects.filter(workspace__in=own)
    if is_member(user):
        readable = readable | Task.objects.filter(workspace__in=workspaces_visible_to(user))
    return readable | Task.objects.assigned_to(user)


def get_task_for_user(user, pk, *, write: bool = False) -> Task:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    task = Task.objects.select_related("workspace", "created_by__person").filter(pk=pk).first()
    if task is None or not user.is_authenticated:
        raise Http404
    task.workspace = with_viewer_role(Workspace.objects.filter(pk=task.workspace_id), user).get()
    allowed = can_edit_tasks(user, task.workspace) if write else (can_view_tasks(user, task.workspace) or is_assignee(user, task))
    if not allowed:
        raise Http404
    return task


def visible_source(user, task: Task):
    """The object ``task`` came from (a news post, a meeting) when ``user`` may see it, else None: the task page
    names the source by its title, so an assignee outside the workspace must not learn it through the task."""
    source = task.source
    if source is None:
        return None
    from meetings.access import meeting_visible_to
    from meetings.models import Meeting
    from news.access import can_view_post
    from news.models import Post

    if isinstance(source, Post):
        return source if can_view_post(user, source) else None
    if isinstance(source, Meeting):
        return source if meeting_visible_to(user, source) else None
    return None


def can_delete_attachment(user, attachment: TaskAttachment) -> bool:
    """The uploader or the managing office; nobody once the workspace is archived (it is kept as it was)."""
    if attachment.task.workspace.is_archived or not user.is_authenticated:
        return False
    return attachment.uploaded_by_id == user.pk or is_office(user)


def get_attachment_for_user(user, task: Task, pk, *, delete: bool = False) -> TaskAttachment:
    """An attachment of ``task`` (already checked with :func:`get_task_for_user`); 404 for a missing one and,
    with ``delete``, for one the user may not delete."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    attachment = task.attachments.select_related("uploaded_by__person").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    attachment.task = task
    if delete and not can_delete_attachment(user, attachment):
        raise Http404
    return attachment
