"""Who may see, answer and run which date poll.

Polls hold people's availability, so they stay inside the workspace whatever its visibility:
- its members (any role, external guests included) see the workspace's polls and answer them;
- managers and editors start polls; the organiser and the workspace's managers run them (invite
  external people, confirm, delete); platform admins see and run every poll (support);
- external participants without an account reach only their own row, through their personal link;
- an archived workspace's polls can be read but not changed.

``get_poll_for_user`` answers 404 both for a missing poll and one the user may not reach.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from workspaces.access import can_contribute, can_manage, is_platform_admin, role_of, with_viewer_role
from workspaces.models import Workspace

from .models import Participant, Poll, hash_token


def can_see_polls(user, workspace: Workspace) -> bool:
    if not user.is_authenticated:
        return False
    return role_of(user, workspace) is not None or is_platform_admin(user)


def can_start_poll(user, workspace: Workspace) -> bool:
    return can_contribute(user, workspace)


def can_answer(user, poll: Poll) -> bool:
    return user.is_authenticated and not poll.workspace.is_archived and role_of(user, poll.workspace) is not None


def polls_to_answer(user) -> QuerySet[Poll]:
    """Open polls that ask ``user`` and that ``user`` has not answered yet — :func:`can_answer` as a query."""
    if not user.is_authenticated:
        return Poll.objects.none()
    return Poll.objects.filter(
        status=Poll.Status.OPEN,
        deadline__gt=timezone.now(),
        participants__user=user,
        participants__answered_at__isnull=True,
        workspace__is_archived=False,
        workspace__members__user=user,
    )


def can_manage_poll(user, poll: Poll) -> bool:
    if not user.is_authenticated or poll.workspace.is_archived:
        return False
    return poll.organiser_id == user.pk or can_manage(user, poll.workspace)


def get_poll_for_user(user, pk: int, *, manage: bool = False) -> Poll:
    poll = Poll.objects.filter(pk=pk).select_related("organiser__person").first()
    if poll is None:
        raise Http404
    poll.workspace = with_viewer_role(Workspace.objects.filter(pk=poll.workspace_id), user).get()
    allowed = can_manage_poll(user, poll) if manage else can_see_polls(user, poll.workspace)
    if not allowed:
        raise Http404
    return poll


def get_participant_by_token(token: str) -> Participant:
    """The external participant behind a personal link; 404 for unknown, tampered or deleted links."""
    if not token or len(token) > 100:
        raise Http404
    participant = (
        Participant.objects.filter(token_hash=hash_token(token), user__isnull=True).select_related("poll__workspace").first()
    )
    if participant is None:
        raise Http404
    return participant
