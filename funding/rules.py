"""The funding rules as executable checks, each judged with the parameters of a stored rule version.

The wording of the NRW rules changes; their sources, versions and parameters (two months, 20 %, five
years …) are rows of :class:`funding.models.Rule`, seeded by a data migration and replaced by a new
version, never edited. The functions here are pure (``Decimal`` in, ``Decimal`` out, never floats) and
return findings with a German explanation that names the rule's source, so a refusal says why.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from costshares.allocation import AllocationError, largest_remainder, parse_amount

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

TWO_MONTHS = "two-month-payment"
PAYMENT_AFTER_FINAL = "payment-after-final"
LINE_DEVIATION = "line-deviation"
APPROVAL_PERIOD = "approval-period"
PLAN_BALANCED = "plan-balanced"
INPUT_TAX = "input-tax"
PROOF_DEADLINE = "proof-deadline"
RECEIPT_RETENTION = "receipt-retention"

__all__ = ["AllocationError", "parse_amount"]


class RuleBroken(ValueError):
    """A check refused the input; ``findings`` carry the reasons (German, with the rule's source)."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


@dataclass(frozen=True)
class RuleVersion:
    """What a check needs of a stored rule: its code, version, source and parameters."""

    code: str
    version: str
    source: str
    parameters: Mapping[str, object] = field(default_factory=dict)

    def number(self, name: str) -> int:
        return int(str(self.parameters[name]))

    def decimal(self, name: str) -> Decimal:
        return Decimal(str(self.parameters[name]))


@dataclass(frozen=True)
class Finding:
    level: str  # "error" refuses, "warning" informs
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == "error"


def cents(value: Decimal) -> Decimal:
    """Round down to the cent: a rule's limit is never exceeded by rounding."""
    return value.quantize(CENT, rounding=ROUND_DOWN)


def part_of(amount: Decimal, ratio: Fraction) -> Decimal:
    """``amount × ratio`` exactly, rounded down to the cent (integer arithmetic on cents)."""
    whole_cents = int((amount / CENT).to_integral_value())
    return Decimal(whole_cents * ratio.numerator // ratio.denominator) * CENT


def euro(value: Decimal) -> str:
    """German notation: 1.234,56 €."""
    text = f"{value:,.2f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"{text} €"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month where it has no such day (31 Dec → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


# --- Payment requests (VVG zu § 44 LHO NRW Nr. 7.1 and 7.2) ---------------------------------------------------


@dataclass(frozen=True)
class TranchePlan:
    """What a payment request on ``requested_on`` may cover under the two-month rule."""

    requested_on: dt.date
    covers_until: dt.date
    due_in_window: Decimal  # expected payments due in the window (all sources)
    grant_part: Decimal  # the grant's part of them
    unspent: Decimal  # grant money received earlier and not yet spent
    allowed: Decimal  # grant_part − unspent, never below zero, to the cent


def plan_tranche(
    rule: RuleVersion,
    *,
    requested_on: dt.date,
    expected: Iterable[tuple[dt.date, Decimal]],
    grant_ratio: Fraction,
    unspent: Decimal,
) -> TranchePlan:
    """A request only covers payments due within the rule's months after it (both ends included).

    The grant pays ``grant_ratio`` of every payment (its share of the planned expenses); money from earlier
    requests that is still unspent is used first, so it lowers what may be requested now.
    """
    until = add_months(requested_on, rule.number("months"))
    due = sum((amount for day, amount in expected if requested_on <= day <= until), ZERO)
    grant_part = part_of(due, grant_ratio)
    allowed = max(ZERO, grant_part - max(unspent, ZERO))
    return TranchePlan(requested_on, until, due, grant_part, unspent, allowed)


def check_payment_request(
    rule: RuleVersion,
    plan: TranchePlan,
    amount: Decimal,
    *,
    override_reason: str = "",
    may_override: bool = False,
) -> list[Finding]:
    """Refuse a request above the plan unless the office justifies it; warn when money would lie idle."""
    findings: list[Finding] = []
    if amount <= 0:
        return [Finding("error", rule.code, _("Ein Mittelabruf ist größer als null."))]
    if amount > plan.allowed:
        reason = _(
            "Nach %(source)s dürfen nur Mittel abgerufen werden, die innerhalb von %(months)s Monaten nach der "
            "Auszahlung für fällige Zahlungen benötigt werden: bis %(until)s sind %(due)s fällig, davon trägt die "
            "Zuwendung %(grant)s; noch nicht verausgabt sind %(unspent)s. Zulässig sind daher höchstens %(allowed)s, "
            "beantragt sind %(amount)s."
        ) % {
            "source": rule.source,
            "months": rule.number("months"),
            "until": f"{plan.covers_until:%d.%m.%Y}",
            "due": euro(plan.due_in_window),
            "grant": euro(plan.grant_part),
            "unspent": euro(plan.unspent),
            "allowed": euro(plan.allowed),
            "amount": euro(amount),
        }
        if may_override and override_reason.strip():
            findings.append(Finding("warning", rule.code, reason + " " + _("Die Überschreitung ist begründet und vermerkt.")))
        elif may_override:
            findings.append(
                Finding("error", rule.code, reason + " " + _("Eine Überschreitung braucht eine schriftliche Begründung."))
            )
        else:
            findings.append(Finding("error", rule.code, reason))
    if plan.unspent > 0:
        findings.append(
            Finding(
                "warning",
                rule.code,
                _(
                    "%(unspent)s aus früheren Abrufen sind noch nicht verausgabt. Mittel, die nicht binnen "
                    "%(months)s Monaten verwendet werden, sind zu verzinsen (Zinsrisiko)."
                )
                % {"unspent": euro(plan.unspent), "months": rule.number("months")},
            )
        )
    return findings


def check_notice_final(
    rule: RuleVersion, *, requested_on: dt.date, final_on: dt.date | None, appeal_waived: bool
) -> list[Finding]:
    """No payment before the notice is final (bestandskräftig) or the appeal was waived."""
    if appeal_waived or (final_on is not None and final_on <= requested_on):
        return []
    return [
        Finding(
            "error",
            rule.code,
            _(
                "Nach %(source)s wird erst ausgezahlt, wenn der Bescheid bestandskräftig ist oder auf "
                "Rechtsbehelfe verzichtet wurde. Bitte tragen Sie das Datum der Bestandskraft oder den Verzicht ein."
            )
            % {"source": rule.source},
        )
    ]


# --- The financing plan and the expenses ------------------------------------------------------------------------


def check_plan_balanced(rule: RuleVersion, *, expenses: Decimal, income: Decimal) -> list[Finding]:
    """A financing plan is a cover plan: its income equals its expenses to the cent."""
    if expenses == income:
        return []
    return [
        Finding(
            "error",
            rule.code,
            _(
                "Der Finanzierungsplan ist nicht ausgeglichen: Ausgaben %(expenses)s, Einnahmen %(income)s "
                "(Differenz %(difference)s). %(source)s"
            )
            % {
                "expenses": euro(expenses),
                "income": euro(income),
                "difference": euro(abs(expenses - income)),
                "source": rule.source,
            },
        )
    ]


def check_in_period(rule: RuleVersion, *, paid_on: dt.date, start: dt.date, end: dt.date) -> list[Finding]:
    """Only expenses paid within the approval period count (both ends included)."""
    if start <= paid_on <= end:
        return []
    return [
        Finding(
            "error",
            rule.code,
            _(
                "Die Ausgabe vom %(day)s liegt außerhalb des Bewilligungszeitraums (%(start)s bis %(end)s) und ist "
                "nicht zuwendungsfähig. %(source)s"
            )
            % {"day": f"{paid_on:%d.%m.%Y}", "start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}", "source": rule.source},
        )
    ]


def eligible_amount(*, net: Decimal, vat: Decimal, input_tax_deductible: bool) -> Decimal:
    """What counts towards the plan: the net amount where the city may deduct input tax, else the gross."""
    return net if input_tax_deductible else net + vat


@dataclass(frozen=True)
class LineStatus:
    key: str
    label: str
    planned: Decimal
    actual: Decimal
    limit: Decimal  # planned + the allowance
    headroom: Decimal  # limit − actual (negative: over the limit)
    over_plan: bool  # above the plan, within the allowance: must be offset elsewhere
    needs_change_request: bool  # above the allowance: an Änderungsantrag is needed


def line_deviation(
    rule: RuleVersion, planned: Mapping[str, tuple[str, Decimal]], actual: Mapping[str, Decimal]
) -> tuple[list[LineStatus], list[Finding]]:
    """Each expense line may exceed its plan by up to the rule's per cent if other lines save as much.

    Exactly the allowance is fine; one cent more needs a change request, and so does a total above the plan
    (nothing offsets it). Actual amounts on keys the plan does not have are lines above the allowance too.
    """
    percent = rule.decimal("percent")
    lines: list[LineStatus] = []
    findings: list[Finding] = []
    for key in list(planned) + [k for k in actual if k not in planned]:
        label, plan_amount = planned.get(key, (key, ZERO))
        spent = actual.get(key, ZERO)
        limit = cents(plan_amount * (100 + percent) / 100)
        status = LineStatus(
            key=key,
            label=label,
            planned=plan_amount,
            actual=spent,
            limit=limit,
            headroom=limit - spent,
            over_plan=spent > plan_amount,
            needs_change_request=spent > limit,
        )
        lines.append(status)
        if status.needs_change_request:
            findings.append(
                Finding(
                    "warning",
                    rule.code,
                    _(
                        "„%(label)s“: %(actual)s ausgegeben, geplant %(planned)s. Nach %(source)s darf eine Position um "
                        "höchstens %(percent)s %% (bis %(limit)s) überschritten werden, wenn andere Positionen "
                        "entsprechend weniger brauchen. Bitte stellen Sie einen Änderungsantrag."
                    )
                    % {
                        "label": label,
                        "actual": euro(spent),
                        "planned": euro(plan_amount),
                        "source": rule.source,
                        "percent": format(percent.normalize(), "f").replace(".", ","),
                        "limit": euro(limit),
                    },
                )
            )
    total_planned = sum((amount for _label, amount in planned.values()), ZERO)
    total_actual = sum(actual.values(), ZERO)
    if total_actual > total_planned:
        findings.append(
            Finding(
                "warning",
                rule.code,
                _(
                    "Die Ausgaben (%(actual)s) übersteigen den Finanzierungsplan (%(planned)s); Mehrausgaben in einer "
                    "Position müssen durch Einsparungen in anderen ausgeglichen werden. Bitte stellen Sie einen "
                    "Änderungsantrag."
                )
                % {"actual": euro(total_actual), "planned": euro(total_planned)},
            )
        )
    return lines, findings


def split_by_weights(total: Decimal, weights: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """Split an amount in proportion to ``weights`` so the parts add up to the cent (largest remainder)."""
    return largest_remainder(total, {key: Fraction(value) for key, value in weights.items()})


# --- Proof of use ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    kind: str  # "interim" or "final"
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date


def proof_deadlines(
    *, period_start: dt.date, period_end: dt.date, interim_months: int | None, final_months: int
) -> list[Deadline]:
    """The deadlines a notice sets: an interim proof for every calendar year that ends before the approval
    period does (``interim_months`` after that year's end, if the notice asks for one) and the final proof
    ``final_months`` after the period's end."""
    deadlines = []
    if interim_months is not None:
        for year in range(period_start.year, period_end.year):
            year_end = dt.date(year, 12, 31)
            deadlines.append(
                Deadline("interim", max(period_start, dt.date(year, 1, 1)), year_end, add_months(year_end, interim_months))
            )
    deadlines.append(Deadline("final", period_start, period_end, add_months(period_end, final_months)))
    return deadlines


def retention_end(rule: RuleVersion, submitted_on: dt.date) -> dt.date:
    """Receipts are kept for the rule's years after the proof of use was submitted."""
    return add_years(submitted_on, rule.number("years"))


def late_finding(rule: RuleVersion, *, due_on: dt.date, submitted_on: dt.date) -> list[Finding]:
    """A proof after its deadline is accepted by the platform, but flagged."""
    if submitted_on <= due_on:
        return []
    return [
        Finding(
            "warning",
            rule.code,
            _("Der Nachweis wurde %(days)s Tage nach der Frist (%(due)s) vorgelegt. %(source)s")
            % {"days": (submitted_on - due_on).days, "due": f"{due_on:%d.%m.%Y}", "source": rule.source},
        )
    ]
