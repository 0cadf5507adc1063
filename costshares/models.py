"""The members' cost shares (Kostenverteilung/Umlage): yearly settings, shares, payments, budget lines.

A setting (Festsetzung) is never changed: a new decision makes a new version for the same year, and
the shares computed for it are stored with the figures and sources they were computed from, so the
calculation sheet of an old version still reads as it was decided.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.models import MONEY, TimestampedModel

from .leitweg import validate_leitweg_id


class InvoiceRecipient(TimestampedModel):
    """Where a city receives e-invoices: its Leitweg-ID and postal address (BT-10, BT-44 to BT-55)."""

    municipality = models.OneToOneField(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="invoice_recipient"
    )
    leitweg_id = models.CharField(_("Leitweg-ID"), max_length=46, validators=[validate_leitweg_id])
    department = models.CharField(_("Stelle"), max_length=200, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    city = models.CharField(_("Ort"), max_length=100)

    class Meta:
        verbose_name = _("Rechnungsempfänger")
        verbose_name_plural = _("Rechnungsempfänger")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.leitweg_id}"


class Setting(TimestampedModel):
    """One version of a year's cost distribution, as the Regiegruppe decided it."""

    year = models.PositiveSmallIntegerField(_("Haushaltsjahr"), validators=[MinValueValidator(2010)])
    number = models.PositiveSmallIntegerField(_("Fassung"), default=1)
    budget = models.DecimalField(_("Haushalt der Kooperation"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    equal_percent = models.DecimalField(_("gleiche Anteile (%)"), max_digits=5, decimal_places=2, default=Decimal(100))
    population_percent = models.DecimalField(_("nach Einwohnerzahl (%)"), max_digits=5, decimal_places=2, default=Decimal(0))
    staff_percent = models.DecimalField(_("nach Beschäftigten (%)"), max_digits=5, decimal_places=2, default=Decimal(0))
    key_date = models.DateField(_("Stichtag der Kennzahlen"))
    cap = models.DecimalField(_("Höchstbetrag je Stadt"), **MONEY, null=True, blank=True)
    floor = models.DecimalField(_("Mindestbetrag je Stadt"), **MONEY, null=True, blank=True)
    due_date = models.DateField(_("fällig am"))
    decision = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("Beschluss der Regiegruppe (Tagesordnungspunkt)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("Begründung der Fassung"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Festsetzung")
        verbose_name_plural = _("Festsetzungen")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="costshares_one_setting_number_per_year"),
            models.CheckConstraint(
                condition=Q(equal_percent__gte=0) & Q(population_percent__gte=0) & Q(staff_percent__gte=0),
                name="costshares_key_parts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return _("Kostenverteilung %(year)s, Fassung %(number)s") % {"year": self.year, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("costshares:sheet", args=[self.year]) + f"?fassung={self.number}"

    @property
    def key_label(self) -> str:
        parts = []
        for value, label in (
            (self.equal_percent, _("gleiche Anteile")),
            (self.population_percent, _("Einwohnerzahl")),
            (self.staff_percent, _("Beschäftigte")),
        ):
            if value:
                parts.append(f"{format(value.normalize(), 'f').replace('.', ',')} % {label}")
        return " + ".join(parts)


class Share(TimestampedModel):
    """A city's share in one setting, with the figures it rests on (the row of the calculation sheet)."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="shares")
    municipality = models.ForeignKey("members.Municipality", on_delete=models.PROTECT, related_name="cost_shares")
    member_days = models.PositiveSmallIntegerField(_("Mitgliedstage"))
    year_days = models.PositiveSmallIntegerField(_("Tage des Jahres"))
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    population_date = models.DateField(_("Stichtag Einwohnerzahl"), null=True, blank=True)
    population_source = models.CharField(_("Quelle Einwohnerzahl"), max_length=300, blank=True)
    staff = models.PositiveIntegerField(_("Beschäftigte"), null=True, blank=True)
    staff_date = models.DateField(_("Stichtag Beschäftigte"), null=True, blank=True)
    staff_source = models.CharField(_("Quelle Beschäftigte"), max_length=400, blank=True)
    amount = models.DecimalField(_("Anteil"), **MONEY)

    class Meta:
        verbose_name = _("Kostenanteil")
        verbose_name_plural = _("Kostenanteile")
        ordering = ["setting", "municipality__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "municipality"], name="costshares_one_share_per_city_and_setting")
        ]

    def __str__(self) -> str:
        return _("Kostenanteil %(city)s %(year)s") % {"city": self.municipality, "year": self.setting.year}

    def get_absolute_url(self) -> str:
        return reverse("costshares:share", args=[self.pk])

    @property
    def notice_number(self) -> str:
        return f"KV-{self.setting.year}-{self.municipality.ags}-{self.setting.number}"

    @property
    def pro_rata(self) -> bool:
        return self.member_days < self.year_days


class Payment(TimestampedModel):
    """Money received from a city towards its share of a year."""

    municipality = models.ForeignKey("members.Municipality", on_delete=models.PROTECT, related_name="cost_share_payments")
    year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    amount = models.DecimalField(_("Betrag"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    received_on = models.DateField(_("eingegangen am"))
    reference = models.CharField(_("Verwendungszweck"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Zahlungseingang")
        verbose_name_plural = _("Zahlungseingänge")
        ordering = ["year", "municipality__short_name", "received_on"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="costshares_payment_positive")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.amount} €"


class BudgetLine(TimestampedModel):
    """A city has budgeted its share for a year, by a decision of its council (e.g. Hagen 0569/2023)."""

    municipality = models.ForeignKey("members.Municipality", on_delete=models.PROTECT, related_name="cost_share_budgets")
    year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    amount = models.DecimalField(_("veranschlagter Betrag"), **MONEY)
    decision_reference = models.CharField(_("Ratsbeschluss (Drucksache)"), max_length=100)
    decision_date = models.DateField(_("Datum des Beschlusses"), null=True, blank=True)
    paper = models.ForeignKey(
        "meetings.Paper", verbose_name=_("Vorlage"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    account = models.CharField(_("Buchungsstelle"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Haushaltsansatz einer Stadt")
        verbose_name_plural = _("Haushaltsansätze der Städte")
        ordering = ["year", "municipality__short_name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="costshares_one_budget_line_per_year")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.amount} € ({self.decision_reference})"


class ReminderSent(models.Model):
    """A payment reminder went out for a city's share of a year (once per city and year)."""

    municipality = models.ForeignKey("members.Municipality", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    outstanding = models.DecimalField(**MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="costshares_one_reminder_per_year")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}: {self.sent_on}"
