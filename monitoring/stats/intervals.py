"""Shares with confidence intervals for a finite staff population.

Setting (monitoring.md §4.2): a city (or subgroup) has HR headcount ``N``; ``n`` staff answered,
``x`` of them report the attribute. The quantity of interest is the share in the *staff*
population, so the sampling fraction n/N matters: when half of all staff answer, the interval
must be much narrower than for an infinite population, and when everybody answered there is
no sampling error at all.

Recommended method: **Wilson score interval with finite population correction** (§4.2). The
score equation ``(p_hat - p)^2 = z^2 * p(1-p)/n * (N-n)/(N-1)`` is solved for ``p``. That is
algebraically the ordinary Wilson formula evaluated at the effective sample size
``n* = n * (N-1)/(N-n)``, the simplification named in §4.2. (The reference asks to check this
against O'Neill (2021); the paper text was not available here. The score-equation derivation
above is why we consider the two identical; revisit if the paper says otherwise.)

Further choices:

* The FPC interval is intersected with the logically possible range
  ``[x/N, (x + N - n)/N]`` (the worst-case bounds of §4.2: non-respondents all "no" / all
  "yes"). The true staff share always lies there, so the intersection never loses coverage
  and it makes ``n = N`` a zero-width interval at ``x/N``. Pass
  ``clip_to_population_bounds=False`` to get the raw formula.
* For weighted estimates the variance is inflated by the Kish design effect, i.e. the Wilson
  formula uses ``n* = (n / deff) * (N-1)/(N-n)`` (§4.3: "report the weighting efficiency").
* ``n = 0``: no information; the estimate is NaN and the interval is [0, 1].
* ``x = 0`` / ``x = n``: the Wilson bound at 0 resp. 1 is exact, not a rounding artefact.
* The comparison methods without FPC named in §4.2 are provided: plain Wilson and exact
  Clopper-Pearson (``scipy.stats.binomtest(...).proportion_ci`` 'wilson' / 'exact').
* Big caveat (§4.2): FPC intervals describe sampling error only if respondents are a random
  subset. Always report the response rate and :func:`worst_case_bounds` alongside.

All core functions are numpy-vectorised so that one wave with many cells is a few array ops.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True)
class ProportionInterval:
    """A share with its confidence interval; ``estimate`` is NaN when there were no answers."""

    estimate: float
    lower: float
    upper: float
    successes: float
    trials: float
    method: str
    confidence: float = DEFAULT_CONFIDENCE

    @property
    def width(self) -> float:
        return self.upper - self.lower


class IntervalArrays(NamedTuple):
    """Vectorised counterpart of :class:`ProportionInterval`."""

    estimate: FloatArray
    lower: FloatArray
    upper: FloatArray


def z_value(confidence: float = DEFAULT_CONFIDENCE) -> float:
    """Two-sided standard-normal critical value, e.g. 1.959964 for 95 %."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


