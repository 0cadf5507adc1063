"""Who takes part in the self-check and who sees what. Forbidden and missing both answer 404.

* Raters: people with a current seat (not as guest) in the Regiegruppe or the Projektteam for a city.
  They answer for their city and see their own answers and their city's consolidated results.
* The Regiegruppe (its members, not guests) sees every city's consolidated results.
* The managing office (and platform admins) manage checklists and rounds and see all results.
* The public sees a round's cooperation-level result once the office has released it, nothing else.
"""

from __future__ import annotations

from django.http import Http404

from accounts.roles import is_office
from members.models import Body, Membership, Municipality

from .models import Checklist, Item, Round

RATER_BODIES = (Body.Kind.STEERING_GROUP, Body.Kind.PROJECT_TEAM)


def _seats(user):
    return (
        Membership.objects.current()
        .filter(person__user=user, person__is_active=True)
        .exclude(role=Membership.Role.GUEST)
        .filter(body__kind__in=RATER_BODIES)
    )


def rater_city(user) -> Municipality | None:
    """The city a rater answers for: the city of their seat in the Regiegruppe or the Projektteam."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_selfcheck_city", False)
    if cached is not False:
        return cached
    seat = _seats(user).filter(municipality__isnull=False).select_related("municipality").order_by("body__kind", "pk").first()
    city = seat.municipality if seat else None
    user._selfcheck_city = city
    return city


def in_steering_group(user) -> bool:
    return user.is_authenticated and _seats(user).filter(body__kind=Body.Kind.STEERING_GROUP).exists()


def sees_all_cities(user) -> bool:
    return user.is_authenticated and (is_office(user) or in_steering_group(user))


def takes_part(user) -> bool:
    return sees_all_cities(user) or rater_city(user) is not None


def visible_city_ids(user) -> set[int] | None:
    """Cities whose consolidated results ``user`` sees; None means all."""
    if sees_all_cities(user):
        return None
    city = rater_city(user)
    return {city.pk} if city else set()


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def get_round_for_user(user, pk, *, manage: bool = False) -> Round:
    """A round for the people taking part (``manage``: for the managing office only)."""
    allowed = is_office(user) if manage else takes_part(user)
    selfcheck_round = Round.objects.select_related("checklist").filter(pk=_int(pk)).first()
    if selfcheck_round is None or not allowed:
        raise Http404
    return selfcheck_round


def get_released_round(pk) -> Round:
    selfcheck_round = Round.objects.select_related("checklist").filter(pk=_int(pk), released=True).first()
    if selfcheck_round is None:
        raise Http404
    return selfcheck_round


def get_checklist_for_office(user, slug: str) -> Checklist:
    checklist = Checklist.objects.filter(slug=slug).first()
    if checklist is None or not is_office(user):
        raise Http404
    return checklist


def get_item_for_office(user, pk) -> Item:
    item = Item.objects.select_related("factor__checklist").filter(pk=_int(pk)).first()
    if item is None or not is_office(user):
        raise Http404
    return item
