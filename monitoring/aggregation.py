"""From stored responses to the published aggregates of a round.

One pass per round (``compute_round``):

1. **Count** with one SQL ``GROUP BY`` over the round's responses (wave x concepts x HR
   attributes) into a dense numpy cube; city items get one small ``GROUP BY`` each.
2. **Protect** every published table together (:mod:`monitoring.protection`).
3. **Weight** each city to its HR headcounts by raking (:mod:`monitoring.stats.weighting`).
4. **Indicators** (:mod:`monitoring.stats.indicators`) from *published* counts only: a share,
   interval, index or weighted share is computed only where every count it depends on is shown.
5. The caller stores the rows (:class:`~monitoring.models.AggregateCell`); dashboards read nothing else.

Benchmarks (population shares) per concept, in order of preference: the Mikrozensus definition
the survey uses, then Zensus 2011, then the register; for EG Destatis, then Zensus 2022 (a lower
bound, monitoring.md §1.2). Within a concept the newest reference date wins. Figures of different
concepts are never mixed, and the source is stored with every row.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import AggregateCell, Classification, Concept, HRHeadcount, PopulationReference, Response, SurveyRound, Wave
from .protection import (
    RUHR,
    TOTAL,
    UNLIMITED_HEADCOUNT,
    AudienceSystem,
    FacetTable,
    PublishedGroup,
    RoundProtection,
    audience_system,
    escalation_marks,
    protect_round,
    whole_marks,
)
from .questionnaire import FACETS, NO_ANSWER, local_item
from .stats.audit import integer_audit
from .stats.disclosure import DisclosureRules
from .stats.indicators import WaveCounts, wave_indicators
from .stats.weighting import Margin, RakingConvergenceError, RakingError, rake_table

logger = logging.getLogger(__name__)
CONCEPT_AXIS = {Concept.MIGRATION_BACKGROUND: 0, Concept.IMMIGRATION_HISTORY: 1}
CLASS_INDEX = {Classification.YES: 0, Classification.NO: 1, Classification.UNCLASSIFIABLE: 2}
FACET_SHAPE = tuple(len(f.categories) for f in FACETS)
BENCHMARKS = {
    Concept.MIGRATION_BACKGROUND: (
        PopulationReference.Concept.MH_MICROCENSUS,
        PopulationReference.Concept.MH_CENSUS_2011,
        PopulationReference.Concept.MH_REGISTER,
    ),
    Concept.IMMIGRATION_HISTORY: (PopulationReference.Concept.EG_DESTATIS, PopulationReference.Concept.EG_CENSUS_2022),
}
# Raking margins: status and age matter most for the share (monitoring.md §2.4, §3.4), then the
# department group. More margins would rake a sparse table with many empty cells. When raking
# fails (a category with staff but no respondents), attributes are dropped from the end first.
RAKING_PRIORITY = ("trainee", "age_band", "department_group")
RAKING_BOUNDS = (0.3, 3.0)
NO_FPC = 1e12
ALL_CITIES = _("Alle Städte")


@dataclass
class RoundData:
    cities: tuple[str, ...]
    waves: dict[str, Wave]
    cube: np.ndarray  # (cities, mh 3, eg 3, *FACET_SHAPE)
    local: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # city -> item -> (choices, 3, 3)


# --- 1. Counting -------------------------------------------------------------------------------------------


def count_round(waves: Sequence[Wave]) -> RoundData:
    """One GROUP BY over all responses of the round into a dense cube."""
    ordered = sorted(waves, key=lambda w: w.municipality.short_name)
    cities = tuple(w.municipality.slug for w in ordered)
    index = {w.pk: i for i, w in enumerate(ordered)}
    cube = np.zeros((len(cities), 3, 3, *FACET_SHAPE), dtype=np.int64)
    columns = ["wave_id", "migration_background", "immigration_history", *(f.key for f in FACETS)]
    rows = Response.objects.filter(wave__in=ordered).values_list(*columns).annotate(n=Count("id")).order_by()
    data = np.array(list(rows), dtype=np.int64).reshape(-1, len(columns) + 1)
    if len(data):
        keys = [
            np.vectorize(index.__getitem__)(data[:, 0]),
            data[:, 1] - 1,
            data[:, 2] - 1,
            *(data[:, 3 + i] for i in range(len(FACETS))),
        ]
        np.add.at(cube, tuple(keys), data[:, -1])
    result = RoundData(cities, {w.municipality.slug: w for w in ordered}, cube)
    for wave in ordered:
        if wave.local_items:
            result.local[wave.municipality.slug] = count_local_items(wave)
    return result


def count_local_items(wave: Wave) -> dict[str, np.ndarray]:
    counts = {}
    for spec in wave.local_items:
        item = local_item(spec)
        values = list(item.values)
        choices = [value for value, _label in item.choices]
        table = np.zeros((len(choices), 3, 3), dtype=np.int64)
        rows = (
            Response.objects.filter(wave=wave)
            .annotate(answer=KT(f"answers__{item.key}"))
            .values_list("answer", "migration_background", "immigration_history")
            .annotate(n=Count("id"))
            .order_by()
        )
        for answer, mh, eg, n in rows:
            if answer in values:
                table[choices.index(answer), mh - 1, eg - 1] += n
        counts[item.key] = table
    return counts


# --- Reference data ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    total: float
    working_age: float
    label: str


def benchmarks(cities: Sequence[str]) -> dict[tuple[str, str], Benchmark]:
    """(city slug, staff concept) -> population shares from the preferred concept available."""
    rows = (
        PopulationReference.objects.filter(municipality__slug__in=cities)
        .select_related("municipality")
        .order_by("-reference_date")
    )
    result: dict[tuple[str, str], Benchmark] = {}
    for concept, preferences in BENCHMARKS.items():
        for city in cities:
            for preferred in preferences:
                row = next((r for r in rows if r.municipality.slug == city and r.concept == preferred), None)
                if row is None or (row.share_total is None and row.share_18_64 is None):
                    continue
                label = f"{row.get_concept_display()}, {date_format(row.reference_date, 'd.m.Y')}: {row.source}"
                result[(city, concept)] = Benchmark(
                    float(row.share_total) if row.share_total else math.nan,
                    float(row.share_18_64) if row.share_18_64 else math.nan,
                    label[:400],
                )
                break
    return result


def headcounts(waves: Mapping[str, Wave]) -> dict[str, dict[tuple[str, str], int]]:
    """Per city the newest complete HR headcounts on or before the end of fielding (else the newest)."""
    result: dict[str, dict[tuple[str, str], int]] = {}
    rows = list(
        HRHeadcount.objects.filter(municipality__slug__in=list(waves)).select_related("municipality").order_by("-reference_date")
    )
    for city, wave in waves.items():
        own = [r for r in rows if r.municipality.slug == city and r.attribute == HRHeadcount.TOTAL]
        if not own:
            continue
        before = [r for r in own if r.reference_date <= wave.fielding_end]
        day = (before or own)[0].reference_date
        result[city] = {
            (r.attribute, r.category): r.headcount for r in rows if r.municipality.slug == city and r.reference_date == day
        }
    return result


# --- 2. Tables and protection -------------------------------------------------------------------------------------


def _concept_cube(cube: np.ndarray, concept: str) -> np.ndarray:
    """(cities, class 3, *facets) for one concept: the other concept summed out."""
    return cube.sum(axis=2) if concept == Concept.MIGRATION_BACKGROUND else cube.sum(axis=1)


def facet_tables(data: RoundData, heads: Mapping[str, Mapping[tuple[str, str], int]]) -> list[FacetTable]:
    tables = []
    for concept in CONCEPT_AXIS:
        concept_cube = _concept_cube(data.cube, concept)
        for i, facet in enumerate(FACETS):
            other = tuple(2 + j for j in range(len(FACETS)) if j != i)
            by_category = concept_cube.sum(axis=other)  # (cities, 3, categories)
            counts = np.moveaxis(by_category[:, :2, :], 1, 2)  # (cities, categories, yes/no)
            staff = np.full((len(data.cities), len(facet.categories)), UNLIMITED_HEADCOUNT, dtype=np.int64)
            for c, city in enumerate(data.cities):
                for a, code in enumerate(facet.codes):
                    if code != NO_ANSWER and (facet.key, code) in heads.get(city, {}):
                        staff[c, a] = heads[city][(facet.key, code)]
            tables.append(FacetTable(concept, facet.key, data.cities, facet.codes, np.ascontiguousarray(counts), staff))
        for city, items in data.local.items():
            for key, table in items.items():
                by_class = table.sum(axis=2) if concept == Concept.MIGRATION_BACKGROUND else table.sum(axis=1)
                counts = by_class[:, :2][None, :, :]
                spec = next(s for s in data.waves[city].local_items if f"local_{s['key']}" == key)
                codes = tuple(value for value, _label in local_item(spec).choices)
                tables.append(FacetTable(concept, f"{key}@{city}", (city,), codes, np.ascontiguousarray(counts)))
    return tables


# --- 3. Weighting --------------------------------------------------------------------------------------------------


def city_weights(respondents: np.ndarray, staff: Mapping[tuple[str, str], int]) -> np.ndarray | None:
    """Raking factor per cell of the facet cube of one city, or None without usable HR margins.

    Respondents who chose "keine Angabe" for an attribute keep their share of that margin (HR has
    no such category); the others are raked to HR's distribution of the rest.
    """
    total = staff.get((HRHeadcount.TOTAL, HRHeadcount.TOTAL))
    if not total or respondents.sum() == 0:
        return None
    usable = [
        key
        for key in RAKING_PRIORITY
        if all((key, code) in staff for code in next(f for f in FACETS if f.key == key).codes if code != NO_ANSWER)
    ]
    keys = [f.key for f in FACETS]
    while usable:
        axes = sorted(keys.index(key) for key in usable)
        seed = respondents.sum(axis=tuple(a for a in range(len(FACETS)) if a not in axes)).astype(np.float64)
        margins = []
        for position, axis in enumerate(axes):
            facet = FACETS[axis]
            observed = seed.sum(axis=tuple(a for a in range(len(axes)) if a != position))
            unknown = facet.index_of(NO_ANSWER)
            known_share = 1.0 - observed[unknown] / seed.sum()
            target = np.array([staff.get((facet.key, code), 0) for code in facet.codes], dtype=np.float64)
            target[unknown] = 0.0
            target = target / target.sum() * total * known_share
            target[unknown] = total * (1.0 - known_share)
            margins.append(Margin.one_way(position, target))
        try:
            factors = _rake(seed, margins)
        except RakingError:
            usable.pop()
            continue
        shape = [len(f.categories) if i in axes else 1 for i, f in enumerate(FACETS)]
        return np.broadcast_to(factors.reshape(shape), respondents.shape)
    return None


def _rake(seed: np.ndarray, margins: list[Margin]) -> np.ndarray:
    """Rake with weight ratios capped to 0.3-3 (§4.3); if the caps make the margins unreachable, without caps."""
    try:
        return rake_table(seed, margins, tolerance=1e-7, max_iterations=300, bounds=RAKING_BOUNDS).factors
    except RakingConvergenceError:
        return rake_table(seed, margins, tolerance=1e-7, max_iterations=300).factors


# --- 4. Indicators ---------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One AggregateCell before saving, plus what the indicators need."""

    city: str  # slug or RUHR
    concept: str
    facet: str
    category: str
    label: str
    sort_order: int
    counts: dict[str, int | None]
    reasons: dict[str, str]
    low_precision: bool
    headcount: int | None = None
    respondents: int | None = None
    benchmark: Benchmark | None = None
    weighted: tuple[float, float, float] | None = None  # sum w*yes, sum w*classified, sum w^2*classified
    values: dict[str, float | None] = field(default_factory=dict)


