"""The arithmetic of the cost distribution (Umlage): keys, pro-rata, caps and floors, cent rounding.

Pure functions on ``Decimal`` and ``Fraction`` (never floats): the same inputs give the same shares
on every machine, and the shares add up to the budget to the cent (largest remainder method).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _

CENT = Decimal("0.01")


class AllocationError(ValueError):
    """Inputs that cannot give a distribution (the message is German, for the user)."""


def parse_amount(text: str) -> Decimal:
    """An amount as people type it in Germany: ``2.000``, ``1.234,56``, ``1 234,56 €``, or ``2000.50``.

    A dot followed by groups of exactly three digits is a thousands separator; with both a dot and a
    comma, the last of them is the decimal separator. More than two decimals is refused, not rounded.
    """
    cleaned = re.sub(r"(?i)\s|€|eur", "", str(text or ""))
    if not cleaned:
        raise AllocationError(_("Bitte geben Sie einen Betrag an."))
    if "," in cleaned and "." in cleaned:
        decimal_sep = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in cleaned:
        if cleaned.count(",") > 1:
            raise AllocationError(_("Der Betrag „%(text)s“ hat mehr als ein Dezimalkomma.") % {"text": text})
        cleaned = cleaned.replace(",", ".")
    elif "." in cleaned and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise AllocationError(_("„%(text)s“ ist kein Betrag. Beispiel: 2.000,00") % {"text": text})
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise AllocationError(_("„%(text)s“ ist kein Betrag. Beispiel: 2.000,00") % {"text": text}) from None
    if amount != amount.quantize(CENT):
        raise AllocationError(_("Ein Betrag hat höchstens zwei Nachkommastellen (Cent): „%(text)s“.") % {"text": text})
    return amount.quantize(CENT)


def days_in_year(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def member_days(year: int, join_date: dt.date, left_on: dt.date | None) -> int:
    """Days of ``year`` on which a city was a member: from its join date to the day before ``left_on``.

    ``left_on`` is the first day without membership (as ``Municipality.objects.active`` reads it).
    """
    start = max(join_date, dt.date(year, 1, 1))
    end = min(left_on or dt.date(year + 1, 1, 1), dt.date(year + 1, 1, 1))
    return max(0, (end - start).days)


def largest_remainder(total: Decimal, weights: Mapping[Hashable, Fraction]) -> dict[Hashable, Decimal]:
    """Split ``total`` in proportion to ``weights`` into cents that add up exactly to ``total``.

    Every party first gets its exact share rounded down to the cent; the cents still missing go, one
    each, to the parties with the largest remainders (Hare–Niemeyer). Ties go to the earlier key in
    sort order, so the result never depends on dictionary order.
    """
    total_cents = int((total / CENT).to_integral_value())
    if total != Decimal(total_cents) * CENT:
        raise AllocationError(_("Der Betrag muss auf volle Cent lauten."))
    weight_sum = sum(weights.values(), Fraction(0))
    if not weights:
        return {}
    if weight_sum <= 0:
        raise AllocationError(_("Die Gewichte ergeben zusammen null; es gibt nichts zu verteilen."))
    exact = {key: Fraction(total_cents) * w / weight_sum for key, w in weights.items()}
    floors = {key: value.numerator // value.denominator for key, value in exact.items()}
    missing = total_cents - sum(floors.values())
    order = sorted(exact, key=lambda key: (-(exact[key] - floors[key]), str(key)))
    for key in order[:missing]:
        floors[key] += 1
    return {key: Decimal(cents) * CENT for key, cents in floors.items()}


@dataclass(frozen=True)
class Party:
    """One city in one year's distribution: its metrics and the share of the year it was a member."""

    key: Hashable
    member_days: int
    population: int | None = None
    staff: int | None = None


