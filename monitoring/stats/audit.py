"""Integer audit of suppressed counts: how far can an attacker narrow each one?

Why: rounding an LP bound is not enough. Counts are integers, and an attacker who knows that
(and every published number) can prove ranges an LP relaxation does not show. The requirement
(issue 9) is that for every suppressed count the range of values consistent with *all* integer
solutions is at least ``k`` wide. This module decides that for a linear system
``low <= A x <= high, 0 <= x <= cap, x integer`` and a set of hidden linear forms ("targets").

Method: every integer solution found widens the known range of every target at once (the true
counts, when given, are the first). A few solutions with random +-1 objectives certify most
targets; each target still narrower than ``k`` gets its own exact integer maximum and minimum
(``scipy.optimize.milp``, HiGHS). A target whose exact integer range is narrower than ``k``
fails; for it, the published relations that bind its LP relaxation (non-zero duals) are
returned, so the caller can suppress one of them and audit again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, linprog, milp

CAP = 10**7
"""Upper bound of every variable: far above any count, so reaching it means "unbounded"."""


@dataclass(frozen=True)
class System:
    matrix: sparse.csr_matrix  # one row per published relation
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    targets: sparse.csr_matrix  # one row per suppressed count


@dataclass
class Verdict:
    k: int
    widths: NDArray[np.float64]  # per target: proven width (>= k: safe; exact where below k)
    failing: list[int] = field(default_factory=list)
    binding: dict[int, list[int]] = field(default_factory=dict)  # failing target -> binding relations
    solves: int = 0

    @property
    def passed(self) -> bool:
        return not self.failing

    @property
    def min_width(self) -> float | None:
        return float(self.widths.min()) if self.widths.size else None


class _Solver:
    """The system once in the forms HiGHS wants: as LP (with duals) and as integer programme."""

    def __init__(self, system: System) -> None:
        matrix = system.matrix.tocsr()
        self.size = matrix.shape[1]
        self.equal = np.flatnonzero(system.low == system.high)
        upper = np.flatnonzero((system.low != system.high) & np.isfinite(system.high))
        lower = np.flatnonzero((system.low != system.high) & np.isfinite(system.low))
        self.a_eq, self.b_eq = matrix[self.equal], system.low[self.equal]
        self.ub_rows = np.concatenate([upper, lower])
        self.a_ub = sparse.vstack([matrix[upper], -matrix[lower]]).tocsr() if self.ub_rows.size else None
        self.b_ub = np.concatenate([system.high[upper], -system.low[lower]]) if self.ub_rows.size else None
        self.constraint = LinearConstraint(matrix, system.low, system.high)
        self.solves = 0

    def relaxed(self, objective: NDArray[np.float64]) -> OptimizeResult:
        self.solves += 1
        result = linprog(
            objective, A_eq=self.a_eq, b_eq=self.b_eq, A_ub=self.a_ub, b_ub=self.b_ub, bounds=(0, CAP), method="highs"
        )
        if result.status != 0:
            raise RuntimeError(f"disclosure audit: the published system has no solution ({result.message})")
        return result

    def exact(self, objective: NDArray[np.float64]) -> NDArray[np.float64]:
        self.solves += 1
        result = milp(
            objective,
            constraints=self.constraint,
            integrality=np.ones(self.size),
            bounds=Bounds(np.zeros(self.size), np.full(self.size, float(CAP))),
        )
        if result.status != 0:
            raise RuntimeError(f"disclosure audit: the published system has no integer solution ({result.message})")
        return np.asarray(np.round(result.x), dtype=np.float64)

    def binding(self, *results: OptimizeResult) -> list[int]:
        """Relations with a non-zero dual in the given LP optima."""
        found: set[int] = set()
        for result in results:
            found |= {int(self.equal[j]) for j in np.flatnonzero(np.abs(result.eqlin.marginals) > 1e-9)}
            if self.a_ub is not None:
                found |= {int(self.ub_rows[j]) for j in np.flatnonzero(np.abs(result.ineqlin.marginals) > 1e-9)}
        return sorted(found)


def integer_audit(system: System, k: int, truth: NDArray[np.float64] | None = None, seed: int = 0) -> Verdict:
    """Prove for every target an integer range of at least ``k``, or report it as failing.

    The LP relaxation's range contains the integer range: an LP range below ``k`` fails without
    an integer solve. An LP optimum that is integral is an integer solution. Only where neither
    settles a target, its exact integer maximum and minimum are solved.
    """
    count = system.targets.shape[0]
    verdict = Verdict(k, np.zeros(count))
    if count == 0:
        return verdict
    goals = system.targets.tocsr()
    high = np.full(count, -np.inf)
    low = np.full(count, np.inf)
    solver = _Solver(system)

    def reach(point: NDArray[np.float64]) -> None:
        reached = goals @ point
        np.maximum(high, reached, out=high)
        np.minimum(low, reached, out=low)

    def relaxed(objective: NDArray[np.float64]) -> OptimizeResult:
        result = solver.relaxed(objective)
        if np.allclose(result.x, np.round(result.x), atol=1e-7):
            reach(np.round(result.x))
        return result

    if truth is not None:
        reach(np.asarray(truth, dtype=np.float64))
    rng = np.random.default_rng(seed)
    for _ in range(min(8, count)):
        objective = np.asarray(goals.T @ rng.choice((-1.0, 1.0), size=count)).ravel()
        if not np.allclose((x := relaxed(objective).x), np.round(x), atol=1e-7):
            reach(solver.exact(objective))
    for i in range(count):
        if high[i] - low[i] >= k:
            continue
        row = goals[i].toarray().ravel()
        upper = relaxed(-row)
        if high[i] - low[i] >= k:
            continue
        lower = relaxed(row)
        if high[i] - low[i] >= k:
            continue
        if -upper.fun - lower.fun >= k - 1e-6:
            reach(solver.exact(-row))
            if high[i] - low[i] < k:
                reach(solver.exact(row))
            if high[i] - low[i] >= k:
                continue
        verdict.failing.append(i)
        verdict.binding[i] = solver.binding(upper, lower)
    verdict.widths = high - low
    verdict.solves = solver.solves
    return verdict
