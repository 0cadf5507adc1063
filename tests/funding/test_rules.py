"""The funding rules at their boundaries: two months exactly, 20 % exactly, leap years, cents across ten cities."""
# fixed-dates: the rules are pure functions of the dates passed to them; nothing here is compared with today

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from funding import rules

pytestmark = pytest.mark.sqlite_fast

TWO = rules.RuleVersion(rules.TWO_MONTHS, "test", "VVG zu § 44 LHO NRW Nr. 7.2", {"months": 2})
TWENTY = rules.RuleVersion(rules.LINE_DEVIATION, "test", "ANBest-P Nr. 1.2", {"percent": "20"})
PLAIN = rules.RuleVersion("x", "test", "Quelle", {})
FIVE_YEARS = rules.RuleVersion(rules.RECEIPT_RETENTION, "test", "ANBest-G Nr. 7.5", {"years": 5})


def _plan(on, expected, ratio=Fraction(1), unspent=Decimal("0.00")):
    return rules.plan_tranche(TWO, requested_on=on, expected=expected, grant_ratio=ratio, unspent=unspent)


def test_a_payment_due_exactly_two_months_later_is_covered_one_day_later_is_not():
    on = dt.date(2025, 3, 15)
    plan = _plan(on, [(dt.date(2025, 5, 15), Decimal("1000.00")), (dt.date(2025, 5, 16), Decimal("500.00"))])
    assert plan.covers_until == dt.date(2025, 5, 15)
    assert plan.allowed == Decimal("1000.00")


@pytest.mark.parametrize(
    ("on", "until"),
    [
        (dt.date(2023, 12, 31), dt.date(2024, 2, 29)),  # leap year
        (dt.date(2024, 12, 31), dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), dt.date(2024, 4, 29)),
        (dt.date(2025, 1, 1), dt.date(2025, 3, 1)),
    ],
)
def test_the_two_month_window_ends_on_the_same_day_or_the_months_last_day(on, until):
    assert _plan(on, []).covers_until == until
    due_on_last_day = _plan(on, [(until, Decimal("10.00"))])
    assert due_on_last_day.allowed == Decimal("10.00")


def test_a_request_above_the_plan_is_refused_with_the_source_and_the_figures():
    plan = _plan(dt.date(2025, 3, 1), [(dt.date(2025, 4, 1), Decimal("1234.56"))])
    findings = rules.check_payment_request(TWO, plan, Decimal("1234.57"))
    assert [f.level for f in findings] == ["error"]
    assert "VVG zu § 44 LHO NRW Nr. 7.2" in findings[0].message
    assert "1.234,56 €" in findings[0].message
    assert rules.check_payment_request(TWO, plan, Decimal("1234.56")) == []


def test_the_office_may_exceed_only_with_a_written_justification():
    plan = _plan(dt.date(2025, 3, 1), [])
    assert rules.check_payment_request(TWO, plan, Decimal("1.00"), may_override=True)[0].is_error
    findings = rules.check_payment_request(
        TWO, plan, Decimal("1.00"), may_override=True, override_reason="Vorauszahlung laut Vertrag"
    )
    assert [f.level for f in findings] == ["warning"]


def test_unspent_money_lowers_the_tranche_and_warns_of_idle_money():
    plan = _plan(dt.date(2025, 3, 1), [(dt.date(2025, 3, 20), Decimal("900.00"))], Fraction(2, 3), Decimal("100.00"))
    assert plan.grant_part == Decimal("600.00")
    assert plan.allowed == Decimal("500.00")
    findings = rules.check_payment_request(TWO, plan, Decimal("500.00"))
    assert [f.level for f in findings] == ["warning"]
    assert "Zinsrisiko" in findings[0].message


def test_the_grant_part_is_rounded_down_to_the_cent():
    plan = _plan(dt.date(2025, 3, 1), [(dt.date(2025, 3, 2), Decimal("100.00"))], Fraction(1, 3))
    assert plan.grant_part == Decimal("33.33")


def test_a_line_may_exceed_its_plan_by_exactly_twenty_per_cent_not_one_cent_more():
    planned = {"personal": ("Personal", Decimal("1000.00")), "sach": ("Sachausgaben", Decimal("1000.00"))}
    lines, findings = rules.line_deviation(TWENTY, planned, {"personal": Decimal("1200.00"), "sach": Decimal("800.00")})
    assert lines[0].over_plan and not lines[0].needs_change_request
    assert lines[0].headroom == Decimal("0.00")
    assert findings == []
    lines, findings = rules.line_deviation(TWENTY, planned, {"personal": Decimal("1200.01"), "sach": Decimal("700.00")})
    assert lines[0].needs_change_request
    assert "Änderungsantrag" in findings[0].message and "20 %" in findings[0].message


