"""HTML fragments rendered in Python where a template loop dominated a page's cost.

The directory shows up to a page of people, each with a handful of fields and badges; through
the template engine that loop cost more than all of the page's queries. The markup here is the
same the template produced; every value is escaped with ``django.utils.html.escape``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Person


def _contact_line(person: Person) -> str:
    if not (person.show_email and person.email):
        return ""
    phone = ""
    if person.show_phone and person.phone:
        phone = f' · <a class="kern-link" href="tel:{escape(person.phone.replace(" ", ""))}">{escape(person.phone)}</a>'
    email = escape(person.email)
    return f'<p><a class="kern-link" href="mailto:{email}">{email}</a>{phone}</p>'


def _badges(person: Person) -> str:
    memberships = getattr(person, "current_memberships", None)
    if not memberships:
        return ""
    badges = "".join(
        '<span class="kern-badge kern-badge--info"><span class="kern-label">'
        f"{escape(m.body.short_name or m.body.name)}: {escape(m.get_role_display())}</span></span>"
        for m in memberships
    )
    return f'<p class="badges">{badges}</p>'


def _summary(person: Person) -> str:
    text = f"{person.function}, " if person.function else ""
    text += person.affiliation
    if person.department:
        text += f" · {person.department}"
    return text


_PK = 987654321  # stands for the person's id in the profile address, reversed once per list


def directory_rows(people: Iterable[Person]) -> SafeString:
    """The ``<li>`` items of the directory's result list."""
    url = reverse("members:person", args=[_PK])
    return mark_safe(  # noqa: S308 - every value below is escaped
        "".join(
            '<li class="person-item"><span class="avatar" aria-hidden="true">'
            f"{escape(person.given_name[:1])}{escape(person.family_name[:1])}</span><div>"
            f'<h3><a class="kern-link" href="{escape(url.replace(str(_PK), str(person.pk)))}">{escape(person.full_name)}</a></h3>'
            f"<p>{escape(_summary(person))}</p>{_contact_line(person)}{_badges(person)}</div></li>"
            for person in people
        )
    )