def _as_float(values: ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _validate_counts(x: FloatArray, n: FloatArray, population: FloatArray | None) -> None:
    """Counts must satisfy 0 <= x <= n (<= N); anything else is a data error upstream."""
    if np.any(x < 0) or np.any(n < 0):
        raise ValueError("counts must be non-negative")
    if np.any(x > n):
        raise ValueError("successes exceed respondents")
    if population is not None:
        if np.any(population < 1):
            raise ValueError("population (HR headcount) must be at least 1")
        if np.any(n > population):
            raise ValueError("respondents exceed the HR headcount; check the headcount date")


def fpc_factor(n: ArrayLike, population: ArrayLike) -> FloatArray:
    """Finite population correction of the variance, (N - n) / (N - 1); 0 when n = N."""
    n_arr, big_n = _as_float(n), _as_float(population)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = (big_n - n_arr) / (big_n - 1.0)
    return np.where(big_n > n_arr, factor, 0.0)


def fpc_effective_n(n: ArrayLike, population: ArrayLike, design_effect: ArrayLike = 1.0) -> FloatArray:
    """Effective sample size n* = (n / deff) * (N-1)/(N-n); infinite for a full census."""
    n_arr = _as_float(n) / _as_float(design_effect)
    factor = fpc_factor(n, population)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = n_arr / factor
    return np.where(factor > 0, effective, np.inf)


def wilson_bounds(p_hat: ArrayLike, n_eff: ArrayLike, z: float) -> tuple[FloatArray, FloatArray]:
    """Wilson score bounds for share ``p_hat`` at (possibly effective, possibly infinite) n.

    Written in terms of p_hat and n so that FPC and design effect only change n; n = 0 gives
    the uninformative [0, 1].
    """
    p, n_arr = np.broadcast_arrays(_as_float(p_hat), _as_float(n_eff))
    with np.errstate(divide="ignore", invalid="ignore"):
        a = z * z / n_arr
        center = (p + a / 2.0) / (1.0 + a)
        half = z / (1.0 + a) * np.sqrt(p * (1.0 - p) / n_arr + a / (4.0 * n_arr))
    informative = n_arr > 0
    lower = np.where(informative, np.clip(center - half, 0.0, 1.0), 0.0)
    upper = np.where(informative, np.clip(center + half, 0.0, 1.0), 1.0)
    lower = np.where(informative & (p <= 0.0), 0.0, lower)
    upper = np.where(informative & (p >= 1.0), 1.0, upper)
    return lower, upper


def worst_case_bounds(successes: ArrayLike, trials: ArrayLike, population: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Manski-type bounds [x/N, (x + N - n)/N]: what self-selection can do at worst (§4.2)."""
    x, n, big_n = _as_float(successes), _as_float(trials), _as_float(population)
    _validate_counts(x, n, big_n)
    return x / big_n, (x + big_n - n) / big_n


def _share(x: FloatArray, n: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, x / n, np.nan)


def wilson_fpc_arrays(
    successes: ArrayLike,
    trials: ArrayLike,
    population: ArrayLike,
    confidence: float = DEFAULT_CONFIDENCE,
    design_effect: ArrayLike = 1.0,
    estimate: ArrayLike | None = None,
    clip_to_population_bounds: bool = True,
) -> IntervalArrays:
    """Recommended interval, vectorised over cells.

    ``estimate`` overrides x/n (weighted share); ``successes`` and ``trials`` are then the
    unweighted counts, still needed for the FPC and the logical population bounds.
    """
    x, n, big_n = _as_float(successes), _as_float(trials), _as_float(population)
    _validate_counts(x, n, big_n)
    p_hat = _share(x, n) if estimate is None else _as_float(estimate)
    p_for_bounds = np.where(np.isnan(p_hat), 0.0, p_hat)
    lower, upper = wilson_bounds(p_for_bounds, fpc_effective_n(n, big_n, design_effect), z_value(confidence))
    if clip_to_population_bounds:
        low_logic, high_logic = worst_case_bounds(x, n, big_n)
        lower, upper = np.maximum(lower, low_logic), np.minimum(upper, high_logic)
    return IntervalArrays(np.broadcast_to(p_hat, lower.shape).astype(np.float64), lower, upper)


def wilson_arrays(successes: ArrayLike, trials: ArrayLike, confidence: float = DEFAULT_CONFIDENCE) -> IntervalArrays:
    """Plain Wilson score interval (infinite population), vectorised."""
    x, n = _as_float(successes), _as_float(trials)
    _validate_counts(x, n, None)
    p_hat = _share(x, n)
    lower, upper = wilson_bounds(np.where(np.isnan(p_hat), 0.0, p_hat), n, z_value(confidence))
    return IntervalArrays(p_hat, lower, upper)


def _scalar(arrays: IntervalArrays, x: float, n: float, method: str, confidence: float) -> ProportionInterval:
    return ProportionInterval(
        estimate=float(arrays.estimate),
        lower=float(arrays.lower),
        upper=float(arrays.upper),
        successes=float(x),
        trials=float(n),
        method=method,
        confidence=confidence,
    )


def wilson_fpc_interval(
    successes: float,
    trials: float,
    population: float,
    confidence: float = DEFAULT_CONFIDENCE,
    clip_to_population_bounds: bool = True,
) -> ProportionInterval:
    """The recommended share interval of monitoring.md §4.2 (Wilson with FPC)."""
    arrays = wilson_fpc_arrays(
        successes,
        trials,
        population,
        confidence,
        clip_to_population_bounds=clip_to_population_bounds,
    )
    return _scalar(arrays, successes, trials, "wilson_fpc", confidence)


share_interval = wilson_fpc_interval
"""Alias used by the rest of the package: the one method the dashboards show."""


def wilson_interval(successes: float, trials: float, confidence: float = DEFAULT_CONFIDENCE) -> ProportionInterval:
    """Wilson score interval without FPC, for comparison with published survey figures."""
    return _scalar(wilson_arrays(successes, trials, confidence), successes, trials, "wilson", confidence)


def clopper_pearson_interval(successes: int, trials: int, confidence: float = DEFAULT_CONFIDENCE) -> ProportionInterval:
    """Exact (conservative) binomial interval without FPC, for comparison only."""
    x, n = int(successes), int(trials)
    _validate_counts(np.float64(x), np.float64(n), None)
    if n == 0:
        return ProportionInterval(math.nan, 0.0, 1.0, 0.0, 0.0, "clopper_pearson", confidence)
    alpha = 1.0 - confidence
    lower = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2.0, x, n - x + 1))
    upper = 1.0 if x == n else float(stats.beta.ppf(1.0 - alpha / 2.0, x + 1, n - x))
    return ProportionInterval(x / n, lower, upper, float(x), float(n), "clopper_pearson", confidence)


def fpc_standard_error(p_hat: ArrayLike, n: ArrayLike, population: ArrayLike) -> FloatArray:
    """SE = sqrt(p(1-p)/n) * sqrt((N-n)/(N-1)) (monitoring.md §4.2); 0 for a census."""
    p, n_arr = _as_float(p_hat), _as_float(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = p * (1.0 - p) / n_arr * fpc_factor(n, population)
    return np.sqrt(np.where(n_arr > 0, variance, np.nan))
