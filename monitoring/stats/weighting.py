"""Raking of respondent weights to HR headcount margins, Kish design effect, weighted shares.

Why (monitoring.md §4.3): participation is voluntary and self-selected. HR knows the headcount
of every city by department, pay band, age band, status and nationality, so respondent weights
are adjusted until the weighted sample reproduces those margins (iterative proportional
fitting, "raking"). The weighting costs precision; the Kish design effect ``1 + CV^2`` of the
weights and the effective sample size ``n / deff`` quantify that ("report the weighting
efficiency").

Design:

* The numerical core :func:`rake_table` rakes a dense count table (one axis per attribute).
  Raking multiplies all respondents of one category by the same factor, so every respondent's
  final weight is ``base weight x factor(cell)`` where the cell is the full cross-classification
  of the raking attributes. Raking a table of summed base weights is therefore exactly
  equivalent to raking respondent by respondent, and it is what the future SQL ``GROUP BY``
  delivers. :func:`rake` is the respondent-level convenience wrapper on top.
* Margins can be one-way (one axis) or multi-way (several axes, e.g. department x status).
* Errors are explicit (:class:`RakingError`): a margin category with staff but no respondent
  ("empty cell"), respondents in a category HR reports as empty, margins that disagree on the
  total or on shared sub-margins ("impossible margins"), negative or non-finite input.
  Non-convergence within ``max_iterations`` raises :class:`RakingConvergenceError`; it
  typically means the margins are jointly impossible for the sample's structural zeros or the
  trimming bounds are too tight.
* Optional trimming ("cap weight ratios, e.g. 0.3-3", §4.3): ``bounds=(low, high)`` limits
  each respondent's weight relative to the plain expansion weight ``base x N / sum(base)``;
  the procedure clips after every raking cycle and rakes again until both hold (rake-trim-rake).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .intervals import DEFAULT_CONFIDENCE, wilson_fpc_arrays

FloatArray = NDArray[np.float64]

_TOTAL_RTOL = 1e-9


class RakingError(ValueError):
    """The raking problem has no solution as stated (empty cells, impossible margins)."""


class RakingConvergenceError(RakingError):
    """Iteration cap reached before the margins were met within tolerance."""


@dataclass(frozen=True)
class Margin:
    """Known totals over ``axes`` of the seed table; ``target`` has those axes' shape."""

    axes: tuple[int, ...]
    target: FloatArray

    @classmethod
    def one_way(cls, axis: int, target: ArrayLike) -> Margin:
        return cls((axis,), np.asarray(target, dtype=np.float64))


@dataclass(frozen=True)
class TableRakingResult:
    """Raked table and per-cell adjustment factors (0 where the seed cell is empty)."""

    fitted: FloatArray
    factors: FloatArray
    iterations: int
    max_relative_error: float


@dataclass(frozen=True)
class RakingResult:
    """Respondent weights plus the diagnostics monitoring.md §4.3 asks to report."""

    weights: FloatArray
    iterations: int
    max_relative_error: float
    design_effect: float
    effective_n: float


@dataclass(frozen=True)
class WeightedShare:
    """Weighted share with the Wilson-FPC interval at the effective sample size."""

    estimate: float
    lower: float
    upper: float
    respondents: int
    effective_n: float
    design_effect: float
    population: float


def _validate_seed(seed: FloatArray) -> None:
    if seed.ndim == 0:
        raise RakingError("seed table needs at least one axis")
    if not np.all(np.isfinite(seed)) or np.any(seed < 0):
        raise RakingError("seed table must be finite and non-negative")
    if seed.sum() <= 0:
        raise RakingError("seed table is empty: no respondents")


def _validate_margin(seed: FloatArray, margin: Margin) -> None:
    axes = margin.axes
    if not axes or len(set(axes)) != len(axes) or list(axes) != sorted(axes):
        raise RakingError(f"margin axes must be distinct and ascending, got {axes}")
    if axes[0] < 0 or axes[-1] >= seed.ndim:
        raise RakingError(f"margin axes {axes} out of range for a {seed.ndim}-d table")
    expected = tuple(seed.shape[a] for a in axes)
    if margin.target.shape != expected:
        raise RakingError(f"margin over axes {axes} has shape {margin.target.shape}, expected {expected}")
    if not np.all(np.isfinite(margin.target)) or np.any(margin.target < 0):
        raise RakingError(f"margin over axes {axes} must be finite and non-negative")


def _sum_to(table: FloatArray, axes: tuple[int, ...]) -> FloatArray:
    """Sum over all axes not in ``axes``, keeping dims so the result broadcasts back."""
    other = tuple(a for a in range(table.ndim) if a not in axes)
    return table.sum(axis=other, keepdims=True)


