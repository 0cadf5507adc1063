"""Disclosure control for everything a survey round publishes, built on :mod:`monitoring.stats.disclosure`.

What a round publishes, per concept (MH, EG): for every HR attribute ("facet") the table
city x category x {yes, no, classified}, with the city totals and the all-cities row ("ruhr").
A city's own items are tables of that city only. Dashboards, exports, the API and the report
show subsets of exactly these cells, so protecting them once protects every output.

Why not one cube with all attributes: the core audit works on the full cross-classification,
which for six attributes and ten cities has ~10^5 micro-cells; its matrices would not fit in
memory. One-way tables need far less, and the decomposition is exact for linear attacks: tables
over different attributes share only their city totals, and any set of one-way tables that agree
on those totals can be completed to a non-negative full table (within a city and status,
x(a1..ak) = T * prod_i y_i(a_i) / T). So the only cross-table information is "the city totals
are equal in every table". This module therefore

1. protects each (concept, facet) table with the core (primary, zero/full, secondary, LP audit);
2. aligns the patterns: a suppressed cell suppresses its whole group (yes, no, classified) in
   both concepts, and a suppressed city total is suppressed in every table, so no group is shown
   in one output and hidden in another; repeated until nothing changes (only ever adds);
3. if any shared total ended up suppressed, verifies the tables *jointly* with linear programs
   over the stacked system (all tables of a concept, tied by equal city totals), and suppresses
   a city's whole breakdown where a cell would still be pinned; repeated until safe.

The previous round's suppressed cells are suppressed again (``carry_over``), so differencing
across years cannot recover them either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from .stats.disclosure import (
    CellResult,
    CountCube,
    Dimension,
    DisclosureRules,
    TableSpec,
    protect_wave,
)

RUHR = "ruhr"
TOTAL = "total"
ATTRIBUTE = Dimension("status", ("yes", "no"), total_label="classified")
UNLIMITED_HEADCOUNT = 10**9
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class FacetTable:
    """Counts of one concept by city x category x (yes, no); cities may be a subset (city items)."""

    concept: str
    facet: str
    cities: tuple[str, ...]
    categories: tuple[str, ...]
    counts: np.ndarray  # (cities, categories, 2)
    headcounts: np.ndarray | None = None  # (cities, categories); UNLIMITED where unknown

    @property
    def key(self) -> tuple[str, str]:
        return (self.concept, self.facet)

    def cube(self) -> CountCube:
        dims = [
            Dimension("city", self.cities, total_label=RUHR),
            Dimension("category", self.categories, total_label=TOTAL),
        ]
        return CountCube.build(dims, ATTRIBUTE, self.counts, self.headcounts)


Cell = tuple[str, str, str]
"""(city or "ruhr", category or "total", status "yes" / "no" / "classified")."""


@dataclass
class RoundProtection:
    cells: dict[tuple[str, str], dict[Cell, CellResult]]
    suppressed_boxes: list[list] = field(default_factory=list)
    rounds: int = 0
    joint_checks: int = 0
    escalated_cities: set[str] = field(default_factory=set)

    def value(self, key: tuple[str, str], cell: Cell) -> int | None:
        return self.cells[key][cell].value

    def reason(self, key: tuple[str, str], cell: Cell) -> str:
        result = self.cells[key][cell]
        return result.reason.value if result.reason else ""


def _box(table: FacetTable, city: str, category: str, status: str) -> tuple[tuple[str, ...], ...]:
    cities = table.cities if city == RUHR else (city,)
    categories = table.categories if category == TOTAL else (category,)
    statuses = ATTRIBUTE.categories if status == "classified" else (status,)
    return (tuple(cities), tuple(categories), tuple(statuses))


Mark = tuple[str, str, str, str]
"""(city or "ruhr", facet or "*", category or "*", "attr" | "all"): a group hidden in every output.

