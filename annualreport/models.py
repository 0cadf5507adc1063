"""The yearly report: a draft whose figures are computed live, frozen once into a snapshot that never changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.models import TimestampedModel, VersionedModel


class AnnualReport(VersionedModel):
    """One version of the report of one year.

    A draft shows the platform's figures as they are now. Freezing stores the figures, the texts and the
    rendered PDF/A and ODT in this row; from then on nothing about it changes. A correction is a new
    version (``number`` + 1) with a note, starting from the frozen one's texts.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        FROZEN = "frozen", _("eingefroren")

    year = models.PositiveSmallIntegerField(_("Berichtsjahr"))
    number = models.PositiveSmallIntegerField(_("Fassung"), default=1)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    corrects = models.ForeignKey(
        "self", verbose_name=_("berichtigt Fassung"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction_note = models.TextField(_("Hinweis zur Berichtigung"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    frozen_at = models.DateTimeField(_("eingefroren am"), null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    snapshot = models.JSONField(_("eingefrorene Zahlen und Texte"), null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, editable=False)
    odt = models.BinaryField(null=True, editable=False)
    approval_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("Beschluss der Regiegruppe (Tagesordnungspunkt)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("auf der Website veröffentlicht am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Jahresbericht")
        verbose_name_plural = _("Jahresberichte")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_annual_report_per_year_and_number"),
            models.UniqueConstraint(fields=["year"], condition=Q(status="draft"), name="one_annual_report_draft_per_year"),
        ]

    def __str__(self) -> str:
        return f"{_('Jahresbericht')} {self.year} ({_('Fassung')} {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("annualreport:detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.FROZEN

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class TextBlock(VersionedModel):
    """A text of the report (foreword, outlook, a section's commentary), edited with versions."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="texts")
    key = models.SlugField(max_length=40)
    text = models.TextField(_("Text"), blank=True, max_length=20_000)
    last_editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("Textbaustein")
        verbose_name_plural = _("Textbausteine")
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="one_text_block_per_key")]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"


class TextRevision(TimestampedModel):
    """Every saved state of a text block, so earlier wordings stay readable."""

    block = models.ForeignKey(TextBlock, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["block", "-number"]
        constraints = [models.UniqueConstraint(fields=["block", "number"], name="one_text_revision_per_number")]

    def __str__(self) -> str:
        return f"{self.block} #{self.number}"


class PartnerAssignment(TimestampedModel):
    """The office's own decision whether an activity belongs to a measure field of the state initiative.

    Without a row, the field's keywords suggest the assignment (``figures.PARTNER_KEYWORDS``); a row says
    yes (``assigned``) or no, and wins over the keywords. Frozen reports keep what they counted then.
    """

    class Kind(models.TextChoices):
        EVENT = "event", _("Termin")
        DECISION = "decision", _("Beschluss")
        DOCUMENT = "document", _("Dokument")
        POST = "post", _("Neuigkeit")

    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    field = models.SlugField(_("Handlungsfeld"), max_length=20)
    assigned = models.BooleanField(_("zugeordnet"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("Zuordnung zur Landesinitiative")
        verbose_name_plural = _("Zuordnungen zur Landesinitiative")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "field"], name="annualreport_partner_assignment_unique"),
        ]
