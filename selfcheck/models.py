"""Self-checks: checklists of items grouped by success factor, rounds, the raters' answers.

Versions keep years comparable: every item has a stable ``key`` and lives from the checklist version
that introduced it until the one that retired it; a round is fixed to the version that was current when
it opened, so a round's items never change while it runs, and trends compare items and factors by key.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.models import TimestampedModel, VersionedModel

SCALE_MAX = 4


class Checklist(TimestampedModel):
    class Subject(models.TextChoices):
        COOPERATION = "cooperation", _("die Zusammenarbeit")
        CITY = "city", _("die eigene Stadtverwaltung")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    subject = models.CharField(_("beurteilt wird"), max_length=20, choices=Subject.choices, default=Subject.COOPERATION)
    levels = models.JSONField(_("Stufen"), default=list, help_text=_("Eine Beschreibung je Stufe 0 bis 4."))
    version = models.PositiveIntegerField(_("Fassung"), default=1)

    class Meta:
        verbose_name = _("Checkliste")
        verbose_name_plural = _("Checklisten")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Factor(models.Model):
    """A success factor (or, in the city checklist, a field of action) that groups items."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="factors")
    key = models.SlugField(max_length=80)
    title = models.CharField(_("Titel"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Erfolgsfaktor")
        verbose_name_plural = _("Erfolgsfaktoren")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["checklist", "key"], name="selfcheck_factor_key_unique")]

    def __str__(self) -> str:
        return self.title


class ItemQuerySet(models.QuerySet):
    def in_version(self, version: int) -> ItemQuerySet:
        return self.filter(Q(retired_in__isnull=True) | Q(retired_in__gt=version), introduced_in__lte=version)


class Item(TimestampedModel):
    factor = models.ForeignKey(Factor, verbose_name=_("Erfolgsfaktor"), on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("Kennung"), max_length=80)
    text = models.TextField(_("Frage"), max_length=1000)
    position = models.PositiveIntegerField(default=0)
    introduced_in = models.PositiveIntegerField(_("aufgenommen in Fassung"), default=1)
    retired_in = models.PositiveIntegerField(_("ausgemustert in Fassung"), null=True, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Prüffrage")
        verbose_name_plural = _("Prüffragen")
        ordering = ["factor__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["factor", "key"], name="selfcheck_item_key_unique"),
            models.CheckConstraint(
                condition=Q(retired_in__isnull=True) | Q(retired_in__gt=models.F("introduced_in")),
                name="selfcheck_item_retired_after_introduced",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Round(TimestampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        CLOSED = "closed", _("abgeschlossen")

    checklist = models.ForeignKey(Checklist, verbose_name=_("Checkliste"), on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("Bezeichnung"), max_length=100, help_text=_("z. B. „Selbstcheck 2026“"))
    checklist_version = models.PositiveIntegerField(_("Fassung der Checkliste"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("eröffnet am"))
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    released = models.BooleanField(_("Ergebnis der Kooperation veröffentlicht"), default=False)
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("Tagesordnungspunkt der Regiegruppe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Runde")
        verbose_name_plural = _("Runden")
        ordering = ["checklist", "opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist"], condition=Q(status="open"), name="selfcheck_one_open_round_per_checklist"
            ),
            models.CheckConstraint(condition=Q(status="open") | Q(closed_at__isnull=False), name="selfcheck_closed_has_date"),
            models.CheckConstraint(condition=Q(released=False) | Q(status="closed"), name="selfcheck_released_only_closed"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_absolute_url(self) -> str:
        return reverse("selfcheck:round", args=[self.pk])

    def items(self) -> ItemQuerySet:
        return (
            Item.objects.filter(factor__checklist_id=self.checklist_id)
            .in_version(self.checklist_version)
            .select_related("factor")
        )


class Answer(VersionedModel):
    """One rater's answer to one item in one round; answering again replaces it while the round is open."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="selfcheck_answers")
    municipality = models.ForeignKey("members.Municipality", on_delete=models.PROTECT, related_name="selfcheck_answers")
    value = models.PositiveSmallIntegerField(_("Einschätzung"), null=True, blank=True, validators=[MaxValueValidator(SCALE_MAX)])
    not_assessable = models.BooleanField(_("nicht beurteilbar"), default=False)
    comment = models.TextField(_("Kommentar"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.UniqueConstraint(fields=["round", "item", "rater"], name="selfcheck_one_answer_per_rater"),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) & Q(not_assessable=True)) | (Q(value__lte=SCALE_MAX) & Q(not_assessable=False)),
                name="selfcheck_value_or_not_assessable",
            ),
        ]


class Evidence(models.Model):
    """A link from an answer to an object of the platform the rater could see when linking it."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Dokument")
        MEETING = "meeting", _("Sitzung")
        DECISION = "decision", _("Beschluss")
        WAVE = "wave", _("Befragungswelle")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    url = models.CharField(_("Adresse"), max_length=300)
    label = models.CharField(_("Bezeichnung"), max_length=300)

    class Meta:
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belege")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class FollowUp(TimestampedModel):
    """A task created from a round's result for one item; the next round shows it beside the item."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="follow_ups")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="follow_ups")
    task = models.OneToOneField("tasks.Task", on_delete=models.CASCADE, related_name="selfcheck_follow_up")

    class Meta:
        verbose_name = _("Maßnahme aus dem Selbstcheck")
        verbose_name_plural = _("Maßnahmen aus dem Selbstcheck")
        ordering = ["pk"]