"attr" hides the yes/no counts (the classified count stays), "all" hides the classified count too.
A mark with facet "*" is a city total, which every table of the round contains.
"""


def _mark_boxes(table: FacetTable, marks: Iterable[Mark]) -> set:
    """Boxes of the cells the marks hide in one table."""
    boxes = set()
    for city, facet, category, kind in marks:
        if city != RUHR and city not in table.cities:
            continue
        if city == RUHR and len(table.cities) == 1:
            continue  # a one-city table has no all-cities row of its own
        if facet == "*":
            category = TOTAL
        elif facet != table.facet or category not in table.categories:
            continue
        statuses = ("yes", "no", "classified") if kind == "all" else ("yes", "no")
        boxes |= {_box(table, city, category, status) for status in statuses}
    return boxes


def _mark_of(table: FacetTable, key: Sequence[str]) -> Mark:
    city, category, status = key[0], key[1], key[2]
    if len(table.cities) == 1 and city == RUHR:
        city = table.cities[0]
    kind = "all" if status == "classified" else "attr"
    if category == TOTAL:
        return (city, "*", "*", kind)
    return (city, table.facet, category, kind)


def protect_round(
    tables: Sequence[FacetTable],
    rules: DisclosureRules,
    carry_over: Iterable[Sequence] = (),
    max_rounds: int = 50,
    forced: Iterable[Mark] = (),
) -> RoundProtection:
    """Protect all tables of a round together; see the module docstring for the three steps.

    ``forced`` marks are hidden in addition (the integer audit's escalation).
    """
    carried: dict[tuple[str, str], set] = {}
    for concept, facet, box in carry_over:
        carried.setdefault((concept, facet), set()).add(tuple(tuple(axis) for axis in box))
    marks: set[Mark] = set(forced)
    escalated: set[str] = set()
    result = RoundProtection(cells={})
    for iteration in range(1, max_rounds + 1):
        forced = marks | _city_breakdowns(tables, escalated)
        protections = {}
        for table in tables:
            carry = carried.get(table.key, set()) | _mark_boxes(table, forced)
            protections[table.key] = protect_wave(table.cube(), [TableSpec("t", ("city", "category"))], rules, carry_over=carry)
        found = set(marks)
        for table in tables:
            for key, cell in protections[table.key].tables["t"].cells.items():
                if cell.suppressed:
                    found.add(_mark_of(table, key))
        if found != marks:
            marks = found
            continue
        result = RoundProtection(
            cells={t.key: {(k[0], k[1], k[2]): c for k, c in protections[t.key].tables["t"].cells.items()} for t in tables},
            rounds=iteration,
            escalated_cities=set(escalated),
        )
        shared_suppressed = any(mark[1] == "*" for mark in marks)
        if not shared_suppressed:
            break
        unsafe = set()
        for concept in sorted({t.concept for t in tables}):
            concept_tables = [t for t in tables if t.concept == concept]
            result.joint_checks += 1
            unsafe |= joint_unsafe_cities(concept_tables, result, rules.protection_margin)
        if not unsafe - escalated:
            if unsafe:
                raise RuntimeError("disclosure control could not protect the round; nothing is published")
            break
        escalated |= unsafe
    else:
        raise RuntimeError("disclosure control did not settle; nothing is published")
    result.suppressed_boxes = sorted(
        [t.concept, t.facet, [list(axis) for axis in c.box]] for t in tables for c in result.cells[t.key].values() if c.suppressed
    )
    return result


def _city_breakdowns(tables: Sequence[FacetTable], cities: set[str]) -> set[Mark]:
    """Everything of these cities: their totals and every category of every table."""
    marks = {(city, "*", "*", "all") for city in cities}
    return marks | {
        (city, t.facet, category, "all") for t in tables for city in cities if city in t.cities for category in t.categories
    }


# --- Joint verification over the stacked tables of one concept ------------------------------------------


def _variables(tables: Sequence[FacetTable]) -> dict[tuple[int, int, int, int], int]:
    index = {}
    for t_index, table in enumerate(tables):
        for c in range(len(table.cities)):
            for a in range(len(table.categories)):
                for m in range(2):
                    index[(t_index, c, a, m)] = len(index)
    return index


def _row(table_index: int, table: FacetTable, cell: Cell, variables: Mapping) -> np.ndarray:
    row = np.zeros(len(variables))
    city, category, status = cell
    cities = range(len(table.cities)) if city == RUHR else [table.cities.index(city)]
    cats = range(len(table.categories)) if category == TOTAL else [table.categories.index(category)]
    statuses = (0, 1) if status == "classified" else (ATTRIBUTE.categories.index(status),)
    for c in cities:
        for a in cats:
            for m in statuses:
                row[variables[(table_index, c, a, m)]] = 1.0
    return row


def stacked_system(
    tables: Sequence[FacetTable], protection: RoundProtection
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, Cell]], np.ndarray]:
    """Published equations plus "equal city totals" ties; suppressed cells with the true point."""
    variables = _variables(tables)
    rows, values, secrets = [], [], []
    truth = np.zeros(len(variables))
    for t_index, table in enumerate(tables):
        for (c, a, m), v in np.ndenumerate(table.counts):
            truth[variables[(t_index, c, a, m)]] = v
        for cell, result in protection.cells[table.key].items():
            if result.suppressed:
                secrets.append((t_index, cell))
            else:
                rows.append(_row(t_index, table, cell, variables))
                values.append(float(result.value))
    anchor = {}
    for t_index, table in enumerate(tables):
        for city in table.cities:
            for status in ("yes", "no"):
                row = _row(t_index, table, (city, TOTAL, status), variables)
                if (city, status) in anchor:
                    rows.append(row - anchor[(city, status)])
                    values.append(0.0)
                else:
                    anchor[(city, status)] = row
    return np.array(rows), np.array(values), secrets, truth


def joint_unsafe_cities(tables: Sequence[FacetTable], protection: RoundProtection, margin: int) -> set[str]:
    """Cities with a suppressed cell that the stacked system pins within +-margin (LP bounds)."""
    dense_eq, b_eq, secrets, truth = stacked_system(tables, protection)
    if not secrets:
        return set()
    a_eq = sparse.csr_matrix(dense_eq)
    variables = _variables(tables)
    secret_rows = np.array([_row(t, tables[t], cell, variables) for t, cell in secrets])
    true_values = secret_rows @ truth
    high, low = true_values.copy(), true_values.copy()
    rng = np.random.default_rng(0)

    def solve(objective: np.ndarray) -> float | None:
        res = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if res.status == 3:
            return None
        if res.status != 0:
            raise RuntimeError(f"joint disclosure check failed: {res.message}")
        reached = secret_rows @ res.x
        np.maximum(high, reached, out=high)
        np.minimum(low, reached, out=low)
        return float(res.fun)

    def safe(i: int) -> bool:
        tolerance = _TOLERANCE * max(1.0, true_values[i])
        return high[i] + tolerance >= true_values[i] + margin + 1 or low[i] - tolerance <= true_values[i] - margin - 1

    for _ in range(min(6, len(secrets))):
        solve((rng.choice((-1.0, 1.0), size=len(secrets))[:, None] * secret_rows).sum(axis=0))
    unsafe = set()
    for i, (t_index, cell) in enumerate(secrets):
        if safe(i):
            continue
        if solve(-secret_rows[i]) is None:
            continue  # unbounded above
        if safe(i):
            continue
        solve(secret_rows[i])
        if not safe(i):
            city = cell[0]
            table = tables[t_index]
            unsafe |= set(table.cities) if city == RUHR else {city}
    return unsafe


# --- Integer audit of everything an audience sees ---------------------------------------------------------------

STATUS_CLASSES = ("yes", "no", "unclassifiable")
_COUNT_STATUSES = (("positives", ("yes",)), ("negatives", ("no",)), ("classified", ("yes", "no")))


@dataclass(frozen=True)
class PublishedGroup:
    """One published row of a round as an audience sees it (None: suppressed)."""

    city: str  # slug or RUHR
    concept: str  # "mh" or "eg"
    facet: str  # HR attribute key, "total", or a city's own item "local_x@city"
    category: str  # category code, "" for the total
    positives: int | None
    negatives: int | None
    classified: int | None
    respondents: int | None = None  # only on totals


@dataclass
class AudienceSystem:
    """The audience's published numbers as linear relations over integer group counts.

    Variables: per (city, facet, category) the 3 x 3 counts of (MH class, EG class). Every HR
    attribute splits the city's respondents (equal totals per class pair); a city's own items
    split at most them. ``marks[i]`` is the group hidden to break relation ``i`` (None: structural).
    """

    system: object
    targets: list[tuple[str, str, str, str, str]]  # (city, concept, facet, category, count)
    marks: list[Mark | None]
    values: list[int | None]
    index: dict[tuple, int]


def audience_system(groups: Sequence[PublishedGroup]) -> AudienceSystem:
    from .stats.audit import System

    cities = sorted({g.city for g in groups if g.city != RUHR})
    categories: dict[str, list[str]] = {}
    for g in groups:
        if g.facet != TOTAL:
            members = categories.setdefault(g.facet, [])
            if g.category not in members:
                members.append(g.category)
    index: dict[tuple, int] = {}

    def var(city: str, facet: str, category: str, m: int, e: int) -> int:
        return index.setdefault((city, facet, category, m, e), len(index))

    rows: list[dict[int, float]] = []
    low: list[float] = []
    high: list[float] = []
    marks: list[Mark | None] = []
    values: list[int | None] = []

    def relate(coefficients: dict[int, float], lo: float, hi: float, mark: Mark | None, value: int | None) -> None:
        rows.append(coefficients)
        low.append(lo)
        high.append(hi)
        marks.append(mark)
        values.append(value)

    for city in cities:
        for facet, members in categories.items():
            local_city = facet.partition("@")[2]
            if local_city and local_city != city:
                continue
            for m in range(3):
                for e in range(3):
                    coefficients = {var(city, facet, c, m, e): 1.0 for c in members}
                    coefficients[var(city, TOTAL, "", m, e)] = -1.0
                    relate(coefficients, -np.inf if local_city else 0.0, 0.0, None, None)
    targets: list[tuple[str, str, str, str, str]] = []
    target_rows: list[dict[int, float]] = []
    seen: set[tuple] = set()
    for g in groups:
        own = 0 if g.concept == "mh" else 1
        members = cities if g.city == RUHR else [g.city]
        group_mark: tuple = (g.city, "*", "*") if g.facet == TOTAL else (g.city, g.facet, g.category)
        for name, statuses in _COUNT_STATUSES:
            mark: Mark = (*group_mark, "all" if name == "classified" else "attr")
            wanted = {STATUS_CLASSES.index(s) for s in statuses}
            coefficients = {
                var(c, g.facet, g.category, m, e): 1.0
                for c in members
                for m in range(3)
                for e in range(3)
                if (m, e)[own] in wanted
            }
            value = getattr(g, name)
            key = (tuple(sorted(coefficients)),)
            if value is not None:
                relate(coefficients, value, value, mark, g.classified)
            elif key not in seen:
                seen.add(key)
                targets.append((g.city, g.concept, g.facet, g.category, name))
                target_rows.append(coefficients)
        if g.facet == TOTAL:
            coefficients = {var(c, TOTAL, "", m, e): 1.0 for c in members for m in range(3) for e in range(3)}
            key = (tuple(sorted(coefficients)),)
            if g.respondents is not None:
                relate(coefficients, g.respondents, g.respondents, (*group_mark, "all"), g.respondents)
            elif g.classified is None and key not in seen:
                seen.add(key)
                targets.append((g.city, g.concept, TOTAL, "", "respondents"))
                target_rows.append(coefficients)

    def matrix(entries: list[dict[int, float]]) -> sparse.csr_matrix:
        data, cols, ptr = [], [], [0]
        for entry in entries:
            cols += list(entry)
            data += list(entry.values())
            ptr.append(len(cols))
        return sparse.csr_matrix((data, cols, ptr), shape=(len(entries), len(index)))

    system = System(matrix(rows), np.array(low, dtype=float), np.array(high, dtype=float), matrix(target_rows))
    return AudienceSystem(system, targets, marks, values, index)


def escalation_marks(audience: AudienceSystem, verdict, tables: Sequence[FacetTable]) -> set[Mark]:
    """For each count the audit found too narrow: one more group to hide (see the README)."""
    chosen: set[Mark] = set()
    for target in verdict.failing:
        city = audience.targets[target][0]
        candidates = [i for i in verdict.binding.get(target, []) if audience.marks[i] is not None]

        def cost(i: int, city: str = city) -> tuple:
            """The target's own city first, then the all-cities row, then other cities; city totals last."""
            mark = audience.marks[i]
            total = mark[1] == "*"
            tier = (0 if mark[0] == city else 1 if mark[0] == RUHR else 2) + (3 if total else 0)
            if total and mark[0] == RUHR:
                tier = 3
            return (tier, audience.values[i] if audience.values[i] is not None else 0, mark)

        if not candidates:
            chosen |= whole_marks(city, tables)
        elif not any(audience.marks[i] in chosen for i in candidates):
            chosen.add(audience.marks[min(candidates, key=cost)])
    return chosen


def whole_marks(city: str, tables: Sequence[FacetTable]) -> set[Mark]:
    """Everything of one city (or the whole all-cities row)."""
    marks = {(city, "*", "*", "all")}
    for table in tables:
        if city == RUHR or city in table.cities:
            marks |= {(city, table.facet, category, "all") for category in table.categories}
    return marks
