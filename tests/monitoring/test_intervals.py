"""Intervals against independent references: scipy.stats and hand-computed Wilson numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from monitoring.stats.intervals import (
    clopper_pearson_interval,
    fpc_effective_n,
    fpc_standard_error,
    share_interval,
    wilson_arrays,
    wilson_fpc_arrays,
    wilson_fpc_interval,
    wilson_interval,
    worst_case_bounds,
    z_value,
)

COUNTS = [(0, 1), (0, 10), (1, 10), (5, 10), (10, 10), (20, 100), (37, 250), (999, 1000)]


@pytest.mark.parametrize(("x", "n"), COUNTS)
def test_wilson_matches_scipy(x: int, n: int) -> None:
    reference = stats.binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    ours = wilson_interval(x, n)
    assert ours.lower == pytest.approx(reference.low, abs=1e-12)
    assert ours.upper == pytest.approx(reference.high, abs=1e-12)


@pytest.mark.parametrize(("x", "n"), COUNTS)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_clopper_pearson_matches_scipy(x: int, n: int, confidence: float) -> None:
    reference = stats.binomtest(x, n).proportion_ci(confidence_level=confidence, method="exact")
    ours = clopper_pearson_interval(x, n, confidence)
    assert ours.lower == pytest.approx(reference.low, abs=1e-10)
    assert ours.upper == pytest.approx(reference.high, abs=1e-10)


def test_wilson_by_hand() -> None:
    # x = 20, n = 100, z = 1.959964, z^2 = 3.841459, a = z^2/n = 0.03841459
    # centre = (p + a/2)/(1 + a) = 0.2192073/1.0384146 = 0.2110980
    # half   = z/(1 + a) * sqrt(p(1-p)/n + a/(4n)) = 1.8874578 * sqrt(0.0016 + 0.0000960365)
    #        = 1.8874578 * 0.0411830 = 0.0777311  ->  [0.1333669, 0.2888292]
    ours = wilson_interval(20, 100)
    assert ours.lower == pytest.approx(0.1333669, abs=1e-6)
    assert ours.upper == pytest.approx(0.2888292, abs=1e-6)


def test_wilson_fpc_by_hand() -> None:
    # x = 20, n = 100, N = 400: effective n* = n (N-1)/(N-n) = 100 * 399/300 = 133.0
    # a = z^2/n* = 3.841459/133 = 0.02888315
    # centre = (0.2 + 0.01444157)/1.02888315 = 0.2084217
    # half   = 1.959964/1.02888315 * sqrt(0.16/133 + 0.02888315/532) = 1.904943 * 0.0354583 = 0.0675463
    # -> [0.1408754, 0.2759680]; the population bounds [20/400, 320/400] do not bind.
    ours = wilson_fpc_interval(20, 100, 400)
    assert ours.estimate == pytest.approx(0.2)
    assert ours.lower == pytest.approx(0.1408754, abs=1e-6)
    assert ours.upper == pytest.approx(0.2759680, abs=1e-6)
    assert ours.method == "wilson_fpc"
    assert share_interval is wilson_fpc_interval


def test_wilson_upper_bound_at_zero_by_hand() -> None:
    # x = 0: lower is exactly 0, upper = z^2/(n + z^2) = 3.841459/13.841459 = 0.2775328
    ours = wilson_interval(0, 10)
    assert ours.lower == 0.0
    assert ours.upper == pytest.approx(0.2775328, abs=1e-6)


def test_population_bounds_clip_fpc_interval() -> None:
    # x = 3, n = 30, N = 60: n* = 30 * 59/30 = 59; raw Wilson at n* gives [0.046352, 0.202551].
    # At least 3 of 60 staff have the attribute, so the lower bound is 3/60 = 0.05.
    raw = wilson_fpc_interval(3, 30, 60, clip_to_population_bounds=False)
    clipped = wilson_fpc_interval(3, 30, 60)
    assert raw.lower == pytest.approx(0.046352, abs=1e-6)
    assert raw.upper == pytest.approx(0.202551, abs=1e-6)
    assert clipped.lower == pytest.approx(0.05)
    assert clipped.upper == pytest.approx(raw.upper)


def test_full_census_has_zero_width() -> None:
    ours = wilson_fpc_interval(17, 80, 80)
    assert ours.lower == ours.upper == pytest.approx(17 / 80)
    assert fpc_effective_n(80, 80) == np.inf


def test_no_respondents() -> None:
    ours = wilson_fpc_interval(0, 0, 50)
    assert math.isnan(ours.estimate)
    assert (ours.lower, ours.upper) == (0.0, 1.0)
    assert math.isnan(clopper_pearson_interval(0, 0).estimate)
    assert math.isnan(wilson_interval(0, 0).estimate)


@pytest.mark.parametrize(("x", "n", "big_n"), [(0, 25, 100), (25, 25, 100), (0, 1, 1), (1, 1, 2)])
def test_extremes(x: int, n: int, big_n: int) -> None:
    ours = wilson_fpc_interval(x, n, big_n)
    assert 0.0 <= ours.lower <= ours.estimate <= ours.upper <= 1.0
    if x == 0:
        assert ours.lower == 0.0
    if x == n:
        assert ours.upper == pytest.approx((x + big_n - n) / big_n)


def test_fpc_is_narrower_and_converges_to_plain_wilson() -> None:
    plain = wilson_interval(30, 120)
    small_population = wilson_fpc_interval(30, 120, 200)
    huge_population = wilson_fpc_interval(30, 120, 10**12)
    assert small_population.width < plain.width
    assert huge_population.lower == pytest.approx(plain.lower, abs=1e-9)
    assert huge_population.upper == pytest.approx(plain.upper, abs=1e-9)


def test_confidence_level_changes_width() -> None:
    assert wilson_fpc_interval(30, 120, 500, 0.99).width > wilson_fpc_interval(30, 120, 500, 0.9).width
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    with pytest.raises(ValueError):
        z_value(1.0)


def test_vectorised_equals_scalar() -> None:
    x = np.array([[0, 3, 20], [7, 50, 10]])
    n = np.array([[10, 30, 100], [7, 60, 40]])
    big_n = np.array([[40, 60, 400], [7, 600, 41]])
    arrays = wilson_fpc_arrays(x, n, big_n)
    for idx in np.ndindex(x.shape):
        scalar = wilson_fpc_interval(int(x[idx]), int(n[idx]), int(big_n[idx]))
        assert arrays.lower[idx] == pytest.approx(scalar.lower)
        assert arrays.upper[idx] == pytest.approx(scalar.upper)
    plain = wilson_arrays(x, n)
    assert plain.lower[0, 2] == pytest.approx(wilson_interval(20, 100).lower)


def test_design_effect_widens() -> None:
    base = wilson_fpc_arrays(30, 120, 500)
    weighted = wilson_fpc_arrays(30, 120, 500, design_effect=1.8)
    assert float(weighted.upper - weighted.lower) > float(base.upper - base.lower)


def test_worst_case_bounds() -> None:
    low, high = worst_case_bounds(20, 100, 400)
    assert (float(low), float(high)) == (0.05, 0.8)


def test_fpc_standard_error_worked_example() -> None:
    # monitoring.md §4.2 worked example: N = 100, n = 25, p = 0.4 -> SE = 0.0980 * 0.8704 = 0.0853
    assert float(fpc_standard_error(0.4, 25, 100)) == pytest.approx(0.0853, abs=5e-5)
    assert float(fpc_standard_error(0.4, 25, 25)) == 0.0


@pytest.mark.parametrize(("x", "n", "big_n"), [(5, 4, 10), (-1, 4, 10), (2, 11, 10), (0, 0, 0)])
def test_invalid_counts(x: int, n: int, big_n: int) -> None:
    with pytest.raises(ValueError):
        wilson_fpc_interval(x, n, big_n)
