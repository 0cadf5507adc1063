"""Who may see and change which event.

Events belong to their workspace: whoever may read the workspace reads its events (a public
workspace's events are public), managers and editors of a workspace that is not archived create,
change and delete them. ``get_event_for_user`` answers 404 both for a missing event and one the
user may not reach.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from workspaces.access import can_contribute, can_view, with_viewer_role, workspaces_visible_to
from workspaces.models import Workspace

from .models import Event


def events_visible_to(user) -> QuerySet[Event]:
    return Event.objects.filter(workspace__in=workspaces_visible_to(user))


def can_edit_event(user, event: Event) -> bool:
    return can_contribute(user, event.workspace)


def get_event_for_user(user, pk: int, *, write: bool = False) -> Event:
    event = Event.objects.filter(pk=pk).select_related("workspace", "created_by__person").first()
    if event is None:
        raise Http404
    event.workspace = with_viewer_role(Workspace.objects.filter(pk=event.workspace_id), user).get()
    allowed = can_edit_event(user, event) if write else can_view(user, event.workspace)
    if not allowed:
        raise Http404
    return event
