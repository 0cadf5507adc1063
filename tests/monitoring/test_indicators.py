"""Representation index, gaps, trends and the vectorised per-wave indicators."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from monitoring.stats.indicators import (
    PopulationBenchmark,
    WaveCounts,
    WaveEstimate,
    gap_pp,
    representation,
    representation_index,
    trend,
    wave_indicators,
)
from monitoring.stats.intervals import ProportionInterval, wilson_fpc_interval, wilson_interval
from monitoring.stats.weighting import weighted_share

STAFF = ProportionInterval(0.10, 0.08, 0.12, 10, 100, "wilson_fpc")


def test_representation_index_exact_population() -> None:
    index = representation_index(STAFF, 0.25)
    assert (index.estimate, index.lower, index.upper) == pytest.approx((0.4, 0.32, 0.48))


def test_representation_index_uncertain_population_is_conservative() -> None:
    index = representation_index(STAFF, 0.25, (0.20, 0.30))
    assert index.estimate == pytest.approx(0.4)
    assert index.lower == pytest.approx(0.08 / 0.30)
    assert index.upper == pytest.approx(0.12 / 0.20)


def test_gap_in_percentage_points() -> None:
    gap = gap_pp(STAFF, 0.25)
    assert (gap.estimate, gap.lower, gap.upper) == pytest.approx((-15.0, -17.0, -13.0))


def test_representation_against_total_and_working_age() -> None:
    benchmark = PopulationBenchmark("EG", total_share=0.40, working_age_share=0.25, source="test")
    result = representation(STAFF, benchmark)
    assert result.index_total.estimate == pytest.approx(0.25)
    assert result.index_working_age.estimate == pytest.approx(0.40)
    assert result.gap_working_age_pp.estimate == pytest.approx(-15.0)


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5])
def test_population_share_must_be_positive(bad: float) -> None:
    with pytest.raises(ValueError):
        representation_index(STAFF, bad)


def test_population_interval_must_contain_share() -> None:
    with pytest.raises(ValueError):
        representation_index(STAFF, 0.25, (0.3, 0.4))


def test_trend_refuses_mixed_concepts() -> None:
    waves = [WaveEstimate("2024", "MH", 10, 100, 1000), WaveEstimate("2026", "EG", 12, 100, 1000)]
    with pytest.raises(ValueError, match="concept"):
        trend(waves)


def test_trend_change_and_test_by_hand() -> None:
    waves = [WaveEstimate("2024", "EG", 20, 200, 1000), WaveEstimate("2026", "EG", 45, 300, 1500)]
    first, second = trend(waves)
    assert first.change_pp is None and first.p_value is None
    assert second.share.estimate == pytest.approx(0.15)
    # unpooled SE with FPC: var = p(1-p)/n * (N-n)/(N-1)
    var1 = 0.1 * 0.9 / 200 * (800 / 999)
    var2 = 0.15 * 0.85 / 300 * (1200 / 1499)
    z = stats.norm.ppf(0.975)
    assert second.change_pp.estimate == pytest.approx(5.0)
    assert second.change_pp.lower == pytest.approx(100 * (0.05 - z * math.sqrt(var1 + var2)))
    # pooled share (65/500 = 0.13) for the test statistic
    pooled = 0.13 * 0.87
    se0 = math.sqrt(pooled / 200 * (800 / 999) + pooled / 300 * (1200 / 1499))
    assert second.z_statistic == pytest.approx(0.05 / se0)
    assert second.p_value == pytest.approx(2 * stats.norm.sf(0.05 / se0))


def test_trend_full_census_has_no_sampling_error() -> None:
    same = trend([WaveEstimate("a", "MH", 10, 100, 100), WaveEstimate("b", "MH", 10, 100, 100)])[1]
    moved = trend([WaveEstimate("a", "MH", 10, 100, 100), WaveEstimate("b", "MH", 11, 100, 100)])[1]
    assert same.p_value == 1.0
    assert moved.p_value == 0.0


def _counts() -> WaveCounts:
    return WaveCounts(
        positives=np.array([[3, 40], [0, 12]]),
        negatives=np.array([[27, 160], [9, 0]]),
        unclassifiable=np.array([[1, 5], [0, 1]]),
        headcount=np.array([[120, 900], [30, 20]]),
        population_share_total=np.array([[0.35], [0.30]]),
        population_share_working_age=np.array([[0.28], [0.25]]),
    )


def test_wave_indicators_match_scalar_functions() -> None:
    counts = _counts()
    result = wave_indicators(counts)
    for idx in np.ndindex(2, 2):
        x = int(counts.positives[idx])
        n = x + int(counts.negatives[idx])
        big_n = int(counts.headcount[idx])
        reference = wilson_fpc_interval(x, n, big_n)
        assert result.share[idx] == pytest.approx(reference.estimate)
        assert result.lower[idx] == pytest.approx(reference.lower)
        assert result.upper[idx] == pytest.approx(reference.upper)
        assert result.wilson_upper[idx] == pytest.approx(wilson_interval(x, n).upper)
        pop_total = float(counts.population_share_total[idx[0], 0])
        index = representation_index(reference, pop_total)
        assert result.index_total[idx] == pytest.approx(index.estimate)
        assert result.index_total_lower[idx] == pytest.approx(index.lower)
    assert result.respondents[0, 0] == 31
    assert result.response_rate[0, 1] == pytest.approx(205 / 900)
    assert result.low_precision.tolist() == [[False, False], [True, True]]
    assert result.worst_case_lower[1, 1] == pytest.approx(12 / 20)
    assert result.gap_working_age_pp[0, 0] == pytest.approx(100 * (0.1 - 0.28))
    assert result.weighted_share is None


def test_wave_indicators_weighted_part_matches_respondent_level() -> None:
    # One cell, 4 respondents: YES with weights 30, 10; NO with weights 10, 10.
    counts = WaveCounts(
        positives=np.array([2]),
        negatives=np.array([2]),
        unclassifiable=np.array([0]),
        headcount=np.array([60]),
        population_share_total=np.array([0.3]),
        population_share_working_age=np.array([0.25]),
        weighted_positives=np.array([40.0]),
        weighted_classified=np.array([60.0]),
        weighted_squares=np.array([900.0 + 100 + 100 + 100]),
    )
    result = wave_indicators(counts)
    reference = weighted_share([1, 1, 0, 0], [30, 10, 10, 10], population=60)
    assert result.weighted_share[0] == pytest.approx(reference.estimate)
    assert result.design_effect[0] == pytest.approx(reference.design_effect)
    assert result.weighted_lower[0] == pytest.approx(reference.lower)
    assert result.weighted_upper[0] == pytest.approx(reference.upper)
    assert result.effective_n[0] == pytest.approx(reference.effective_n)


def test_wave_indicators_reject_respondents_above_headcount() -> None:
    counts = _counts()
    bad = WaveCounts(
        counts.positives,
        counts.negatives,
        counts.unclassifiable,
        np.array([[10, 900], [30, 20]]),
        counts.population_share_total,
        counts.population_share_working_age,
    )
    with pytest.raises(ValueError):
        wave_indicators(bad)
