from django import template

from notifications.actions import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in person's unread count for the header (one indexed COUNT)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
