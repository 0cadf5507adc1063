from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def body_meetings_panel(context, body):
    """The "Sitzungen" panel on a body's workspace: the next meeting the viewer may see."""
    from meetings.access import meetings_visible_to

    user = context["request"].user
    upcoming = (
        meetings_visible_to(user)
        .filter(body=body, end__gte=timezone.now())
        .exclude(status="cancelled")
        .select_related("host_municipality")
    )
    return {"next": upcoming.order_by("start").first()}