def _rows_from_protection(
    data: RoundData, tables: Sequence[FacetTable], protection: RoundProtection, heads, city_labels: Mapping
) -> list[Row]:
    rows: list[Row] = []
    for table in tables:
        facet_key, _, local_city = table.facet.partition("@")
        if local_city:
            spec = next(s for s in data.waves[local_city].local_items if f"local_{s['key']}" == facet_key)
            labels = dict(local_item(spec).choices)
        else:
            labels = {code: str(label) for code, label in next(f for f in FACETS if f.key == facet_key).categories}
        cities = table.cities if local_city else (*table.cities, RUHR)
        for city in cities:
            for order, category in enumerate(table.categories):
                rows.append(_row(table, protection, city, category, table.facet, category, str(labels[category]), order, heads))
            if not local_city and table.facet == FACETS[0].key:
                rows.append(_row(table, protection, city, TOTAL, "total", "", city_labels[city], 0, heads))
    return rows


def _row(table, protection, city, category, facet, stored_category, label, order, heads) -> Row:
    cells = protection.cells[table.key]
    counts, reasons = {}, {}
    for status, name in (("yes", "positives"), ("no", "negatives"), ("classified", "classified")):
        result = cells[(city, category, status)]
        counts[name] = result.value
        reasons[name] = result.reason.value if result.reason else ""
    headcount = None
    if city != RUHR:
        key = (HRHeadcount.TOTAL, HRHeadcount.TOTAL) if category == TOTAL else (table.facet, category)
        headcount = heads.get(city, {}).get(key)
    return Row(
        city=city,
        concept=table.concept,
        facet=facet,
        category=stored_category,
        label=label,
        sort_order=order,
        counts=counts,
        reasons=reasons,
        low_precision=cells[(city, category, "classified")].low_precision,
        headcount=headcount,
    )


