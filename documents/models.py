"""Documents of a workspace: folders, tags, versions with history, trash and the public flag."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.licences import Licence
from lib.models import TimestampedModel, VersionedModel


class Folder(TimestampedModel):
    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="folders"
    )
    name = models.CharField(_("Name"), max_length=120)

    class Meta:
        verbose_name = _("Ordner")
        verbose_name_plural = _("Ordner")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_folder_name_per_workspace")]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(_("Name"), max_length=60)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_tag_name_per_workspace")]

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(models.QuerySet):
    def active(self) -> DocumentQuerySet:
        return self.filter(trashed_at__isnull=True)

    def trashed(self) -> DocumentQuerySet:
        return self.filter(trashed_at__isnull=False)


class PublicationKind(models.TextChoices):
    """What a publication is, for the public list's kind line and filter."""

    HANDBOOK = "handbook", _("Handreichung")
    MODULE = "module", _("Modul")
    DOCUMENTATION = "documentation", _("Dokumentation")
    REPORT = "report", _("Bericht")
    CONCEPT = "concept", _("Konzept")
    OTHER = "other", _("Dokument")


class Document(VersionedModel):
    """A file with its history. The current version is the one with the highest number."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="documents"
    )
    folder = models.ForeignKey(
        Folder, verbose_name=_("Ordner"), on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("Schlagwörter"), blank=True, related_name="documents")
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=5000)
    is_public = models.BooleanField(
        _("öffentlich"), default=False, help_text=_("Erscheint unter „Veröffentlichungen“ und ist ohne Anmeldung abrufbar.")
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    licence = models.CharField(
        _("Lizenz"),
        max_length=20,
        choices=Licence.choices,
        default=Licence.CC_BY,
        help_text=_("„Nur intern“ kann nicht veröffentlicht werden."),
    )
    publication_kind = models.CharField(
        _("Art der Veröffentlichung"), max_length=20, choices=PublicationKind.choices, default=PublicationKind.OTHER
    )
    cities = models.ManyToManyField("members.Municipality", verbose_name=_("Städte"), blank=True, related_name="+")
    trashed_at = models.DateTimeField(_("in den Papierkorb gelegt am"), null=True, blank=True, db_index=True)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("in den Papierkorb gelegt von"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    current = models.ForeignKey(
        "DocumentVersion", verbose_name=_("aktuelle Fassung"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-modified", "-pk"]
        indexes = [
            models.Index(fields=["workspace", "trashed_at", "-modified"], name="document_workspace_idx"),
            # The public publications, newest first, in pages: counted and paged from the index alone.
            models.Index(
                fields=["-published_at", "id"],
                condition=Q(is_public=True, trashed_at__isnull=True),
                name="document_published_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(published_at__isnull=False), name="public_document_has_publication_date"
            ),
            models.CheckConstraint(condition=Q(licence__in=Licence.values), name="document_licence_valid"),
            models.CheckConstraint(
                condition=Q(is_public=False) | ~Q(licence=Licence.INTERNAL), name="internal_document_never_public"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_trashed(self) -> bool:
        return self.trashed_at is not None

    @property
    def licence_info(self):
        from lib.licences import licence_info

        return licence_info(self.licence)


def _storage_name(instance: DocumentVersion, filename: str) -> str:
    """Stored under a random name: the user's file name never reaches the file system."""
    return f"documents/{instance.document.workspace_id}/{uuid.uuid4().hex}"


class TextStatus(models.TextChoices):
    PENDING = "pending", _("wird ausgelesen")
    EXTRACTED = "extracted", _("Text ausgelesen")
    NOT_EXTRACTABLE = "not_extractable", _("Text nicht auslesbar")
    NO_TEXT = "no_text", _("Dateiart ohne Text")
    FAILED = "failed", _("Auslesen abgebrochen")


class TextFailure(models.TextChoices):
    """Why the extraction of a file was stopped (shown to the people who may edit the document)."""

    TOO_LARGE = "too_large", _("Die Datei ist zu umfangreich oder zu verschachtelt, um ihren Text auszulesen.")
    TIME = "time", _("Das Auslesen des Textes hat das Zeitlimit überschritten.")
    MEMORY = "memory", _("Das Auslesen des Textes hat das Speicherlimit überschritten.")
    CRASHED = "crashed", _("Das Auslesen des Textes ist mit einem Fehler abgebrochen.")
    INTERRUPTED = "interrupted", _("Das Auslesen des Textes wurde mehrmals unterbrochen und wird nicht erneut versucht.")


class DocumentVersion(TimestampedModel):
    """One uploaded file. Versions are never changed; restoring an old one adds a new version."""

    TextStatus = TextStatus
    TextFailure = TextFailure

    document = models.ForeignKey(Document, verbose_name=_("Dokument"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Fassung"))
    file = models.FileField(_("Datei"), upload_to=_storage_name, max_length=200)
    file_name = models.CharField(_("Dateiname"), max_length=200)
    kind = models.CharField(_("Dateiart"), max_length=10)
    content_type = models.CharField(_("Medientyp"), max_length=120)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    restored_from = models.PositiveIntegerField(_("wiederhergestellt aus Fassung"), null=True, blank=True)
    text = models.TextField(_("ausgelesener Text"), blank=True)
    text_status = models.CharField(_("Volltext"), max_length=20, choices=TextStatus.choices, default=TextStatus.PENDING)
    text_failure = models.CharField(_("Grund des Abbruchs"), max_length=20, choices=TextFailure.choices, blank=True)
    text_attempts = models.PositiveSmallIntegerField(_("Versuche, den Text auszulesen"), default=0)
    page_count = models.PositiveIntegerField(_("Seiten"), null=True, blank=True)

    class Meta:
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number_per_document"),
            models.CheckConstraint(condition=Q(text_status__in=TextStatus.values), name="document_version_text_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.number})"
