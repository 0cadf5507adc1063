"""Indicators: representation index, gap, trends, and the vectorised per-wave computation.

Why (monitoring.md §4.4, §3.4): the contract goal compares the staff share with the population
share. Per city and subgroup the platform shows the share (unweighted and weighted) with its
interval and the response rate, the **representation index** ``p_staff / p_population`` and the
gap in percentage points - against the total population *and* against the working-age
population (18-64), because staff are adults and population shares that include children are
much higher (§3.4).

Choices:

* The index interval is derived from the share interval: ``[L / p_pop, U / p_pop]``. The
  population benchmark has its own uncertainty (Mikrozensus city values swing by several points,
  §3 (c)); when an interval ``(a, b)`` for it is given, the conservative ``[L / b, U / a]`` is
  used. A population share of 0 is rejected (the index is undefined).
* Trends (§4.4): waves must use the same concept ("do not mix concepts across years"), else
  :func:`trend` raises. Wave-to-wave changes use the normal approximation for two independent
  proportions, each variance with FPC and design effect; the test statistic uses the pooled
  share (standard two-proportion z-test), the change interval the unpooled variances.
* The vectorised path (:func:`wave_indicators`) works on count tables of any shape (e.g.
  city x subgroup), as delivered by a SQL ``GROUP BY``: positives, negatives and unclassifiable
  respondents plus HR headcount per cell. Shares are among *classified* respondents;
  unclassifiable answers are treated like non-response for the share (they still count for the
  response rate), and the worst-case bounds treat them as unknown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from .intervals import (
    DEFAULT_CONFIDENCE,
    ProportionInterval,
    fpc_factor,
    wilson_arrays,
    wilson_fpc_arrays,
    worst_case_bounds,
    z_value,
)

FloatArray = NDArray[np.float64]

LOW_PRECISION_BELOW = 30
"""Shares from fewer than 30 respondents carry a warning (monitoring.md §4.1 rule 1)."""


@dataclass(frozen=True)
class RatioInterval:
    """A ratio (representation index) or difference with its interval."""

    estimate: float
    lower: float
    upper: float


@dataclass(frozen=True)
class PopulationBenchmark:
    """Population shares for one city and one concept, with optional uncertainty intervals."""

    concept: str
    total_share: float
    working_age_share: float
    total_interval: tuple[float, float] | None = None
    working_age_interval: tuple[float, float] | None = None
    source: str = ""


@dataclass(frozen=True)
class Representation:
    """Representation indices and gaps (percentage points) against both benchmarks."""

    index_total: RatioInterval
    index_working_age: RatioInterval
    gap_total_pp: RatioInterval
    gap_working_age_pp: RatioInterval


def _population_range(share: float, interval: tuple[float, float] | None) -> tuple[float, float]:
    if not 0.0 < share <= 1.0:
        raise ValueError(f"population share must be in (0, 1], got {share}")
    if interval is None:
        return share, share
    low, high = interval
    if not 0.0 < low <= share <= high <= 1.0:
        raise ValueError(f"population interval {interval} must contain {share} and lie in (0, 1]")
    return low, high


def representation_index(
    staff: ProportionInterval,
    population_share: float,
    population_interval: tuple[float, float] | None = None,
) -> RatioInterval:
    """Staff share / population share; 1.0 means the contract goal is met."""
    low, high = _population_range(population_share, population_interval)
    return RatioInterval(
        estimate=staff.estimate / population_share,
        lower=staff.lower / high,
        upper=staff.upper / low,
    )


def gap_pp(
    staff: ProportionInterval,
    population_share: float,
    population_interval: tuple[float, float] | None = None,
) -> RatioInterval:
    """Staff share minus population share, in percentage points."""
    low, high = _population_range(population_share, population_interval)
    return RatioInterval(
        estimate=100.0 * (staff.estimate - population_share),
        lower=100.0 * (staff.lower - high),
        upper=100.0 * (staff.upper - low),
    )


def representation(staff: ProportionInterval, benchmark: PopulationBenchmark) -> Representation:
    """Both indices and gaps for one staff share against one city's benchmark."""
    return Representation(
        index_total=representation_index(staff, benchmark.total_share, benchmark.total_interval),
        index_working_age=representation_index(staff, benchmark.working_age_share, benchmark.working_age_interval),
        gap_total_pp=gap_pp(staff, benchmark.total_share, benchmark.total_interval),
        gap_working_age_pp=gap_pp(staff, benchmark.working_age_share, benchmark.working_age_interval),
    )


