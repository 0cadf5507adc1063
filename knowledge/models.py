"""The knowledge base: practice examples (Praxisbeispiele) written by the cities and by outside contributors.

A ``PracticeExample`` is the record that lives on; what it says lives in numbered ``Revision`` rows. A draft
revision may be changed by its author until it is submitted; a submitted revision is frozen, so reviewers
comment on exactly what they read and every version stays for the diff. ``published`` points at the
revision the public sees: it stays while a later revision is reviewed and moves only when that one is
approved by two distinct reviewers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.licences import CONTRIBUTION_LICENCES, Licence, licence_info
from lib.models import TimestampedModel, VersionedModel


class InterculturalField(models.TextChoices):
    RECRUITMENT = "recruitment", _("Personalgewinnung und Ausbildung")
    QUALIFICATION = "qualification", _("Qualifizierung")
    ORGANISATION = "organisation", _("Organisationsentwicklung")
    COMMUNICATION = "communication", _("Kommunikation")
    ACCESS = "access", _("Zugang zu Dienstleistungen")
    COOPERATION = "cooperation", _("Zusammenarbeit mit Migrantenorganisationen")


class TargetGroup(models.TextChoices):
    STAFF = "staff", _("Beschäftigte der Verwaltung")
    MANAGERS = "managers", _("Führungskräfte")
    TRAINEES = "trainees", _("Auszubildende und Nachwuchskräfte")
    MIGRANTS = "migrants", _("Eingewanderte Menschen")
    REFUGEES = "refugees", _("Geflüchtete")
    YOUTH = "youth", _("Jugendliche und junge Erwachsene")
    ORGANISATIONS = "organisations", _("Migrantenorganisationen")
    PUBLIC = "public", _("Stadtgesellschaft")


class Contributor(TimestampedModel):
    """A person from outside the cooperation's bodies who writes practice examples."""

    class Kind(models.TextChoices):
        MIGRANT_ORGANISATION = "migrant_organisation", _("Migrantenorganisation")
        RESEARCH = "research", _("Wissenschaft und Forschung")
        BUSINESS = "business", _("Wirtschaft")
        MUNICIPALITY = "municipality", _("andere Kommune")
        OTHER = "other", _("andere Einrichtung")

    class Origin(models.TextChoices):
        INVITED = "invited", _("eingeladen")
        SELF_REGISTERED = "self_registered", _("selbst registriert")

    person = models.OneToOneField("members.Person", on_delete=models.CASCADE, related_name="contributor")
    organisation = models.CharField(_("Organisation"), max_length=200)
    kind = models.CharField(_("Art der Organisation"), max_length=30, choices=Kind.choices)
    origin = models.CharField(_("Zugang"), max_length=20, choices=Origin.choices)

    class Meta:
        verbose_name = _("Mitwirkende Person")
        verbose_name_plural = _("Mitwirkende")

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.organisation})"


