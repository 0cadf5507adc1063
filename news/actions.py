"""Everything that changes news: validation, audit log (publications, public flag, deletions) and
notifications, in the transaction of the change.

A new post reaches the workspace's members (or all members for a cooperation post) through one
event that the worker fans out; people @mentioned are told at once, whatever their settings.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.actions import record, snapshot
from lib.concurrency import save_versioned
from lib.images import ImageRefused, clean_image
from lib.storage import storing
from notifications.actions import notify
from notifications.audience import Audience
from notifications.messages import Translatable
from scanning.actions import hold
from search.indexing import schedule, schedule_many

from .access import can_read_comments, can_set_public, can_view_post
from .mentions import mentioned_users
from .models import Comment, Post

EDITABLE = ("title", "body", "image", "image_alt", "is_public")


def _audit(post: Post) -> dict:
    data = snapshot(post)
    data["image"] = post.image.name if post.image else ""
    return data


def _sanitised(image):
    """A new file re-encoded without metadata and scaled to NEWS_IMAGE_MAX_SIDE; the stored image as it is."""
    if not image or isinstance(image, FieldFile) or not hasattr(image, "read"):
        return image
    try:
        clean = clean_image(image, max_side=settings.NEWS_IMAGE_MAX_SIDE)
    except ImageRefused as exc:
        raise ValidationError({"image": str(exc)}) from None
    stem = (image.name or "bild").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "bild"
    return ContentFile(clean.data, name=f"{stem}.{clean.extension}")


def _place(post: Post) -> str:
    return post.workspace.name if post.workspace else _("die ganze Kooperation")


def _clean(post: Post, actor) -> None:
    post.full_clean(exclude=["workspace", "author"])
    if post.image and not post.image_alt.strip():
        raise ValidationError(
            {"image_alt": _("Bitte beschreiben Sie das Bild in einem kurzen Text für Menschen, die es nicht sehen können.")}
        )
    if post.is_public and not post.is_published:
        raise ValidationError({"is_public": _("Nur veröffentlichte Beiträge können öffentlich sein.")})


def _notify_mentions(actor, post: Post, text: str, *, already=(), comment: Comment | None = None) -> list:
    """Mentioned people who may read the post (for a comment: the comments) hear about it always; others are not
    told (it would leak the text)."""
    may_read = (lambda user: can_read_comments(user, post)) if comment else (lambda user: can_view_post(user, post))
    users = [u for u in mentioned_users(text) if u != actor and u not in already and may_read(u)]
    if not users:
        return []

    def message():
        where = (
            _("in einem Kommentar zu „%(title)s“") % {"title": post.title}
            if comment
            else _("im Beitrag „%(title)s“") % {"title": post.title}
        )
        return (
            _("%(actor)s hat Sie %(where)s erwähnt (%(place)s):") % {"actor": actor, "where": where, "place": _place(post)}
            + "\n\n"
            + text
        )

    with translation.override("de"):
        notify(
            recipients=users,
            verb="news.mentioned",
            target=comment or post,
            actor=actor,
            workspace=post.workspace,
            always=True,
            subject=Translatable(
                gettext_noop("%(actor)s hat Sie erwähnt: %(title)s"), {"actor": str(actor), "title": post.title}
            ),
            text=message(),
            compose=message,
            url=comment.get_absolute_url() if comment else post.get_absolute_url(),
        )
    return users


def _announce(actor, post: Post) -> None:
    mentioned = _notify_mentions(actor, post, post.body)
    exclude = [actor, *mentioned]
    audience = (
        Audience.workspace(post.workspace, exclude=exclude) if post.workspace else Audience.platform_members(exclude=exclude)
    )

    def message():
        intro = _("%(actor)s hat in %(place)s geschrieben:") % {"actor": actor, "place": _place(post)}
        return (
            intro + "\n\n" + post.title + "\n\n" + post.body,
            f"<p>{escape(intro)}</p><h2>{escape(post.title)}</h2>{post.body_html}",
        )

    with translation.override("de"):
        text, html = message()
        notify(
            recipients=audience,
            verb="news.posted",
            target=post,
            actor=actor,
            workspace=post.workspace,
            subject=Translatable(gettext_noop("Neuer Beitrag: %(title)s"), {"title": post.title}),
            text=text,
            html=html,
            compose=message,
            url=post.get_absolute_url(),
        )


@transaction.atomic
def create_post(
    actor, workspace, *, title: str, body: str, image=None, image_alt: str = "", is_public: bool = False, publish: bool = True
) -> Post:
    if is_public and not can_set_public(actor, workspace):
        raise ValidationError(
            {
                "is_public": _(
                    "Nur die Geschäftsführung oder die Leitung eines öffentlichen Arbeitsbereichs kann Beiträge öffentlich machen."
                )
            }
        )
    post = Post(
        workspace=workspace,
        title=title,
        body=body,
        image=_sanitised(image) or "",
        image_alt=image_alt,
        author=actor,
        is_public=is_public and publish,
        published_at=timezone.now() if publish else None,
    )
    _clean(post, actor)
    with storing("image"):
        post.save()
    if post.image:
        hold(post.image.name, actor)
    record(actor, "news.created", post, after=_audit(post))
    schedule("post", post.pk)
    if publish:
        record(actor, "news.published", post, after=_audit(post))
        _announce(actor, post)
    return post


@transaction.atomic
def update_post(actor, post: Post, expected_version: int, *, publish: bool = False, **fields) -> Post:
    before = _audit(post)
    was_public, was_published = post.is_public, post.is_published
    if fields.get("image"):
        fields["image"] = _sanitised(fields["image"])
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(post, name, value)
    if post.is_public != was_public and not can_set_public(actor, post.workspace):
        raise ValidationError(
            {
                "is_public": _(
                    "Nur die Geschäftsführung oder die Leitung eines öffentlichen Arbeitsbereichs kann Beiträge öffentlich machen."
                )
            }
        )
    if publish and not was_published:
        post.published_at = timezone.now()
    _clean(post, actor)
    with storing("image"):
        save_versioned(post, expected_version, fields=[*EDITABLE, "published_at"])
    if post.image and post.image.name != before["image"]:
        hold(post.image.name, actor)
    after = _audit(post)
    record(actor, "news.updated", post, before=before, after=after)
    schedule("post", post.pk)
    if post.title != before["title"] or post.is_published != was_published:
        schedule_many("comment", list(post.comments.values_list("pk", flat=True)))  # their title names the post
    if post.is_public != was_public:
        record(actor, "news.public_changed", post, before={"is_public": was_public}, after={"is_public": post.is_public})
    if post.is_published and not was_published:
        record(actor, "news.published", post, after=after)
        _announce(actor, post)
    else:
        _notify_mentions(actor, post, post.body, already=mentioned_users(before["body"]))
    return post


@transaction.atomic
def delete_post(actor, post: Post) -> None:
    record(actor, "news.deleted", post, before=_audit(post))
    pk, comments = post.pk, list(post.comments.values_list("pk", flat=True))
    image = post.image
    post.delete()
    schedule("post", pk)  # the entries go in this transaction, once the rows are gone
    schedule_many("comment", comments)
    if image:
        transaction.on_commit(lambda: image.storage.delete(image.name))


@transaction.atomic
def add_comment(actor, post: Post, body: str) -> Comment:
    comment = Comment(post=post, author=actor, body=body)
    comment.full_clean(exclude=["post", "author"])
    comment.save()
    schedule("comment", comment.pk)
    mentioned = _notify_mentions(actor, post, body, comment=comment)

    def message():
        return _("%(actor)s hat kommentiert:") % {"actor": actor} + "\n\n" + body

    with translation.override("de"):
        common = {
            "verb": "news.commented",
            "target": comment,
            "actor": actor,
            "workspace": post.workspace,
            "subject": Translatable(gettext_noop("Neuer Kommentar zu „%(title)s“"), {"title": post.title}),
            "text": message(),
            "compose": message,
            "url": comment.get_absolute_url(),
        }
        skip = {actor, *mentioned}
        if post.author and post.author not in skip and can_read_comments(post.author, post):
            notify(recipients=[post.author], **common)  # the author wants to hear about comments
        skip.add(post.author)
        others = {c.author for c in post.comments.select_related("author") if c.author} - skip
        others = {user for user in others if can_read_comments(user, post)}  # who left the workspace hears no more
        if others:
            notify(recipients=others, detail=True, **common)  # the rest of the thread, if they want everything
    return comment


@transaction.atomic
def delete_comment(actor, comment: Comment) -> None:
    record(actor, "news.comment_deleted", comment, before=snapshot(comment))
    pk = comment.pk
    comment.delete()
    schedule("comment", pk)