def _attach_city_extras(rows: list[Row], data: RoundData, heads, weighting: bool) -> None:
    """Respondents, response rate inputs, benchmarks and weighted sums for the city totals."""
    bench = benchmarks(data.cities)
    weights = {}
    if weighting:
        for c, city in enumerate(data.cities):
            staff = heads.get(city)
            if staff:
                w = city_weights(data.cube[c].sum(axis=(0, 1)), staff)
                if w is not None:
                    weights[city] = w
    for row in rows:
        if row.city != RUHR:
            row.benchmark = bench.get((row.city, row.concept))
        if row.facet != "total":
            continue
        if row.city == RUHR:
            known = [heads.get(city, {}).get((HRHeadcount.TOTAL, HRHeadcount.TOTAL)) for city in data.cities]
            row.headcount = sum(known) if all(known) else None
        row.weighted = _weighted_sums(data, row, weights)


def _attach_respondents(rows: list[Row], data: RoundData) -> None:
    """A city's respondents are shown only with both concepts' totals; all cities' only with every city's."""
    totals = {(r.city, r.concept): r for r in rows if r.facet == "total"}
    respondents = data.cube.reshape(len(data.cities), -1).sum(axis=1)
    shown = {
        city: all(totals[(city, concept)].counts["classified"] is not None for concept in CONCEPT_AXIS) for city in data.cities
    }
    for row in totals.values():
        if row.city == RUHR:
            row.respondents = int(respondents.sum()) if all(shown.values()) else None
        else:
            row.respondents = int(respondents[data.cities.index(row.city)]) if shown[row.city] else None


