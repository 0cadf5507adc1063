"""Consolidating the raters' answers: median and spread per item and factor, per city and for the cooperation.

Pure functions over plain tuples, so the rules are easy to check against a recomputation by hand.

* A cell (item or factor × city or cooperation) counts the raters who gave a value; "nicht beurteilbar"
  is counted apart and never enters a median.
* The minimum-rater rule: a cell with fewer than ``min_raters`` raters shows no figures, only the
  suppressed marker and nothing else that could be derived from it (as the monitoring's minimum cell):
  a rater in a city of two could otherwise read the other's answer from the median.
* Spread: the interquartile range (quartiles by the inclusive method), shown with the lowest and highest
  value. Strong disagreement: the middle half of the raters lie at least ``disagreement`` steps apart
  (the range alone would flag almost every item once a city has five raters); such items are flagged.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings

from .models import SCALE_MAX

COOPERATION = None  # the key of the cooperation-wide cells


@dataclass(frozen=True)
class Rating:
    item_id: int
    factor_id: int
    municipality_id: int
    rater_id: int
    value: int | None  # None: not assessable


@dataclass(frozen=True)
class Cell:
    raters: int
    not_assessable: int
    median: float | None
    low: int | None
    high: int | None
    spread: float | None
    suppressed: bool
    flagged: bool


def min_raters() -> int:
    return settings.SELFCHECK_MIN_RATERS


def disagreement() -> int:
    return settings.SELFCHECK_DISAGREEMENT_SPREAD


def make_cell(values: Sequence[int], raters: int, not_assessable: int, *, k: int, spread: int) -> Cell:
    if raters < k or not values:
        return Cell(raters, not_assessable, None, None, None, None, True, False)
    if len(values) == 1:
        q1 = q3 = float(values[0])
    else:
        q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    iqr = q3 - q1
    return Cell(raters, not_assessable, float(statistics.median(values)), min(values), max(values), iqr, False, iqr >= spread)


@dataclass
class Consolidation:
    """Cells keyed by (item_id, municipality_id or COOPERATION) and (factor_id, municipality_id or COOPERATION)."""

    items: dict[tuple[int, int | None], Cell] = field(default_factory=dict)
    factors: dict[tuple[int, int | None], Cell] = field(default_factory=dict)
    raters: dict[int | None, int] = field(default_factory=dict)  # distinct raters per city and overall

    def item(self, item_id: int, city_id: int | None = COOPERATION) -> Cell | None:
        return self.items.get((item_id, city_id))

    def factor(self, factor_id: int, city_id: int | None = COOPERATION) -> Cell | None:
        return self.factors.get((factor_id, city_id))


def consolidate(ratings: Iterable[Rating], *, k: int | None = None, spread: int | None = None) -> Consolidation:
    k = min_raters() if k is None else k
    spread = disagreement() if spread is None else spread
    item_values: dict[tuple, list[int]] = defaultdict(list)
    item_na: dict[tuple, int] = defaultdict(int)
    factor_values: dict[tuple, list[int]] = defaultdict(list)
    factor_raters: dict[tuple, set[int]] = defaultdict(set)
    factor_na: dict[tuple, int] = defaultdict(int)
    raters: dict[int | None, set[int]] = defaultdict(set)
    for r in ratings:
        for city in (r.municipality_id, COOPERATION):
            raters[city].add(r.rater_id)
            if r.value is None:
                item_na[(r.item_id, city)] += 1
                factor_na[(r.factor_id, city)] += 1
                item_values.setdefault((r.item_id, city), [])
                factor_values.setdefault((r.factor_id, city), [])
            else:
                item_values[(r.item_id, city)].append(r.value)
                factor_values[(r.factor_id, city)].append(r.value)
                factor_raters[(r.factor_id, city)].add(r.rater_id)
    result = Consolidation(raters={city: len(ids) for city, ids in raters.items()})
    for key, values in item_values.items():
        result.items[key] = make_cell(values, len(values), item_na[key], k=k, spread=spread)
    for key, values in factor_values.items():
        # Disagreement is flagged per item: across a factor's different questions a spread says nothing.
        result.factors[key] = make_cell(values, len(factor_raters[key]), factor_na[key], k=k, spread=SCALE_MAX + 1)
    return result
