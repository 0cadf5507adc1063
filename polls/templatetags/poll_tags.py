from django import template

from polls.access import polls_to_answer
from polls.models import Poll

register = template.Library()
DASHBOARD_SIZE = 5


@register.simple_tag(takes_context=True)
def polls_awaiting_answer(context) -> list[Poll]:
    """Open polls in which the signed-in person has not answered yet, by deadline (for "Mein Bereich")."""
    return list(polls_to_answer(context["user"]).select_related("workspace").order_by("deadline", "pk")[:DASHBOARD_SIZE])
