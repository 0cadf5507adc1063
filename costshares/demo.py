"""Demo data: the cost shares of the last three years, with payments, e-invoice recipients and budget lines.

Real: Hagen budgeted 2,000 € a year for 2024 and 2025 by its council decision 0569/2023 (seed 000);
at ten cities and 20,000 € that is an equal share. Invented: the budgets of the other years, the
key of the current year, the payments, the Leitweg-IDs' fine addresses and the postal addresses.
Idempotent: nothing happens once a setting exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from members.models import Body, Municipality

from . import actions
from .leitweg import check_digits
from .models import Setting

HAGEN_YEARS = (2024, 2025)


def _decision_for(year: int):
    """The Regiegruppe's latest agenda item before the year began, if the meetings demo has one."""
    from meetings.models import AgendaItem

    return (
        AgendaItem.objects.filter(
            body__kind=Body.Kind.STEERING_GROUP, meeting__isnull=False, meeting__start__date__lt=dt.date(year, 1, 1)
        )
        .order_by("-meeting__start", "position")
        .first()
    )


def load_demo_costshares() -> None:
    if Setting.objects.exists() or not Municipality.objects.exists():
        return
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    today = timezone.localdate()
    for city in Municipality.objects.all():
        actions.set_invoice_recipient(
            office,
            city,
            leitweg_id=f"{city.ags}-1-{check_digits(city.ags, '1')}",
            department="Kommunales Integrationszentrum",
            street="Rathausplatz 1",
            postcode="44000" if city.ags.startswith("059") else "45000",
            city=city.short_name,
        )
    for year in range(today.year - 2, today.year + 1):
        mixed = year > max(HAGEN_YEARS)
        setting = actions.create_setting(
            office,
            year=year,
            budget=Decimal("22000.00") if mixed else Decimal("20000.00"),
            key_date=dt.date(year - 1, 12, 31),
            due_date=dt.date(year, 3, 31),
            equal_percent=Decimal(50) if mixed else Decimal(100),
            population_percent=Decimal(50) if mixed else Decimal(0),
            cap=Decimal("3500.00") if mixed else None,
            floor=Decimal("1500.00") if mixed else None,
            decision=_decision_for(year),
            reason="" if not mixed else "Halb gleiche Anteile, halb nach Einwohnerzahl; Grenzen 1.500 € bis 3.500 €.",
        )
        for index, share in enumerate(setting.shares.select_related("municipality")):
            if year == today.year and index % 3:
                continue  # the current year: a third has paid so far
            if year == today.year - 1 and share.municipality.slug == "herne":
                continue  # one city still owes last year's share
            actions.record_payment(
                office,
                municipality=share.municipality,
                year=year,
                amount=share.amount,
                received_on=min(today, dt.date(year, 3, 15) + dt.timedelta(days=index)),
                reference=share.notice_number,
            )
    _hagen_budget_lines(office)


def _hagen_budget_lines(office) -> None:
    from meetings.models import Paper

    hagen = Municipality.objects.filter(slug="hagen").first()
    if hagen is None:
        return
    paper = Paper.objects.filter(reference="0569/2023").first()
    for year in HAGEN_YEARS:
        actions.record_budget_line(
            office,
            municipality=hagen,
            year=year,
            amount=Decimal("2000.00"),
            decision_reference="0569/2023",
            decision_date=dt.date(2023, 9, 21),
            paper=paper,
            account="531800 Zuschüsse an übrige Bereiche",
        )
