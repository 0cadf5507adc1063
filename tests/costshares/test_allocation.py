"""The arithmetic of the cost distribution, through its public functions (no database)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from costshares.allocation import (
    AllocationError,
    Key,
    Party,
    days_in_year,
    distribute,
    largest_remainder,
    member_days,
    parse_amount,
)

pytestmark = pytest.mark.sqlite_fast
CITIES = ["Bochum", "Bottrop", "Dortmund", "Duisburg", "Essen", "Gelsenkirchen", "Hagen", "Herne", "Mülheim", "Oberhausen"]


def test_ten_cities_share_a_budget_that_does_not_divide_evenly():
    shares = largest_remainder(Decimal("10000.03"), {city: Fraction(1) for city in CITIES})
    assert sum(shares.values()) == Decimal("10000.03")
    # 1,000.003 € each: three cities carry one more cent; the ties go by name.
    assert sorted(shares.values()) == [Decimal("1000.00")] * 7 + [Decimal("1000.01")] * 3
    assert [c for c, a in shares.items() if a == Decimal("1000.01")] == ["Bochum", "Bottrop", "Dortmund"]


def test_largest_remainder_property_ten_cities_random_weights():
    """For many random budgets and weights: the cents add up, and nobody is more than a cent off the exact share."""
    rng = random.Random(20240229)
    for _ in range(500):
        budget = Decimal(rng.randint(1, 10_000_000)) / 100
        weights = {city: Fraction(rng.randint(0, 700_000)) for city in CITIES}
        if not any(weights.values()):
            continue
        shares = largest_remainder(budget, weights)
        assert sum(shares.values()) == budget
        total = sum(weights.values())
        for city, amount in shares.items():
            exact = Fraction(budget) * weights[city] / total
            assert abs(Fraction(amount) - exact) < Fraction(1, 100)
            assert amount == amount.quantize(Decimal("0.01"))
        # Largest remainder: a city that got the extra cent never had a smaller remainder than one that did not.
        got = [c for c in CITIES if Fraction(shares[c]) > Fraction(budget) * weights[c] / total]
        missed = [c for c in CITIES if c not in got]
        if got and missed:
            rest = {c: (Fraction(budget) * 100 * weights[c] / total) % 1 for c in CITIES}
            assert min(rest[c] for c in got) >= max(rest[c] for c in missed)


def test_leap_year_pro_rata_counts_366_days():
    assert days_in_year(2024) == 366 and days_in_year(2025) == 365
    # Joined on 1 March 2024: 306 of 366 days (29 February is not counted for it).
    assert member_days(2024, dt.date(2024, 3, 1), None) == 306
    parties = [Party("A", 366), Party("B", member_days(2024, dt.date(2024, 3, 1), None))]
    shares = distribute(Decimal("6720.00"), Key(Decimal(100)), parties, 2024)
    assert shares == {"A": Decimal("3660.00"), "B": Decimal("3060.00")}


def test_a_city_leaving_mid_year_pays_for_its_days_and_the_others_carry_the_rest():
    left_on = dt.date(2025, 7, 1)  # first day without membership: a member 1 January to 30 June = 181 days
    assert member_days(2025, dt.date(2010, 5, 28), left_on) == 181
    assert member_days(2026, dt.date(2010, 5, 28), left_on) == 0
    parties = [Party(c, 365) for c in CITIES[:9]] + [Party("Oberhausen", 181)]
    shares = distribute(Decimal("20000.00"), Key(Decimal(100)), parties, 2025)
    assert sum(shares.values()) == Decimal("20000.00")
    full, half = shares["Bochum"], shares["Oberhausen"]
    assert abs(Fraction(half) - Fraction(full) * Fraction(181, 365)) < Fraction(1, 100)


def test_mixed_key_half_equal_half_population():
    parties = [Party("A", 365, population=300_000), Party("B", 365, population=100_000)]
    shares = distribute(Decimal("10000.00"), Key(Decimal(50), population_percent=Decimal(50)), parties, 2025)
    # Equal half: 2,500 each; population half: 3,750 and 1,250.
    assert shares == {"A": Decimal("6250.00"), "B": Decimal("3750.00")}


def test_cap_and_floor_move_the_difference_to_the_others():
    parties = [
        Party("big", 365, population=600_000),
        Party("mid", 365, population=300_000),
        Party("small", 365, population=100_000),
    ]
    key = Key(Decimal(0), population_percent=Decimal(100), cap=Decimal("5000.00"), floor=Decimal("2000.00"))
    shares = distribute(Decimal("10000.00"), key, parties, 2025)
    assert shares == {"big": Decimal("5000.00"), "mid": Decimal("3000.00"), "small": Decimal("2000.00")}
    assert sum(shares.values()) == Decimal("10000.00")


def test_caps_that_cannot_cover_the_budget_are_refused():
    parties = [Party(c, 365) for c in CITIES]
    with pytest.raises(AllocationError, match="Höchstgrenzen"):
        distribute(Decimal("20000.00"), Key(Decimal(100), cap=Decimal("1999.99")), parties, 2025)
    with pytest.raises(AllocationError, match="Mindestbeträge"):
        distribute(Decimal("20000.00"), Key(Decimal(100), floor=Decimal("2000.01")), parties, 2025)


def test_a_key_that_does_not_add_up_is_refused_with_its_sum():
    with pytest.raises(AllocationError, match="90 % statt 100 %"):
        distribute(Decimal("100.00"), Key(Decimal(40), population_percent=Decimal(50)), [Party("A", 365, 1)], 2025)


def test_a_missing_population_figure_names_the_city():
    with pytest.raises(AllocationError, match="Hagen"):
        distribute(
            Decimal("100.00"),
            Key(Decimal(0), population_percent=Decimal(100)),
            [Party("Hagen", 365), Party("Essen", 365, 5)],
            2025,
        )


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("2.000", "2000.00"),
        ("2.000,50", "2000.50"),
        ("1.234.567,89 €", "1234567.89"),
        ("20 000,00 EUR", "20000.00"),
        ("2000.5", "2000.50"),
        ("1,234.56", "1234.56"),
        ("0,01", "0.01"),
    ],
)
def test_german_amounts(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["", "zwei", "1,2,3", "2.000,005", "1.2.3,4,5", "12e3"])
def test_bad_amounts_are_refused(typed):
    with pytest.raises(AllocationError):
        parse_amount(typed)


def test_caps_and_floors_property_ten_cities():
    """Random populations, caps and floors that can hold the budget: every share within its limits (± 1 cent), sum exact."""
    rng = random.Random(11)
    for _ in range(200):
        budget = Decimal(rng.randint(1_000_000, 5_000_000)) / 100
        per_city = budget / 10
        floor = (per_city * Decimal(rng.randint(20, 95)) / 100).quantize(Decimal("0.01"))
        cap = (per_city * Decimal(rng.randint(105, 300)) / 100).quantize(Decimal("0.01"))
        parties = [Party(c, 365, population=rng.randint(50_000, 700_000)) for c in CITIES]
        key = Key(Decimal(30), population_percent=Decimal(70), cap=cap, floor=floor)
        shares = distribute(budget, key, parties, 2025)
        assert sum(shares.values()) == budget
        for amount in shares.values():
            assert floor - Decimal("0.01") <= amount <= cap + Decimal("0.01")