def _weighted_sums(data: RoundData, row: Row, weights: Mapping[str, np.ndarray]) -> tuple[float, float, float] | None:
    cities = data.cities if row.city == RUHR else (row.city,)
    if not all(city in weights for city in cities):
        return None
    yes = classified = squares = 0.0
    for city in cities:
        by_class = _concept_cube(data.cube[data.cities.index(city)][None], row.concept)[0]  # (3, *facets)
        w = weights[city]
        yes += float((by_class[0] * w).sum())
        classified += float(((by_class[0] + by_class[1]) * w).sum())
        squares += float(((by_class[0] + by_class[1]) * w * w).sum())
    return yes, classified, squares


def compute_indicators(rows: list[Row]) -> None:
    """Fill ``row.values`` from published counts only (vectorised with the statistics core)."""
    ready = [r for r in rows if r.counts["positives"] is not None and r.counts["classified"] is not None]
    for row in rows:
        row.values = {}
    if not ready:
        return
    x = np.array([r.counts["positives"] for r in ready], dtype=np.float64)
    n = np.array([r.counts["classified"] for r in ready], dtype=np.float64)
    staff = np.array(
        [
            r.headcount if r.headcount and r.headcount >= max(r.respondents or 0, n_) else NO_FPC
            for r, n_ in zip(ready, n, strict=True)
        ]
    )
    pop_total = np.array([r.benchmark.total if r.benchmark else math.nan for r in ready])
    pop_work = np.array([r.benchmark.working_age if r.benchmark else math.nan for r in ready])
    weighted = [r.weighted for r in ready]
    has_weights = any(w is not None for w in weighted)
    sums = np.array([w if w is not None else (math.nan, math.nan, math.nan) for w in weighted]) if has_weights else None
    result = wave_indicators(
        WaveCounts(
            positives=x,
            negatives=n - x,
            unclassifiable=np.zeros_like(x),
            headcount=staff,
            population_share_total=pop_total,
            population_share_working_age=pop_work,
            weighted_positives=None if sums is None else np.nan_to_num(sums[:, 0]),
            weighted_classified=None if sums is None else np.nan_to_num(sums[:, 1]),
            weighted_squares=None if sums is None else np.nan_to_num(sums[:, 2]),
        )
    )
    for i, row in enumerate(ready):
        known_staff = staff[i] < NO_FPC
        values = {
            "share": result.share[i],
            "lower": result.lower[i],
            "upper": result.upper[i],
            "worst_case_lower": result.worst_case_lower[i] if known_staff else None,
            "worst_case_upper": result.worst_case_upper[i] if known_staff else None,
            "index_total": result.index_total[i],
            "index_total_lower": result.index_total_lower[i],
            "index_total_upper": result.index_total_upper[i],
            "index_working_age": result.index_working_age[i],
            "index_working_age_lower": result.index_working_age_lower[i],
            "index_working_age_upper": result.index_working_age_upper[i],
        }
        if row.weighted is not None and result.weighted_share is not None:
            values |= {
                "weighted_share": result.weighted_share[i],
                "weighted_lower": result.weighted_lower[i],
                "weighted_upper": result.weighted_upper[i],
                "design_effect": result.design_effect[i],
                "effective_n": result.effective_n[i],
            }
        row.values = {k: (None if v is None or not math.isfinite(float(v)) else float(v)) for k, v in values.items()}


