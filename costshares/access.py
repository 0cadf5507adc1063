"""Who sees what of the cost distribution; one function per object type, 404 for missing and forbidden alike.

- the managing office manages everything;
- every member of a body (``is_member``) sees the calculation sheet of every year;
- the Regiegruppe sees the overview (who owes, who paid, who has budgeted);
- a city's own people see their city's notice and payments;
- the public sees nothing.
"""

from __future__ import annotations

from django.http import Http404

from accounts.roles import is_member, is_office
from members.models import Body, Membership, Municipality

from .models import Setting, Share


def sees_sheet(user) -> bool:
    return is_member(user)


def sees_overview(user) -> bool:
    if is_office(user):
        return True
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.current()
        .filter(person__user=user, person__is_active=True, body__kind=Body.Kind.STEERING_GROUP)
        .exclude(role=Membership.Role.GUEST)
        .exists()
    )


def own_municipality_ids(user) -> set[int]:
    """The cities a user acts for: the city of their person record, if it is active."""
    if not user.is_authenticated:
        return set()
    return set(Municipality.objects.filter(people__user=user, people__is_active=True).values_list("pk", flat=True))


def get_settings_for_user(user, year) -> list[Setting]:
    """All versions of a year's setting, newest first (the calculation sheet)."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Http404 from None
    if not sees_sheet(user):
        raise Http404
    versions = list(Setting.objects.filter(year=year).select_related("decision__meeting").order_by("-number"))
    if not versions:
        raise Http404
    return versions


def get_share_for_user(user, pk, *, manage: bool = False) -> Share:
    """A city's share (its notice): the office, or the city's own people (read only)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    share = Share.objects.select_related("setting", "municipality").filter(pk=pk).first()
    if share is None:
        raise Http404
    if is_office(user):
        return share
    if manage or share.municipality_id not in own_municipality_ids(user):
        raise Http404
    return share


def get_municipality_for_office(user, slug: str) -> Municipality:
    if not is_office(user):
        raise Http404
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        raise Http404
    return municipality
