from django import template
from django.utils import timezone

from polls.models import Poll

register = template.Library()
DASHBOARD_SIZE = 5


@register.simple_tag(takes_context=True)
def polls_awaiting_answer(context) -> list[Poll]:
    """Open polls in which the signed-in person has not answered yet, by deadline (for "Mein Bereich")."""
    user = context["user"]
    if not user.is_authenticated:
        return []
    polls = (
        Poll.objects.filter(
            status=Poll.Status.OPEN,
            deadline__gt=timezone.now(),
            participants__user=user,
            participants__answered_at__isnull=True,
            # may still answer (polls.access.can_answer), decided in the same query
            workspace__is_archived=False,
            workspace__members__user=user,
        )
        .select_related("workspace")
        .order_by("deadline", "pk")[:DASHBOARD_SIZE]
    )
    return list(polls)