def test_twenty_per_cent_of_an_odd_amount_is_rounded_down():
    lines, _ = rules.line_deviation(TWENTY, {"a": ("A", Decimal("0.04"))}, {})
    assert lines[0].limit == Decimal("0.04")  # 0.048 → 0.04: the allowance never grows by rounding


def test_a_total_above_the_plan_needs_a_change_request_even_within_the_allowance():
    _lines, findings = rules.line_deviation(TWENTY, {"a": ("A", Decimal("100.00"))}, {"a": Decimal("110.00")})
    assert len(findings) == 1 and "übersteigen" in findings[0].message


def test_an_unbalanced_plan_is_refused_and_a_balanced_one_passes():
    assert rules.check_plan_balanced(PLAIN, expenses=Decimal("100.00"), income=Decimal("100.00")) == []
    (finding,) = rules.check_plan_balanced(PLAIN, expenses=Decimal("100.00"), income=Decimal("99.99"))
    assert finding.is_error and "0,01 €" in finding.message


def test_expenses_count_only_within_the_approval_period_both_ends_included():
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    assert rules.check_in_period(PLAIN, paid_on=start, start=start, end=end) == []
    assert rules.check_in_period(PLAIN, paid_on=end, start=start, end=end) == []
    assert rules.check_in_period(PLAIN, paid_on=dt.date(2025, 1, 1), start=start, end=end)[0].is_error
    assert rules.check_in_period(PLAIN, paid_on=dt.date(2023, 12, 31), start=start, end=end)[0].is_error


def test_net_counts_where_input_tax_is_deductible():
    assert rules.eligible_amount(net=Decimal("100.00"), vat=Decimal("19.00"), input_tax_deductible=True) == Decimal("100.00")
    assert rules.eligible_amount(net=Decimal("100.00"), vat=Decimal("19.00"), input_tax_deductible=False) == Decimal("119.00")


def test_ten_cities_share_an_amount_to_the_cent():
    weights = {f"city-{i}": Decimal(1) for i in range(10)}
    parts = rules.split_by_weights(Decimal("100000.07"), weights)
    assert sum(parts.values()) == Decimal("100000.07")
    assert sorted(set(parts.values())) == [Decimal("10000.00"), Decimal("10000.01")]
    uneven = rules.split_by_weights(Decimal("1000.00"), {f"c{i}": Decimal(i + 1) for i in range(10)})
    assert sum(uneven.values()) == Decimal("1000.00")


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1.234,56", "1234.56"), ("1.234", "1234.00"), ("0,5", "0.50"), ("1 234,56 €", "1234.56"), ("1234.56", "1234.56")],
)
def test_german_amounts_are_read_as_typed(text, amount):
    assert rules.parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1,234,56", "12,345", "abc", "1,999"])
def test_malformed_or_sub_cent_amounts_are_refused(text):
    with pytest.raises(rules.AllocationError):
        rules.parse_amount(text)


def test_proof_deadlines_come_from_the_notices_fields():
    deadlines = rules.proof_deadlines(
        period_start=dt.date(2022, 7, 1), period_end=dt.date(2024, 6, 30), interim_months=4, final_months=6
    )
    assert [(d.kind, d.period_end, d.due_on) for d in deadlines] == [
        ("interim", dt.date(2022, 12, 31), dt.date(2023, 4, 30)),
        ("interim", dt.date(2023, 12, 31), dt.date(2024, 4, 30)),
        ("final", dt.date(2024, 6, 30), dt.date(2024, 12, 30)),
    ]
    assert rules.proof_deadlines(
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 8, 31), interim_months=None, final_months=3
    ) == [rules.Deadline("final", dt.date(2025, 1, 1), dt.date(2025, 8, 31), dt.date(2025, 11, 30))]


def test_receipts_are_kept_five_years_after_the_proof_also_from_a_leap_day():
    assert rules.retention_end(FIVE_YEARS, dt.date(2025, 3, 31)) == dt.date(2030, 3, 31)
    assert rules.retention_end(FIVE_YEARS, dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)


def test_a_late_proof_is_flagged_not_refused():
    rule = rules.RuleVersion(rules.PROOF_DEADLINE, "t", "ANBest-G NRW Nr. 7.1", {})
    assert rules.late_finding(rule, due_on=dt.date(2025, 6, 30), submitted_on=dt.date(2025, 6, 30)) == []
    (finding,) = rules.late_finding(rule, due_on=dt.date(2025, 6, 30), submitted_on=dt.date(2025, 7, 1))
    assert finding.level == "warning" and "1 Tage" in finding.message