# --------------------------------------------------------------------------------------------
# Trends across waves
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveEstimate:
    """One wave's share for one unit; ``estimate`` overrides x/n for weighted shares."""

    label: str
    concept: str
    positives: float
    respondents: float
    population: float
    design_effect: float = 1.0
    estimate: float | None = None

    @property
    def share(self) -> float:
        if self.estimate is not None:
            return self.estimate
        return self.positives / self.respondents if self.respondents > 0 else math.nan

    def variance(self, share: float | None = None) -> float:
        """Sampling variance with FPC and design effect, at ``share`` (default: own share)."""
        p = self.share if share is None else share
        if self.respondents <= 0:
            return math.nan
        fpc = float(fpc_factor(self.respondents, self.population))
        return p * (1.0 - p) / self.respondents * self.design_effect * fpc


@dataclass(frozen=True)
class TrendPoint:
    """A wave with its interval and the change against the previous wave (None for the first)."""

    label: str
    share: ProportionInterval
    change_pp: RatioInterval | None
    z_statistic: float | None
    p_value: float | None


def _wave_interval(wave: WaveEstimate, confidence: float) -> ProportionInterval:
    arrays = wilson_fpc_arrays(
        wave.positives,
        wave.respondents,
        wave.population,
        confidence,
        design_effect=wave.design_effect,
        estimate=wave.estimate,
    )
    return ProportionInterval(
        float(arrays.estimate),
        float(arrays.lower),
        float(arrays.upper),
        wave.positives,
        wave.respondents,
        "wilson_fpc",
        confidence,
    )


def _pooled_share(previous: WaveEstimate, current: WaveEstimate) -> float:
    """Share under H0 (no change), weighted by effective sample sizes."""
    n_prev = previous.respondents / previous.design_effect
    n_cur = current.respondents / current.design_effect
    return (previous.share * n_prev + current.share * n_cur) / (n_prev + n_cur)


def _change(previous: WaveEstimate, current: WaveEstimate, confidence: float) -> tuple[RatioInterval, float, float]:
    diff = current.share - previous.share
    se = math.sqrt(previous.variance() + current.variance())
    z = z_value(confidence)
    interval = RatioInterval(100.0 * diff, 100.0 * (diff - z * se), 100.0 * (diff + z * se))
    pooled = _pooled_share(previous, current)
    se0 = math.sqrt(previous.variance(pooled) + current.variance(pooled))
    if se0 > 0:
        statistic = diff / se0
        return interval, statistic, float(2.0 * stats.norm.sf(abs(statistic)))
    if diff == 0:
        return interval, 0.0, 1.0
    return interval, math.copysign(math.inf, diff), 0.0


def trend(waves: Sequence[WaveEstimate], confidence: float = DEFAULT_CONFIDENCE) -> list[TrendPoint]:
    """Shares per wave and wave-to-wave changes; waves must share one concept."""
    concepts = {wave.concept for wave in waves}
    if len(concepts) > 1:
        raise ValueError(f"waves mix concepts {sorted(concepts)}; compare one concept only (§4.4)")
    points: list[TrendPoint] = []
    for i, wave in enumerate(waves):
        interval = _wave_interval(wave, confidence)
        if i == 0 or wave.respondents <= 0 or waves[i - 1].respondents <= 0:
            points.append(TrendPoint(wave.label, interval, None, None, None))
            continue
        change, statistic, p_value = _change(waves[i - 1], wave, confidence)
        points.append(TrendPoint(wave.label, interval, change, statistic, p_value))
    return points


# --------------------------------------------------------------------------------------------
# Vectorised per-wave computation from count tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveCounts:
    """Count tables of one wave and one concept; all arrays share (or broadcast to) one shape.

    The optional weighted sums come from respondent weights (raking): sum of weights of YES
    respondents, of classified respondents, and of squared weights of classified respondents.
    """

    positives: ArrayLike
    negatives: ArrayLike
    unclassifiable: ArrayLike
    headcount: ArrayLike
    population_share_total: ArrayLike
    population_share_working_age: ArrayLike
    weighted_positives: ArrayLike | None = None
    weighted_classified: ArrayLike | None = None
    weighted_squares: ArrayLike | None = None


