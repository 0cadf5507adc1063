from __future__ import annotations

from . import notices
from .models import Poll


def cancel_confirmed_event(sender, event, actor, **kwargs) -> None:
    """The calendar event of a confirmed poll is being deleted: its participants get a CANCEL."""
    for poll in Poll.objects.filter(event=event).select_related("workspace"):
        notices.event_cancelled(poll, event, actor)
