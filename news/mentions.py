"""@mentions: ``@Vorname Nachname`` (a two-word family name works too) names a person with an account."""

from __future__ import annotations

import re

from accounts.models import User

_MENTION = re.compile(r"(?<![\w@])@([^\W\d_][\w-]*)\s+([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?")


def mentioned_users(text: str) -> list[User]:
    """The accounts named in ``text``, in order of first mention; unknown names are ignored."""
    found: list[User] = []
    for match in _MENTION.finditer(text or ""):
        given, family, more = match.groups()
        candidates = [f"{family} {more}", family] if more else [family]
        for family_name in candidates:
            user = (
                User.objects.filter(
                    is_active=True,
                    person__is_active=True,
                    person__given_name__iexact=given,
                    person__family_name__iexact=family_name,
                )
                .order_by("pk")
                .first()
            )
            if user is not None:
                if user not in found:
                    found.append(user)
                break
    return found
