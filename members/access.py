"""Access functions: the only way views load members objects from user-supplied ids.

Each returns 404 both for a missing object and for one the user may not see, so
nobody can probe which ids exist.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.roles import is_member, is_office

from .models import Body, Membership, Municipality, Person, Visibility

PUBLIC_LEVELS = [Visibility.PUBLIC]
MEMBER_LEVELS = [Visibility.PUBLIC, Visibility.MEMBERS]


def visibility_levels_for(user) -> list[str]:
    if is_office(user):
        return [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.OFFICE]
    if is_member(user):
        return list(MEMBER_LEVELS)
    return list(PUBLIC_LEVELS)


def people_visible_to(user) -> QuerySet[Person]:
    """The one rule for people, on every channel: directory, profile, vCard, search, OParl, and every
    page or PDF that names a person (presenter, attendee, assignee: ``named_for``)."""
    levels = visibility_levels_for(user)
    qs = Person.objects.filter(profile_visibility__in=levels)
    if not is_office(user):
        qs = qs.filter(is_active=True)
    if user.is_authenticated:
        qs = qs | Person.objects.filter(user=user)
    return qs


def person_visible_to(user, person: Person) -> bool:
    if user.is_authenticated and person.user_id == user.pk:
        return True
    return person_shown_at(person, visibility_levels_for(user))


def person_shown_at(person: Person, levels: list[str]) -> bool:
    """Whether a reader who sees the profile ``levels`` sees ``person`` (``people_visible_to`` for one row;
    also for a stored PDF rendered once for a whole audience, e.g. the public or every member)."""
    return person.profile_visibility in levels and (person.is_active or Visibility.OFFICE in levels)


def memberships_visible_to(user) -> QuerySet[Membership]:
    """A seat is seen with its person (current and ended ones, as OParl shows them)."""
    return Membership.objects.filter(person__in=people_visible_to(user))


def public_people() -> QuerySet[Person]:
    return people_visible_to(AnonymousUser())


def public_memberships() -> QuerySet[Membership]:
    return memberships_visible_to(AnonymousUser())


def get_person_for_user(user, pk, *, write: bool = False) -> Person:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if write:
        if is_office(user):
            qs = Person.objects.all()
        elif user.is_authenticated:
            qs = Person.objects.filter(user=user)
        else:
            raise Http404
    else:
        qs = people_visible_to(user)
    person = qs.select_related("municipality", "organisation", "user").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def get_municipality_for_user(user, slug: str, *, write: bool = False) -> Municipality:
    if write and not is_office(user):
        raise Http404
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        raise Http404
    return municipality


def get_body_for_user(user, slug: str, *, write: bool = False) -> Body:
    if write and not is_office(user):
        raise Http404
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        raise Http404
    return body


def contact_visible(viewer, person: Person, field: str) -> bool:
    """Whether ``viewer`` may see ``field`` ("email" or "phone") of ``person``."""
    if viewer.is_authenticated and person.user_id == viewer.pk:
        return True
    return getattr(person, f"{field}_visibility") in visibility_levels_for(viewer)


def person_matches_query(q: str) -> Q:
    condition = Q()
    for word in q.split()[:8]:
        condition &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(department__icontains=word)
            | Q(function__icontains=word)
            | Q(municipality__short_name__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return condition


def public_person_q(prefix: str = "") -> Q:
    """:func:`public_people` as a condition (a subquery, not a copy of the rule); ``prefix`` reaches the
    person through a relation (``"person__"``)."""
    return Q(Exists(public_people().filter(pk=OuterRef(prefix[:-2] if prefix else "pk"))))