# --- 5. Putting it together ------------------------------------------------------------------------------------------


@dataclass
class RoundResult:
    rows: list[Row]
    protection: RoundProtection
    data: RoundData
    audit: dict = field(default_factory=dict)


MAX_AUDIT_ROUNDS = 40


def compute_round(survey_round: SurveyRound, waves: Sequence[Wave]) -> RoundResult:
    """Count, protect until the integer audit passes for the widest audience, then compute indicators.

    The Regiegruppe (and the office) see every published cell of the round; every other audience
    sees a subset of the same cells, so its attacker has fewer relations and ranges at least as
    wide. Auditing the widest view therefore covers all audiences; releases audit the public
    view again (:func:`public_release_audit`).
    """
    data = count_round(waves)
    heads = headcounts(data.waves)
    tables = facet_tables(data, heads)
    rules = DisclosureRules(min_respondents=survey_round.min_cell_size, min_headcount=settings.MONITORING_MIN_HEADCOUNT)
    carry = survey_round.previous.suppressed_boxes if survey_round.previous_id else ()
    city_labels = {w.municipality.slug: w.municipality.short_name for w in data.waves.values()} | {RUHR: str(ALL_CITIES)}
    forced: set = set()
    for _attempt in range(MAX_AUDIT_ROUNDS):
        protection = protect_round(tables, rules, carry_over=carry, forced=forced)
        rows = _rows_from_protection(data, tables, protection, heads, city_labels)
        _attach_respondents(rows, data)
        audience = audience_system([_published(row) for row in rows])
        verdict = integer_audit(audience.system, rules.min_respondents, truth=_truth(audience, data))
        logger.info(
            "disclosure audit %s: %s hidden, %s too narrow, %s solves",
            _attempt,
            len(audience.targets),
            len(verdict.failing),
            verdict.solves,
        )
        if verdict.passed:
            break
        more = escalation_marks(audience, verdict, tables) - forced
        if not more:  # last resort before refusing: no all-cities row at all
            more = whole_marks(RUHR, tables) - forced
        if not more:
            break
        forced |= more
    if not verdict.passed:
        raise RuntimeError("disclosure control could not protect the round; nothing is published")
    protection.suppressed_boxes = sorted(
        [t.concept, t.facet, [list(axis) for axis in c.box]]
        for t in tables
        for c in protection.cells[t.key].values()
        if c.suppressed
    )
    _attach_city_extras(rows, data, heads, survey_round.weighting)
    compute_indicators(rows)
    return RoundResult(rows, protection, data, verdict_record(verdict, "regiegruppe", [_published(r) for r in rows]))


