"""Joint projects (Gemeinschaftsprojekte): a first-class object with its own workspace.

A joint project has a lead city and partner cities with their roles, a status from the first idea to
the closed proof of use, and a workspace (documents, tasks, calendar, news) where its work lives.
Funding (programmes, applications, notices, money) lives in the ``funding`` app and points here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
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

    class Meta:
        verbose_name = _("Gemeinschaftsprojekt")
        verbose_name_plural = _("Gemeinschaftsprojekte")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in ProjectStatus.choices]),
                name="jointproject_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectPartner(TimestampedModel):
    Role = PartnerRole

    project = models.ForeignKey(JointProject, verbose_name=_("Projekt"), on_delete=models.CASCADE, related_name="partners")
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="project_partnerships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        verbose_name = _("Projektpartnerin")
        verbose_name_plural = _("Projektpartnerinnen")
        ordering = ["project", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "municipality"], name="projectpartner_unique_city"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.get_role_display()})"
