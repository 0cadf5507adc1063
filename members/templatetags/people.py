"""Naming people in pages and PDFs by the one rule for people (``members.access``).

``{{ person|named_for:viewer }}`` is the person's name when ``viewer`` may see the profile, else empty;
``{{ action|responsible_for:viewer }}`` names the assignee likewise and falls back to the city.
``viewer`` is a user, or the profile levels of a whole audience for a PDF stored once
(``members.access.PUBLIC_LEVELS`` / ``MEMBER_LEVELS``).
"""

from __future__ import annotations

from django import template

from members.access import person_shown_at, person_visible_to

register = template.Library()


def _shown(person, viewer) -> bool:
    if isinstance(viewer, list | tuple):
        return person_shown_at(person, list(viewer))
    return person_visible_to(viewer, person)


@register.filter
def named_for(person, viewer) -> str:
    if person is None or not _shown(person, viewer):
        return ""
    return str(person)


@register.filter
def responsible_for(action, viewer) -> str:
    if action.assignee_id and _shown(action.assignee, viewer):
        return str(action.assignee)
    return str(action.municipality or "–")


@register.filter
def shown_to(people, viewer) -> list:
    """The people of a list (e.g. attendees) that ``viewer`` may see."""
    return [p for p in people if _shown(p, viewer)]
