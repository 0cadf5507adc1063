"""Third-party funding of joint projects, seen from the recipient's side (German funding law).

A programme (Förderprogramm) is applied for with a financing plan whose versions are never overwritten;
the approval notice (Zuwendungsbescheid) fixes the period, the amount and the conditions, each condition a
tracked obligation. Money moves as payment requests (Mittelabrufe) from the funder, forwardings
(Weiterleitungen) from the lead city to its partners and expenses with receipts; the proof of use
(Zwischen-/Verwendungsnachweis) sums them up. The rules that judge all this are data (:class:`Rule`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.models import MONEY, TimestampedModel, VersionedModel

ZERO = Decimal("0.00")


class Rule(TimestampedModel):
    """One version of a rule the platform checks, with its legal source; new wording → a new row."""

    code = models.SlugField(_("Kennung"), max_length=60)
    version = models.CharField(_("Fassung"), max_length=200)
    title = models.CharField(_("Titel"), max_length=200)
    source = models.CharField(_("Quelle"), max_length=300)
    explanation = models.TextField(_("Erläuterung"), max_length=4000)
    parameters = models.JSONField(_("Parameter"), default=dict)
    valid_from = models.DateField(_("gilt ab"))

    class Meta:
        verbose_name = _("Förderregel")
        verbose_name_plural = _("Förderregeln")
        ordering = ["code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="funding_rule_one_version")]

    def __str__(self) -> str:
        return f"{self.title} ({self.source}, {self.version})"


class FundingType(models.TextChoices):
    SHARE = "share", _("Anteilfinanzierung")
    DEFICIT = "deficit", _("Fehlbedarfsfinanzierung")
    FIXED = "fixed", _("Festbetragsfinanzierung")


class Programme(TimestampedModel):
    """A funding programme and the guideline it rests on (Förderrichtlinie)."""

    name = models.CharField(_("Name"), max_length=200)
    funder = models.CharField(_("Zuwendungsgeber"), max_length=200)
    guideline = models.CharField(_("Förderrichtlinie"), max_length=300)
    guideline_version = models.CharField(_("Fassung der Richtlinie"), max_length=100, blank=True)
    guideline_date = models.DateField(_("Datum der Richtlinie"), null=True, blank=True)
    authority = models.CharField(_("Bewilligungsbehörde"), max_length=200)
    funding_type = models.CharField(_("Finanzierungsart"), max_length=10, choices=FundingType.choices)

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(funding_type__in=FundingType.values), name="funding_programme_type_valid")
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("in Vorbereitung")
    SUBMITTED = "submitted", _("eingereicht")
    APPROVED = "approved", _("bewilligt")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class Application(VersionedModel):
    """The application (Förderantrag) of a joint project to a programme."""

    Status = ApplicationStatus

    project = models.ForeignKey(
        "projects.JointProject", verbose_name=_("Projekt"), on_delete=models.PROTECT, related_name="funding_applications"
    )
    programme = models.ForeignKey(Programme, verbose_name=_("Förderprogramm"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("Titel des Antrags"), max_length=200)
    status = models.CharField(_("Stand"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(_("eingereicht am"), null=True, blank=True)
    reference = models.CharField(_("Aktenzeichen"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Förderantrag")
        verbose_name_plural = _("Förderanträge")
        ordering = ["project", "-created"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="funding_application_status")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:overview", args=[self.project.slug])


class LineKind(models.TextChoices):
    EXPENSE = "expense", _("Ausgabe")
    INCOME = "income", _("Einnahme")


class IncomeType(models.TextChoices):
    GRANT = "grant", _("Zuwendung")
    OWN_SHARE = "own_share", _("Eigenanteil einer Stadt")
    THIRD_PARTY = "third_party", _("Drittmittel")


class PlanVersion(TimestampedModel):
    """One version of the financing plan; a change makes a new version, the old ones stay as they were."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveSmallIntegerField(_("Fassung"))
    reason = models.CharField(_("Anlass"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Fassung des Finanzierungsplans")
        verbose_name_plural = _("Fassungen des Finanzierungsplans")
        ordering = ["application", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="funding_plan_one_number")]

    def __str__(self) -> str:
        return _("Finanzierungsplan, Fassung %(number)s") % {"number": self.number}


class PlanLine(models.Model):
    """A line of the financing plan: an expense item (by ``key``, stable across versions) or a source of income."""

    Kind = LineKind
    IncomeType = IncomeType

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("Art"), max_length=8, choices=Kind.choices)
    income_type = models.CharField(_("Art der Einnahme"), max_length=12, choices=IncomeType.choices, blank=True)
    key = models.SlugField(_("Kennung"), max_length=40)
    label = models.CharField(_("Bezeichnung"), max_length=200)
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Stadt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(_("Betrag"), **MONEY)

    class Meta:
        ordering = ["plan", "kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "key"], name="funding_plan_line_unique_key"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_plan_line_not_negative"),
            models.CheckConstraint(
                condition=Q(kind="expense", income_type="") | Q(kind="income") & ~Q(income_type=""),
                name="funding_plan_line_income_has_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} €"


class GeneralConditions(models.TextChoices):
    ANBEST_G = "ANBest-G", _("ANBest-G (Gemeinden)")
    ANBEST_P = "ANBest-P", _("ANBest-P (Projektförderung)")


class Notice(VersionedModel):
    """The approval notice (Zuwendungsbescheid). Its fields, not constants, drive the deadlines."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="notice")
    date = models.DateField(_("Datum des Bescheids"))
    reference = models.CharField(_("Aktenzeichen des Bescheids"), max_length=100)
    period_start = models.DateField(_("Bewilligungszeitraum von"))
    period_end = models.DateField(_("Bewilligungszeitraum bis"))
    amount = models.DecimalField(_("bewilligter Betrag"), **MONEY)
    funding_type = models.CharField(_("Finanzierungsart"), max_length=10, choices=FundingType.choices)
    funding_rate = models.DecimalField(_("Fördersatz (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    final_on = models.DateField(_("bestandskräftig seit"), null=True, blank=True)
    appeal_waived = models.BooleanField(_("Rechtsbehelfsverzicht erklärt"), default=False)
    general_conditions = models.CharField(_("Nebenbestimmungen"), max_length=10, choices=GeneralConditions.choices)
    exclusions = models.TextField(_("Ausschlüsse laut Bescheid"), blank=True, max_length=4000)
    interim_proof_months = models.PositiveSmallIntegerField(
        _("Zwischennachweis: Monate nach Ende jedes Kalenderjahres"), null=True, blank=True
    )
    final_proof_months = models.PositiveSmallIntegerField(_("Verwendungsnachweis: Monate nach Ende des Bewilligungszeitraums"))

    class Meta:
        verbose_name = _("Zuwendungsbescheid")
        verbose_name_plural = _("Zuwendungsbescheide")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="funding_notice_period_order"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_notice_amount_positive"),
        ]

    def __str__(self) -> str:
        return _("Zuwendungsbescheid %(reference)s") % {"reference": self.reference}


class Obligation(TimestampedModel):
    """A condition of the notice, tracked until its evidence is in (Auflage)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="obligations")
    title = models.CharField(_("Auflage"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("zuständig"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    evidence = models.ForeignKey(
        "documents.Document", verbose_name=_("Nachweis"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_on = models.DateField(_("erfüllt am"), null=True, blank=True)
    task = models.ForeignKey("tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Auflage")
        verbose_name_plural = _("Auflagen")
        ordering = ["notice", models.F("due_date").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.title


class ExpectedPayment(TimestampedModel):
    """A payment the project expects to make (the basis of the tranche plan)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expected_payments")
    due_on = models.DateField(_("fällig am"))
    amount = models.DecimalField(_("Betrag"), **MONEY)
    description = models.CharField(_("Zweck"), max_length=200)

    class Meta:
        verbose_name = _("erwartete Zahlung")
        verbose_name_plural = _("erwartete Zahlungen")
        ordering = ["application", "due_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_expected_payment_positive")]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.amount} €"


class PaymentRequest(TimestampedModel):
    """A payment request (Mittelabruf) for one tranche of the grant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="payment_requests")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    requested_on = models.DateField(_("abgerufen am"))
    amount = models.DecimalField(_("Betrag"), **MONEY)
    allowed = models.DecimalField(_("nach der Zwei-Monats-Regel zulässig"), **MONEY)
    covers_until = models.DateField(_("deckt Zahlungen fällig bis"))
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(_("Begründung der Überschreitung"), blank=True, max_length=2000)
    received_on = models.DateField(_("eingegangen am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Mittelabruf")
        verbose_name_plural = _("Mittelabrufe")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="funding_request_one_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_request_positive"),
            models.CheckConstraint(
                condition=Q(amount__lte=models.F("allowed")) | ~Q(override_reason=""), name="funding_request_excess_justified"
            ),
        ]

    def __str__(self) -> str:
        return _("Mittelabruf %(number)s") % {"number": self.number}

    @property
    def is_override(self) -> bool:
        return self.amount > self.allowed


class Forwarding(TimestampedModel):
    """Money the lead city forwarded to a partner city (Weiterleitung, VV Nr. 12 zu § 44 LHO)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="forwardings")
    municipality = models.ForeignKey("members.Municipality", verbose_name=_("Stadt"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("Betrag"), **MONEY)
    forwarded_on = models.DateField(_("weitergeleitet am"))
    reference = models.CharField(_("Verwendungszweck"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Weiterleitung")
        verbose_name_plural = _("Weiterleitungen")
        ordering = ["application", "forwarded_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_forwarding_positive")]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.amount} €"


class ExpenseStatus(models.TextChoices):
    REPORTED = "reported", _("gemeldet")
    CHECKED = "checked", _("geprüft")
    REJECTED = "rejected", _("nicht anerkannt")


class Expense(TimestampedModel):
    """An actual expense against a line of the plan, with its receipt (Beleg)."""

    Status = ExpenseStatus

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expenses")
    receipt_number = models.PositiveIntegerField(_("Beleg-Nr."))
    line_key = models.SlugField(_("Ausgabenposition"), max_length=40)
    municipality = models.ForeignKey("members.Municipality", verbose_name=_("Stadt"), on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("bezahlt am"))
    payee = models.CharField(_("Empfänger"), max_length=200)
    description = models.CharField(_("Grund der Zahlung"), max_length=300)
    net = models.DecimalField(_("netto"), **MONEY)
    vat = models.DecimalField(_("Umsatzsteuer"), **MONEY, default=ZERO)
    input_tax_deductible = models.BooleanField(_("vorsteuerabzugsberechtigt"), default=False)
    eligible = models.DecimalField(_("zuwendungsfähig"), **MONEY)
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("Beleg"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("Prüfung"), max_length=10, choices=Status.choices, default=Status.REPORTED)
    check_note = models.CharField(_("Prüfvermerk"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Ausgabe")
        verbose_name_plural = _("Ausgaben")
        ordering = ["application", "receipt_number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "receipt_number"], name="funding_expense_one_receipt_number"),
            models.CheckConstraint(condition=Q(net__gt=0) & Q(vat__gte=0), name="funding_expense_amounts"),
            models.CheckConstraint(condition=Q(status__in=ExpenseStatus.values), name="funding_expense_status"),
        ]
        indexes = [models.Index(fields=["application", "line_key", "municipality"], name="funding_expense_line_city")]

    def __str__(self) -> str:
        return _("Beleg %(number)s") % {"number": self.receipt_number}

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


class ProofKind(models.TextChoices):
    INTERIM = "interim", _("Zwischennachweis")
    FINAL = "final", _("Verwendungsnachweis")


class ProofStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    REVIEWED = "reviewed", _("geprüft")
    SUBMITTED = "submitted", _("eingereicht")
    ACCEPTED = "accepted", _("anerkannt")


class ProofOfUse(VersionedModel):
    """A proof of use with its deadline (derived from the notice) and its editable narrative report."""

    Kind = ProofKind
    Status = ProofStatus

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="proofs")
    kind = models.CharField(_("Art"), max_length=8, choices=Kind.choices)
    period_start = models.DateField(_("Zeitraum von"))
    period_end = models.DateField(_("Zeitraum bis"))
    due_on = models.DateField(_("vorzulegen bis"))
    narrative = models.TextField(_("Sachbericht"), blank=True, max_length=50_000)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(_("eingereicht am"), null=True, blank=True)
    accepted_on = models.DateField(_("anerkannt am"), null=True, blank=True)
    retention_until = models.DateField(_("Belege aufzubewahren bis"), null=True, blank=True)
    task = models.ForeignKey("tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Nachweis")
        verbose_name_plural = _("Nachweise")
        ordering = ["application", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "period_end"], name="funding_proof_one_per_period"),
            models.CheckConstraint(condition=Q(status__in=ProofStatus.values), name="funding_proof_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("funding:proof", args=[self.application.project.slug, self.pk])

    @property
    def is_late(self) -> bool:
        return self.submitted_on is not None and self.submitted_on > self.due_on