class PracticeExample(VersionedModel):
    """One practice example across its versions. ``version`` guards edits of the draft (optimistic locking)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Autorin/Autor"), on_delete=models.PROTECT, related_name="practice_examples"
    )
    latest = models.ForeignKey(
        "Revision", verbose_name=_("neueste Fassung"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published = models.ForeignKey(
        "Revision", verbose_name=_("veröffentlichte Fassung"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zweite Prüferin/zweiter Prüfer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_by = models.DateField(_("prüfen bis"), null=True, blank=True)
    last_checked = models.DateField(_("zuletzt geprüft am"), null=True, blank=True)
    reminder_task_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Praxisbeispiel")
        verbose_name_plural = _("Praxisbeispiele")
        ordering = ["-modified", "pk"]

    def __str__(self) -> str:
        revision = self.published or self.latest
        return revision.title if revision else f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])


class Revision(TimestampedModel):
    """One version of a practice example's text. Frozen once it has been submitted."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        IN_REVIEW = "in_review", _("in Prüfung")
        CHANGES_REQUESTED = "changes_requested", _("Änderungen erbeten")
        APPROVED = "approved", _("freigegeben")
        REJECTED = "rejected", _("abgelehnt")

    example = models.ForeignKey(PracticeExample, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("Fassung"))
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    change_note = models.CharField(_("Was hat sich geändert?"), max_length=500, blank=True)

    title = models.CharField(_("Titel"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), max_length=600)
    field = models.CharField(_("Handlungsfeld der interkulturellen Öffnung"), max_length=20, choices=InterculturalField.choices)
    target_group = models.CharField(_("Zielgruppe"), max_length=20, choices=TargetGroup.choices)
    cities = models.ManyToManyField("members.Municipality", verbose_name=_("Städte"), blank=True, related_name="+")
    partners_migrant = models.TextField(_("Partner: Migrantenorganisationen"), blank=True, max_length=2000)
    partners_business = models.TextField(_("Partner: Wirtschaft"), blank=True, max_length=2000)
    partners_science = models.TextField(_("Partner: Wissenschaft"), blank=True, max_length=2000)
    goals = models.TextField(_("Ziele"), max_length=10_000)
    approach = models.TextField(_("Vorgehen"), max_length=20_000)
    resources = models.TextField(_("Ressourcen, Kosten und Finanzierung"), blank=True, max_length=10_000)
    joint_project = models.ForeignKey(
        "projects.JointProject",
        verbose_name=_("Gemeinschaftsprojekt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    results = models.TextField(_("Ergebnisse und Belege"), blank=True, max_length=10_000)
    evidence_indicator = models.ForeignKey(
        "monitoring.AggregateCell",
        verbose_name=_("Kennzahl aus dem Monitoring"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Before the indicator picker: a free link. Kept readable (shown when no indicator is chosen).
    evidence_url = models.URLField(_("Link zu Belegen oder Kennzahlen"), blank=True, max_length=500)
    transferability = models.TextField(_("Übertragbarkeit"), blank=True, max_length=10_000)
    period_start = models.DateField(_("Zeitraum von"), null=True, blank=True)
    period_end = models.DateField(_("Zeitraum bis"), null=True, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    tags = models.CharField(_("Schlagwörter"), max_length=300, blank=True, help_text=_("durch Kommas getrennt"))
    licence = models.CharField(
        _("Lizenz"), max_length=20, choices=[(v.value, v.label) for v in CONTRIBUTION_LICENCES], default=Licence.CC_BY
    )
    image_rights_confirmed = models.BooleanField(_("Bildrechte bestätigt"), default=False)
    attribution = models.CharField(_("Namensnennung"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("Fassung eines Praxisbeispiels")
        verbose_name_plural = _("Fassungen von Praxisbeispielen")
        ordering = ["example", "number"]
        constraints = [models.UniqueConstraint(fields=["example", "number"], name="knowledge_revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.title} (Fassung {self.number})"

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def licence_url(self) -> str:
        return self.licence_info.deed_url

    @property
    def licence_info(self):
        return licence_info(self.licence)

    @property
    def is_frozen(self) -> bool:
        return self.state != self.State.DRAFT


class ReviewEntry(models.Model):
    """A reviewer's comment or decision on one submitted revision."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Kommentar")
        CHANGES = "changes", _("Änderungen erbeten")
        APPROVE = "approve", _("Freigabe")
        REJECT = "reject", _("Ablehnung")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("Text"), blank=True, max_length=5000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Prüfvermerk")
        verbose_name_plural = _("Prüfvermerke")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "reviewer"], condition=models.Q(kind="approve"), name="knowledge_one_approval_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.revision}"


class Material(models.Model):
    """A file of a practice example, checked by the documents app's upload check.

    Materials belong to the example and carry the revision numbers in which they were added and removed,
    so each version shows the files it had and the public sees those of the published version.
    """

    example = models.ForeignKey(PracticeExample, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to="knowledge/%Y/%m/", max_length=300)
    file_name = models.CharField(_("Dateiname"), max_length=255)
    title = models.CharField(_("Bezeichnung"), max_length=200, blank=True)
    kind = models.CharField(max_length=20)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    added_in = models.PositiveIntegerField()
    removed_in = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("Material")
        verbose_name_plural = _("Materialien")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.file_name

    def in_revision(self, number: int) -> bool:
        return self.added_in <= number and (self.removed_in is None or self.removed_in > number)


class ProblemReport(models.Model):
    """A reader tells the office that something in an example is wrong or out of date."""

    example = models.ForeignKey(PracticeExample, on_delete=models.CASCADE, related_name="problem_reports")
    text = models.TextField(_("Was stimmt nicht?"), max_length=3000)
    email = models.EmailField(_("E-Mail für Rückfragen"), blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Problemmeldung")
        verbose_name_plural = _("Problemmeldungen")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.example} – {self.created:%Y-%m-%d}"
