"""Adversarial test: try to recover every suppressed cell from everything a wave publishes.

The attacker knows the table definitions (dimensions, categories, filters) and every published
number, and that counts are non-negative integers sums of micro-cells (the finest
cross-classification). It sets up the linear system "published cell = sum of its micro-cells"
and, for every suppressed cell,

1. checks exact recoverability: the cell's 0/1 micro-cell vector lies in the row space of the
   published-cell matrix (least-squares residual ~ 0), and
2. computes exact bounds with linear programming (min and max of the cell subject to the
   published equations and non-negativity). If the feasible range is pinned within +-1 of the
   true value, the attack succeeded.

Any success fails the test. Waves are random but seeded, and include overlapping filter
tables ("all staff" vs "trainees" vs "non-trainees", two age filters differing in one band),
which is where differencing attacks live. This file deliberately does not use the library's
internal helpers: membership is rebuilt from the cell labels.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.optimize import linprog

from monitoring.stats.disclosure import (
    CountCube,
    Dimension,
    DisclosureRules,
    ProtectedTable,
    TableSpec,
    WaveProtection,
    protect_wave,
)

PIN_RADIUS = 1.0
SLACK = 1e-6

STATUS = Dimension("status", ("trainee", "civil_servant", "employee"))
AGE = Dimension(
    "age",
    ("<30", "30-39", "40-49", "50+"),
    subtotals=(("<40", ("<30", "30-39")), ("40+", ("40-49", "50+"))),
)
ATTRIBUTE = Dimension("mh", ("yes", "no"), total_label="respondents")


def _tables() -> list[TableSpec]:
    return [
        TableSpec("city_status", ("city", "status")),
        TableSpec("city_age", ("city", "age")),
        TableSpec("trainees_by_age", ("city", "age"), {"status": ("trainee",)}),
        TableSpec("non_trainees_by_age", ("city", "age"), {"status": ("civil_servant", "employee")}),
        TableSpec("under_40_by_status", ("city", "status"), {"age": ("<30", "30-39")}),
        TableSpec("under_30_by_status", ("city", "status"), {"age": ("<30",)}),
    ]


def _random_wave(seed: int) -> CountCube:
    """A small but realistic wave: staff headcounts, 15-40 % response, MH share by age/status."""
    rng = np.random.default_rng(seed)
    n_cities = 3 + seed % 4
    city = Dimension("city", tuple(f"City{i}" for i in range(n_cities)), total_label="Ruhr")
    status_mix = np.array([0.07, 0.33, 0.60])
    age_mix = np.array([0.18, 0.24, 0.26, 0.32])
    headcounts = np.zeros((n_cities, 3, 4), dtype=np.int64)
    counts = np.zeros((n_cities, 3, 4, 2), dtype=np.int64)
    for c in range(n_cities):
        staff = int(rng.integers(250, 1800))
        headcounts[c] = rng.multinomial(staff, np.outer(status_mix, age_mix).ravel()).reshape(3, 4)
        respondents = rng.binomial(headcounts[c], rng.uniform(0.15, 0.40))
        base = rng.uniform(0.06, 0.30)
        tilt = np.outer([1.8, 0.8, 1.0], [1.6, 1.2, 0.9, 0.6])
        yes = rng.binomial(respondents, np.clip(base * tilt, 0.0, 1.0))
        counts[c, :, :, 0] = yes
        counts[c, :, :, 1] = respondents - yes
    return CountCube.build([city, STATUS, AGE], ATTRIBUTE, counts, headcounts)


# ------------------------------------------------------------------------------------------
# The attacker: rebuild cell membership from labels, then linear algebra and LP
# ------------------------------------------------------------------------------------------


def _label_to_indices(dim: Dimension, label: str) -> list[int]:
    if label == dim.total_label:
        return list(range(len(dim.categories)))
    for sub_label, members in dim.subtotals:
        if sub_label == label:
            return [dim.categories.index(m) for m in members]
    return [dim.categories.index(label)]


def _membership(cube: CountCube, table: ProtectedTable, key: tuple[str, ...]) -> np.ndarray:
    """Micro-cell indicator of one published/suppressed cell, from its labels only."""
    per_axis: list[list[int]] = []
    shown = dict(zip(table.spec.dimensions, key[:-1], strict=True))
    for dim in cube.dimensions:
        if dim.name in shown:
            per_axis.append(_label_to_indices(dim, shown[dim.name]))
        elif dim.name in table.spec.filters:
            per_axis.append([dim.categories.index(c) for c in table.spec.filters[dim.name]])
        else:
            per_axis.append(list(range(len(dim.categories))))
    per_axis.append(_label_to_indices(cube.attribute, key[-1]))
    indicator = np.zeros(cube.counts.shape)
    indicator[np.ix_(*per_axis)] = 1.0
    return indicator.ravel()


def _small_unpublished_groups(cube: CountCube, k: int = 10) -> list[tuple[np.ndarray, str]]:
    """Attribute cells of every group below k in any cross-classification of the cube.

    Goes beyond the published tables: a group no table shows (e.g. a difference of two filter
    selections) must not be pinned either.
    """
    truth = cube.counts.ravel()
    options = [[label for label, _ in dim.options()] for dim in cube.dimensions]
    found = []
    for combo in itertools.product(*options):
        per_axis = [_label_to_indices(dim, label) for dim, label in zip(cube.dimensions, combo, strict=True)]
        group = np.zeros(cube.counts.shape)
        group[np.ix_(*per_axis)] = 1.0
        if group.ravel() @ truth >= k:
            continue
        for a, attribute in enumerate(cube.attribute.categories):
            cell = np.zeros(cube.counts.shape)
            cell[np.ix_(*per_axis, [a])] = 1.0
            found.append((cell.ravel(), f"derived:{combo}:{attribute}"))
    return found


def _row_space_residuals(published: np.ndarray, secrets: np.ndarray) -> np.ndarray:
    """Distance of each secret row from the row space of the published rows (0 = recoverable).

    Reduced row echelon form by Gaussian elimination with partial pivoting, element-wise only
    (multi-threaded BLAS on many tiny matrices is slow on a busy CI machine);
    :func:`test_rank_test_agrees_with_lstsq` cross-checks it against numpy.linalg.lstsq.
    """
    work = published.astype(float)
    reduced = secrets.astype(float)
    row = 0
    for column in range(work.shape[1]):
        if row == work.shape[0]:
            break
        pivot = row + int(np.argmax(np.abs(work[row:, column])))
        if abs(work[pivot, column]) < 1e-9:
            continue
        work[[row, pivot]] = work[[pivot, row]]
        work[row] /= work[row, column]
        others = np.flatnonzero(work[:, column] != 0.0)
        others = others[others != row]
        work[others] -= work[others, column][:, None] * work[row][None, :]
        reduced -= reduced[:, column][:, None] * work[row][None, :]
        row += 1
    return np.linalg.norm(reduced, axis=1)


@dataclass
class AttackReport:
    published: int
    suppressed: int
    exact_recoveries: list[str]
    pinned: list[str]
    lp_solves: int


def _attack(cube: CountCube, protection: WaveProtection) -> AttackReport:
    truth = cube.counts.ravel().astype(float)
    published_rows: dict[bytes, tuple[np.ndarray, float]] = {}
    secret_rows: dict[bytes, tuple[np.ndarray, str]] = {}
    for name, table in protection.tables.items():
        for key, cell in table.cells.items():
            row = _membership(cube, table, key)
            if cell.value is None:
                secret_rows.setdefault(row.tobytes(), (row, f"{name}:{key}:{cell.reason}"))
            else:
                assert cell.value == pytest.approx(row @ truth), "published value must be the true sum"
                published_rows.setdefault(row.tobytes(), (row, float(cell.value)))
    for digest in set(secret_rows) & set(published_rows):
        raise AssertionError(f"cell both published and suppressed: {secret_rows[digest][1]}")
    for row, label in _small_unpublished_groups(cube):
        if row.tobytes() not in published_rows:
            secret_rows.setdefault(row.tobytes(), (row, label))

    a_pub = np.array([r for r, _ in published_rows.values()])
    b_pub = np.array([v for _, v in published_rows.values()])
    report = AttackReport(len(published_rows), len(secret_rows), [], [], 0)
    secrets = np.array([row for row, _ in secret_rows.values()])
    residuals = _row_space_residuals(a_pub, secrets)
    feasible_points = [truth]  # LP optima are feasible points too; reuse them to skip LPs
    for (row, label), residual in zip(secret_rows.values(), residuals, strict=True):
        true_value = float(row @ truth)
        if residual < 1e-8:
            report.exact_recoveries.append(f"{label} = {true_value}")
            continue
        reached = [float(row @ p) for p in feasible_points]
        if max(reached) > true_value + PIN_RADIUS + SLACK or min(reached) < true_value - PIN_RADIUS - SLACK:
            continue
        bounds = []
        for sign in (1.0, -1.0):
            res = linprog(sign * row, A_eq=a_pub, b_eq=b_pub, bounds=(0, None), method="highs")
            report.lp_solves += 1
            if res.status == 3:
                bounds.append(-sign * np.inf)
                continue
            assert res.status == 0, res.message
            feasible_points.append(res.x)
            bounds.append(sign * res.fun)
        low, high = bounds
        if low >= true_value - PIN_RADIUS - SLACK and high <= true_value + PIN_RADIUS + SLACK:
            report.pinned.append(f"{label}: true {true_value}, feasible [{low:.2f}, {high:.2f}]")
    return report


# ------------------------------------------------------------------------------------------
# Tests
# ------------------------------------------------------------------------------------------

SEEDS = list(range(20))


@pytest.mark.parametrize("seed", SEEDS)
def test_no_suppressed_cell_recoverable(seed: int) -> None:
    cube = _random_wave(seed)
    protection = protect_wave(cube, _tables(), DisclosureRules())
    report = _attack(cube, protection)
    assert report.suppressed > 0, "the wave should exercise suppression"
    assert report.published > 0, "the wave should publish something"
    assert report.exact_recoveries == []
    assert report.pinned == []


def test_rank_test_agrees_with_lstsq() -> None:
    """The elimination-based row-space test equals numpy.linalg.lstsq on a real wave."""
    cube = _random_wave(1)
    protection = protect_wave(cube, _tables())
    published, secrets = [], []
    for table in protection.tables.values():
        for key, cell in table.cells.items():
            (secrets if cell.suppressed else published).append(_membership(cube, table, key))
    # add recoverable probes: each published row and a sum of two published rows
    probes = np.array(secrets + published[:5] + [published[0] + published[1]])
    a_pub = np.array(published)
    coefficients = np.linalg.lstsq(a_pub.T, probes.T, rcond=None)[0]
    lstsq_residuals = np.linalg.norm(a_pub.T @ coefficients - probes.T, axis=0)
    ours = _row_space_residuals(a_pub, probes)
    assert np.array_equal(ours < 1e-8, lstsq_residuals < 1e-8)
    assert np.all(ours[len(secrets) :] < 1e-8)


def test_attacker_detects_unprotected_release() -> None:
    """Sanity check of the attacker itself: primary suppression alone must be breakable."""
    cube = _random_wave(123)
    rules = DisclosureRules(audit=False)
    protection = protect_wave(cube, _tables(), rules)
    # Strip secondary suppression: re-publish every SECONDARY cell with its true value.
    from monitoring.stats.disclosure import CellResult, SuppressionReason

    stripped = {}
    for name, table in protection.tables.items():
        cells = {}
        for key, cell in table.cells.items():
            if cell.reason is SuppressionReason.SECONDARY:
                true_value = int(_membership(cube, table, key) @ cube.counts.ravel())
                cell = CellResult(true_value, None, False, cell.box)
            cells[key] = cell
        stripped[name] = ProtectedTable(table.spec, cells)
    broken = WaveProtection(stripped, frozenset(), 0, 0)
    report = _attack(cube, broken)
    assert report.exact_recoveries or report.pinned


def test_all_cells_of_all_tables_are_reported() -> None:
    cube = _random_wave(7)
    protection = protect_wave(cube, _tables())
    for spec in _tables():
        table = protection.tables[spec.name]
        expected = 1
        for name in spec.dimensions:
            dim = cube.dimension(name)
            expected *= len(dim.categories) + len(dim.subtotals) + 1
        expected *= len(ATTRIBUTE.categories) + 1
        assert len(table.cells) == expected
        assert all((c.value is None) == c.suppressed for c in table.cells.values())
