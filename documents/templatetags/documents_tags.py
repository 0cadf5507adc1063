from django import template

from ..models import Document

register = template.Library()


@register.simple_tag
def recent_documents(workspace, limit: int = 5):
    """The newest documents of a workspace, for its page's panel (one query)."""
    return list(
        Document.objects.active()
        .filter(workspace=workspace)
        .select_related("current", "created_by__person")
        .order_by("-modified", "-pk")[:limit]
    )


@register.filter
def filesize_de(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