@dataclass(frozen=True)
class Key:
    """The allocation key: per-cent parts that must add up to 100, and optional cap and floor per city."""

    equal_percent: Decimal
    population_percent: Decimal = Decimal(0)
    staff_percent: Decimal = Decimal(0)
    cap: Decimal | None = None
    floor: Decimal | None = None

    def check(self) -> None:
        parts = (self.equal_percent, self.population_percent, self.staff_percent)
        if any(p < 0 for p in parts):
            raise AllocationError(_("Die Anteile des Schlüssels dürfen nicht negativ sein."))
        if sum(parts) != 100:
            raise AllocationError(
                _("Die Teile des Schlüssels ergeben zusammen %(sum)s %% statt 100 %%.")
                % {"sum": _percent(sum(parts, Decimal(0)))}
            )
        if self.cap is not None and self.floor is not None and self.cap < self.floor:
            raise AllocationError(_("Die Höchstgrenze liegt unter der Mindestgrenze."))


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def exact_weights(key: Key, parties: list[Party], year_days: int) -> dict[Hashable, Fraction]:
    """The exact share of the budget (a fraction of 1) of every party, before caps, floors and rounding.

    Each part of the key is distributed by its own measure times the share of the year the city was a
    member: a city that was a member for half the year carries half its weight in every part.
    """
    key.check()
    active = [p for p in parties if p.member_days > 0]
    if not active:
        raise AllocationError(_("In diesem Jahr war keine Stadt Mitglied."))
    result = {p.key: Fraction(0) for p in active}
    parts = (
        (Fraction(key.equal_percent) / 100, lambda p: 1),
        (Fraction(key.population_percent) / 100, lambda p: p.population),
        (Fraction(key.staff_percent) / 100, lambda p: p.staff),
    )
    for share, measure in parts:
        if share == 0:
            continue
        missing = [str(p.key) for p in active if measure(p) is None]
        if missing:
            raise AllocationError(
                _("Es fehlt die Kennzahl (Einwohnerzahl oder Beschäftigte bis zum Stichtag) für: %(cities)s.")
                % {"cities": ", ".join(sorted(missing))}
            )
        weighted = {p.key: Fraction(measure(p)) * Fraction(p.member_days, year_days) for p in active}
        total = sum(weighted.values(), Fraction(0))
        if total == 0:
            raise AllocationError(_("Die Kennzahlen ergeben zusammen null."))
        for party_key, value in weighted.items():
            result[party_key] += share * value / total
    return result


Limits = tuple[Fraction | None, Fraction | None]


def apply_limits(
    budget: Decimal, weights: dict[Hashable, Fraction], limits: Mapping[Hashable, Limits]
) -> dict[Hashable, Fraction]:
    """Exact amounts within caps and floors, still in proportion to the weights wherever no limit binds.

    ``limits`` maps a party to its (floor, cap) for the year (either may be None). Every party gets
    ``clamp(t × weight, floor, cap)`` with one common factor ``t`` chosen so that the amounts add up
    to the budget: what a capped city does not carry, the free ones carry in proportion to their
    weights (and a floored city's extra is taken from them the same way). The sum grows piecewise
    linearly with ``t``, so ``t`` is found exactly on the right segment between two kinks. Limits
    that cannot hold the budget are refused.
    """
    budget_f = Fraction(budget)
    low = {k: limits.get(k, (None, None))[0] or Fraction(0) for k in weights}
    high = {k: limits.get(k, (None, None))[1] for k in weights}
    if sum(low.values(), Fraction(0)) > budget_f:
        raise AllocationError(_("Die Mindestbeträge zusammen übersteigen den Haushalt."))
    if all(h is not None for h in high.values()) and sum((h for h in high.values() if h is not None), Fraction(0)) < budget_f:
        raise AllocationError(_("Mit diesen Höchstgrenzen lässt sich der Haushalt nicht decken."))
    if any(h is not None and h < low[k] for k, h in high.items()):
        raise AllocationError(_("Die Höchstgrenze liegt unter der Mindestgrenze."))

    def amount(k: Hashable, t: Fraction) -> Fraction:
        value = max(t * weights[k], low[k])
        cap = high[k]
        return value if cap is None else min(value, cap)

    def total(t: Fraction) -> Fraction:
        return sum((amount(k, t) for k in weights), Fraction(0))

    kinks = {Fraction(0)}
    for k, w in weights.items():
        if w > 0:
            kinks.add(low[k] / w)
            cap = high[k]
            if cap is not None:
                kinks.add(cap / w)
    points = sorted(kinks)
    start = points[0]
    for point in points:
        if total(point) >= budget_f:
            break
        start = point
    # On [start, next kink] the sum is linear: the free parties are those not yet at a limit.
    slope = sum(
        (w for k, w in weights.items() if w > 0 and start * w >= low[k] and ((cap := high[k]) is None or start * w < cap)),
        Fraction(0),
    )
    if slope == 0:
        if total(start) != budget_f:
            raise AllocationError(_("Mit diesen Grenzen lässt sich der Haushalt nicht genau verteilen."))
        t = start
    else:
        t = start + (budget_f - total(start)) / slope
    return {k: amount(k, t) for k in weights}


def distribute(budget: Decimal, key: Key, parties: list[Party], year: int) -> dict[Hashable, Decimal]:
    """The shares in euros and cents, adding up to ``budget`` exactly.

    Caps and floors count for a full year of membership and shrink with the share of the year.
    """
    year_days = days_in_year(year)
    weights = exact_weights(key, parties, year_days)

    def scaled(bound: Decimal | None, party: Party) -> Fraction | None:
        return None if bound is None else Fraction(bound) * Fraction(party.member_days, year_days)

    limits = {p.key: (scaled(key.floor, p), scaled(key.cap, p)) for p in parties if p.key in weights}
    exact = apply_limits(budget, weights, limits)
    return largest_remainder(budget, exact)
