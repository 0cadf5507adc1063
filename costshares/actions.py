"""Every write of the cost distribution, each audited: settings, recipients, payments, budget lines, reminders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.actions import record
from members.models import Municipality, PopulationFigure
from monitoring.models import HRHeadcount, PopulationReference
from notifications.actions import notify
from notifications.audience import Audience
from notifications.messages import Translatable

from .allocation import AllocationError, Key, Party, days_in_year, distribute, member_days
from .models import BudgetLine, InvoiceRecipient, Payment, ReminderSent, Setting, Share


def _members_of(year: int) -> list[Municipality]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return list(
        Municipality.objects.filter(join_date__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=start))
        .order_by("short_name")
    )


@dataclass(frozen=True)
class Figure:
    """A population figure from either store, with its date and source."""

    municipality_id: int
    reference_date: dt.date
    total: int
    source: str


def _population_figures(cities: list[Municipality]) -> list[Figure]:
    """The members' reference figures and the monitoring's sourced totals (e.g. a census) alike.

    On the same date the members' figure wins: it is the one the office keeps for the cooperation.
    """
    figures = [
        Figure(f.municipality_id, f.reference_date, f.population_total, f.source)
        for f in PopulationReference.objects.filter(municipality__in=cities, population_total__isnull=False).order_by("pk")
    ]
    figures += [
        Figure(f.municipality_id, f.reference_date, f.total, f.source)
        for f in PopulationFigure.objects.filter(municipality__in=cities).order_by("pk")
    ]
    return figures


def _latest_before(rows, key_date: dt.date) -> dict[int, object]:
    """The newest figure per city on or before the key date."""
    latest: dict[int, object] = {}
    for row in rows:
        if row.reference_date <= key_date and (
            row.municipality_id not in latest or row.reference_date >= latest[row.municipality_id].reference_date
        ):
            latest[row.municipality_id] = row
    return latest


def create_setting(
    actor,
    *,
    year: int,
    budget: Decimal,
    key_date: dt.date,
    due_date: dt.date,
    equal_percent: Decimal = Decimal(100),
    population_percent: Decimal = Decimal(0),
    staff_percent: Decimal = Decimal(0),
    cap: Decimal | None = None,
    floor: Decimal | None = None,
    decision=None,
    reason: str = "",
) -> Setting:
    """A new version of ``year``'s distribution with every city's share; earlier versions stay as they were.

    Refused as a whole (nothing saved) when the key does not add up to 100 %, a figure is missing for
    a city the key needs it for, or the limits cannot hold the budget.
    """
    key = Key(equal_percent, population_percent, staff_percent, cap, floor)
    cities = _members_of(year)
    population = _latest_before(_population_figures(cities), key_date)
    staff = _latest_before(
        HRHeadcount.objects.filter(municipality__in=cities, attribute=HRHeadcount.TOTAL, category=HRHeadcount.TOTAL), key_date
    )
    parties = [
        Party(
            key=city.short_name,
            member_days=member_days(year, city.join_date, city.left_on),
            population=population[city.pk].total if city.pk in population else None,
            staff=staff[city.pk].headcount if city.pk in staff else None,
        )
        for city in cities
    ]
    try:
        amounts = distribute(budget, key, parties, year)
    except AllocationError as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        Setting.objects.select_for_update().filter(year=year).exists()
        number = (Setting.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
        setting = Setting(
            year=year,
            number=number,
            budget=budget,
            equal_percent=equal_percent,
            population_percent=population_percent,
            staff_percent=staff_percent,
            key_date=key_date,
            cap=cap,
            floor=floor,
            due_date=due_date,
            decision=decision,
            reason=reason,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        setting.full_clean()
        setting.save()
        year_days = days_in_year(year)
        shares = []
        for city, party in zip(cities, parties, strict=True):
            if city.short_name not in amounts:
                continue
            pop, heads = population.get(city.pk), staff.get(city.pk)
            shares.append(
                Share(
                    setting=setting,
                    municipality=city,
                    member_days=party.member_days,
                    year_days=year_days,
                    population=pop.total if pop else None,
                    population_date=pop.reference_date if pop else None,
                    population_source=pop.source if pop else "",
                    staff=heads.headcount if heads else None,
                    staff_date=heads.reference_date if heads else None,
                    staff_source=heads.source if heads else "",
                    amount=amounts[city.short_name],
                )
            )
        Share.objects.bulk_create(shares)
        record(
            actor,
            "costshares.setting_created",
            setting,
            after={
                "year": year,
                "number": number,
                "budget": str(budget),
                "key": setting.key_label,
                "shares": {s.municipality.short_name: str(s.amount) for s in shares},
                "decision": decision.pk if decision else None,
            },
        )
    return setting


def current_setting(year: int) -> Setting | None:
    return Setting.objects.filter(year=year).order_by("-number").first()


def set_invoice_recipient(actor, municipality: Municipality, **fields) -> InvoiceRecipient:
    with transaction.atomic():
        recipient = InvoiceRecipient.objects.select_for_update().filter(municipality=municipality).first()
        before = {k: getattr(recipient, k) for k in fields} if recipient else None
        recipient = recipient or InvoiceRecipient(municipality=municipality)
        for name, value in fields.items():
            setattr(recipient, name, value)
        recipient.full_clean()
        recipient.save()
        record(actor, "costshares.recipient_set", recipient, before=before, after=dict(fields))
    return recipient


def record_payment(
    actor, *, municipality: Municipality, year: int, amount: Decimal, received_on: dt.date, reference: str = ""
) -> Payment:
    payment = Payment(
        municipality=municipality,
        year=year,
        amount=amount,
        received_on=received_on,
        reference=reference,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    payment.full_clean()
    with transaction.atomic():
        payment.save()
        record(
            actor,
            "costshares.payment_recorded",
            payment,
            after={"city": municipality.short_name, "year": year, "amount": str(amount), "received_on": received_on.isoformat()},
        )
    return payment


def record_budget_line(
    actor, *, municipality: Municipality, year: int, amount: Decimal, decision_reference: str, **fields
) -> BudgetLine:
    with transaction.atomic():
        line = BudgetLine.objects.select_for_update().filter(municipality=municipality, year=year).first()
        before = {"amount": str(line.amount), "decision_reference": line.decision_reference} if line else None
        line = line or BudgetLine(municipality=municipality, year=year)
        line.amount = amount
        line.decision_reference = decision_reference
        for name, value in fields.items():
            setattr(line, name, value)
        line.full_clean()
        line.save()
        record(
            actor,
            "costshares.budget_line_recorded",
            line,
            before=before,
            after={"amount": str(amount), "decision_reference": decision_reference},
        )
    return line


def paid(municipality: Municipality, year: int) -> Decimal:
    return Payment.objects.filter(municipality=municipality, year=year).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


def send_payment_reminders(today: dt.date) -> int:
    """Remind each city once whose share of a year is past its due date and not fully paid."""
    sent = 0
    latest = Setting.objects.filter(due_date__lt=today).values("year").annotate(n=Max("number"))
    for row in latest:
        setting = Setting.objects.get(year=row["year"], number=row["n"])
        for share in setting.shares.select_related("municipality"):
            outstanding = share.amount - paid(share.municipality, setting.year)
            if outstanding <= 0:
                continue
            with transaction.atomic():
                _reminder, created = ReminderSent.objects.get_or_create(
                    municipality=share.municipality,
                    year=setting.year,
                    defaults={"sent_on": today, "outstanding": outstanding},
                )
                if not created:
                    continue
                with translation.override("de"):
                    subject = Translatable(gettext_noop("Erinnerung: Kostenanteil %(year)s offen"), {"year": str(setting.year)})
                    text = _("Der Kostenanteil %(city)s für %(year)s war am %(due)s fällig. Offen sind noch %(amount)s €.") % {
                        "city": share.municipality.short_name,
                        "year": setting.year,
                        "due": f"{setting.due_date:%d.%m.%Y}",
                        "amount": f"{outstanding:.2f}".replace(".", ","),
                    }
                notify(
                    recipients=Audience.municipality(share.municipality),
                    verb="costshares.reminder",
                    target=share,
                    always=True,
                    subject=subject,
                    text=text,
                    url=share.get_absolute_url(),
                )
                record(None, "costshares.reminder_sent", share, after={"outstanding": str(outstanding)})
                sent += 1
    return sent
