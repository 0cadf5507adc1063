from django import template

from scanning.actions import status_of

register = template.Library()


@register.inclusion_tag("scanning/_status.html")
def scan_status(name: str) -> dict:
    """The virus scan state of a stored file, in words (not by colour alone); nothing for unscanned files."""
    return {"status": status_of(name) if name else None}
