"""Events in the search: whoever may read the workspace reads its events (calendar_events/access.py),
which is exactly an entry of the workspace (a public workspace's events are public)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lib.markdown import markdown_to_text
from search.models import Audience
from search.registry import Entry, Provider

from .models import Event


class EventProvider(Provider):
    kind = "event"
    label = _("Termine")
    model = Event

    def visible_to(self, user):
        from .access import events_visible_to

        return events_visible_to(user)

    def build(self, event: Event) -> Entry | None:
        return Entry(
            title=event.title,
            body=" · ".join(p for p in (event.location, markdown_to_text(event.description)) if p),
            url=event.get_absolute_url(),
            date=event.starts_at,
            audience=Audience.WORKSPACE,
            workspace_id=event.workspace_id,
        )
