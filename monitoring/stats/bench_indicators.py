"""Benchmark: all indicators plus disclosure control for one synthetic wave.

Why: the future Django layer hands this package count tables from a SQL ``GROUP BY``; the
statistics must stay fast when a wave is large. This script builds synthetic micro-data for
``n_responses`` answers across the ten cities, aggregates them with ``np.bincount`` (standing
in for the ``GROUP BY``), and times

* raking per city to HR margins (status, age band, department group),
* every indicator of :func:`indicators.wave_indicators` for city x status, city x age and
  city totals, unweighted and weighted, against total and working-age benchmarks,
* disclosure control over six overlapping published tables.

All numbers are synthetic (headcounts are scaled so that the response rate is plausible);
nothing here is a real figure. Run: ``python -m monitoring.stats.bench_indicators [n]``.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

from .disclosure import CountCube, Dimension, TableSpec, protect_wave
from .indicators import WaveCounts, wave_indicators
from .weighting import Margin, rake_table

CITIES = (
    "Bochum",
    "Bottrop",
    "Dortmund",
    "Duisburg",
    "Essen",
    "Gelsenkirchen",
    "Hagen",
    "Herne",
    "Mülheim an der Ruhr",
    "Oberhausen",
)
STATUS = ("trainee", "civil_servant", "employee")
AGE = ("<30", "30-39", "40-49", "50-59", "60+")
DEPARTMENT = ("central", "social", "technical", "public_order")
YES, NO, UNCLASSIFIABLE = 0, 1, 2


def _synthetic_microdata(n_responses: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One row per response: city, status, age, department and derived classification."""
    city_weights = rng.uniform(0.5, 2.0, len(CITIES))
    city = rng.choice(len(CITIES), size=n_responses, p=city_weights / city_weights.sum())
    status = rng.choice(len(STATUS), size=n_responses, p=[0.07, 0.33, 0.60])
    age = rng.choice(len(AGE), size=n_responses, p=[0.18, 0.22, 0.22, 0.26, 0.12])
    department = rng.choice(len(DEPARTMENT), size=n_responses, p=[0.3, 0.3, 0.25, 0.15])
    share = rng.uniform(0.10, 0.30, len(CITIES))[city] * np.array([1.8, 0.8, 1.0])[status]
    share *= np.array([1.5, 1.2, 1.0, 0.8, 0.6])[age]
    draw = rng.random(n_responses)
    classification = np.where(draw < 0.04, UNCLASSIFIABLE, np.where(draw < 0.04 + 0.96 * share, YES, NO))
    return {"city": city, "status": status, "age": age, "department": department, "class": classification}


def _group_by(micro: dict[str, np.ndarray]) -> np.ndarray:
    """Stand-in for SQL GROUP BY: counts per city x status x age x department x class."""
    shape = (len(CITIES), len(STATUS), len(AGE), len(DEPARTMENT), 3)
    keys = (micro["city"], micro["status"], micro["age"], micro["department"], micro["class"])
    flat = np.ravel_multi_index(keys, shape)
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape)


