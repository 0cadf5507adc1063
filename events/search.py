"""Events in the site's search, found by exactly who may open them (events/access.py).

- An event's programme page: everybody once the programme is published; before that its organisers (the
  office and the contributors of the event's workspace, as grants). Title, description, venue and the
  programme's sessions are indexed; registrations, answers, needs and the organisers' workspace never are
  (the workspace's documents have their own entries with the workspace's rules).
- The documentation of a past event: everybody once it is published (with the programme); before that the
  organisers. The public entry holds the report and the titles of what the public may open (presentations,
  released photos with the consent confirmed), never a photo that is not released.

Grants of unpublished entries are written when the event or its documentation changes; a newer member of the
workspace finds them after the next change, and the search checks every hit against ``visible_to`` anyway.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.markdown import markdown_to_text
from search.models import Audience
from search.registry import Entry, Provider

from .models import Documentation, Event


def _organisers(event: Event) -> list[int]:
    workspace = event.workspace
    if workspace.is_archived:
        return []
    return list(workspace.members.filter(role__in=["manager", "editor"]).values_list("user_id", flat=True))


class EventProvider(Provider):
    kind = "registration_event"
    label = gettext_lazy("Veranstaltungen")
    model = Event

    def queryset(self):
        return Event.objects.select_related("workspace").prefetch_related("sessions")

    def visible_to(self, user):
        from .access import events_visible_to

        return events_visible_to(user)

    def build(self, event: Event) -> Entry | None:
        programme = [" ".join(p for p in (s.title, s.speakers, s.room) if p) for s in event.sessions.all()]
        body = "\n".join(
            [event.get_kind_display(), markdown_to_text(event.description), event.location, event.venue_accessibility, *programme]
        )
        if event.is_published:
            return Entry(
                title=event.title, body=body, url=event.get_absolute_url(), date=event.starts_at, audience=Audience.PUBLIC
            )
        return Entry(
            title=event.title,
            body=body,
            url=event.get_manage_url(),
            date=event.starts_at,
            audience=Audience.OFFICE,
            readers=_organisers(event),
        )


class DocumentationProvider(Provider):
    kind = "event_documentation"
    label = gettext_lazy("Dokumentationen von Veranstaltungen")
    model = Documentation

    def queryset(self):
        return Documentation.objects.select_related("event__workspace").prefetch_related("items")

    def visible_to(self, user):
        from .access import documentation_visible_to

        return documentation_visible_to(user)

    def build(self, documentation: Documentation) -> Entry | None:
        event = documentation.event
        public = documentation.is_published and event.is_published
        items = [i for i in documentation.items.all() if i.is_public_ready or not public]
        body = "\n".join([markdown_to_text(documentation.report), *(i.title for i in items), *(i.alt_text for i in items)])
        title = _("Dokumentation: %(title)s") % {"title": event.title}
        if public:
            return Entry(
                title=title,
                body=body,
                url=documentation.get_absolute_url(),
                date=documentation.published_at,
                audience=Audience.PUBLIC,
            )
        return Entry(
            title=title,
            body=body,
            url=documentation.get_absolute_url(),
            date=documentation.modified,
            audience=Audience.OFFICE,
            readers=_organisers(event),
        )
