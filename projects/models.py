"""Joint projects (Gemeinschaftsprojekte): a first-class object with its own workspace.

A joint project has a lead city and partner cities with their roles, a status from the first idea to
the closed proof of use, and a workspace (documents, tasks, calendar, news) where its work lives.
Funding (programmes, applications, notices, money) lives in the ``funding`` app and points here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.models import TimestampedModel, VersionedModel


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idee")
    APPLICATION = "application", _("Antrag")
    APPROVED = "approved", _("bewilligt")
    RUNNING = "running", _("laufend")
    PROOF_OF_USE = "proof_of_use", _("Verwendungsnachweis")
    CLOSED = "closed", _("abgeschlossen")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("federführend")
    PARTNER = "partner", _("Projektpartnerin")
    ASSOCIATED = "associated", _("assoziiert")


class JointProject(VersionedModel):
    Status = ProjectStatus

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kürzel für Adressen"), max_length=80, unique=True)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True, max_length=5_000)
    workspace = models.OneToOneField(
        "workspaces.Workspace",
        verbose_name=_("Arbeitsbereich"),
        on_delete=models.PROTECT,
        related_name="joint_project",
    )
    lead_municipality = models.ForeignKey(
        "members.Municipality",
        verbose_name=_("federführende Kommune"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    status = models.CharField(_("Stand"), max_length=20, choices=Status.choices, default=Status.IDEA)
    goals = models.TextField(
        _("Ziele"),
        blank=True,
        max_length=10_000,
        help_text=_("Ein Ziel je Zeile, z. B. „Mehr Auszubildende mit Zuwanderungsgeschichte“."),
    )
    measures = models.TextField(_("Maßnahmen"), blank=True, max_length=10_000, help_text=_("Eine Maßnahme je Zeile."))
    results = models.TextField(
        _("Ergebnisse"),
        blank=True,
        max_length=10_000,
        help_text=_("Was das Projekt erreicht hat; steht auf der öffentlichen Projektseite."),
    )
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    released_at = models.DateTimeField(_("öffentlich freigegeben am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Gemeinschaftsprojekt")
        verbose_name_plural = _("Gemeinschaftsprojekte")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in ProjectStatus.choices]),
                name="jointproject_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="jointproject_ends_after_start",
                violation_error_message=_("Das Ende liegt vor dem Beginn."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.slug])

    def get_public_url(self) -> str:
        return reverse("projects:public_detail", args=[self.slug])

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def city_ids(self) -> set[int]:
        """The lead city and every partner city (one query for the partners)."""
        return {self.lead_municipality_id, *self.partners.values_list("municipality_id", flat=True)}

    @property
    def goal_list(self) -> list[str]:
        return [line.strip(" -•") for line in self.goals.splitlines() if line.strip(" -•")]

    @property
    def measure_list(self) -> list[str]:
        return [line.strip(" -•") for line in self.measures.splitlines() if line.strip(" -•")]


class ProjectPartner(TimestampedModel):
    Role = PartnerRole

    project = models.ForeignKey(JointProject, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="partners")
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="project_partnerships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    contribution = models.CharField(
        _("Beitrag im Projekt"), max_length=300, blank=True, help_text=_("z. B. „richtet den Fachtag aus“.")
    )

    class Meta:
        verbose_name = _("Projektpartnerin")
        verbose_name_plural = _("Projektpartnerinnen")
        ordering = ["project", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "municipality"], name="projectpartner_unique_city"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.get_role_display()})"


class Milestone(TimestampedModel):
    """A dated step of the project's timeline; it also stands in the workspace's calendar (``event``)."""

    project = models.ForeignKey(JointProject, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_on = models.DateField(_("geplant für"))
    done_on = models.DateField(_("erreicht am"), null=True, blank=True)
    event = models.OneToOneField(
        "calendar_events.Event",
        verbose_name=_("Termin im Kalender"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestone",
    )

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["project", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class DecisionEffect(models.TextChoices):
    STARTED = "started", _("hat das Projekt angestoßen")
    CHANGED = "changed", _("hat das Projekt geändert")
    CONCLUDED = "concluded", _("hat das Projekt abgeschlossen")


class ProjectDecision(TimestampedModel):
    """A Regiegruppe decision from the decision register that started or changed the project."""

    Effect = DecisionEffect

    project = models.ForeignKey(JointProject, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="decision_links")
    decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("Beschluss"), on_delete=models.PROTECT, related_name="project_links"
    )
    effect = models.CharField(_("Bedeutung für das Projekt"), max_length=20, choices=Effect.choices, default=Effect.STARTED)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verknüpft von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Beschluss zum Projekt")
        verbose_name_plural = _("Beschlüsse zu Projekten")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "decision"], name="projectdecision_unique"),
            models.CheckConstraint(condition=Q(effect__in=DecisionEffect.values), name="projectdecision_effect_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.decision}"