def _check_totals_agree(margins: Sequence[Margin]) -> None:
    """Every pair of margins must agree on their common sub-margin (or the grand total)."""
    for first, second in itertools.combinations(margins, 2):
        shared = tuple(sorted(set(first.axes) & set(second.axes)))
        a = _reduce_target(first, shared)
        b = _reduce_target(second, shared)
        if not np.allclose(a, b, rtol=_TOTAL_RTOL, atol=1e-9 * max(1.0, float(a.sum()))):
            what = f"axes {shared}" if shared else "the grand total"
            raise RakingError(f"impossible margins: margins over {first.axes} and {second.axes} disagree on {what}")


def _reduce_target(margin: Margin, keep: tuple[int, ...]) -> FloatArray:
    drop = tuple(i for i, a in enumerate(margin.axes) if a not in keep)
    return margin.target.sum(axis=drop)


def _check_empty_cells(seed: FloatArray, margin: Margin) -> None:
    """Staff without respondents cannot be represented; respondents without staff are errors."""
    observed = _sum_to(seed, margin.axes).reshape(margin.target.shape)
    missing = np.argwhere((margin.target > 0) & (observed <= 0))
    if missing.size:
        raise RakingError(
            f"empty cell: margin over axes {margin.axes} has staff but no respondents at "
            f"{[tuple(int(i) for i in row) for row in missing]}; collapse sparse categories (§4.3)"
        )
    phantom = np.argwhere((margin.target <= 0) & (observed > 0))
    if phantom.size:
        raise RakingError(
            f"impossible margin: respondents in categories with zero HR headcount over axes "
            f"{margin.axes} at {[tuple(int(i) for i in row) for row in phantom]}"
        )


def _margin_error(fitted: FloatArray, margin: Margin) -> float:
    current = _sum_to(fitted, margin.axes).reshape(margin.target.shape)
    positive = margin.target > 0
    return float(np.max(np.abs(current[positive] - margin.target[positive]) / margin.target[positive]))


def _apply_margin(fitted: FloatArray, margin: Margin) -> None:
    current = _sum_to(fitted, margin.axes)
    target = margin.target.reshape(current.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(current > 0, target / current, 0.0)
    fitted *= factor


def _trim(fitted: FloatArray, seed: FloatArray, expansion: float, bounds: tuple[float, float]) -> None:
    """Clip each cell's weight ratio to the plain expansion weight into ``bounds``."""
    occupied = seed > 0
    ratio = np.zeros_like(fitted)
    ratio[occupied] = fitted[occupied] / (seed[occupied] * expansion)
    clipped = np.clip(ratio, bounds[0], bounds[1])
    fitted[occupied] = clipped[occupied] * seed[occupied] * expansion


def _validate_bounds(bounds: tuple[float, float] | None) -> None:
    if bounds is None:
        return
    low, high = bounds
    if not 0.0 <= low <= 1.0 <= high:
        raise RakingError(f"trimming bounds must satisfy 0 <= low <= 1 <= high, got {bounds}")


def rake_table(
    seed: ArrayLike,
    margins: Sequence[Margin],
    tolerance: float = 1e-8,
    max_iterations: int = 1000,
    bounds: tuple[float, float] | None = None,
) -> TableRakingResult:
    """Iterative proportional fitting of a count table to known margins.

    ``seed`` holds the summed base weights (usually respondent counts) per cell; the result
    reproduces every margin within ``tolerance`` (maximum relative deviation per category).
    """
    seed_arr = np.asarray(seed, dtype=np.float64)
    _validate_seed(seed_arr)
    if not margins:
        raise RakingError("at least one margin is required")
    _validate_bounds(bounds)
    for margin in margins:
        _validate_margin(seed_arr, margin)
    _check_totals_agree(margins)
    for margin in margins:
        _check_empty_cells(seed_arr, margin)

    total = float(margins[0].target.sum())
    expansion = total / float(seed_arr.sum())
    fitted = seed_arr * expansion
    error = float("inf")
    for iteration in range(1, max_iterations + 1):
        for margin in margins:
            _apply_margin(fitted, margin)
        if bounds is not None:
            _trim(fitted, seed_arr, expansion, bounds)
        error = max(_margin_error(fitted, m) for m in margins)
        if error <= tolerance:
            return TableRakingResult(fitted, _factors(fitted, seed_arr), iteration, error)
    raise RakingConvergenceError(
        f"raking did not converge in {max_iterations} iterations (max relative margin error "
        f"{error:.3g}); the margins may be jointly impossible for this sample or the trimming "
        f"bounds too tight"
    )


def _factors(fitted: FloatArray, seed: FloatArray) -> FloatArray:
    factors = np.zeros_like(fitted)
    occupied = seed > 0
    factors[occupied] = fitted[occupied] / seed[occupied]
    return factors


def _encode(labels: Sequence[Hashable], categories: Sequence[Hashable], name: str) -> NDArray[np.intp]:
    """Map respondent labels to margin category indices; unknown labels are errors."""
    index = {category: i for i, category in enumerate(categories)}
    try:
        return np.fromiter((index[label] for label in labels), dtype=np.intp, count=len(labels))
    except KeyError as exc:
        raise RakingError(f"attribute {name!r}: respondent category {exc.args[0]!r} has no HR margin") from None


def rake(
    attributes: Mapping[str, Sequence[Hashable]],
    margins: Mapping[str, Mapping[Hashable, float]],
    base_weights: ArrayLike | None = None,
    tolerance: float = 1e-8,
    max_iterations: int = 1000,
    bounds: tuple[float, float] | None = None,
) -> RakingResult:
    """Rake respondent weights so weighted counts match HR headcounts per attribute.

    ``attributes[name]`` lists each respondent's category, ``margins[name]`` maps every
    category of that attribute to its HR headcount. All margins must share one grand total.
    """
    names = list(margins)
    if set(names) != set(attributes):
        raise RakingError(f"attributes {sorted(attributes)} and margins {sorted(names)} differ")
    sizes = {len(attributes[name]) for name in names}
    if len(sizes) != 1:
        raise RakingError("all attribute columns must have one entry per respondent")
    n = sizes.pop()
    base = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=np.float64)
    if base.shape != (n,) or np.any(base <= 0) or not np.all(np.isfinite(base)):
        raise RakingError("base weights must be positive and one per respondent")

    categories = [list(margins[name]) for name in names]
    codes = [_encode(attributes[name], cats, name) for name, cats in zip(names, categories, strict=True)]
    shape = tuple(len(c) for c in categories)
    flat = np.ravel_multi_index(codes, shape)
    seed = np.bincount(flat, weights=base, minlength=int(np.prod(shape))).reshape(shape)
    table_margins = [
        Margin.one_way(axis, [margins[name][c] for c in cats])
        for axis, (name, cats) in enumerate(zip(names, categories, strict=True))
    ]
    result = rake_table(seed, table_margins, tolerance, max_iterations, bounds)
    weights = base * result.factors.reshape(-1)[flat]
    return RakingResult(
        weights=weights,
        iterations=result.iterations,
        max_relative_error=result.max_relative_error,
        design_effect=kish_design_effect(weights),
        effective_n=effective_sample_size(weights),
    )


