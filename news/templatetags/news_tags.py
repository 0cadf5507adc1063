from django import template
from django.db.models import CharField, F, IntegerField, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from news.access import can_write_in, is_insider
from news.models import Comment
from tasks.access import can_view_tasks

register = template.Library()
SIZE = 6
LABELS = {
    "post": lambda title: _("Beitrag: %(title)s") % {"title": title},
    "comment": lambda title: _("Kommentar zu „%(title)s“") % {"title": title},
    "task": lambda title: _("Aufgabe: %(title)s") % {"title": title},
    "task_done": lambda title: _("Aufgabe erledigt: %(title)s") % {"title": title},
}


def _row(qs, kind, at, title, post_id):
    # No ORDER BY inside the parts of a UNION: SQLite refuses it (the models' default ordering would add one).
    return (
        qs.order_by()
        .annotate(
            a_at=F(at),
            a_kind=Value(kind, output_field=CharField()),
            a_title=F(title),
            a_post=F(post_id) if post_id else Value(0, output_field=IntegerField()),
        )
        .values_list("a_at", "a_kind", "a_title", "pk", "a_post")
    )


@register.simple_tag(takes_context=True)
def recent_activity(context, workspace):
    """The workspace page's "Letzte Aktivitäten": posts, and for insiders comments and tasks, in one query."""
    user = context["user"]
    parts = [_row(workspace.news_posts.filter(published_at__isnull=False), "post", "published_at", "title", None)]
    if is_insider(user, workspace):
        comments = Comment.objects.filter(post__workspace=workspace, post__published_at__isnull=False)
        parts.append(_row(comments, "comment", "created", "post__title", "post_id"))
    if can_view_tasks(user, workspace):
        parts.append(_row(workspace.tasks.exclude(status="done"), "task", "modified", "title", None))
        parts.append(_row(workspace.tasks.filter(status="done"), "task_done", "modified", "title", None))
    qs = (parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]).order_by("-a_at")[:SIZE]
    items = []
    for at, kind, title, pk, post_id in qs:
        if kind == "comment":
            url = reverse("news:detail", args=[post_id]) + f"#kommentar-{pk}"
        elif kind == "post":
            url = reverse("news:detail", args=[pk])
        else:
            url = reverse("tasks:detail", args=[pk])
        items.append({"at": at, "label": LABELS[kind](title), "url": url})
    return {"items": items, "can_write": can_write_in(user, workspace)}


@register.filter
def with_mentions(html, viewer):
    """``{{ post.body_html|with_mentions:request.user }}``: @mentions highlighted, linked where the viewer may open the person."""
    from news.mentions import mark_mentions

    return mark_mentions(html, viewer)
