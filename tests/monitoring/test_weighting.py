"""Raking, Kish design effect and weighted shares."""

from __future__ import annotations

import numpy as np
import pytest

from monitoring.stats.intervals import wilson_fpc_interval
from monitoring.stats.weighting import (
    Margin,
    RakingConvergenceError,
    RakingError,
    cell_design_effect,
    effective_sample_size,
    kish_design_effect,
    rake,
    rake_table,
    weighted_share,
)


def test_rake_hand_solvable_two_by_two() -> None:
    # One respondent per cell of department x age, HR margins rows (30, 70), columns (40, 60).
    # With a uniform seed the fitted table is the independence table r_i c_j / N:
    # [[30*40/100, 30*60/100], [70*40/100, 70*60/100]] = [[12, 18], [28, 42]].
    result = rake(
        {"dept": ["A", "A", "B", "B"], "age": ["young", "old", "young", "old"]},
        {"dept": {"A": 30, "B": 70}, "age": {"young": 40, "old": 60}},
    )
    assert result.weights == pytest.approx([12, 18, 28, 42])
    # Kish: n sum(w^2)/sum(w)^2 = 4 * (144 + 324 + 784 + 1764) / 100^2 = 4 * 3016 / 10000
    assert result.design_effect == pytest.approx(1.2064)
    assert result.effective_n == pytest.approx(4 / 1.2064)


def test_single_margin_is_post_stratification() -> None:
    # A: 3 respondents for 30 staff -> weight 10; B: 2 respondents for 50 staff -> weight 25.
    result = rake({"status": ["A", "A", "A", "B", "B"]}, {"status": {"A": 30, "B": 50}})
    assert result.weights == pytest.approx([10, 10, 10, 25, 25])
    assert result.iterations == 1


def _three_margin_sample(seed: int = 3) -> tuple[dict[str, list[str]], dict[str, dict[str, float]]]:
    rng = np.random.default_rng(seed)
    depts, pays, ages = ["central", "social", "technical"], ["low", "mid", "high"], ["<30", "30-44", "45-54", "55+"]
    population = rng.integers(20, 200, size=(3, 3, 4))
    response = rng.uniform(0.1, 0.5, size=(3, 3, 4))
    respondents = rng.binomial(population, response)
    attributes: dict[str, list[str]] = {"dept": [], "pay": [], "age": []}
    for (d, p, a), count in np.ndenumerate(respondents):
        for _ in range(int(count)):
            attributes["dept"].append(depts[d])
            attributes["pay"].append(pays[p])
            attributes["age"].append(ages[a])
    margins = {
        "dept": dict(zip(depts, population.sum(axis=(1, 2)).tolist(), strict=True)),
        "pay": dict(zip(pays, population.sum(axis=(0, 2)).tolist(), strict=True)),
        "age": dict(zip(ages, population.sum(axis=(0, 1)).tolist(), strict=True)),
    }
    return attributes, margins


def test_rake_three_margins_converges() -> None:
    attributes, margins = _three_margin_sample()
    result = rake(attributes, margins, tolerance=1e-10)
    assert result.max_relative_error <= 1e-10
    assert 1 < result.iterations < 1000
    for name, targets in margins.items():
        labels = np.array(attributes[name])
        for category, target in targets.items():
            assert result.weights[labels == category].sum() == pytest.approx(target, rel=1e-9)
    assert result.design_effect >= 1.0
    assert result.weights.sum() == pytest.approx(sum(margins["dept"].values()))


def test_trimming_keeps_weight_ratios_within_bounds() -> None:
    attributes, margins = _three_margin_sample(seed=11)
    free = rake(attributes, margins)
    trimmed = rake(attributes, margins, bounds=(0.5, 2.0), tolerance=1e-6, max_iterations=5000)
    expansion = sum(margins["dept"].values()) / len(attributes["dept"])
    ratios = trimmed.weights / expansion
    assert ratios.min() >= 0.5 - 1e-9 and ratios.max() <= 2.0 + 1e-9
    assert trimmed.design_effect <= free.design_effect + 1e-9


def test_impossible_trimming_raises() -> None:
    with pytest.raises(RakingConvergenceError):
        rake({"status": ["A", "B"]}, {"status": {"A": 10, "B": 90}}, bounds=(0.9, 1.1), max_iterations=50)