def _validate_weights(weights: ArrayLike) -> FloatArray:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ValueError("weights must be a non-empty 1-d array")
    if np.any(w < 0) or not np.all(np.isfinite(w)) or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return w


def kish_design_effect(weights: ArrayLike) -> float:
    """Kish's deff = 1 + CV^2 of the weights = n * sum(w^2) / sum(w)^2 (population CV)."""
    w = _validate_weights(weights)
    return float(w.size * np.sum(w * w) / np.sum(w) ** 2)


def effective_sample_size(weights: ArrayLike) -> float:
    """n_eff = n / deff = sum(w)^2 / sum(w^2): how many unweighted answers the sample is worth."""
    w = _validate_weights(weights)
    return float(np.sum(w) ** 2 / np.sum(w * w))


def weighted_share(
    values: ArrayLike,
    weights: ArrayLike,
    population: float | None = None,
    valid: ArrayLike | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
) -> WeightedShare:
    """Weighted share of ``values`` (1/0) with a Wilson-FPC interval at the effective n.

    ``valid`` excludes respondents (e.g. UNCLASSIFIABLE) from numerator and denominator.
    ``population`` defaults to the sum of the used weights, i.e. the HR headcount the weights
    were raked to. The FPC uses the real number of respondents (sampling fraction), the design
    effect inflates the variance: n* = (n / deff) (N - 1) / (N - n).
    """
    y = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if y.shape != w.shape:
        raise ValueError("values and weights must have the same shape")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("values must be 0/1 indicators")
    mask = np.ones(y.shape, dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
    y, w = y[mask], _validate_weights(w[mask])
    big_n = float(w.sum()) if population is None else float(population)
    deff = kish_design_effect(w)
    estimate = float(np.sum(w * y) / np.sum(w))
    n = int(y.size)
    arrays = wilson_fpc_arrays(float(y.sum()), n, max(big_n, float(n)), confidence, design_effect=deff, estimate=estimate)
    return WeightedShare(
        estimate=estimate,
        lower=float(arrays.lower),
        upper=float(arrays.upper),
        respondents=n,
        effective_n=n / deff,
        design_effect=deff,
        population=big_n,
    )


def cell_design_effect(counts: ArrayLike, cell_weights: ArrayLike, axis: tuple[int, ...] | None = None) -> FloatArray:
    """Kish deff from a count table where all respondents of a cell share one weight.

    The vectorised path of :mod:`indicators` uses this on GROUP BY output instead of
    respondent rows: deff = (sum n_c) (sum n_c w_c^2) / (sum n_c w_c)^2 over ``axis``.
    """
    n_c = np.asarray(counts, dtype=np.float64)
    w_c = np.asarray(cell_weights, dtype=np.float64)
    total = n_c.sum(axis=axis)
    weighted = (n_c * w_c).sum(axis=axis)
    squared = (n_c * w_c * w_c).sum(axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(weighted > 0, total * squared / weighted**2, np.nan)
