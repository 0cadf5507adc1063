"""The financing overview and the numerical proof, computed with a fixed number of grouped queries.

However many receipts a project has, the page reads sums grouped by line and city, never the receipts
themselves; a partner city's view is the same sums filtered to its own city.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from . import rules
from .actions import current_plan, rule_version
from .models import ZERO, Application, Expense, LineKind, PlanLine


@dataclass
class CityRow:
    municipality: object
    own_share: Decimal = ZERO
    forwarded: Decimal = ZERO
    spent: Decimal = ZERO
    receipts: int = 0
    unchecked: int = 0


@dataclass
class Overview:
    plan: object
    expense_lines: list[PlanLine]
    income_lines: list[PlanLine]
    lines: list[rules.LineStatus]
    findings: list[rules.Finding]
    cities: list[CityRow]
    total_planned: Decimal
    total_income: Decimal
    total_spent: Decimal
    total_gross: Decimal
    receipts: int
    requested: Decimal
    received: Decimal
    forwarded: Decimal
    income_by_type: dict[str, Decimal] = field(default_factory=dict)


def overview(application: Application, city_ids: frozenset[int] | None = None) -> Overview:
    """Plan against actuals. ``city_ids``: only these cities' expenses (a partner's view); None: all."""
    plan = current_plan(application)
    lines = list(plan.lines.select_related("municipality")) if plan else []
    expense_lines = [line for line in lines if line.kind == LineKind.EXPENSE]
    income_lines = [line for line in lines if line.kind == LineKind.INCOME]
    expenses = Expense.objects.filter(application=application).exclude(status=Expense.Status.REJECTED)
    if city_ids is not None:
        expenses = expenses.filter(municipality_id__in=city_ids)
    by_line = {row["line_key"]: row["total"] for row in expenses.values("line_key").annotate(total=Sum("eligible"))}
    by_city = {
        row["municipality"]: row
        for row in Expense.objects.filter(application=application)
        .exclude(status=Expense.Status.REJECTED)
        .values("municipality")
        .annotate(
            total=Sum("eligible"),
            receipts=Count("pk"),
            unchecked=Count("pk", filter=Q(status=Expense.Status.REPORTED)),
        )
    }
    totals = expenses.aggregate(total=Sum("eligible"), gross=Sum("net") + Sum("vat"), count=Count("pk"))
    money = application.payment_requests.aggregate(
        requested=Sum("amount"), received=Sum("amount", filter=Q(received_on__isnull=False))
    )
    forwarded = {
        row["municipality"]: row["total"] for row in application.forwardings.values("municipality").annotate(total=Sum("amount"))
    }
    rule = rule_version(rules.LINE_DEVIATION)
    if city_ids is None:
        statuses, findings = rules.line_deviation(rule, {line.key: (line.label, line.amount) for line in expense_lines}, by_line)
    else:
        statuses, findings = [], []
    project = application.project
    partner_rows = list(project.partners.select_related("municipality"))
    municipalities = {project.lead_municipality_id: project.lead_municipality}
    municipalities.update({p.municipality_id: p.municipality for p in partner_rows})
    rows = []
    for pk, municipality in sorted(municipalities.items(), key=lambda item: str(item[1])):
        if city_ids is not None and pk not in city_ids:
            continue
        row = by_city.get(pk, {})
        rows.append(
            CityRow(
                municipality=municipality,
                own_share=sum(
                    (
                        line.amount
                        for line in income_lines
                        if line.municipality_id == pk and line.income_type == PlanLine.IncomeType.OWN_SHARE
                    ),
                    ZERO,
                ),
                forwarded=forwarded.get(pk, ZERO),
                spent=row.get("total") or ZERO,
                receipts=row.get("receipts", 0),
                unchecked=row.get("unchecked", 0),
            )
        )
    income_by_type: dict[str, Decimal] = {}
    for line in income_lines:
        income_by_type[line.income_type] = income_by_type.get(line.income_type, ZERO) + line.amount
    return Overview(
        plan=plan,
        expense_lines=expense_lines,
        income_lines=income_lines,
        lines=statuses,
        findings=findings,
        cities=rows,
        total_planned=sum((line.amount for line in expense_lines), ZERO),
        total_income=sum((line.amount for line in income_lines), ZERO),
        total_spent=totals["total"] or ZERO,
        total_gross=totals["gross"] or ZERO,
        receipts=totals["count"],
        requested=money["requested"] or ZERO,
        received=money["received"] or ZERO,
        forwarded=sum(forwarded.values(), ZERO),
        income_by_type=income_by_type,
    )


def receipt_rows(application: Application, proof=None):
    """The receipts list (Belegliste) rows: header and one row per receipt, in receipt order."""
    header = [
        "Beleg-Nr.",
        "Position",
        "Stadt",
        "bezahlt am",
        "Empfänger",
        "Grund der Zahlung",
        "netto",
        "USt",
        "brutto",
        "Vorsteuerabzug",
        "zuwendungsfähig",
        "Prüfung",
        "aufzubewahren bis",
    ]
    expenses = Expense.objects.filter(application=application).order_by("receipt_number")
    if proof is not None:
        expenses = expenses.filter(paid_on__range=(proof.period_start, proof.period_end))
    retention = (proof.retention_until if proof is not None else None) or ""
    labels = {value: str(label) for value, label in Expense.Status.choices}
    columns = ("receipt_number", "line_key", "municipality__short_name", "paid_on", "payee", "description", "net", "vat")
    # Tuples, not model instances: the list may have thousands of rows and goes straight into the sheet.
    rows = (
        [*values, values[6] + values[7], "ja" if deductible else "nein", eligible, labels[status], retention]
        for *values, deductible, eligible, status in expenses.values_list(
            *columns, "input_tax_deductible", "eligible", "status"
        ).iterator(chunk_size=2000)
    )
    return header, rows