def test_table_and_respondent_raking_agree() -> None:
    attributes, margins = _three_margin_sample()
    respondent_level = rake(attributes, margins)
    categories = [list(margins[n]) for n in ("dept", "pay", "age")]
    seed = np.zeros((3, 3, 4))
    for d, p, a in zip(attributes["dept"], attributes["pay"], attributes["age"], strict=True):
        seed[categories[0].index(d), categories[1].index(p), categories[2].index(a)] += 1
    table = rake_table(seed, [Margin.one_way(i, list(margins[n].values())) for i, n in enumerate(("dept", "pay", "age"))])
    assert table.fitted.sum() == pytest.approx(respondent_level.weights.sum())
    assert cell_design_effect(seed, table.factors) == pytest.approx(respondent_level.design_effect)


def test_two_way_margin() -> None:
    seed = np.ones((2, 2, 2))
    dept_status = Margin((0, 1), np.array([[10.0, 20.0], [30.0, 40.0]]))
    age = Margin.one_way(2, [50, 50])
    fitted = rake_table(seed, [dept_status, age]).fitted
    assert fitted.sum(axis=2) == pytest.approx(dept_status.target)
    assert fitted.sum(axis=(0, 1)) == pytest.approx([50, 50])


def test_empty_cell_is_a_clear_error() -> None:
    with pytest.raises(RakingError, match="empty cell"):
        rake({"dept": ["A", "A"]}, {"dept": {"A": 10, "B": 5}})


def test_unknown_category_is_a_clear_error() -> None:
    with pytest.raises(RakingError, match="no HR margin"):
        rake({"dept": ["A", "C"]}, {"dept": {"A": 10, "B": 5}})


def test_margins_with_different_totals_are_impossible() -> None:
    with pytest.raises(RakingError, match="impossible margins"):
        rake({"dept": ["A", "B"], "age": ["x", "y"]}, {"dept": {"A": 10, "B": 10}, "age": {"x": 10, "y": 11}})


def test_respondents_in_empty_hr_category_are_impossible() -> None:
    with pytest.raises(RakingError, match="zero HR headcount"):
        rake({"dept": ["A", "B"]}, {"dept": {"A": 10, "B": 0}})


def test_structurally_impossible_margins_do_not_converge() -> None:
    # Respondents only in (A, x) and (B, y): any weighting keeps A == x and B == y,
    # so margins A=10, B=10 with x=5, y=15 can never both hold.
    with pytest.raises(RakingConvergenceError):
        rake(
            {"dept": ["A", "B"], "age": ["x", "y"]},
            {"dept": {"A": 10, "B": 10}, "age": {"x": 5, "y": 15}},
            max_iterations=200,
        )


def test_kish_design_effect_known_weights() -> None:
    assert kish_design_effect([2.0, 2.0, 2.0, 2.0]) == pytest.approx(1.0)
    # weights (1, 3): mean 2, population variance 1, CV^2 = 1/4 -> deff 1.25; n_eff = 16/10
    assert kish_design_effect([1.0, 3.0]) == pytest.approx(1.25)
    assert effective_sample_size([1.0, 3.0]) == pytest.approx(1.6)
    weights = np.array([1.0, 2.0, 4.0, 8.0, 1.0])
    cv2 = weights.std() ** 2 / weights.mean() ** 2
    assert kish_design_effect(weights) == pytest.approx(1 + cv2)
    with pytest.raises(ValueError):
        kish_design_effect([])


def test_weighted_share_equal_weights_equals_unweighted() -> None:
    values = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]
    share = weighted_share(values, [40.0] * 10)
    reference = wilson_fpc_interval(3, 10, 400)
    assert share.estimate == pytest.approx(0.3)
    assert share.design_effect == pytest.approx(1.0)
    assert share.population == pytest.approx(400)
    assert (share.lower, share.upper) == pytest.approx((reference.lower, reference.upper))


def test_weighted_share_by_hand_and_valid_mask() -> None:
    # values (1, 0, 0, 1) with weights (3, 1, 1, 1): p_w = (3 + 1)/6 = 2/3
    share = weighted_share([1, 0, 0, 1, 1], [3, 1, 1, 1, 5], population=100, valid=[True, True, True, True, False])
    assert share.estimate == pytest.approx(2 / 3)
    assert share.respondents == 4
    # Kish on (3, 1, 1, 1): 4 * 12 / 36 = 4/3, so the four answers are worth 3
    assert share.design_effect == pytest.approx(4 / 3)
    assert share.effective_n == pytest.approx(3.0)
    assert share.lower < share.estimate < share.upper


def test_weighted_share_rejects_non_indicator_values() -> None:
    with pytest.raises(ValueError):
        weighted_share([0.5, 1.0], [1.0, 1.0])
