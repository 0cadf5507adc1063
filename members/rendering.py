"""HTML fragments rendered in Python where a template loop dominated a page's cost.

The directory shows up to a page of people, each with a handful of fields and badges; through
the template engine that loop cost more than all of the page's queries. The markup here is the
same the template produced; every value goes through ``format_html`` and is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .models import Person


def _contact_line(person: Person) -> SafeString | str:
    if not (person.show_email and person.email):
        return ""
    phone = ""
    if person.show_phone and person.phone:
        phone = format_html(' · <a class="kern-link" href="tel:{}">{}</a>', person.phone.replace(" ", ""), person.phone)
    return format_html('<p><a class="kern-link" href="mailto:{0}">{0}</a>{1}</p>', person.email, phone)


def _badges(person: Person) -> SafeString | str:
    memberships = getattr(person, "current_memberships", None)
    if not memberships:
        return ""
    badges = format_html_join(
        "",
        '<span class="kern-badge kern-badge--info"><span class="kern-label">{}: {}</span></span>',
        ((m.body.short_name or m.body.name, m.get_role_display()) for m in memberships),
    )
    return format_html('<p class="badges">{}</p>', badges)


def _summary(person: Person) -> str:
    text = f"{person.function}, " if person.function else ""
    text += person.affiliation
    if person.department:
        text += f" · {person.department}"
    return text


def directory_rows(people: Iterable[Person]) -> SafeString:
    """The ``<li>`` items of the directory's result list."""
    return mark_safe(  # noqa: S308 - every part below is built with format_html
        "".join(
            format_html(
                '<li class="person-item"><span class="avatar" aria-hidden="true">{}{}</span><div>'
                '<h3><a class="kern-link" href="{}">{}</a></h3><p>{}</p>{}{}</div></li>',
                person.given_name[:1],
                person.family_name[:1],
                reverse("members:person", args=[person.pk]),
                person.full_name,
                _summary(person),
                _contact_line(person),
                _badges(person),
            )
            for person in people
        )
    )