def _headcounts(respondents: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """HR headcounts per city x status x age x department, response rates 15-45 %."""
    rate = rng.uniform(0.15, 0.45, respondents.shape)
    return np.maximum(np.ceil(respondents / rate), respondents).astype(np.int64)


def _rake_cities(respondents: np.ndarray, headcounts: np.ndarray) -> np.ndarray:
    """Per-city raking to one-way HR margins; returns one weight per cell (0 if empty)."""
    factors = np.zeros(respondents.shape, dtype=np.float64)
    for c in range(respondents.shape[0]):
        staff = headcounts[c]
        margins = [Margin.one_way(axis, staff.sum(axis=tuple(a for a in range(3) if a != axis))) for axis in range(3)]
        factors[c] = rake_table(respondents[c], margins, tolerance=1e-8).factors
    return factors


def _counts_for(
    cube: np.ndarray, heads: np.ndarray, weights: np.ndarray, keep: tuple[int, ...], pop: tuple[np.ndarray, np.ndarray]
) -> WaveCounts:
    """Collapse the cube onto the kept axes (city first) with weighted sums."""
    drop = tuple(a for a in range(4) if a not in keep)
    classified = cube[..., YES] + cube[..., NO]
    return WaveCounts(
        positives=cube[..., YES].sum(axis=drop),
        negatives=cube[..., NO].sum(axis=drop),
        unclassifiable=cube[..., UNCLASSIFIABLE].sum(axis=drop),
        headcount=heads.sum(axis=drop),
        population_share_total=pop[0].reshape((-1,) + (1,) * (len(keep) - 1)),
        population_share_working_age=pop[1].reshape((-1,) + (1,) * (len(keep) - 1)),
        weighted_positives=(cube[..., YES] * weights).sum(axis=drop),
        weighted_classified=(classified * weights).sum(axis=drop),
        weighted_squares=(classified * weights**2).sum(axis=drop),
    )


def _disclosure(cube: np.ndarray, heads: np.ndarray) -> Any:
    dims = [
        Dimension("city", CITIES, total_label="Ruhr"),
        Dimension("status", STATUS),
        Dimension("age", AGE, subtotals=(("<40", ("<30", "30-39")), ("40+", ("40-49", "50-59", "60+")))),
        Dimension("department", DEPARTMENT),
    ]
    attribute = Dimension("mh", ("yes", "no"), total_label="respondents")
    count_cube = CountCube.build(dims, attribute, cube[..., :2], heads)
    tables = [
        TableSpec("city_status", ("city", "status")),
        TableSpec("city_age", ("city", "age")),
        TableSpec("city_department", ("city", "department")),
        TableSpec("trainees_by_age", ("city", "age"), {"status": ("trainee",)}),
        TableSpec("non_trainees_by_age", ("city", "age"), {"status": ("civil_servant", "employee")}),
        TableSpec("under_30_by_department", ("city", "department"), {"age": ("<30",)}),
    ]
    return protect_wave(count_cube, tables)


def run(n_responses: int = 1_000_000, seed: int = 2026) -> dict[str, Any]:
    """Build a synthetic wave and time every step; returns seconds per step and sizes."""
    rng = np.random.default_rng(seed)
    micro = _synthetic_microdata(n_responses, rng)
    start = time.perf_counter()
    cube = _group_by(micro)
    aggregated = time.perf_counter()
    respondents = cube.sum(axis=-1)
    heads = _headcounts(respondents, rng)
    pop = (rng.uniform(0.25, 0.45, len(CITIES)), rng.uniform(0.20, 0.40, len(CITIES)))

    t0 = time.perf_counter()
    weights = _rake_cities(respondents, heads)
    t1 = time.perf_counter()
    results = {
        "city": wave_indicators(_counts_for(cube, heads, weights, (0,), pop)),
        "city_status": wave_indicators(_counts_for(cube, heads, weights, (0, 1), pop)),
        "city_age": wave_indicators(_counts_for(cube, heads, weights, (0, 2), pop)),
    }
    t2 = time.perf_counter()
    protection = _disclosure(cube, heads)
    t3 = time.perf_counter()
    suppressed = sum(c.suppressed for t in protection.tables.values() for c in t.cells.values())
    cells = sum(len(t.cells) for t in protection.tables.values())
    return {
        "n_responses": n_responses,
        "aggregate_seconds": aggregated - start,
        "raking_seconds": t1 - t0,
        "indicator_seconds": t2 - t1,
        "disclosure_seconds": t3 - t2,
        "indicators_plus_disclosure_seconds": t3 - t0,
        "indicator_cells": int(sum(r.share.size for r in results.values())),
        "published_cells": cells - suppressed,
        "suppressed_cells": suppressed,
        "lp_solves": protection.lp_solves,
        "ruhr_weighted_share_range": (
            float(np.nanmin(results["city"].weighted_share)),
            float(np.nanmax(results["city"].weighted_share)),
        ),
    }


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    report = run(size)
    for key, value in report.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
