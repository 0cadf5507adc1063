"""Who may read and write news.

- A published post is readable by whoever may read its workspace (public workspaces: everybody);
  a post of the whole cooperation by everybody with a seat in a body; a public post by everybody.
- Drafts: their author and the people who may edit the post.
- Writing: managers and editors of the workspace; for the whole cooperation the managing office.
  Editing someone else's post: the workspace's managers (the office for cooperation posts).
- The public flag: the managing office, or the managers of a public workspace.
- Comments are working conversation: only members of the workspace, or people with a seat in a body
  who may read it, see and write them; the public sees the post without comments.

``get_post_for_user`` answers 404 both for a missing post and one the user may not reach.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.roles import is_member, is_office
from workspaces.access import (
    can_contribute,
    can_manage,
    can_view,
    role_of,
    with_viewer_role,
    workspaces_visible_to,
)
from workspaces.models import Workspace, WorkspaceMember

from .models import Comment, Post


def can_write_in(user, workspace: Workspace | None) -> bool:
    if not user.is_authenticated:
        return False
    if workspace is None:
        return is_office(user)
    return can_contribute(user, workspace)


def can_edit(user, post: Post) -> bool:
    if not user.is_authenticated:
        return False
    if post.workspace is None:
        return is_office(user)
    if post.workspace.is_archived:
        return False
    return can_manage(user, post.workspace) or (post.author_id == user.pk and can_contribute(user, post.workspace))


def can_set_public(user, workspace: Workspace | None) -> bool:
    if is_office(user):
        return True
    return workspace is not None and workspace.visibility == Workspace.Visibility.PUBLIC and can_manage(user, workspace)


def can_view_post(user, post: Post) -> bool:
    if not post.is_published:
        return user.is_authenticated and (post.author_id == user.pk or can_edit(user, post))
    if post.is_public:
        return True
    if post.workspace is None:
        return is_member(user)
    return can_view(user, post.workspace)


def is_insider(user, workspace: Workspace | None) -> bool:
    """Sees and writes comments."""
    if not user.is_authenticated:
        return False
    if workspace is None:
        return is_member(user)
    return role_of(user, workspace) is not None or (can_view(user, workspace) and is_member(user))


def can_read_comments(user, post: Post) -> bool:
    """The one-object form of ``comments_visible_to``: the comments under ``post`` (pages, mails, mentions)."""
    return post.is_published and is_insider(user, post.workspace) and can_view_post(user, post)


def can_comment(user, post: Post) -> bool:
    return (
        post.is_published
        and is_insider(user, post.workspace)
        and (post.workspace is None or not post.workspace.is_archived)
        and can_view_post(user, post)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    if not user.is_authenticated:
        return False
    if comment.author_id == user.pk:
        return True
    workspace = comment.post.workspace
    return is_office(user) if workspace is None else can_manage(user, workspace)


def posts_visible_to(user):
    """Published posts ``user`` may read (drafts are listed separately to those who may edit them)."""
    published = Post.objects.filter(published_at__isnull=False)
    condition = Q(is_public=True) | Q(workspace__in=workspaces_visible_to(user))
    if is_member(user):
        condition |= Q(workspace__isnull=True)
    return published.filter(condition)


def comments_visible_to(user):
    """Comments ``user`` may read: those under a published post they may read, in a place where they are an
    insider (``is_insider``: members of the workspace of any role, people with a seat in a body who may read it)."""
    if not user.is_authenticated:
        return Comment.objects.none()
    insider = Q(post__workspace__in=WorkspaceMember.objects.filter(user=user).values("workspace_id"))
    if is_member(user):
        insider |= Q(post__workspace__isnull=True) | Q(post__workspace__in=workspaces_visible_to(user))
    return Comment.objects.filter(insider, post__in=posts_visible_to(user))


def get_post_for_user(user, pk, *, write: bool = False) -> Post:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    post = Post.objects.select_related("author__person").filter(pk=pk).first()
    if post is None:
        raise Http404
    if post.workspace_id:
        post.workspace = with_viewer_role(Workspace.objects.filter(pk=post.workspace_id), user).get()
    allowed = can_edit(user, post) if write else can_view_post(user, post)
    if not allowed:
        raise Http404
    return post


def get_comment_for_user(user, pk) -> Comment:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    comment = Comment.objects.select_related("post").filter(pk=pk).first()
    if comment is None:
        raise Http404
    comment.post = get_post_for_user(user, comment.post_id)
    if not (is_insider(user, comment.post.workspace) and can_delete_comment(user, comment)):
        raise Http404
    return comment
