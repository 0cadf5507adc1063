"""Statistical disclosure control for the published count tables of one survey wave.

Why: a survey cell discloses an *attribute* (immigration status) of identifiable colleagues, so
monitoring.md §4.1 proposes a rule set stricter than the Bundesagentur's minimum of 3. This
module implements it:

1. **PRIMARY** - a group (table cell with the attribute summed out) is published only with at
   least ``k`` respondents (default 10, never below 5: ``ValueError``) and, when HR headcounts
   are supplied, at least ``min_headcount`` staff (default 20). All cells of a smaller group
   are suppressed. Published shares from fewer than 30 respondents get ``low_precision``.
2. **ZERO_OR_FULL** - §4.1 rule 2: "suppress the count of people with a migration background
   in any cell where 0 % or 100 % of respondents have one" (l-diversity >= 2). The reference
   applies it to *any* cell, so it is applied at every group size (this covers the "small group
   never at 0 %/100 %" requirement a fortiori). Concretely: if any attribute category of a
   group with >= k respondents is 0 or equal to the group total, all attribute cells of that
   group are suppressed; the group's respondent total stays published.
3. **SECONDARY** - §4.1 rule 3: complementary suppression along every additive relation
   ("row/column/margin group": a total or sub-total equals the sum of its parts) so that no
   suppressed cell is the only unknown of a relation, choosing the smallest complementary cell
   (see "Choosing complements" below). Relations are found *across* tables: cells are identified by the set of
   micro-cells they sum (a "box"), so the same total appearing in two tables is one cell, and
   "all staff" = "trainees" + "non-trainees" or two filter selections differing in one category
   are relations like any other. Where such a difference is a group that no table shows
   (e.g. filter "<40" minus filter "<30"), it is added as a *virtual* cell that is sensitive
   if it is below ``k`` (or zero/full), so it is protected like a suppressed cell.
4. **Audit** (default on) - the relation heuristic is not sufficient in general (e.g. a chain of
   relations or a difference of differences can pin a cell). The audit therefore checks every
   suppressed (and every sensitive virtual) cell against the full linear system of published
   cells over the micro-cells: the feasible range via linear programs (max and min subject to
   the published equations and non-negativity; an exactly recoverable cell has min = max).
   Counts are integers, so a range is only accepted if even its integer
   rounding reaches ``v + m + 1`` or ``v - m - 1`` (``m`` = ``protection_margin``, default 1:
   the cell must not be pinned to within +-1 of its true value, even by an attacker who rounds
   LP bounds). For an unprotected cell, the published cell that binds the LP (non-zero dual)
   or carries the exact reconstruction (least-squares coefficients) is suppressed as well,
   the relation heuristic runs again, and the process iterates until stable. Adding
   suppressions only widens ranges, so a cell proven safe stays safe; feasible points found
   by earlier LPs are reused to prove many cells safe without solving their own LPs.

Choosing complements: monitoring.md asks for the smallest complementary cells. The choice is
refined in a documented way: cells with a value of at least ``m + 1`` come first (a complement of
0 or 1 leaves the suppressed cell no room), then cells whose suppression creates the fewest new
"only unknown of a relation" situations (this stops cascades into the city totals that carry the
headline indicator), then the smallest value.

Assumptions and limits (documented, not silently relied on):

* The attacker knows the published survey counts and that counts are non-negative. HR
  headcounts only feed the primary rule; the audit does not model them as upper bounds
  (respondents <= headcount), so the UI should not show headcounts next to suppressed groups.
  Every published number (share, interval, response rate, weighted estimate) must be derived
  only from published counts: if a count is suppressed, everything computed from it is too.
* Virtual cells are found for differences along one dimension; deeper combinations are covered
  by the audit only for cells that are published or virtual.
* Rule 3's "keep the pattern consistent across years" is supported via ``carry_over``: boxes
  suppressed in the previous wave are suppressed again (SECONDARY) before the heuristic runs.
* Unclassifiable respondents should not be an attribute category (zeros there would pin
  sub-cells); the attribute dimension is meant to be the classified answers (e.g. yes/no),
  unclassifiable counts are reported only at levels the caller has checked separately.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import reduce

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linprog

MIN_ALLOWED_K = 5
_TOLERANCE = 1e-6


class SuppressionReason(Enum):
    """Why a cell is not shown; the UI explains each code to the reader."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    ZERO_OR_FULL = "zero_or_full"


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds of monitoring.md §4.1 (suggested rule set)."""

    min_respondents: int = 10
    min_headcount: int = 20
    low_precision_below: int = 30
    protection_margin: int = 1
    audit: bool = True

    def __post_init__(self) -> None:
        if self.min_respondents < MIN_ALLOWED_K:
            raise ValueError(f"minimum cell size k={self.min_respondents} is below the floor of {MIN_ALLOWED_K}")
        if self.min_headcount < 0 or self.low_precision_below < 0:
            raise ValueError("thresholds must be non-negative")
        if self.protection_margin < 1 or int(self.protection_margin) != self.protection_margin:
            raise ValueError("protection_margin must be an integer of at least 1")


@dataclass(frozen=True)
class Dimension:
    """A classification variable with optional sub-totals (one hierarchy level) and a total."""

    name: str
    categories: tuple[str, ...]
    subtotals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    total_label: str = "Total"

    def __post_init__(self) -> None:
        if not self.categories or len(set(self.categories)) != len(self.categories):
            raise ValueError(f"dimension {self.name!r}: categories must be non-empty and unique")
        labels = list(self.categories) + [label for label, _ in self.subtotals] + [self.total_label]
        if len(set(labels)) != len(labels):
            raise ValueError(f"dimension {self.name!r}: labels of categories/subtotals/total clash")
        for label, members in self.subtotals:
            if not members or not set(members) <= set(self.categories):
                raise ValueError(f"dimension {self.name!r}: subtotal {label!r} has unknown members")

    @property
    def full_mask(self) -> int:
        return (1 << len(self.categories)) - 1

    def mask_of(self, members: Iterable[str]) -> int:
        """Bit mask of a set of categories; unknown categories are errors."""
        mask = 0
        for member in members:
            if member not in self.categories:
                raise ValueError(f"dimension {self.name!r} has no category {member!r}")
            mask |= 1 << self.categories.index(member)
        return mask

    def options(self) -> list[tuple[str, int]]:
        """Label and mask of every row/column a table shows for this dimension."""
        singles = [(c, 1 << i) for i, c in enumerate(self.categories)]
        groups = [(label, self.mask_of(members)) for label, members in self.subtotals]
        return singles + groups + [(self.total_label, self.full_mask)]

    def labels_of(self, mask: int) -> tuple[str, ...]:
        return tuple(c for i, c in enumerate(self.categories) if mask >> i & 1)


@dataclass(frozen=True)
class CountCube:
    """Finest respondent counts of one wave: one axis per dimension, attribute axis last.

    ``headcounts`` (optional) are HR headcounts with the dimensions' shape (no attribute axis).
    """

    dimensions: tuple[Dimension, ...]
    attribute: Dimension
    counts: NDArray[np.int64]
    headcounts: NDArray[np.int64] | None = None

    def __post_init__(self) -> None:
        shape = tuple(len(d.categories) for d in self.dimensions)
        if self.counts.shape != shape + (len(self.attribute.categories),):
            raise ValueError(f"counts shape {self.counts.shape} does not match dimensions {shape}")
        if np.any(self.counts < 0):
            raise ValueError("counts must be non-negative")
        if len(self.attribute.categories) < 2:
            raise ValueError("the attribute dimension needs at least two categories")
        if self.headcounts is not None and self.headcounts.shape != shape:
            raise ValueError(f"headcounts shape {self.headcounts.shape} != {shape}")
        names = [d.name for d in self.dimensions] + [self.attribute.name]
        if len(set(names)) != len(names):
            raise ValueError("dimension names must be unique")

    @classmethod
    def build(
        cls,
        dimensions: Sequence[Dimension],
        attribute: Dimension,
        counts: ArrayLike,
        headcounts: ArrayLike | None = None,
    ) -> CountCube:
        heads = None if headcounts is None else np.asarray(headcounts, dtype=np.int64)
        return cls(tuple(dimensions), attribute, np.asarray(counts, dtype=np.int64), heads)

    def dimension(self, name: str) -> Dimension:
        for dim in self.dimensions:
            if dim.name == name:
                return dim
        raise ValueError(f"unknown dimension {name!r}")


@dataclass(frozen=True)
class TableSpec:
    """A published cross-tabulation: shown dimensions (with totals) and fixed filters."""

    name: str
    dimensions: tuple[str, ...]
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


CellKey = tuple[str, ...]
"""Labels of the shown dimensions followed by the attribute label (category or total)."""

BoxKey = tuple[tuple[str, ...], ...]
"""Wave-independent identity of a cell: the categories it covers, per cube axis."""


@dataclass(frozen=True)
class CellResult:
    """What the UI may show for one cell."""

    value: int | None
    reason: SuppressionReason | None
    low_precision: bool
    box: BoxKey

    @property
    def suppressed(self) -> bool:
        return self.reason is not None


@dataclass(frozen=True)
class ProtectedTable:
    spec: TableSpec
    cells: Mapping[CellKey, CellResult]


@dataclass(frozen=True)
class WaveProtection:
    """Protected tables plus the pattern to carry over into the next wave."""

    tables: Mapping[str, ProtectedTable]
    suppressed_boxes: frozenset[BoxKey]
    audit_rounds: int
    lp_solves: int


# --------------------------------------------------------------------------------------------
# Cell registry: every distinct box once, real (published somewhere) or virtual (derivable)
# --------------------------------------------------------------------------------------------


Box = tuple[int, ...]


class _Registry:
    """Cells as boxes (bit mask per axis) with their values and sensitivity."""

    def __init__(self, cube: CountCube, rules: DisclosureRules) -> None:
        self.cube = cube
        self.rules = rules
        self.axes = list(cube.dimensions) + [cube.attribute]
        self.boxes: list[Box] = []
        self.values: list[int] = []
        self.virtual: list[bool] = []
        self.index: dict[Box, int] = {}
        self._mask_cache: dict[tuple[int, int], NDArray[np.intp]] = {}
        self._sums: dict[Box, int] = {}
        self._heads: dict[Box, int] = {}
        self._primary: dict[Box, SuppressionReason | None] = {}

    def _indices(self, axis: int, mask: int) -> NDArray[np.intp]:
        key = (axis, mask)
        if key not in self._mask_cache:
            size = len(self.axes[axis].categories)
            self._mask_cache[key] = np.array([i for i in range(size) if mask >> i & 1], dtype=np.intp)
        return self._mask_cache[key]

    def _selector(self, box: Box) -> tuple[object, ...]:
        """Index tuple selecting a box: a full slice where the box covers an axis completely,
        otherwise an open-mesh index array (like ``np.ix_`` but cached and check-free)."""
        ndim = len(box)
        selector: list[object] = []
        for axis, mask in enumerate(box):
            if mask == self.axes[axis].full_mask:
                selector.append(slice(None))
                continue
            shape = [1] * ndim
            shape[axis] = -1
            selector.append(self._indices(axis, mask).reshape(shape))
        return tuple(selector)

    def box_sum(self, box: Box) -> int:
        """Respondents in a box (memoised: the same groups are asked for again and again)."""
        if box not in self._sums:
            self._sums[box] = int(self.cube.counts[self._selector(box)].sum())
        return self._sums[box]

    def headcount(self, box: Box) -> int | None:
        if self.cube.headcounts is None:
            return None
        group = box[:-1]
        if group not in self._heads:
            selector = self._selector(box)[:-1]
            self._heads[group] = int(self.cube.headcounts[selector].sum())
        return self._heads[group]

    def add(self, box: Box, virtual: bool) -> int:
        """Register a box; a virtual cell later found in a table becomes real."""
        if box in self.index:
            cid = self.index[box]
            if not virtual:
                self.virtual[cid] = False
            return cid
        cid = len(self.boxes)
        self.boxes.append(box)
        self.values.append(self.box_sum(box))
        self.virtual.append(virtual)
        self.index[box] = cid
        return cid

    def group_box(self, box: Box) -> Box:
        return box[:-1] + (self.cube.attribute.full_mask,)

    def primary_reason(self, box: Box) -> SuppressionReason | None:
        """Primary rules of §4.1 (1) and (2) for the cell with this box (memoised)."""
        if box not in self._primary:
            self._primary[box] = self._primary_reason(box)
        return self._primary[box]

    def _primary_reason(self, box: Box) -> SuppressionReason | None:
        group = self.group_box(box)
        n_group = self.box_sum(group)
        if n_group < self.rules.min_respondents:
            return SuppressionReason.PRIMARY
        heads = self.headcount(box)
        if heads is not None and heads < self.rules.min_headcount:
            return SuppressionReason.PRIMARY
        if box[-1] == self.cube.attribute.full_mask:
            return None
        parts = [self.box_sum(group[:-1] + (1 << j,)) for j in range(len(self.cube.attribute.categories))]
        if any(p == 0 or p == n_group for p in parts):
            return SuppressionReason.ZERO_OR_FULL
        return None

    def key(self, box: Box) -> BoxKey:
        return tuple(axis.labels_of(mask) for axis, mask in zip(self.axes, box, strict=True))

    def membership(self, cid: int) -> NDArray[np.float64]:
        """0/1 vector over the flattened micro-cells that this cell sums."""
        vectors = []
        for position, (axis, mask) in enumerate(zip(self.axes, self.boxes[cid], strict=True)):
            vec = np.zeros(len(axis.categories))
            vec[self._indices(position, mask)] = 1.0
            vectors.append(vec)
        return reduce(np.multiply.outer, vectors).ravel()


def _table_boxes(cube: CountCube, spec: TableSpec) -> list[tuple[CellKey, Box]]:
    """All cells of one table: shown dims x (categories, subtotals, total) x attribute."""
    shown = list(spec.dimensions)
    names = [d.name for d in cube.dimensions]
    if len(set(shown)) != len(shown) or not set(shown) <= set(names):
        raise ValueError(f"table {spec.name!r}: shown dimensions {shown} invalid")
    if set(spec.filters) & set(shown) or not set(spec.filters) <= set(names):
        raise ValueError(f"table {spec.name!r}: filters must name non-shown dimensions")
    fixed = {name: cube.dimension(name).mask_of(members) for name, members in spec.filters.items()}
    if any(mask == 0 for mask in fixed.values()):
        raise ValueError(f"table {spec.name!r}: empty filter")
    options = [cube.dimension(name).options() for name in shown] + [cube.attribute.options()]
    cells: list[tuple[CellKey, Box]] = []
    for combo in _product(options):
        chosen = dict(zip(shown, (mask for _, mask in combo[:-1]), strict=True))
        box = tuple(chosen.get(d.name, fixed.get(d.name, d.full_mask)) for d in cube.dimensions) + (combo[-1][1],)
        cells.append((tuple(label for label, _ in combo), box))
    return cells


def _product(options: list[list[tuple[str, int]]]) -> list[tuple[tuple[str, int], ...]]:
    result: list[tuple[tuple[str, int], ...]] = [()]
    for opts in options:
        result = [prev + (opt,) for prev in result for opt in opts]
    return result


# --------------------------------------------------------------------------------------------
# Additive relations ("row/column/margin groups"), found across tables
# --------------------------------------------------------------------------------------------


Relation = tuple[int, tuple[int, ...]]
"""(parent cell, child cells) with value(parent) = sum of value(children)."""


def _is_subset(small: int, big: int) -> bool:
    return small != big and small & big == small


def _partition_relations(parent: int, subs: list[int]) -> list[list[int]]:
    """Child mask lists that partition ``parent``: all singletons, and maximal subsets."""
    found: list[list[int]] = []
    singles = [s for s in subs if s & (s - 1) == 0]
    if len(singles) >= 2 and reduce(lambda a, b: a | b, singles) == parent:
        found.append(singles)
    maximal = [s for s in subs if not any(_is_subset(s, t) for t in subs)]
    union = reduce(lambda a, b: a | b, maximal, 0)
    if len(maximal) >= 2 and union == parent and sum(bin(m).count("1") for m in maximal) == bin(parent).count("1"):
        found.append(maximal)
    return found


def _relations_along(registry: _Registry, axis: int, sensitive: dict[int, SuppressionReason]) -> set[Relation]:
    """Relations along one axis between cells that agree on every other axis."""
    groups: dict[Box, dict[int, int]] = defaultdict(dict)
    for cid, box in enumerate(list(registry.boxes)):
        if registry.virtual[cid]:
            continue
        groups[box[:axis] + box[axis + 1 :]][box[axis]] = cid
    relations: set[Relation] = set()
    for rest, by_mask in groups.items():
        for parent_mask, parent in by_mask.items():
            subs = [m for m in by_mask if _is_subset(m, parent_mask)]
            if not subs:
                continue
            for children in _partition_relations(parent_mask, subs):
                relations.add((parent, tuple(sorted(by_mask[m] for m in children))))
            for sub in subs:
                rest_mask = parent_mask & ~sub
                other = by_mask.get(rest_mask)
                if other is None:
                    other = _virtual_cell(registry, rest[:axis] + (rest_mask,) + rest[axis:], sensitive)
                if other is not None:
                    relations.add((parent, tuple(sorted((by_mask[sub], other)))))
    return relations


def _virtual_cell(registry: _Registry, box: Box, sensitive: dict[int, SuppressionReason]) -> int | None:
    """A derivable, unpublished difference group; kept only if it needs protection."""
    if box in registry.index:
        return registry.index[box]
    reason = registry.primary_reason(box)
    if reason is None:
        return None
    cid = registry.add(box, virtual=True)
    sensitive[cid] = reason
    return cid


# --------------------------------------------------------------------------------------------
# Suppression
# --------------------------------------------------------------------------------------------


class _State:
    """Mutable suppression state shared by the heuristic and the audit."""

    def __init__(self, registry: _Registry, rules: DisclosureRules) -> None:
        self.registry = registry
        self.rules = rules
        self.reasons: dict[int, SuppressionReason] = {}
        self.preferred_minimum = rules.protection_margin + 1
        self.relations: list[Relation] = []
        self.by_cell: dict[int, list[int]] = defaultdict(list)

    def set_relations(self, relations: Sequence[Relation]) -> None:
        self.relations = list(relations)
        self.by_cell = defaultdict(list)
        for rid, (parent, children) in enumerate(self.relations):
            for cid in (parent, *children):
                self.by_cell[cid].append(rid)

    def unknown(self, cid: int) -> bool:
        return cid in self.reasons

    def unknown_count(self, rid: int) -> int:
        parent, children = self.relations[rid]
        return sum(1 for c in (parent, *children) if c in self.reasons)

    def cascade(self, cid: int) -> int:
        """New deficient relations caused minus deficient relations repaired by suppressing."""
        score = 0
        for rid in self.by_cell.get(cid, ()):
            unknown = self.unknown_count(rid)
            score += 1 if unknown == 0 else -1 if unknown == 1 else 0
        return score

    def choose(self, candidates: Iterable[int]) -> int | None:
        """Cheapest published real cell to suppress as a complement.

        Order: values that leave room to move (>= protection_margin + 1) first, then cells
        whose suppression starts the fewest new deficient relations (this keeps the pattern
        from cascading into city totals), then the smallest value (§4.1 rule 3).
        """
        pool = [c for c in candidates if not self.registry.virtual[c] and c not in self.reasons]
        if not pool:
            return None
        values = self.registry.values
        return min(pool, key=lambda c: (values[c] < self.preferred_minimum, self.cascade(c), values[c], c))

    def suppress(self, cid: int, reason: SuppressionReason) -> None:
        self.reasons.setdefault(cid, reason)


def _close_relations(state: _State) -> None:
    """Until stable: no relation may have exactly one unknown cell (SECONDARY suppression)."""
    pending = list(range(len(state.relations)))
    while pending:
        rid = pending.pop()
        parent, children = state.relations[rid]
        unknown = [c for c in (parent, *children) if state.unknown(c)]
        if len(unknown) != 1:
            continue
        complement = state.choose(c for c in children if c != unknown[0])
        if complement is None:
            complement = state.choose([parent])
        if complement is None:
            continue
        state.suppress(complement, SuppressionReason.SECONDARY)
        pending.extend(state.by_cell[complement])


@dataclass
class _Audit:
    """LP check of every unknown cell against the published system.

    ``high``/``low`` hold, per cell, the largest and smallest value reached by any feasible
    micro-cell vector seen so far (published cells reproduced, non-negative), starting with the
    truth. A cell that some feasible point moves beyond the margin is proven protected, so
    every LP solution certifies many cells at once. Everything here is element-wise numpy or
    HiGHS: the matrices are small, and multi-threaded BLAS on small matrices is slow on busy
    machines.
    """

    matrix: NDArray[np.float64]
    high: NDArray[np.float64]
    low: NDArray[np.float64]
    lp_solves: int = 0
    safe: set[int] = field(default_factory=set)

    def add_point(self, point: NDArray[np.float64]) -> None:
        reached = (self.matrix * point).sum(axis=1)
        np.maximum(self.high, reached, out=self.high)
        np.minimum(self.low, reached, out=self.low)


def _merged_system(registry: _Registry) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Membership matrix with identical micro-cell columns merged, and the true merged counts.

    Micro-cells that no cell distinguishes can be summed into one non-negative variable; this
    is exact and makes the LPs smaller.
    """
    full = np.vstack([registry.membership(cid) for cid in range(len(registry.boxes))])
    _, first, inverse = np.unique(full.T, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank_of = np.empty_like(order)
    rank_of[order] = np.arange(order.size)
    truth = np.bincount(
        rank_of[inverse.ravel()],
        weights=registry.cube.counts.ravel().astype(np.float64),
        minlength=order.size,
    )
    return full[:, first[order]], truth


def _independent_rows(matrix: NDArray[np.float64]) -> NDArray[np.intp]:
    """A maximal set of linearly independent rows (Gaussian elimination, partial pivoting).

    The equality system handed to the LP keeps the same solution set but loses redundant rows
    (totals that equal the sum of published parts), which makes the LPs smaller and their
    duals point at cells whose suppression actually matters.
    """
    work = matrix.astype(np.float64, copy=True)
    remaining = np.ones(work.shape[0], dtype=bool)
    chosen: list[int] = []
    scale = max(1.0, float(np.abs(work).max(initial=0.0)))
    for column in range(work.shape[1]):
        candidates = np.flatnonzero(remaining & (np.abs(work[:, column]) > 1e-9 * scale))
        if candidates.size == 0:
            continue
        pivot = int(candidates[np.argmax(np.abs(work[candidates, column]))])
        remaining[pivot] = False
        chosen.append(pivot)
        others = np.flatnonzero(remaining & (work[:, column] != 0.0))
        factors = work[others, column] / work[pivot, column]
        work[others] -= factors[:, None] * work[pivot][None, :]
    return np.sort(np.asarray(chosen, dtype=np.intp))


def _solve(
    audit: _Audit, objective: NDArray[np.float64], a_eq: NDArray[np.float64], b_eq: NDArray[np.float64]
) -> tuple[float, NDArray[np.float64]]:
    """Minimise ``objective`` over the feasible set; keeps the optimal point for reuse."""
    audit.lp_solves += 1
    res = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status == 3:  # unbounded: the cell can move arbitrarily far
        return -math.inf, np.zeros(len(b_eq))
    if res.status != 0:
        raise RuntimeError(f"disclosure audit LP failed: {res.message}")
    audit.add_point(np.asarray(res.x, dtype=np.float64))
    return float(res.fun), np.asarray(res.eqlin.marginals, dtype=np.float64)


def _certified(audit: _Audit, cells: list[int], values: NDArray[np.float64], margin: int) -> set[int]:
    """Cells that some known feasible point moves at least ``margin + 1`` away (integer-safe)."""
    if not cells:
        return set()
    idx = np.asarray(cells)
    tolerance = _TOLERANCE * np.maximum(1.0, values[idx])
    reach = np.maximum(audit.high[idx] - values[idx], values[idx] - audit.low[idx])
    return {int(c) for c in idx[reach + tolerance >= margin + 1]}


def _explore(audit: _Audit, cells: list[int], a_eq: NDArray[np.float64], b_eq: NDArray[np.float64], seed: int) -> None:
    """A few LPs with random +-1 objectives over all open cells: cheap mass certification."""
    rng = np.random.default_rng(seed)
    rows = audit.matrix[cells]
    for _ in range(min(4, len(cells))):
        signs = rng.choice((-1.0, 1.0), size=len(cells))
        _solve(audit, (signs[:, None] * rows).sum(axis=0), a_eq, b_eq)


def _audit_round(state: _State, audit: _Audit, round_number: int) -> list[int]:
    """Check all not-yet-proven cells; return published cells to suppress additionally."""
    registry = state.registry
    values = np.asarray(registry.values, dtype=np.float64)
    margin = state.rules.protection_margin
    published = [c for c in range(len(registry.boxes)) if not registry.virtual[c] and not state.unknown(c)]
    todo = [c for c in state.reasons if c not in audit.safe]
    if not todo or not published:
        audit.safe.update(todo)
        return []
    basis = [published[i] for i in _independent_rows(audit.matrix[published])]
    a_eq, b_eq = audit.matrix[basis], values[basis]
    audit.safe |= _certified(audit, todo, values, margin)
    open_cells = [c for c in todo if c not in audit.safe]
    if open_cells:
        _explore(audit, open_cells, a_eq, b_eq, round_number)
        audit.safe |= _certified(audit, open_cells, values, margin)
    additions = []
    for cid in open_cells:
        if cid in audit.safe or _certified(audit, [cid], values, margin):
            audit.safe.add(cid)
            continue
        additions.append(_range_check(state, audit, cid, a_eq, b_eq, basis, published))
    return [c for c in additions if c >= 0]


def _range_check(
    state: _State,
    audit: _Audit,
    cid: int,
    a_eq: NDArray[np.float64],
    b_eq: NDArray[np.float64],
    basis: list[int],
    published: list[int],
) -> int:
    """Exact LP range of one cell; returns a cell to suppress, or -1 if it is protected.

    An exactly recoverable cell shows up here as min = max = true value.
    """
    values = state.registry.values
    margin = state.rules.protection_margin
    tolerance = _TOLERANCE * max(1.0, values[cid])
    target = audit.matrix[cid]
    negative_high, high_duals = _solve(audit, -target, a_eq, b_eq)
    if -negative_high + tolerance >= values[cid] + margin + 1:
        audit.safe.add(cid)
        return -1
    low, low_duals = _solve(audit, target, a_eq, b_eq)
    if low - tolerance <= values[cid] - margin - 1:
        audit.safe.add(cid)
        return -1
    return _pick(state, basis, published, high_duals, low_duals)


def _pick(state: _State, rows: list[int], published: list[int], *weights: NDArray[np.float64]) -> int:
    """Suppress the cheapest published cell that binds the LP (non-zero dual value)."""
    for weight in weights:
        candidates = [rows[i] for i in np.flatnonzero(np.abs(weight) > 1e-9)]
        chosen = state.choose(candidates)
        if chosen is not None:
            return chosen
    fallback = state.choose(published)
    return -1 if fallback is None else fallback


def _run_audit(state: _State) -> tuple[int, int]:
    if not state.reasons:
        return 0, 0
    matrix, truth = _merged_system(state.registry)
    reached = (matrix * truth).sum(axis=1)
    audit = _Audit(matrix, reached.copy(), reached.copy())
    rounds = 0
    while True:
        rounds += 1
        additions = _audit_round(state, audit, rounds)
        if not additions:
            return rounds, audit.lp_solves
        for cid in additions:
            state.suppress(cid, SuppressionReason.SECONDARY)
        _close_relations(state)


def _register_tables(registry: _Registry, tables: Sequence[TableSpec]) -> list[list[tuple[CellKey, int]]]:
    if len({t.name for t in tables}) != len(tables):
        raise ValueError("table names must be unique")
    layout: list[list[tuple[CellKey, int]]] = []
    for spec in tables:
        layout.append([(key, registry.add(box, virtual=False)) for key, box in _table_boxes(registry.cube, spec)])
    return layout


def _primary(registry: _Registry, state: _State, carry_over: Iterable[BoxKey]) -> None:
    for cid, box in enumerate(registry.boxes):
        reason = registry.primary_reason(box)
        if reason is not None:
            state.suppress(cid, reason)
    carry = list(carry_over)
    if not carry:
        return
    by_key = {registry.key(box): cid for cid, box in enumerate(registry.boxes)}
    for key in carry:
        if key in by_key:
            state.suppress(by_key[key], SuppressionReason.SECONDARY)


def _result_tables(
    registry: _Registry, state: _State, tables: Sequence[TableSpec], layout: list[list[tuple[CellKey, int]]]
) -> dict[str, ProtectedTable]:
    result: dict[str, ProtectedTable] = {}
    for spec, cells in zip(tables, layout, strict=True):
        rendered: dict[CellKey, CellResult] = {}
        for key, cid in cells:
            reason = state.reasons.get(cid)
            group = registry.box_sum(registry.group_box(registry.boxes[cid]))
            rendered[key] = CellResult(
                value=None if reason else registry.values[cid],
                reason=reason,
                low_precision=reason is None and group < state.rules.low_precision_below,
                box=registry.key(registry.boxes[cid]),
            )
        result[spec.name] = ProtectedTable(spec, rendered)
    return result


def protect_wave(
    cube: CountCube,
    tables: Sequence[TableSpec],
    rules: DisclosureRules | None = None,
    carry_over: Iterable[BoxKey] = (),
) -> WaveProtection:
    """Apply primary, zero/full and secondary suppression consistently to all tables of a wave.

    Cells shared by several tables are one cell, relations are searched across tables, and the
    audit checks the union of all published cells, so differencing tables cannot recover a
    suppressed cell. Iterates until no relation and no audit check asks for more.
    """
    rules = DisclosureRules() if rules is None else rules
    registry = _Registry(cube, rules)
    layout = _register_tables(registry, tables)
    state = _State(registry, rules)
    _primary(registry, state, carry_over)
    relations: set[Relation] = set()
    for axis in range(len(registry.axes)):
        relations |= _relations_along(registry, axis, state.reasons)
    state.set_relations(sorted(relations))
    _close_relations(state)
    rounds, solves = _run_audit(state) if rules.audit else (0, 0)
    suppressed = frozenset(registry.key(registry.boxes[c]) for c in state.reasons if not registry.virtual[c])
    return WaveProtection(_result_tables(registry, state, tables, layout), suppressed, rounds, solves)


def protect_table(cube: CountCube, table: TableSpec, rules: DisclosureRules | None = None) -> ProtectedTable:
    """Single-table convenience: the same machinery with one table."""
    return protect_wave(cube, [table], rules).tables[table.name]