@dataclass(frozen=True)
class WaveIndicators:
    """Every per-cell indicator of §4.4 as arrays of the input shape."""

    respondents: FloatArray
    classified: FloatArray
    response_rate: FloatArray
    share: FloatArray
    lower: FloatArray
    upper: FloatArray
    wilson_lower: FloatArray
    wilson_upper: FloatArray
    worst_case_lower: FloatArray
    worst_case_upper: FloatArray
    low_precision: NDArray[np.bool_]
    index_total: FloatArray
    index_total_lower: FloatArray
    index_total_upper: FloatArray
    index_working_age: FloatArray
    index_working_age_lower: FloatArray
    index_working_age_upper: FloatArray
    gap_total_pp: FloatArray
    gap_working_age_pp: FloatArray
    weighted_share: FloatArray | None = None
    weighted_lower: FloatArray | None = None
    weighted_upper: FloatArray | None = None
    design_effect: FloatArray | None = None
    effective_n: FloatArray | None = None


def _f(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _index_arrays(
    share: FloatArray, lower: FloatArray, upper: FloatArray, population: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    if np.any(population <= 0) or np.any(population > 1):
        raise ValueError("population shares must lie in (0, 1]")
    return share / population, lower / population, upper / population


def _weighted_part(
    counts: WaveCounts, classified: FloatArray, positives: FloatArray, headcount: FloatArray, confidence: float
) -> dict[str, FloatArray]:
    sum_w = _f(counts.weighted_classified)
    sum_wy = _f(counts.weighted_positives)
    sum_w2 = _f(counts.weighted_squares)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sum_w > 0, sum_wy / sum_w, np.nan)
        deff = np.where(sum_w > 0, classified * sum_w2 / sum_w**2, 1.0)
    deff = np.where(deff > 0, deff, 1.0)
    arrays = wilson_fpc_arrays(positives, classified, headcount, confidence, design_effect=deff, estimate=share)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = classified / deff
    return {
        "weighted_share": share,
        "weighted_lower": arrays.lower,
        "weighted_upper": arrays.upper,
        "design_effect": deff,
        "effective_n": n_eff,
    }


def wave_indicators(counts: WaveCounts, confidence: float = DEFAULT_CONFIDENCE) -> WaveIndicators:
    """All indicators for every cell of one wave in a handful of numpy operations."""
    positives, negatives = _f(counts.positives), _f(counts.negatives)
    positives, negatives, unclassifiable, headcount = np.broadcast_arrays(
        positives, negatives, _f(counts.unclassifiable), _f(counts.headcount)
    )
    classified = positives + negatives
    respondents = classified + unclassifiable
    fpc = wilson_fpc_arrays(positives, classified, headcount, confidence)
    plain = wilson_arrays(positives, classified, confidence)
    worst_low, worst_high = worst_case_bounds(positives, classified, headcount)
    pop_total = _f(counts.population_share_total)
    pop_work = _f(counts.population_share_working_age)
    idx_t = _index_arrays(fpc.estimate, fpc.lower, fpc.upper, pop_total)
    idx_w = _index_arrays(fpc.estimate, fpc.lower, fpc.upper, pop_work)
    weighted: dict[str, FloatArray] = {}
    if counts.weighted_classified is not None:
        weighted = _weighted_part(counts, classified, positives, headcount, confidence)
    return WaveIndicators(
        respondents=respondents,
        classified=classified,
        response_rate=respondents / headcount,
        share=fpc.estimate,
        lower=fpc.lower,
        upper=fpc.upper,
        wilson_lower=plain.lower,
        wilson_upper=plain.upper,
        worst_case_lower=worst_low,
        worst_case_upper=worst_high,
        low_precision=classified < LOW_PRECISION_BELOW,
        index_total=idx_t[0],
        index_total_lower=idx_t[1],
        index_total_upper=idx_t[2],
        index_working_age=idx_w[0],
        index_working_age_lower=idx_w[1],
        index_working_age_upper=idx_w[2],
        gap_total_pp=100.0 * (fpc.estimate - pop_total),
        gap_working_age_pp=100.0 * (fpc.estimate - pop_work),
        **weighted,
    )