def _published(row: Row) -> PublishedGroup:
    return PublishedGroup(
        row.city,
        row.concept,
        "total" if row.facet == "total" else row.facet,
        row.category,
        row.counts["positives"],
        row.counts["negatives"],
        row.counts["classified"],
        row.respondents,
    )


def _truth(audience: AudienceSystem, data: RoundData) -> np.ndarray:
    """The true counts as a point of the audience's system (a known integer solution)."""
    point = np.zeros(len(audience.index))
    facet_keys = [f.key for f in FACETS]
    for (city, facet, category, m, e), i in audience.index.items():
        c = data.cities.index(city)
        if facet == "total":
            point[i] = data.cube[c, m, e].sum()
        elif "@" in facet:
            key = facet.partition("@")[0]
            spec = next(s for s in data.waves[city].local_items if f"local_{s['key']}" == key)
            codes = [value for value, _label in local_item(spec).choices]
            point[i] = data.local[city][key][codes.index(category), m, e]
        else:
            axis = facet_keys.index(facet)
            facet = FACETS[axis]
            by_category = data.cube[c, m, e].sum(axis=tuple(a for a in range(len(FACETS)) if a != axis))
            point[i] = by_category[facet.index_of(category)]
    return point


def verdict_record(verdict, audience: str, groups: Sequence[PublishedGroup]) -> dict:
    """What is stored with a release: who, k, how many hidden counts, the narrowest range, a digest of the outputs."""
    canonical = json.dumps(sorted(dataclasses.astuple(g) for g in groups), default=str).encode()
    return {
        "audience": audience,
        "passed": verdict.passed,
        "k": verdict.k,
        "suppressed_counts": int(verdict.widths.size),
        "min_width": None if verdict.min_width is None else min(int(verdict.min_width), 10**6),
        "solves": verdict.solves,
        "checked_at": timezone.now().isoformat(timespec="seconds"),
        "outputs_sha256": hashlib.sha256(canonical).hexdigest(),
    }


def public_release_audit(survey_round: SurveyRound, released_city_ids: Sequence[int], include_total: bool) -> dict:
    """Audit what the public would see of a round (released cities, the all-cities row only if all are)."""
    where = Q(municipality_id__in=list(released_city_ids))
    if include_total:
        where |= Q(municipality__isnull=True)
    cells = AggregateCell.objects.filter(where, round=survey_round).select_related("municipality")
    groups = [
        PublishedGroup(
            cell.municipality.slug if cell.municipality_id else RUHR,
            cell.concept,
            cell.facet,
            cell.category,
            cell.positives,
            cell.negatives,
            cell.classified,
            cell.respondents,
        )
        for cell in cells
    ]
    audience = audience_system(groups)
    verdict = integer_audit(audience.system, survey_round.min_cell_size)
    return verdict_record(verdict, "public", groups)


def aggregate_cells(survey_round: SurveyRound, result: RoundResult) -> list[AggregateCell]:
    municipalities = {slug: wave.municipality for slug, wave in result.data.waves.items()}
    cells = []
    for row in result.rows:
        rate = None
        if row.respondents is not None and row.headcount and row.respondents <= row.headcount:
            rate = row.respondents / row.headcount
        cells.append(
            AggregateCell(
                round=survey_round,
                municipality=None if row.city == RUHR else municipalities[row.city],
                concept=row.concept,
                facet=row.facet,
                category=row.category,
                label=row.label[:200],
                sort_order=row.sort_order,
                positives=row.counts["positives"],
                negatives=row.counts["negatives"],
                classified=row.counts["classified"],
                positives_reason=row.reasons["positives"],
                negatives_reason=row.reasons["negatives"],
                classified_reason=row.reasons["classified"],
                low_precision=row.low_precision,
                respondents=row.respondents,
                headcount=row.headcount if row.facet == "total" and row.respondents is not None else None,
                response_rate=rate,
                population_share_total=_finite(row.benchmark.total) if row.benchmark else None,
                population_share_working_age=_finite(row.benchmark.working_age) if row.benchmark else None,
                population_source=row.benchmark.label if row.benchmark else "",
                **row.values,
            )
        )
    return cells


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
