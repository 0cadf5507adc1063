"""Finalising a round: stored indicators against independently computed values, suppression, weights."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from monitoring import actions
from monitoring.aggregation import city_weights, count_round, headcounts
from monitoring.models import AggregateCell, Response, Wave

from .conftest import make_wave

pytestmark = pytest.mark.django_db
Z = 1.959963984540054


def wilson_fpc(x: float, n: float, big_n: float) -> tuple[float, float]:
    """Reference: Wilson score interval at n* = n (N-1)/(N-n), clipped to [x/N, (x+N-n)/N]."""
    p = x / n
    n_star = n * (big_n - 1) / (big_n - n)
    a = Z * Z / n_star
    centre = (p + a / 2) / (1 + a)
    half = Z / (1 + a) * math.sqrt(p * (1 - p) / n_star + a / (4 * n_star))
    return max(centre - half, x / big_n), min(centre + half, (x + big_n - n) / big_n)


def test_finalising_needs_every_wave_closed(cooperation, survey_round, personas):
    make_wave(survey_round, "essen")
    with pytest.raises(ValidationError, match="noch offen: Essen"):
        actions.finalise_round(personas["office"], survey_round)


def test_round_is_final_once(final_round, personas):
    assert Wave.objects.filter(round=final_round, status=Wave.Status.FINAL).count() == 3
    with pytest.raises(ValidationError):
        actions.finalise_round(personas["office"], final_round)
    assert AuditEvent.objects.filter(action="monitoring.round_finalised").count() == 1


def test_published_city_shares_match_reference_values(final_round):
    checked = 0
    for cell in AggregateCell.objects.filter(round=final_round, facet="total", municipality__isnull=False):
        responses = Response.objects.filter(wave__round=final_round, wave__municipality=cell.municipality)
        field = "migration_background" if cell.concept == "mh" else "immigration_history"
        yes = responses.filter(**{field: 1}).count()
        classified = responses.filter(**{f"{field}__in": [1, 2]}).count()
        assert (cell.positives, cell.classified) == (yes, classified)
        assert cell.respondents == responses.count()
        low, high = wilson_fpc(yes, classified, cell.headcount)
        assert cell.share == pytest.approx(yes / classified, abs=1e-12)
        assert cell.lower == pytest.approx(low, abs=1e-9)
        assert cell.upper == pytest.approx(high, abs=1e-9)
        assert cell.response_rate == pytest.approx(responses.count() / cell.headcount)
        assert cell.worst_case_lower == pytest.approx(yes / cell.headcount)
        checked += 1
    assert checked == 6


def test_representation_index_against_both_benchmarks(final_round):
    essen = AggregateCell.objects.get(round=final_round, municipality__slug="essen", concept="mh", facet="total")
    assert essen.population_share_total == pytest.approx(0.182)
    assert essen.index_total == pytest.approx(essen.share / 0.182)
    assert essen.index_total_lower == pytest.approx(essen.lower / 0.182)
    assert essen.index_working_age is None  # no 18-64 figure in the source: not invented
    bochum = AggregateCell.objects.get(round=final_round, municipality__slug="bochum", concept="mh", facet="total")
    assert bochum.index_working_age == pytest.approx(bochum.share / 0.20)
    assert bochum.index_working_age_upper == pytest.approx(bochum.upper / 0.20)
    assert "Mikrozensus" in bochum.population_source and "Testwert" in bochum.population_source
    herne = AggregateCell.objects.get(round=final_round, municipality__slug="herne", concept="mh", facet="total")
    assert herne.index_total is None and herne.population_source == ""
    eg = AggregateCell.objects.get(round=final_round, municipality__slug="essen", concept="eg", facet="total")
    assert eg.index_total is None  # MH figures never serve as the EG benchmark


def test_suppressed_counts_are_not_stored_and_nothing_is_derived_from_them(final_round):
    cells = AggregateCell.objects.filter(round=final_round)
    suppressed = cells.exclude(positives_reason="")
    assert suppressed.exists()
    for cell in suppressed:
        assert cell.positives is None
        assert cell.share is None and cell.lower is None and cell.index_total is None and cell.weighted_share is None
    for cell in cells.exclude(classified_reason=""):
        assert cell.classified is None and cell.respondents is None
    for cell in cells.filter(positives_reason="", classified_reason=""):
        assert cell.classified >= final_round.min_cell_size
        assert 0 < cell.positives < cell.classified  # never 0 % or 100 %


def test_weights_reproduce_the_hr_margins(final_round):
    waves = list(final_round.waves.select_related("municipality"))
    data = count_round(waves)
    heads = headcounts(data.waves)
    c = data.cities.index("essen")
    respondents = data.cube[c].sum(axis=(0, 1))
    weights = city_weights(respondents, heads["essen"])
    weighted = respondents * weights
    total = heads["essen"][("total", "total")]
    assert weighted.sum() == pytest.approx(total)
    trainee_axis = 2
    by_status = weighted.sum(axis=tuple(a for a in range(6) if a != trainee_axis))
    answered = 1 - respondents.sum(axis=tuple(a for a in range(6) if a != trainee_axis))[2] / respondents.sum()
    hr_yes, hr_no = heads["essen"][("trainee", "yes")], heads["essen"][("trainee", "no")]
    assert by_status[0] == pytest.approx(hr_yes / (hr_yes + hr_no) * total * answered, rel=1e-5)
    cell = AggregateCell.objects.get(round=final_round, municipality__slug="essen", concept="mh", facet="total")
    yes = data.cube[c][0].sum(axis=0)  # MH yes, any EG status
    classified = data.cube[c][:2].sum(axis=(0, 1))
    assert cell.weighted_share == pytest.approx((yes * weights).sum() / (classified * weights).sum())
    n = classified.sum()
    kish = n * (classified * weights**2).sum() / (classified * weights).sum() ** 2
    assert cell.design_effect == pytest.approx(kish)
    assert cell.effective_n == pytest.approx(n / kish)
    assert np.all((weights == 0) | ((weights > 0) & np.isfinite(weights)))


def test_ruhr_row_adds_up_the_cities(final_round):
    for concept in ("mh", "eg"):
        ruhr = AggregateCell.objects.get(round=final_round, municipality__isnull=True, concept=concept, facet="total")
        cities = AggregateCell.objects.filter(round=final_round, municipality__isnull=False, concept=concept, facet="total")
        assert ruhr.classified == sum(c.classified for c in cities)
        assert ruhr.headcount == sum(c.headcount for c in cities)


def test_retention_deletes_raw_answers_and_logs_it(final_round, personas):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    Wave.objects.filter(round=final_round).update(finalised_on=timezone.localdate() - timedelta(days=400))
    cells_before = AggregateCell.objects.count()
    call_command("monitoring_retention")
    assert Response.objects.count() == 0
    assert AggregateCell.objects.count() == cells_before
    assert Wave.objects.filter(raw_deleted_on__isnull=False).count() == 3
    events = AuditEvent.objects.filter(action="monitoring.raw_responses_deleted")
    assert events.count() == 3
    assert {e.after["responses"] for e in events} == {420, 260, 140}
    call_command("monitoring_retention")  # nothing left to do
    assert AuditEvent.objects.filter(action="monitoring.raw_responses_deleted").count() == 3


def test_retention_waits_for_the_period(final_round):
    from django.core.management import call_command

    call_command("monitoring_retention")
    assert Response.objects.count() == 820


def test_model_floor_of_k_matches_the_disclosure_rules():
    from monitoring import models
    from monitoring.stats import disclosure

    assert models.MIN_ALLOWED_K == disclosure.MIN_ALLOWED_K
