"""Monitoring of staff with immigration history: survey rounds, waves, codes, responses, aggregates.

Anonymity is a property of the schema, not of good intentions (public-sector.md §3.5):

* :class:`AccessCode` holds the HMAC of a one-time code and a ``used`` flag. Nothing else: no
  timestamp, no reference to a response, no person.
* :class:`Response` has a random UUID4 key, the wave, the raw answers and what is derived from
  them. No code, no code id, no account, no IP address, no user agent, no timestamp: the wave's
  fielding period is the finest time information there is.
* :class:`PendingResponse` is the mixing pool between the two: a submission uses up its code and
  leaves its answers here, sealed under a server key and padded to one length. Only when at least
  *k* answers of a wave wait are they moved, in one transaction and random order with fresh ids,
  into :class:`Response` (:mod:`monitoring.survey`). So the database never shows which response
  belongs to which used code, not even through transaction ids, physical order or statistics.
* :class:`PartialAnswers` (pause and resume) is keyed by a second HMAC of the code and encrypted
  with a key derived from the code itself, and is deleted when the answers are submitted.
* Dashboards, exports and the API read :class:`AggregateCell` rows only, which are written once
  per round by the disclosure control (:mod:`monitoring.aggregation`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.models import TimestampedModel

from .questionnaire import CORE_CHOICES, FACET_BY_KEY, validate_local_items

MIN_ALLOWED_K = 5
"""Never publish cells below 5 respondents; equals ``stats.disclosure.MIN_ALLOWED_K`` (tested), kept
here so that loading the models does not import numpy and scipy into every web worker."""


class Classification(models.IntegerChoices):
    """A derived concept for one respondent; UNCLASSIFIABLE is never counted as NO."""

    YES = 1, _("ja")
    NO = 2, _("nein")
    UNCLASSIFIABLE = 3, _("unklassifizierbar")


class Concept(models.TextChoices):
    """Staff concepts the indicators are published for (monitoring.md §1)."""

    MIGRATION_BACKGROUND = "mh", _("Migrationshintergrund (Destatis/Mikrozensus)")
    IMMIGRATION_HISTORY = "eg", _("Einwanderungsgeschichte (Destatis seit 2023)")


class Questionnaire(TimestampedModel):
    """A released version of the standard questionnaire; the core items live in code."""

    version = models.SlugField(_("Version"), max_length=20, unique=True, help_text=_("z. B. 2026-1"))
    core = models.CharField(_("Kernfragen"), max_length=10, choices=CORE_CHOICES, default="1")
    title = models.CharField(_("Titel"), max_length=200)
    introduction = models.TextField(
        _("Einleitung"),
        help_text=_("Zweck, Freiwilligkeit, Verantwortliche Stelle, Auswertung nur in Gruppen; erscheint vor der ersten Frage."),
    )

    class Meta:
        verbose_name = _("Fragebogen")
        verbose_name_plural = _("Fragebögen")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def spec(self):
        from .questionnaire import CORE_SPECS

        return CORE_SPECS[self.core]


def default_min_cell_size() -> int:
    return settings.MONITORING_MIN_CELL_SIZE


class SurveyRound(TimestampedModel):
    """An Erhebungsrunde: the waves of all cities that are evaluated and protected together.

    Disclosure control runs once per round over every table any audience sees, so a city's
    dashboard, the cross-city comparison and the public release can never be differenced
    against each other. A round is finalised once; its aggregates never change afterwards.
    """

    slug = models.SlugField(_("Kürzel"), max_length=40, unique=True, help_text=_("z. B. 2026; erscheint in Adressen"))
    name = models.CharField(_("Bezeichnung"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("Fragebogen"), on_delete=models.PROTECT, related_name="rounds"
    )
    min_cell_size = models.PositiveSmallIntegerField(
        _("Mindestzahl Antworten je Zelle (k)"),
        default=default_min_cell_size,
        validators=[MinValueValidator(MIN_ALLOWED_K)],
        help_text=_("Zellen mit weniger Antworten werden nie gezeigt; nie weniger als 5."),
    )
    weighting = models.BooleanField(
        _("gewichtete Werte zeigen"), default=True, help_text=_("Anpassung an die Personalstatistik (Raking) je Stadt.")
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("Vorrunde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Was dort unterdrückt war, bleibt hier unterdrückt (keine Differenzbildung über die Jahre)."),
    )
    finalised_on = models.DateField(_("Auswertung abgeschlossen am"), null=True, blank=True)
    suppressed_boxes = models.JSONField(_("unterdrückte Zellen (für die Folgerunde)"), default=list, blank=True)
    protection_note = models.TextField(_("Hinweis zur Geheimhaltung"), blank=True)
    disclosure_audit = models.JSONField(
        _("Prüfung der Geheimhaltung"),
        default=dict,
        blank=True,
        help_text=_("Ergebnis der Prüfung bei der Auswertung: k, gesperrte Zahlen, kleinste Spanne, Zeitpunkt, Prüfsumme."),
    )

    class Meta:
        verbose_name = _("Erhebungsrunde")
        verbose_name_plural = _("Erhebungsrunden")
        ordering = ["-slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_final(self) -> bool:
        return self.finalised_on is not None


class Wave(TimestampedModel):
    """One city's survey within a round, with its fielding period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in Vorbereitung")
        FIELDING = "fielding", _("läuft")
        CLOSED = "closed", _("beendet")
        FINAL = "final", _("ausgewertet")
        RELEASED = "released", _("veröffentlicht")

    round = models.ForeignKey(SurveyRound, verbose_name=_("Erhebungsrunde"), on_delete=models.PROTECT, related_name="waves")
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="monitoring_waves"
    )
    fielding_start = models.DateField(_("Befragung ab"))
    fielding_end = models.DateField(_("Befragung bis"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    open_link_token = models.CharField(
        _("offener Link"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Schwächere Variante ohne Codes: jede Person mit dem Link kann (auch mehrfach) antworten."),
    )
    local_items = models.JSONField(
        _("eigene Fragen der Stadt"),
        default=list,
        blank=True,
        help_text=_('Liste von {"key": …, "text": …, "choices": [[Wert, Text], …]}; erscheinen am Ende.'),
    )
    finalised_on = models.DateField(_("ausgewertet am"), null=True, blank=True)
    released_on = models.DateField(_("veröffentlicht am"), null=True, blank=True)
    release_audit = models.JSONField(
        _("Prüfung der Geheimhaltung bei Veröffentlichung"),
        default=dict,
        blank=True,
        help_text=_("Ergebnis der Prüfung dessen, was die Öffentlichkeit nach der Freigabe sieht."),
    )
    raw_deleted_on = models.DateField(_("Rohdaten gelöscht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Befragungswelle")
        verbose_name_plural = _("Befragungswellen")
        ordering = ["round", "municipality__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality"], name="one_wave_per_city_and_round"),
            models.CheckConstraint(condition=Q(fielding_end__gte=models.F("fielding_start")), name="wave_fielding_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.round}"

    def clean(self) -> None:
        if self.fielding_start and self.fielding_end and self.fielding_end < self.fielding_start:
            raise ValidationError({"fielding_end": _("Das Ende der Befragung darf nicht vor ihrem Beginn liegen.")})
        problems = validate_local_items(self.local_items)
        if problems:
            raise ValidationError({"local_items": problems})

    def is_open_on(self, day) -> bool:
        return self.status == self.Status.FIELDING and self.fielding_start <= day <= self.fielding_end

    def is_open_now(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def retention_due(self):
        if self.finalised_on is None:
            return None
        return self.finalised_on + dt.timedelta(days=settings.MONITORING_RETENTION_DAYS)


class AccessCode(models.Model):
    """A one-time access code: its keyed hash and whether it was used. Deliberately nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="access_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Zugangscode")
        verbose_name_plural = _("Zugangscodes")

    def __str__(self) -> str:
        return str(_("Zugangscode (verwendet)") if self.used else _("Zugangscode"))


class PartialAnswers(models.Model):
    """Answers saved with "später fortsetzen"; encrypted with a key only the code holder has."""

    key = models.CharField(primary_key=True, max_length=64)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    payload = models.TextField()

    class Meta:
        verbose_name = _("Zwischenstand")
        verbose_name_plural = _("Zwischenstände")

    def __str__(self) -> str:
        return str(_("Zwischenstand"))


class PendingResponse(models.Model):
    """A submitted questionnaire waiting in the mixing pool: sealed, of one length, nothing else.

    Written in the transaction that uses up the code (so it shares that transaction's id), and
    deleted when its wave's pool is moved into :class:`Response` as a batch of at least *k*.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    sealed = models.TextField()

    class Meta:
        verbose_name = _("wartende Antwort")
        verbose_name_plural = _("wartende Antworten")

    def __str__(self) -> str:
        return str(_("wartende Antwort"))


class Response(models.Model):
    """One submitted questionnaire. No timestamp, no code, no account: see the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(_("Antworten (roh)"))
    migration_background = models.PositiveSmallIntegerField(choices=Classification.choices)
    immigration_history = models.PositiveSmallIntegerField(choices=Classification.choices)
    one_sided_immigration_history = models.PositiveSmallIntegerField(choices=Classification.choices)
    department_group = models.PositiveSmallIntegerField()
    pay_band = models.PositiveSmallIntegerField()
    trainee = models.PositiveSmallIntegerField()
    age_band = models.PositiveSmallIntegerField()
    gender = models.PositiveSmallIntegerField()
    working_time = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{key}__lt": len(facet.categories)}), name=f"response_{key}_in_range")
            for key, facet in FACET_BY_KEY.items()
        ]

    def __str__(self) -> str:
        return str(_("Antwort"))


class AggregateCell(models.Model):
    """One published row: a group (city or all cities x subgroup) under one concept.

    Counts of a suppressed cell are stored as NULL with the reason; the true value of a
    suppressed cell is not kept anywhere. Every derived number (share, interval, index,
    weighted share) is NULL whenever a count it depends on is suppressed.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="cells")
    municipality = models.ForeignKey(
        "members.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("leer: alle Städte"),
    )
    concept = models.CharField(max_length=4, choices=Concept.choices)
    facet = models.CharField(max_length=60)
    category = models.CharField(max_length=60, blank=True)
    label = models.CharField(max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)
    positives = models.PositiveIntegerField(null=True)
    negatives = models.PositiveIntegerField(null=True)
    classified = models.PositiveIntegerField(null=True)
    positives_reason = models.CharField(max_length=16, blank=True)
    negatives_reason = models.CharField(max_length=16, blank=True)
    classified_reason = models.CharField(max_length=16, blank=True)
    low_precision = models.BooleanField(default=False)
    share = models.FloatField(null=True)
    lower = models.FloatField(null=True)
    upper = models.FloatField(null=True)
    respondents = models.PositiveIntegerField(null=True)
    headcount = models.PositiveIntegerField(null=True)
    response_rate = models.FloatField(null=True)
    worst_case_lower = models.FloatField(null=True)
    worst_case_upper = models.FloatField(null=True)
    weighted_share = models.FloatField(null=True)
    weighted_lower = models.FloatField(null=True)
    weighted_upper = models.FloatField(null=True)
    design_effect = models.FloatField(null=True)
    effective_n = models.FloatField(null=True)
    population_share_total = models.FloatField(null=True)
    population_share_working_age = models.FloatField(null=True)
    population_source = models.CharField(max_length=400, blank=True)
    index_total = models.FloatField(null=True)
    index_total_lower = models.FloatField(null=True)
    index_total_upper = models.FloatField(null=True)
    index_working_age = models.FloatField(null=True)
    index_working_age_lower = models.FloatField(null=True)
    index_working_age_upper = models.FloatField(null=True)

    class Meta:
        verbose_name = _("veröffentlichte Kennzahl")
        verbose_name_plural = _("veröffentlichte Kennzahlen")
        ordering = ["round", "concept", "facet", "sort_order"]
        indexes = [models.Index(fields=["round", "municipality", "concept"], name="aggregate_round_city_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality", "concept", "facet", "category"],
                condition=Q(municipality__isnull=False),
                name="one_aggregate_per_city_cell",
            ),
            models.UniqueConstraint(
                fields=["round", "concept", "facet", "category"],
                condition=Q(municipality__isnull=True),
                name="one_aggregate_per_total_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.municipality or 'Ruhr'} {self.concept} {self.facet}:{self.category}"

    @property
    def display_label(self) -> str:
        """The group's label in the reader's language: ``label`` was written (in German) when the round
        was aggregated; a category of the standard questionnaire is labelled anew from its code."""
        from .questionnaire import FACET_BY_KEY

        facet = FACET_BY_KEY.get(self.facet)
        if facet is not None and self.category in facet.codes:
            return facet.label_of(self.category)
        return self.label

    @property
    def suppressed(self) -> bool:
        return bool(self.positives_reason or self.classified_reason)


class PopulationReference(TimestampedModel):
    """Population figures of a city for one concept, with source and reference date."""

    class Concept(models.TextChoices):
        POPULATION = "population", _("nur Einwohnerzahl")
        MH_MICROCENSUS = "mh_microcensus", _("Migrationshintergrund (Mikrozensus)")
        MH_CENSUS_2011 = "mh_census_2011", _("Migrationshintergrund (Zensus 2011)")
        MH_REGISTER = "mh_register", _("Migrationshintergrund (Melderegister)")
        EG_DESTATIS = "eg_destatis", _("Einwanderungsgeschichte (Destatis)")
        EG_CENSUS_2022 = "eg_census_2022", _("Einwanderungsgeschichte (Zensus 2022, Untergrenze)")

    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="population_references"
    )
    reference_date = models.DateField(_("Stichtag"))
    concept = models.CharField(_("Konzept"), max_length=20, choices=Concept.choices)
    population_total = models.PositiveIntegerField(_("Einwohner*innen insgesamt"), null=True, blank=True)
    population_18_64 = models.PositiveIntegerField(_("davon 18 bis 64 Jahre"), null=True, blank=True)
    population_under_18 = models.PositiveIntegerField(_("davon unter 18 Jahre"), null=True, blank=True)
    share_total = models.DecimalField(
        _("Anteil insgesamt"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    share_18_64 = models.DecimalField(
        _("Anteil 18 bis 64 Jahre"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    share_under_18 = models.DecimalField(
        _("Anteil unter 18 Jahre"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    source = models.CharField(_("Quelle"), max_length=400)
    source_url = models.URLField(_("Adresse der Quelle"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Bevölkerungsangabe")
        verbose_name_plural = _("Bevölkerungsangaben")
        ordering = ["municipality__short_name", "concept", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date", "concept"], name="one_population_reference_per_concept"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_concept_display()} ({self.reference_date:%d.%m.%Y})"


class HRHeadcount(TimestampedModel):
    """Staff headcount of a city, in total or per category of one HR attribute."""

    TOTAL = "total"

    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="hr_headcounts"
    )
    reference_date = models.DateField(_("Stichtag"))
    attribute = models.CharField(_("Merkmal"), max_length=40)
    category = models.CharField(_("Ausprägung"), max_length=40)
    headcount = models.PositiveIntegerField(_("Beschäftigte"))
    source = models.CharField(_("Quelle"), max_length=400)

    class Meta:
        verbose_name = _("Beschäftigtenzahl")
        verbose_name_plural = _("Beschäftigtenzahlen")
        ordering = ["municipality__short_name", "-reference_date", "attribute", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date", "attribute", "category"], name="one_headcount_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.attribute}:{self.category} = {self.headcount}"

    def clean(self) -> None:
        if self.attribute == self.TOTAL:
            if self.category != self.TOTAL:
                raise ValidationError({"category": _("Für das Merkmal „total“ ist die Ausprägung ebenfalls „total“.")})
            return
        facet = FACET_BY_KEY.get(self.attribute)
        if facet is None:
            raise ValidationError({"attribute": _("Unbekanntes Merkmal.")})
        if self.category not in facet.codes or self.category == "no_answer":
            raise ValidationError({"category": _("Unbekannte Ausprägung für dieses Merkmal.")})


class MonitoringAccess(TimestampedModel):
    """A person of a city's HR or integration department who may see that city's results."""

    class Function(models.TextChoices):
        HR = "hr", _("Personalabteilung")
        INTEGRATION = "integration", _("Integration / Kommunales Integrationszentrum")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Konto"), on_delete=models.CASCADE, related_name="monitoring_access"
    )
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.CASCADE, related_name="monitoring_access"
    )
    function = models.CharField(_("Funktion"), max_length=20, choices=Function.choices)

    class Meta:
        verbose_name = _("Zugriff auf Stadtergebnisse")
        verbose_name_plural = _("Zugriffe auf Stadtergebnisse")
        ordering = ["municipality__short_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "municipality"], name="one_monitoring_access_per_city")]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality} ({self.get_function_display()})"
