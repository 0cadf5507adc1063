"""Who may see and run which event, registration and contingent.

- The public sees the programme of a published event (and registers where registration is public).
- Organisers manage their event: the contributors (manager, editor) of the event's workspace, and the
  managing office (and platform admins) for every event.
- Accessibility needs (special-category data) only the *named* organisers (``Event.organisers``) see,
  not every organiser and not the office as such.
- The documentation of a past event (report, presentations, released photos) the public sees once the
  organisers published it; before that, and photos not yet released, only the organisers.
- A participant reaches only their own registration, and a city coordinator only their contingent,
  through their personal link (:mod:`events.links`).

Every getter answers 404 alike for missing and forbidden objects.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import is_office
from workspaces.access import can_contribute

from . import links
from .models import Contingent, Documentation, DocumentationItem, Event, Registration


def can_manage_event(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    return is_office(user) or can_contribute(user, event.workspace)


def can_see_needs(user, event: Event) -> bool:
    """Named organisers only: Art. 9 GDPR data is shown to those who need it for the venue."""
    return user.is_authenticated and event.organisers.filter(pk=user.pk).exists()


def events_managed_by(user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    if is_office(user):
        return Event.objects.all()
    return Event.objects.filter(
        workspace__is_archived=False, workspace__members__user=user, workspace__members__role__in=["manager", "editor"]
    )


def published_events() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True)


def get_event_for_user(user, slug: str, *, manage: bool = False, needs: bool = False) -> Event:
    """The event behind ``slug`` if ``user`` may see it (published, or an organiser), manage it (``manage``)
    or see its accessibility needs (``needs``); 404 otherwise."""
    event = Event.objects.filter(slug=slug).select_related("workspace").first()
    if event is None:
        raise Http404
    if needs:
        allowed = can_see_needs(user, event)
    elif manage:
        allowed = can_manage_event(user, event)
    else:
        allowed = event.is_published or can_manage_event(user, event)
    if not allowed:
        raise Http404
    return event


def get_registration_for_user(user, event: Event, pk: int) -> Registration:
    """A registration of ``event`` for its organisers (``event`` came from :func:`get_event_for_user` with manage)."""
    if not can_manage_event(user, event):
        raise Http404
    registration = Registration.objects.filter(pk=pk, event=event).first()
    if registration is None:
        raise Http404
    return registration


def get_registration_by_link(token: str) -> Registration:
    """The participant's own registration behind their personal link; 404 for anything else."""
    found = links.read(links.REGISTRATION_SALT, token)
    if found is None:
        raise Http404
    pk, key = found
    registration = Registration.objects.filter(pk=pk, link_key=key, anonymised=False).select_related("event").first()
    if registration is None:
        raise Http404
    return registration


def get_contingent_by_link(token: str) -> Contingent:
    """The coordinator's contingent behind their personal link; 404 for anything else."""
    found = links.read(links.CONTINGENT_SALT, token)
    if found is None:
        raise Http404
    pk, key = found
    contingent = Contingent.objects.filter(pk=pk, link_key=key).select_related("event", "municipality").first()
    if contingent is None:
        raise Http404
    return contingent


def events_visible_to(user) -> QuerySet[Event]:
    """Events whose page ``user`` may open (``get_event_for_user``): published ones, and the ones they run."""
    return published_events() | events_managed_by(user)


def documentation_visible_to(user) -> QuerySet[Documentation]:
    """Documentations ``user`` may open: published ones (of published events), and those of the events they run."""
    public = Documentation.objects.filter(published_at__isnull=False, event__is_published=True)
    return public | Documentation.objects.filter(event__in=events_managed_by(user))


def get_documentation_for_user(user, slug: str, *, manage: bool = False) -> Documentation:
    """The documentation of the event behind ``slug``: published for everybody, otherwise (and with ``manage``)
    for the organisers only; 404 alike for a missing event, a missing and an unpublished documentation."""
    event = get_event_for_user(user, slug, manage=manage)
    if manage:
        # Not saved before the first write (actions.update_documentation), so looking changes nothing.
        return Documentation.objects.filter(event=event).first() or Documentation(event=event)
    documentation = Documentation.objects.filter(event=event).select_related("event").first()
    if documentation is None:
        raise Http404
    if not (documentation.is_published or can_manage_event(user, event)):
        raise Http404
    return documentation


def get_documentation_item_for_user(user, slug: str, pk: int) -> DocumentationItem:
    """A file of a documentation: for the public only while the documentation is published and the item is
    ready for it (a photo released by its uploader, with the consent confirmed), and never from the trash."""
    documentation = get_documentation_for_user(user, slug)
    item = (
        documentation.items.filter(pk=pk, version__document__trashed_at__isnull=True).select_related("version__document").first()
    )
    if item is None:
        raise Http404
    if not (item.is_public_ready or can_manage_event(user, documentation.event)):
        raise Http404
    return item
