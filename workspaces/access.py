"""Who may see, contribute to and manage which workspace.

Rules:
- public workspaces: everybody may look in, also without an account;
- platform workspaces: everybody with a seat in a body (``accounts.roles.is_member``) and the
  workspace's own members; external guests see only the workspaces they belong to;
- private workspaces: their members only;
- platform admins see and manage every workspace (support);
- members contribute as manager or editor, managers manage; readers and external guests only read.
  An archived workspace is read-only for everybody.

Private workspaces that take requests or are open to members can be *found* by platform members:
they see name and description so they can ask to join, nothing more.

``get_workspace_for_user`` answers 404 both for a missing workspace and one the user may not reach.
"""

from __future__ import annotations

from django.db.models import CharField, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.http import Http404

from accounts.roles import PLATFORM_ADMIN, is_member, roles_of

from .models import Workspace, WorkspaceMember

Role = WorkspaceMember.Role
CONTRIBUTOR_ROLES = frozenset({Role.MANAGER, Role.EDITOR})


def is_platform_admin(user) -> bool:
    return PLATFORM_ADMIN in roles_of(user)


def with_viewer_role(qs: QuerySet[Workspace], user) -> QuerySet[Workspace]:
    """Annotate ``viewer_role``, the user's role in each workspace or None, so lists need no query per row."""
    if not user.is_authenticated:
        return qs.annotate(viewer_role=Value(None, output_field=CharField()))
    role = WorkspaceMember.objects.filter(workspace=OuterRef("pk"), user=user).values("role")[:1]
    return qs.annotate(viewer_role=Subquery(role), viewer_id=Value(user.pk, output_field=IntegerField()))


def _own_workspace_ids(user):
    return WorkspaceMember.objects.filter(user=user).values("workspace_id")


def workspaces_visible_to(user) -> QuerySet[Workspace]:
    """Workspaces whose content ``user`` may read."""
    if not user.is_authenticated:
        return Workspace.objects.filter(visibility=Workspace.Visibility.PUBLIC)
    if is_platform_admin(user):
        return Workspace.objects.all()
    open_to = [Workspace.Visibility.PUBLIC]
    if is_member(user):
        open_to.append(Workspace.Visibility.PLATFORM)
    return Workspace.objects.filter(visibility__in=open_to) | Workspace.objects.filter(pk__in=_own_workspace_ids(user))


def workspaces_findable_by(user) -> QuerySet[Workspace]:
    """Visible workspaces plus private ones that ``user`` may ask to join or join."""
    qs = workspaces_visible_to(user)
    if user.is_authenticated and is_member(user):
        qs = qs | Workspace.objects.filter(
            is_archived=False,
            join_policy__in=[Workspace.JoinPolicy.REQUEST, Workspace.JoinPolicy.OPEN],
        )
    return qs


def _role(user, workspace: Workspace) -> str | None:
    """The user's role, from the annotation if it was made for this user, else from one query (then kept)."""
    if not user.is_authenticated:
        return None
    if getattr(workspace, "viewer_id", None) != user.pk:
        workspace.viewer_role = (
            WorkspaceMember.objects.filter(workspace=workspace, user=user).values_list("role", flat=True).first()
        )
        workspace.viewer_id = user.pk
    return workspace.viewer_role


def role_of(user, workspace: Workspace) -> str | None:
    return _role(user, workspace)


def can_view(user, workspace: Workspace) -> bool:
    if workspace.visibility == Workspace.Visibility.PUBLIC or _role(user, workspace) is not None:
        return True
    if not user.is_authenticated:
        return False
    if is_platform_admin(user):
        return True
    return workspace.visibility == Workspace.Visibility.PLATFORM and is_member(user)


def can_find(user, workspace: Workspace) -> bool:
    """May see that the workspace exists (name, description) and ask to join."""
    if can_view(user, workspace):
        return True
    return (
        user.is_authenticated
        and is_member(user)
        and not workspace.is_archived
        and workspace.join_policy in {Workspace.JoinPolicy.REQUEST, Workspace.JoinPolicy.OPEN}
    )


def can_contribute(user, workspace: Workspace) -> bool:
    return not workspace.is_archived and _role(user, workspace) in CONTRIBUTOR_ROLES


def can_manage(user, workspace: Workspace) -> bool:
    if not user.is_authenticated:
        return False
    return _role(user, workspace) == Role.MANAGER or is_platform_admin(user)


def can_join_directly(user, workspace: Workspace) -> bool:
    """Open workspaces take everybody with a seat in a body; external guests are invited."""
    return (
        user.is_authenticated
        and not workspace.is_archived
        and workspace.join_policy == Workspace.JoinPolicy.OPEN
        and _role(user, workspace) is None
        and not is_platform_admin(user)  # admins support; they add themselves on the members page if needed
        and is_member(user)
        and can_find(user, workspace)
    )


def can_request(user, workspace: Workspace) -> bool:
    return (
        user.is_authenticated
        and not workspace.is_archived
        and workspace.join_policy == Workspace.JoinPolicy.REQUEST
        and _role(user, workspace) is None
        and not is_platform_admin(user)
        and can_find(user, workspace)
    )


def get_workspace_for_user(user, slug: str, *, manage: bool = False) -> Workspace:
    """The workspace ``slug`` if ``user`` may find it (or manage it, with ``manage``); else 404."""
    workspace = with_viewer_role(Workspace.objects.select_related("body"), user).filter(slug=slug).first()
    if workspace is None:
        raise Http404
    allowed = can_manage(user, workspace) if manage else can_find(user, workspace)
    if not allowed:
        raise Http404
    return workspace
