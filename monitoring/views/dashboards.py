"""Dashboards: the public landing page, the cross-city comparison, city pages and public results.

Every page reads AggregateCell rows through :mod:`monitoring.reports` (a fixed number of
queries) and never touches survey responses.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from accounts.decorators import login_required
from accounts.roles import is_office

from ..access import can_see_comparison, city_scope, city_slugs_for, comparison_scope, public_scope
from ..models import SurveyRound, Wave
from ..questionnaire import FACETS
from ..reports import city_report, comparison_report, concept_from

FACET_CHOICES = [(f.key, f.label) for f in FACETS]


def overview(request):
    final = list(SurveyRound.objects.filter(finalised_on__isnull=False).order_by("-slug"))
    released = list(
        Wave.objects.filter(status=Wave.Status.RELEASED)
        .select_related("municipality", "round")
        .order_by("municipality__short_name")
    )
    public_rounds = []
    for survey_round in final:
        waves = [w for w in released if w.round_id == survey_round.pk]
        if waves:
            public_rounds.append({"round": survey_round, "waves": waves})
    comparison_rounds = final if can_see_comparison(request.user) else []
    allowed = city_slugs_for(request.user)
    city_links = []
    if allowed:
        for wave in Wave.objects.filter(round__in=final, municipality__slug__in=allowed).select_related("round", "municipality"):
            city_links.append((wave.round, wave.municipality))
    context = {
        "public_rounds": public_rounds,
        "comparison_rounds": comparison_rounds,
        "city_links": sorted(city_links, key=lambda item: (item[0].slug, item[1].short_name), reverse=True),
    }
    return render(request, "monitoring/overview.html", context)


def _facet(request) -> str:
    key = request.GET.get("merkmal", "")
    return key if key in {f.key for f in FACETS} else FACETS[0].key


@login_required
def comparison(request, round_slug: str):
    scope = comparison_scope(request.user, round_slug)
    return _comparison_page(request, scope, public=False)


def public_round(request, round_slug: str):
    return _comparison_page(request, public_scope(round_slug), public=True)


def _comparison_page(request, scope, *, public: bool):
    concept = concept_from(request.GET.get("konzept"))
    facet_key = _facet(request)
    report = comparison_report(scope, concept, facet_key)
    slug = scope.round.slug
    context = {
        "scope": scope,
        "round": scope.round,
        "report": report,
        "concept": concept,
        "facet_key": facet_key,
        "facet_label": dict(FACET_CHOICES)[facet_key],
        "facet_choices": FACET_CHOICES,
        "public": public,
        "city_links": "monitoring:public_city" if public else "monitoring:city",
        "export_base": reverse("monitoring:public_export", args=[slug, "csv"])[:-4]
        if public
        else reverse("monitoring:comparison_export", args=[slug, "csv"])[:-4],
        "report_url": None if public else reverse("monitoring:report_pdf", args=[slug]),
    }
    return render(request, "monitoring/comparison.html", context)


@login_required
def city(request, round_slug: str, city_slug: str):
    return _city_page(request, city_scope(request.user, round_slug, city_slug), public=False)


def public_city(request, round_slug: str, city_slug: str):
    return _city_page(request, public_scope(round_slug, city_slug), public=True)


def _city_page(request, scope, *, public: bool):
    concept = concept_from(request.GET.get("konzept"))
    report = city_report(scope, concept)
    slug, city_slug = scope.round.slug, scope.cities[0].slug
    if public:
        round_url = reverse("monitoring:public_round", args=[slug])
        export_base = reverse("monitoring:public_city_export", args=[slug, city_slug, "csv"])[:-4]
    else:
        round_url = (
            reverse("monitoring:comparison", args=[slug]) if can_see_comparison(request.user) else reverse("monitoring:overview")
        )
        export_base = reverse("monitoring:city_export", args=[slug, city_slug, "csv"])[:-4]
    context = {
        "scope": scope,
        "round": scope.round,
        "city": scope.cities[0],
        "wave": scope.waves[0],
        "report": report,
        "concept": concept,
        "facet_key": "",
        "public": public,
        "round_url": round_url,
        "export_base": export_base,
        "is_office": is_office(request.user),
    }
    return render(request, "monitoring/city.html", context)
