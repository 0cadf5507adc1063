"""Records of the data-protection tools: access exports, the deletion log, retention runs, archive offers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.models import TimestampedModel


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("wird erstellt")
    READY = "ready", _("bereit zum Herunterladen")
    FAILED = "failed", _("fehlgeschlagen")
    EXPIRED = "expired", _("abgelaufen")


class DataExport(TimestampedModel):
    """One access request (Art. 15/20 GDPR): the worker writes a ZIP into the storage; it expires."""

    Status = ExportStatus

    person = models.ForeignKey("members.Person", verbose_name=_("Person"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beantragt von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.CharField(_("Datei im Speicher"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0)
    ready_at = models.DateTimeField(_("fertig seit"), null=True, blank=True)
    expires_at = models.DateTimeField(_("abrufbar bis"), null=True, blank=True)
    failure = models.CharField(_("Fehler"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Datenauskunft")
        verbose_name_plural = _("Datenauskünfte")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{_('Datenauskunft')} {self.pk}"


class DeletionKind(models.TextChoices):
    ERASURE = "erasure", _("Löschung auf Antrag (Art. 17 DSGVO)")
    RETENTION = "retention", _("Ablauf der Aufbewahrungsfrist")


class DeletionLogEntry(models.Model):
    """What was erased, as model label and id only, so a restored backup can erase it again.

    Holds no erased data. Each entry is also appended to ``PRIVACY_DELETION_LOG`` outside the
    database (a restore brings the database back to the backup's state, this table included).
    """

    Kind = DeletionKind

    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    subject_type = models.CharField(_("Objekttyp"), max_length=80)
    subject_id = models.CharField(_("Objekt-ID"), max_length=64)
    options = models.JSONField(_("Optionen"), default=dict, blank=True)
    deleted = models.JSONField(_("gelöschte Datensätze"), default=list, blank=True)
    kept = models.JSONField(_("aufbewahrte Datensätze mit Grund"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("durch"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Löschprotokoll-Eintrag")
        verbose_name_plural = _("Löschprotokoll")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject_type} {self.subject_id}"


class RetentionRun(models.Model):
    """One rule applied on one day: how much went, how much was offered to the archive."""

    rule = models.CharField(_("Regel"), max_length=60)
    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    cutoff = models.DateTimeField(_("älter als"))
    deleted = models.PositiveIntegerField(_("gelöscht"), default=0)
    offered = models.PositiveIntegerField(_("dem Archiv angeboten"), default=0)
    waiting = models.PositiveIntegerField(_("wartet auf das Archiv"), default=0)
    error = models.CharField(_("Fehler"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Lauf einer Aufbewahrungsregel")
        verbose_name_plural = _("Läufe der Aufbewahrungsregeln")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.rule} {self.at:%d.%m.%Y}"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("angeboten")
    TAKEN = "taken", _("vom Archiv übernommen")
    DECLINED = "declined", _("nicht archivwürdig")


class ArchiveOffer(TimestampedModel):
    """A record of lasting value offered to the municipal archive before deletion (ArchivG NRW § 4, § 10).

    The record is deleted only after the archive has answered: taken over (the export went to the
    archive) or not worth archiving.
    """

    Status = OfferStatus

    rule = models.CharField(_("Regel"), max_length=60)
    object_type = models.CharField(_("Objekttyp"), max_length=80)
    object_id = models.CharField(_("Objekt-ID"), max_length=64)
    object_label = models.CharField(_("Unterlage"), max_length=300)
    archive = models.CharField(_("Archiv"), max_length=200)
    file = models.CharField(_("Abgabedatei im Speicher"), max_length=300)
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64)
    status = models.CharField(_("Stand"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("angeboten von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("Antwort des Archivs am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Antwort erfasst von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deleted_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Anbietung an das Archiv")
        verbose_name_plural = _("Anbietungen an das Archiv")
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id"], name="one_archive_offer_per_record")]

    def __str__(self) -> str:
        return self.object_label
