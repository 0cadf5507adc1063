"""Disclosure control: primary, zero/full, secondary (rows, columns, hierarchies), k floor."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from monitoring.stats.disclosure import (
    CountCube,
    Dimension,
    DisclosureRules,
    ProtectedTable,
    SuppressionReason,
    TableSpec,
    protect_table,
    protect_wave,
)

PRIMARY, SECONDARY, ZERO_OR_FULL = SuppressionReason.PRIMARY, SuppressionReason.SECONDARY, SuppressionReason.ZERO_OR_FULL
MH = Dimension("mh", ("yes", "no"), total_label="respondents")
CITY = Dimension("city", ("Bochum", "Essen", "Herne"), total_label="Ruhr")
STATUS = Dimension("status", ("trainee", "civil", "employee", "other"))
AGE = Dimension("age", ("<30", "30-39", "40-49", "50+"), subtotals=(("<40", ("<30", "30-39")), ("40+", ("40-49", "50+"))))


def two_way(yes: list[list[int]], no: list[list[int]], second: Dimension = STATUS, headcounts=None) -> CountCube:
    counts = np.stack([np.array(yes), np.array(no)], axis=-1)
    return CountCube.build([CITY, second], MH, counts, headcounts)


def lines_of(table: ProtectedTable, dims: list[Dimension]) -> list[list[tuple[str, ...]]]:
    """Every additive line of a table: per axis, total with its categories, subtotals with members."""
    result: list[list[tuple[str, ...]]] = []
    keys = list(table.cells)
    for axis, dim in enumerate(dims):
        groups: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = defaultdict(dict)
        for key in keys:
            groups[key[:axis] + key[axis + 1 :]][key[axis]] = key
        for by_label in groups.values():
            result.append([by_label[dim.total_label]] + [by_label[c] for c in dim.categories])
            for label, members in dim.subtotals:
                result.append([by_label[label]] + [by_label[m] for m in members])
            if dim.subtotals:
                result.append([by_label[dim.total_label]] + [by_label[label] for label, _ in dim.subtotals])
    return result


def assert_no_lonely_suppression(table: ProtectedTable, dims: list[Dimension]) -> None:
    for line in lines_of(table, dims):
        suppressed = [k for k in line if table.cells[k].suppressed]
        assert len(suppressed) != 1, f"only one suppressed cell in line {line}"


@pytest.mark.parametrize("k", [0, 3, 4])
def test_k_below_five_is_refused(k: int) -> None:
    with pytest.raises(ValueError, match="below the floor"):
        DisclosureRules(min_respondents=k)


def test_k_five_and_larger_are_accepted() -> None:
    assert DisclosureRules(min_respondents=5).min_respondents == 5
    assert DisclosureRules(min_respondents=25).min_respondents == 25


def test_primary_suppression_of_small_group() -> None:
    cube = two_way(
        yes=[[2, 30, 40, 25], [10, 30, 40, 25], [10, 30, 40, 25]],
        no=[[4, 60, 70, 75], [30, 60, 70, 75], [30, 60, 70, 75]],
    )
    table = protect_table(cube, TableSpec("t", ("city", "status")))
    for attribute in ("yes", "no", "respondents"):
        assert table.cells[("Bochum", "trainee", attribute)].reason is PRIMARY
        assert table.cells[("Bochum", "trainee", attribute)].value is None
    # the trainee column needs one complement among Essen/Herne (smallest, ties by order)
    assert table.cells[("Essen", "trainee", "respondents")].reason is SECONDARY
    assert table.cells[("Herne", "trainee", "respondents")].value == 40
    assert table.cells[("Ruhr", "Total", "respondents")].value == 306 + 340 + 340
    assert_no_lonely_suppression(table, [CITY, STATUS, MH])


def test_k_is_configurable() -> None:
    cube = two_way(
        yes=[[6, 30, 40, 25], [10, 30, 40, 25], [10, 30, 40, 25]],
        no=[[6, 60, 70, 75], [30, 60, 70, 75], [30, 60, 70, 75]],
    )
    strict = protect_table(cube, TableSpec("t", ("city", "status")), DisclosureRules(min_respondents=15))
    lenient = protect_table(cube, TableSpec("t", ("city", "status")), DisclosureRules(min_respondents=10))
    assert strict.cells[("Bochum", "trainee", "respondents")].reason is PRIMARY
    assert lenient.cells[("Bochum", "trainee", "respondents")].value == 12


@pytest.mark.parametrize(("yes", "no"), [(0, 15), (15, 0)])
def test_zero_or_full_share_is_never_shown(yes: int, no: int) -> None:
    cube = two_way(
        yes=[[yes, 30, 40, 25], [10, 30, 40, 25], [10, 30, 40, 25]],
        no=[[no, 60, 70, 75], [30, 60, 70, 75], [30, 60, 70, 75]],
    )
    table = protect_table(cube, TableSpec("t", ("city", "status")))
    assert table.cells[("Bochum", "trainee", "yes")].reason is ZERO_OR_FULL
    assert table.cells[("Bochum", "trainee", "no")].reason is ZERO_OR_FULL
    assert table.cells[("Bochum", "trainee", "respondents")].value == 15
    assert_no_lonely_suppression(table, [CITY, STATUS, MH])


def test_zero_or_full_applies_to_any_group_size() -> None:
    """monitoring.md §4.1 rule 2 says "any cell"; a large all-"no" group is suppressed too."""
    cube = two_way(
        yes=[[0, 30, 40, 25], [10, 30, 40, 25], [10, 30, 40, 25]],
        no=[[400, 60, 70, 75], [30, 60, 70, 75], [30, 60, 70, 75]],
    )
    table = protect_table(cube, TableSpec("t", ("city", "status")))
    assert table.cells[("Bochum", "trainee", "yes")].reason is ZERO_OR_FULL


def test_secondary_suppression_in_rows_and_columns_takes_smallest() -> None:
    # Bochum: trainee group of 4 is primary; civil (20) is the smallest complement in its row.
    cube = two_way(
        yes=[[1, 5, 30, 25], [10, 30, 40, 25], [10, 30, 40, 25]],
        no=[[3, 15, 170, 75], [30, 60, 70, 75], [30, 60, 70, 75]],
    )
    table = protect_table(cube, TableSpec("t", ("city", "status")))
    assert table.cells[("Bochum", "trainee", "respondents")].reason is PRIMARY
    assert table.cells[("Bochum", "civil", "respondents")].reason is SECONDARY
    assert table.cells[("Bochum", "employee", "respondents")].value == 200
    assert table.cells[("Ruhr", "Total", "respondents")].value is not None
    assert_no_lonely_suppression(table, [CITY, STATUS, MH])


def test_secondary_suppression_in_hierarchy() -> None:
    yes = [[1, 8, 12, 14], [6, 8, 12, 14], [6, 8, 12, 14]]
    no = [[2, 30, 40, 50], [20, 30, 40, 50], [20, 30, 40, 50]]
    cube = two_way(yes, no, second=AGE)
    table = protect_table(cube, TableSpec("t", ("city", "age")))
    assert table.cells[("Bochum", "<30", "respondents")].reason is PRIMARY
    # inside the "<40" subtotal the other member (or the subtotal) must go as well
    young = [table.cells[("Bochum", label, "respondents")] for label in ("<40", "30-39")]
    assert any(cell.suppressed for cell in young)
    assert_no_lonely_suppression(table, [CITY, AGE, MH])


def test_headcount_rule() -> None:
    cube = two_way(
        yes=[[4, 30, 40, 25], [10, 30, 40, 25], [10, 30, 40, 25]],
        no=[[8, 60, 70, 75], [30, 60, 70, 75], [30, 60, 70, 75]],
        headcounts=[[15, 300, 300, 300], [100, 300, 300, 300], [100, 300, 300, 300]],
    )
    table = protect_table(cube, TableSpec("t", ("city", "status")))
    assert table.cells[("Bochum", "trainee", "respondents")].reason is PRIMARY  # 12 >= k but only 15 staff
    relaxed = protect_table(cube, TableSpec("t", ("city", "status")), DisclosureRules(min_headcount=10))
    assert relaxed.cells[("Bochum", "trainee", "respondents")].value == 12


def test_low_precision_flag_below_thirty() -> None:
    cube = two_way(
        yes=[[5, 30, 40, 25], [10, 30, 40, 25], [10, 30, 40, 25]],
        no=[[15, 60, 70, 75], [30, 60, 70, 75], [30, 60, 70, 75]],
    )
    table = protect_table(cube, TableSpec("t", ("city", "status")))
    assert table.cells[("Bochum", "trainee", "yes")].low_precision
    assert not table.cells[("Bochum", "civil", "yes")].low_precision


def _wave_cube() -> CountCube:
    rng = np.random.default_rng(5)
    counts = rng.integers(1, 25, size=(3, 4, 4, 2))
    counts[0, 0, :, :] = [[1, 2], [0, 3], [2, 2], [1, 1]]  # tiny trainee group in Bochum
    return CountCube.build([CITY, STATUS, AGE], MH, counts)


WAVE_TABLES = [
    TableSpec("city_status", ("city", "status")),
    TableSpec("city_age", ("city", "age")),
    TableSpec("trainees", ("city", "age"), {"status": ("trainee",)}),
    TableSpec("non_trainees", ("city", "age"), {"status": ("civil", "employee", "other")}),
    TableSpec("under_40", ("city", "status"), {"age": ("<30", "30-39")}),
    TableSpec("under_30", ("city", "status"), {"age": ("<30",)}),
]


def test_shared_cells_are_consistent_across_tables() -> None:
    result = protect_wave(_wave_cube(), WAVE_TABLES)
    city_totals: dict[tuple[str, str], set] = defaultdict(set)
    for name in ("city_status", "city_age"):
        for key, cell in result.tables[name].cells.items():
            if key[1] == "Total":
                city_totals[(key[0], key[2])].add((cell.value, cell.reason))
    assert all(len(states) == 1 for states in city_totals.values())
    trainee_total = result.tables["trainees"].cells[("Bochum", "Total", "respondents")]
    assert trainee_total.reason == result.tables["city_status"].cells[("Bochum", "trainee", "respondents")].reason


def test_all_staff_equals_trainees_plus_non_trainees_cannot_leak() -> None:
    result = protect_wave(_wave_cube(), WAVE_TABLES)
    tables = result.tables
    for key, cell in tables["trainees"].cells.items():
        if not cell.suppressed:
            continue
        others = [tables["city_age"].cells[key], tables["non_trainees"].cells[key]]
        assert any(o.suppressed for o in others), f"{key} = all - non-trainees"


def test_filter_differing_in_one_category_cannot_leak() -> None:
    # Bochum trainees 30-39: 3 respondents; "<40" minus "<30" would reveal them.
    result = protect_wave(_wave_cube(), WAVE_TABLES)
    under_40 = result.tables["under_40"].cells[("Bochum", "trainee", "yes")]
    under_30 = result.tables["under_30"].cells[("Bochum", "trainee", "yes")]
    assert under_40.suppressed or under_30.suppressed


def test_every_table_keeps_lines_protected_in_a_wave() -> None:
    result = protect_wave(_wave_cube(), WAVE_TABLES)
    cube = _wave_cube()
    for spec in WAVE_TABLES:
        dims = [cube.dimension(name) for name in spec.dimensions] + [MH]
        assert_no_lonely_suppression(result.tables[spec.name], dims)


def test_published_values_are_true_sums() -> None:
    cube = _wave_cube()
    result = protect_wave(cube, WAVE_TABLES)
    table = result.tables["under_30"]
    cell = table.cells[("Ruhr", "Total", "respondents")]
    assert cell.value == int(cube.counts[:, :, 0, :].sum())
    assert cell.box[2] == ("<30",)


def test_carry_over_keeps_pattern_across_waves() -> None:
    first = protect_wave(_wave_cube(), WAVE_TABLES)
    grown = _wave_cube()
    grown = CountCube.build(grown.dimensions, MH, grown.counts + 40)
    fresh = protect_wave(grown, WAVE_TABLES)
    carried = protect_wave(grown, WAVE_TABLES, carry_over=first.suppressed_boxes)
    assert len(carried.suppressed_boxes) > len(fresh.suppressed_boxes)
    assert first.suppressed_boxes <= carried.suppressed_boxes


def test_single_table_equals_wave_of_one() -> None:
    cube = _wave_cube()
    spec = TableSpec("city_status", ("city", "status"))
    assert protect_table(cube, spec).cells == protect_wave(cube, [spec]).tables["city_status"].cells


@pytest.mark.parametrize(
    "spec",
    [
        TableSpec("bad", ("city", "city")),
        TableSpec("bad", ("nope",)),
        TableSpec("bad", ("city",), {"city": ("Bochum",)}),
        TableSpec("bad", ("city",), {"age": ("90+",)}),
    ],
)
def test_invalid_table_specs(spec: TableSpec) -> None:
    with pytest.raises(ValueError):
        protect_wave(_wave_cube(), [spec])


def test_invalid_cube() -> None:
    with pytest.raises(ValueError):
        CountCube.build([CITY], MH, np.zeros((2, 2)))
    with pytest.raises(ValueError):
        CountCube.build([CITY], Dimension("mh", ("yes",)), np.zeros((3, 1)))
    with pytest.raises(ValueError):
        Dimension("age", ("a", "b"), subtotals=(("x", ("a", "c")),))
