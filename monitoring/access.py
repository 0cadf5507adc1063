"""Who sees which monitoring results. Like members/access.py: forbidden and missing both answer 404.

* A city's HR and integration staff (:class:`MonitoringAccess`) see their city's detail.
* The Regiegruppe sees the comparison across cities (and every city's detail in it).
* The managing office and platform admins see everything and manage the survey.
* The public sees what the managing office released, wave by wave; the all-cities row only
  when every wave of the round is released.

Everything any of them sees comes from the same disclosure-controlled aggregates of a round.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.roles import is_office
from members.models import Body, Membership, Municipality

from .models import MonitoringAccess, SurveyRound, Wave

COMPARISON = "comparison"
CITY = "city"
PUBLIC = "public"


def in_steering_group(user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.current()
        .filter(person__user=user, person__is_active=True, body__kind=Body.Kind.STEERING_GROUP)
        .exclude(role=Membership.Role.GUEST)
        .exists()
    )


def can_see_comparison(user) -> bool:
    return is_office(user) or in_steering_group(user)


def city_slugs_for(user) -> set[str] | None:
    """Cities whose detail the user may see; None means all."""
    if not user.is_authenticated:
        return set()
    if can_see_comparison(user):
        return None
    return set(MonitoringAccess.objects.filter(user=user).values_list("municipality__slug", flat=True))


def has_monitoring_role(user) -> bool:
    return can_see_comparison(user) or bool(city_slugs_for(user))


@dataclass(frozen=True)
class Scope:
    """What one page may show of one round: which cities, whether the all-cities row."""

    round: SurveyRound
    audience: str
    cities: tuple[Municipality, ...]
    include_total: bool
    waves: tuple[Wave, ...]

    def for_city(self, city: Municipality) -> Scope:
        """The part of this scope about one city (for a comparison's per-city sections)."""
        return Scope(self.round, self.audience, (city,), False, tuple(w for w in self.waves if w.municipality_id == city.pk))


def _final_round(slug: str) -> SurveyRound:
    survey_round = SurveyRound.objects.select_related("questionnaire").filter(slug=slug, finalised_on__isnull=False).first()
    if survey_round is None:
        raise Http404
    return survey_round


def _waves(survey_round: SurveyRound) -> list[Wave]:
    return list(survey_round.waves.select_related("municipality").order_by("municipality__short_name"))


def comparison_scope(user, slug: str) -> Scope:
    if not can_see_comparison(user):
        raise Http404
    survey_round = _final_round(slug)
    waves = _waves(survey_round)
    return Scope(survey_round, COMPARISON, tuple(w.municipality for w in waves), True, tuple(waves))


def city_scope(user, slug: str, city_slug: str) -> Scope:
    allowed = city_slugs_for(user)
    if allowed is not None and city_slug not in allowed:
        raise Http404
    survey_round = _final_round(slug)
    waves = [w for w in _waves(survey_round) if w.municipality.slug == city_slug]
    if not waves:
        raise Http404
    return Scope(survey_round, CITY, (waves[0].municipality,), False, tuple(waves))


def public_scope(slug: str, city_slug: str | None = None) -> Scope:
    survey_round = _final_round(slug)
    waves = _waves(survey_round)
    released = [w for w in waves if w.status == Wave.Status.RELEASED]
    if city_slug is not None:
        released = [w for w in released if w.municipality.slug == city_slug]
    if not released:
        raise Http404
    everything = city_slug is None and len(released) == len(waves)
    return Scope(survey_round, PUBLIC, tuple(w.municipality for w in released), everything, tuple(released))
