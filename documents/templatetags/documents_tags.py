from django import template

from website.templatetags.public_library import filesize_de

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


register.filter("filesize_de", filesize_de)  # shared with the public library (website.templatetags)
