"""@mentions: ``@Vorname Nachname`` (a two-word family name works too) names a person with an account."""

from __future__ import annotations

import re

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User

_MENTION = re.compile(r"(?<![\w@])@([^\W\d_][\w-]*)\s+([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?")


def _resolve(match: re.Match) -> tuple[User | None, int]:
    """The account a match names and where the name ends (the third word belongs to it only for a two-word family name)."""
    given, family, more = match.groups()
    candidates = [(f"{family} {more}", match.end()), (family, match.end(2))] if more else [(family, match.end())]
    for family_name, end in candidates:
        user = (
            User.objects.filter(
                is_active=True,
                person__is_active=True,
                person__given_name__iexact=given,
                person__family_name__iexact=family_name,
            )
            .select_related("person")
            .order_by("pk")
            .first()
        )
        if user is not None:
            return user, end
    return None, match.end()


def mentioned_users(text: str) -> list[User]:
    """The accounts named in ``text``, in order of first mention; unknown names are ignored."""
    found: list[User] = []
    for match in _MENTION.finditer(text or ""):
        user, _end = _resolve(match)
        if user is not None and user not in found:
            found.append(user)
    return found


_TAG = re.compile(r"(<[^>]+>)")
_NO_LINKS_INSIDE = {"a", "code", "pre"}


def mark_mentions(html: str, viewer) -> SafeString:
    """Rendered text with each @mention highlighted; a link to the person where ``viewer`` may open their page.

    Works on the text between tags only (never inside attributes, links or code), so the markup stays valid.
    """
    from members.access import people_visible_to

    visible = None
    parts = _TAG.split(str(html))
    open_tags: list[str] = []
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _NO_LINKS_INSIDE:
                if part.startswith("</"):
                    if name in open_tags:
                        open_tags.remove(name)
                elif not part.endswith("/>"):
                    open_tags.append(name)
            continue
        if open_tags or "@" not in part:
            continue
        pieces, last = [], 0
        for match in _MENTION.finditer(part):
            if match.start() < last:
                continue
            user, end = _resolve(match)
            if user is None:
                continue
            if visible is None:
                visible = set(people_visible_to(viewer).values_list("pk", flat=True))
            person = user.person
            label = mark_safe(part[match.start() : end])  # noqa: S308 - already escaped by the Markdown renderer
            if person.pk in visible:
                marked = format_html('<a class="mention" href="{}">{}</a>', person.get_absolute_url(), label)
            else:
                marked = format_html('<span class="mention">{}</span>', label)
            pieces.extend([part[last : match.start()], marked])
            last = end
        if pieces:
            parts[index] = "".join(pieces) + part[last:]
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped Markdown output and format_html
