"""News in the search: published posts and their comments, found by exactly who may read them (news/access.py).

Posts: a public post is for everybody; a post of the whole cooperation for everybody with a seat in a
body; a workspace post for whoever may read the workspace. Drafts are not indexed.

Comments are for the workspace's insiders only (``access.is_insider``): its members of any role and the
people with a seat in a body who may read the workspace, never the public (also under a public post).
``search.registry.for_insiders`` maps that to the entry; in a public workspace its external members
(no seat in a body) find them as members of the entry's workspace.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.markdown import markdown_to_text
from search.models import Audience
from search.registry import Entry, Provider, for_insiders

from .models import Comment, Post


class PostProvider(Provider):
    kind = "post"
    label = _("Beiträge")
    model = Post

    def visible_to(self, user):
        from .access import posts_visible_to

        return posts_visible_to(user)

    def build(self, post: Post) -> Entry | None:
        if not post.is_published:
            return None
        if post.is_public:
            audience = Audience.PUBLIC
        elif post.workspace_id is None:
            audience = Audience.MEMBERS
        else:
            audience = Audience.WORKSPACE
        return Entry(
            title=post.title,
            body=markdown_to_text(post.body),
            url=post.get_absolute_url(),
            date=post.published_at,
            audience=audience,
            workspace_id=post.workspace_id,
        )


class CommentProvider(Provider):
    kind = "comment"
    label = _("Kommentare")
    model = Comment
    workspace_lookup = "post__workspace_id"

    def queryset(self):
        return Comment.objects.select_related("post__workspace")

    def visible_to(self, user):
        from .access import comments_visible_to

        return comments_visible_to(user)

    def build(self, comment: Comment) -> Entry | None:
        post = comment.post
        if not post.is_published:
            return None
        with translation.override("de"):
            # No quotation marks around the title: PostgreSQL's parser in the C locale would glue them to the words.
            title = gettext("Kommentar zu: %(title)s") % {"title": post.title}
        return Entry(
            title=title,
            body=markdown_to_text(comment.body),
            url=comment.get_absolute_url(),
            date=comment.created,
            **for_insiders(post.workspace),
        )
