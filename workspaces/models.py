"""Workspaces of bodies, joint projects, events and working groups, and who works in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.markdown import render_markdown
from lib.models import TimestampedModel, VersionedModel


def _one_of(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    """Keep the database to the listed choices, whatever writes to it."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class WorkspaceKind(models.TextChoices):
    BODY = "body", _("Gremium")
    PROJECT = "project", _("Gemeinschaftsprojekt")
    EVENT = "event", _("Veranstaltung")
    WORKING_GROUP = "working_group", _("Arbeitsgruppe")


class WorkspaceVisibility(models.TextChoices):
    PRIVATE = "private", _("privat")
    PLATFORM = "platform", _("alle Plattformmitglieder")
    PUBLIC = "public", _("öffentlich")


class JoinPolicy(models.TextChoices):
    INVITATION = "invitation", _("nur auf Einladung")
    REQUEST = "request", _("auf Anfrage")
    OPEN = "open", _("offen für Mitglieder")


class WorkspaceRole(models.TextChoices):
    MANAGER = "manager", _("Leitung")
    EDITOR = "editor", _("Bearbeitung")
    READER = "reader", _("Lesezugriff")
    GUEST = "guest", _("externer Gast")


class MemberSource(models.TextChoices):
    MANUAL = "manual", _("direkt aufgenommen")
    BODY = "body", _("über das Gremium")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("offen")
    APPROVED = "approved", _("angenommen")
    DECLINED = "declined", _("abgelehnt")


class Workspace(VersionedModel):
    Kind = WorkspaceKind
    Visibility = WorkspaceVisibility
    JoinPolicy = JoinPolicy

    name = models.CharField(_("Name"), max_length=150)
    slug = models.SlugField(_("Kürzel für Adressen"), max_length=80, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.PROJECT)
    description = models.TextField(
        _("Beschreibung"), blank=True, max_length=20_000, help_text=_("Markdown: **fett**, *kursiv*, Listen mit -, Links.")
    )
    body = models.OneToOneField(
        "members.Body",
        verbose_name=_("Gremium"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workspace",
    )
    visibility = models.CharField(_("Sichtbarkeit"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    join_policy = models.CharField(_("Beitritt"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.INVITATION)
    is_archived = models.BooleanField(_("archiviert"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Arbeitsbereich")
        verbose_name_plural = _("Arbeitsbereiche")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="body", body__isnull=False) | (~Q(kind="body") & Q(body__isnull=True)),
                name="workspace_body_iff_kind_body",
            ),
            _one_of("kind", WorkspaceKind, "workspace_kind_valid"),
            _one_of("visibility", WorkspaceVisibility, "workspace_visibility_valid"),
            _one_of("join_policy", JoinPolicy, "workspace_join_policy_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.BODY and not self.body_id:
            raise ValidationError({"body": _("Ein Arbeitsbereich der Art „Gremium“ gehört zu einem Gremium.")})
        if self.kind != self.Kind.BODY and self.body_id:
            raise ValidationError({"kind": _("Nur Arbeitsbereiche der Art „Gremium“ gehören zu einem Gremium.")})

    def get_absolute_url(self) -> str:
        return reverse("workspaces:detail", args=[self.slug])

    @property
    def is_body_workspace(self) -> bool:
        return self.kind == self.Kind.BODY

    @property
    def description_html(self) -> str:
        return render_markdown(self.description, shift_headings=True)


class WorkspaceMember(TimestampedModel):
    """Somebody's role in a workspace. Rows with source "body" are kept in step with body memberships."""

    Role = WorkspaceRole
    Source = MemberSource

    workspace = models.ForeignKey(Workspace, verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Konto"), on_delete=models.CASCADE, related_name="workspace_memberships"
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    source = models.CharField(_("Herkunft"), max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("Mitglied eines Arbeitsbereichs")
        verbose_name_plural = _("Mitglieder von Arbeitsbereichen")
        ordering = ["workspace", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_workspace_and_user"),
            _one_of("role", WorkspaceRole, "workspace_member_role_valid"),
            _one_of("source", MemberSource, "workspace_member_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.workspace} ({self.get_role_display()})"


# Strongest first: used to pick one role when several seats lead to the same workspace.
ROLE_RANK = [WorkspaceRole.MANAGER, WorkspaceRole.EDITOR, WorkspaceRole.READER, WorkspaceRole.GUEST]


class JoinRequest(TimestampedModel):
    Status = RequestStatus

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Konto"), on_delete=models.CASCADE, related_name="workspace_join_requests"
    )
    message = models.TextField(_("Nachricht an die Leitung"), blank=True, max_length=1000)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entschieden von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"], condition=Q(status="pending"), name="one_pending_join_request_per_user"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True) | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="join_request_decided_iff_not_pending",
            ),
            _one_of("status", RequestStatus, "join_request_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.workspace} ({self.get_status_display()})"
