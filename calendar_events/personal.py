"""The personal calendar: everything relevant to one person, from every app that has dates.

Apps add their dates with :func:`register_source`: a function ``(user, start, end) -> iterable of
Event-like objects`` (with ``uid``, ``sequence``, ``title``, ``starts_at``, ``ends_at``, ``location``,
``online_url``, ``description``, ``modified`` and ``get_absolute_url``; optionally ``calendar_name``
instead of a ``workspace``). This app registers the events of the person's own workspaces; the
meetings app registers the meetings of the person's bodies.

One UID is one date: when two sources return the same UID (a meeting that came out of a date poll
took over the poll event's UID), the source with the higher ``priority`` wins, so the date is shown
once, in its most specific form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from workspaces.models import WorkspaceMember

from .models import Event

Source = Callable[[object, dt.datetime, dt.datetime], Iterable[Event]]
_SOURCES: list[tuple[int, Source]] = []


def register_source(source: Source | None = None, *, priority: int = 0):
    """Add a source (usable as ``@register_source``); sources with a higher priority win a shared UID."""

    def add(fn: Source) -> Source:
        if all(existing is not fn for _p, existing in _SOURCES):
            _SOURCES.append((priority, fn))
            _SOURCES.sort(key=lambda pair: -pair[0])
        return fn

    return add(source) if source is not None else add


@register_source
def workspace_events(user, start: dt.datetime, end: dt.datetime):
    """Events of the workspaces the person belongs to (any role)."""
    own = WorkspaceMember.objects.filter(user=user).values("workspace_id")
    return (
        Event.objects.filter(workspace__in=own, ends_at__gt=start, starts_at__lt=end)
        .select_related("workspace")
        .order_by("starts_at", "pk")
    )


def entries_for(user, start: dt.datetime, end: dt.datetime) -> list:
    """All dates between ``start`` and ``end`` that concern ``user``, by start, each once (by UID)."""
    if not getattr(user, "is_authenticated", False):
        return []
    seen: dict[str, object] = {}
    for _priority, source in _SOURCES:
        for entry in source(user, start, end):
            seen.setdefault(entry.uid, entry)
    return sorted(seen.values(), key=lambda entry: (entry.starts_at, entry.uid))
