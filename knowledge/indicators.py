"""Released monitoring indicators a practice example may cite as evidence („Ergebnisse und Belege“).

What is public is monitoring's decision alone: :func:`monitoring.access.public_scope` says which cities of a
round the public sees (released waves) and whether the all-cities row is shown (every wave released). Of
those we offer the headline figure per concept (facet ``total``) and never a suppressed cell. The check runs
again whenever an example is shown, so a withdrawn release disappears from the example page too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from monitoring.access import Scope, public_scope
from monitoring.models import AggregateCell, Concept, SurveyRound, Wave
from monitoring.reports import CONCEPT_SHORT

HEADLINE_FACET = "total"


@dataclass(frozen=True)
class Indicator:
    cell_id: int
    label: str
    url: str


def _usable(cell: AggregateCell) -> bool:
    return cell.facet == HEADLINE_FACET and not cell.suppressed and cell.share is not None


def _indicator(cell: AggregateCell, survey_round: SurveyRound) -> Indicator:
    city = cell.municipality
    if city is not None:
        where = city.short_name
        url = reverse("monitoring:public_city", args=[survey_round.slug, city.slug])
    else:
        where = _("alle Städte")
        url = reverse("monitoring:public_round", args=[survey_round.slug])
    label = _("%(concept)s – %(where)s, %(round)s: %(share)s %%") % {
        "concept": CONCEPT_SHORT[Concept(cell.concept)],
        "where": where,
        "round": survey_round.name,
        "share": number_format((cell.share or 0.0) * 100, 1),
    }
    return Indicator(cell.pk, label, f"{url}?konzept={cell.concept}")


def _scope_filter(scope: Scope) -> Q:
    where = Q(municipality__in=[c.pk for c in scope.cities])
    if scope.include_total:
        where |= Q(municipality__isnull=True)
    return where


def released_indicators() -> list[Indicator]:
    """Every headline figure the public may see now, newest round first (a few queries per round)."""
    rounds = SurveyRound.objects.filter(finalised_on__isnull=False, waves__status=Wave.Status.RELEASED).distinct()
    result: list[Indicator] = []
    for survey_round in rounds.order_by("-slug"):
        try:
            scope = public_scope(survey_round.slug)
        except Http404:
            continue
        cells = (
            AggregateCell.objects.filter(_scope_filter(scope), round=survey_round, facet=HEADLINE_FACET)
            .select_related("municipality")
            .order_by("municipality__short_name", "concept")
        )
        result.extend(_indicator(cell, survey_round) for cell in cells if _usable(cell))
    return result


def released_indicator_ids() -> list[int]:
    return [indicator.cell_id for indicator in released_indicators()]


def public_indicator(cell_id: int | None) -> Indicator | None:
    """The indicator with this id if the public may see it now, else None (unreleased, withdrawn, suppressed)."""
    if cell_id is None:
        return None
    cell = AggregateCell.objects.select_related("round", "municipality").filter(pk=cell_id).first()
    if cell is None or not _usable(cell):
        return None
    city_slug = cell.municipality.slug if cell.municipality is not None else None
    try:
        scope = public_scope(cell.round.slug, city_slug)
    except Http404:
        return None
    if city_slug is None and not scope.include_total:
        return None
    return _indicator(cell, cell.round)
