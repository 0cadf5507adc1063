"""Events with registration: the forum, workshop series and signing ceremonies of the cooperation.

An :class:`Event` has its programme (:class:`Session`), its questions, contingents per member city and
registrations. People register without an account; their personal link (:mod:`events.links`) is the
permission to see, change and cancel their registration. Accessibility needs are special-category data
(Art. 9 GDPR) and live in their own table (:class:`AccessibilityNeed`) that only named organisers read
and that the daily job deletes a set number of days after the event.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.markdown import render_markdown
from lib.models import TimestampedModel, VersionedModel


def new_uid() -> str:
    return f"{uuid.uuid4()}@interkommunal-veranstaltung"


def new_code() -> str:
    """The check-in code on the badge and in the QR code: short enough to type, long enough not to guess."""
    return secrets.token_hex(6).upper()


def new_key() -> str:
    return secrets.token_urlsafe(18)


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    WORKSHOPS = "workshops", _("Workshopreihe")
    SIGNING = "signing", _("Unterzeichnung")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("vor Ort")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid (vor Ort und online)")


class RegistrationMode(models.TextChoices):
    PUBLIC = "public", _("öffentliche Anmeldung")
    INVITATION = "invitation", _("nur auf Einladung")


class Event(VersionedModel):
    """One event. ``capacity`` counts every place, those in the cities' contingents included."""

    Kind = EventKind
    Format = Format
    Mode = RegistrationMode

    workspace = models.OneToOneField(
        "workspaces.Workspace",
        verbose_name=_("Arbeitsbereich der Organisation"),
        on_delete=models.PROTECT,
        related_name="registration_event",
    )
    slug = models.SlugField(_("Kürzel für Adressen"), max_length=80, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.FORUM)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=20_000)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    format = models.CharField(_("Format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    venue_name = models.CharField(_("Veranstaltungsort"), max_length=200, blank=True)
    venue_address = models.CharField(_("Anschrift"), max_length=300, blank=True)
    venue_accessibility = models.TextField(
        _("Barrierefreiheit des Ortes"),
        blank=True,
        max_length=5000,
        help_text=_("Zugang, Aufzug, barrierefreie Toiletten, Induktionsschleife, Anreise mit Bus und Bahn."),
    )
    online_url = models.URLField(_("Link zur Online-Teilnahme"), blank=True, max_length=500)
    mode = models.CharField(_("Anmeldung"), max_length=20, choices=Mode.choices, default=Mode.PUBLIC)
    capacity = models.PositiveIntegerField(_("Plätze insgesamt"))
    requires_approval = models.BooleanField(_("Anmeldungen bestätigt die Geschäftsstelle"), default=False)
    registration_closes_at = models.DateTimeField(_("Anmeldeschluss"))
    contingent_deadline = models.DateTimeField(
        _("Benennungsfrist der Kontingente"),
        null=True,
        blank=True,
        help_text=_("Danach fallen nicht genutzte Plätze der Städte an die allgemeine Anmeldung zurück."),
    )
    offer_hours = models.PositiveIntegerField(
        _("Frist für nachgerückte Plätze (Stunden)"),
        default=48,
        help_text=_("So lange gilt ein Platzangebot von der Warteliste."),
    )
    accessibility_retention_days = models.PositiveIntegerField(_("Angaben zur Barrierefreiheit löschen nach (Tagen)"), default=14)
    retention_days = models.PositiveIntegerField(_("Personenbezogene Daten löschen nach (Tagen)"), default=365)
    min_sessions_for_certificate = models.PositiveIntegerField(
        _("Bescheinigung ab so vielen besuchten Programmpunkten"),
        default=0,
        help_text=_("0: die Anwesenheit am Tag genügt. Sonst zählen die Programmpunkte, die für die Bescheinigung zählen."),
    )
    certificate_signatory = models.CharField(
        _("Unterzeichnung der Bescheinigung"),
        max_length=200,
        blank=True,
        help_text=_("Name und Funktion in der Geschäftsstelle."),
    )
    is_published = models.BooleanField(_("Programm öffentlich"), default=False)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("benannte Organisatorinnen und Organisatoren (sehen Angaben zur Barrierefreiheit)"),
        blank=True,
        related_name="+",
    )
    uid = models.CharField(max_length=120, unique=True, default=new_uid, editable=False)
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accessibility_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    unused_returned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="registration_event_ends_after_start"),
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=Q(format__in=Format.values), name="event_format_valid"),
            models.CheckConstraint(condition=Q(mode__in=RegistrationMode.values), name="event_mode_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:public", args=[self.slug])

    def get_manage_url(self) -> str:
        return reverse("events:manage", args=[self.slug])

    # The calendar-entry protocol of calendar_events.ical (one serialiser for every .ics of the platform).
    @property
    def sequence(self) -> int:
        return self.version

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.venue_name, self.venue_address) if part)

    @property
    def description_html(self) -> str:
        return render_markdown(self.description, shift_headings=True)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def registration_open(self) -> bool:
        return self.registration_closes_at > timezone.now() and not self.is_past

    @property
    def contingents_open(self) -> bool:
        return self.contingent_deadline is not None and self.contingent_deadline > timezone.now()


class Session(models.Model):
    """A point of the programme: a talk, a workshop, a panel."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    room = models.CharField(_("Raum"), max_length=120, blank=True)
    speakers = models.CharField(_("Mitwirkende"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True, help_text=_("Leer: ohne eigene Grenze."))
    counts_for_certificate = models.BooleanField(_("zählt für die Bescheinigung"), default=False)
    needs_choice = models.BooleanField(_("Teilnahme bei der Anmeldung wählen"), default=False)

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of the organisers on the registration form (free text)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("Frage"), max_length=300)
    required = models.BooleanField(_("Pflichtangabe"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Frage zur Anmeldung")
        verbose_name_plural = _("Fragen zur Anmeldung")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Contingent(TimestampedModel):
    """Places reserved for one member city; its coordinator nominates guests through a personal link."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contingents")
    municipality = models.ForeignKey("members.Municipality", verbose_name=_("Stadt"), on_delete=models.PROTECT)
    places = models.PositiveIntegerField(_("Plätze"))
    coordinator_name = models.CharField(_("Koordination"), max_length=150)
    coordinator_email = models.EmailField(_("E-Mail der Koordination"))
    link_key = models.CharField(max_length=40, default=new_key, editable=False)
    returned_at = models.DateTimeField(_("nicht genutzte Plätze zurückgegeben am"), null=True, blank=True)
    returned_places = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Kontingent")
        verbose_name_plural = _("Kontingente")
        ordering = ["municipality__short_name"]
        constraints = [models.UniqueConstraint(fields=["event", "municipality"], name="one_contingent_per_city_and_event")]

    def __str__(self) -> str:
        return f"{self.event}: {self.municipality}"


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("eingeladen")
    PENDING = "pending", _("wartet auf Bestätigung der Geschäftsstelle")
    CONFIRMED = "confirmed", _("angemeldet")
    WAITING = "waiting", _("auf der Warteliste")
    OFFERED = "offered", _("Platz angeboten")
    CANCELLED = "cancelled", _("abgesagt")
    EXPIRED = "expired", _("Platzangebot verfallen")
    REJECTED = "rejected", _("abgelehnt")


# Registrations that hold a place (the capacity counts them).
HOLDS_PLACE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
ACTIVE = (*HOLDS_PLACE, RegistrationStatus.INVITED, RegistrationStatus.WAITING)


class PhotoPreference(models.TextChoices):
    AGREE = "agree", _("Ich bin mit Fotos einverstanden, auf denen ich zu erkennen bin.")
    GROUP_ONLY = "group_only", _("Nur Gruppenfotos, auf denen ich nicht im Mittelpunkt stehe.")
    NONE = "none", _("Bitte keine Fotos von mir.")


class Registration(VersionedModel):
    """One person's registration, with or without an account; ``link_key`` is part of their personal link."""

    Status = RegistrationStatus
    Photo = PhotoPreference

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"))
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Stadt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contingent = models.ForeignKey(Contingent, on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices)
    answers = models.JSONField(_("Antworten"), default=dict, blank=True)
    photo = models.CharField(_("Fotos"), max_length=20, choices=Photo.choices, default=Photo.GROUP_ONLY)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    offer_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    link_key = models.CharField(max_length=40, default=new_key, editable=False)
    walk_in = models.BooleanField(_("vor Ort angemeldet"), default=False)
    checked_in_at = models.DateTimeField(_("eingecheckt um"), null=True, blank=True)
    checkin_request = models.CharField(max_length=64, blank=True, editable=False)
    anonymised = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created", "pk"]
        constraints = [
            # One live registration per address and event: a second attempt finds the first.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=[s.value for s in ACTIVE]) & Q(anonymised=False),
                name="one_active_registration_per_email",
            ),
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
            models.CheckConstraint(condition=Q(photo__in=PhotoPreference.values), name="registration_photo_valid"),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="registration_queue")]

    def __str__(self) -> str:
        return self.name

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class SessionChoice(models.Model):
    """A registration's place in a programme point, and whether the person was there."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="session_choices")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")
    attended_at = models.DateTimeField(_("anwesend"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="one_choice_per_session")]

    def __str__(self) -> str:
        return f"{self.registration}: {self.session}"


class AccessibilityNeed(models.Model):
    """Special-category data (Art. 9 GDPR): only with explicit consent, seen only by named organisers,
    deleted ``accessibility_retention_days`` after the event."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="accessibility")
    wheelchair = models.BooleanField(_("Rollstuhlplatz"), default=False)
    sign_language = models.BooleanField(_("Gebärdensprachdolmetschung (DGS)"), default=False)
    induction_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    dietary = models.CharField(_("Ernährung"), max_length=300, blank=True)
    other = models.CharField(_("Weiteres"), max_length=500, blank=True)
    consent_at = models.DateTimeField(_("Einwilligung erteilt am"))

    class Meta:
        verbose_name = _("Angaben zur Barrierefreiheit")
        verbose_name_plural = _("Angaben zur Barrierefreiheit")

    def __str__(self) -> str:
        return str(self.registration)


class Feedback(TimestampedModel):
    """The feedback form after the event; one per registration, shown to the organisers without names."""

    registration = models.OneToOneField(Registration, on_delete=models.SET_NULL, null=True, related_name="feedback")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("Gesamteindruck"))
    comment = models.TextField(_("Anmerkungen"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")]


class DocumentationLicence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("CC BY 4.0 (Namensnennung)")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0 (Namensnennung, Weitergabe unter gleichen Bedingungen)")
    RESERVED = "reserved", _("Alle Rechte vorbehalten (nur ansehen und herunterladen)")


LICENCE_URLS = {
    DocumentationLicence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.de",
    DocumentationLicence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.de",
}


class Documentation(VersionedModel):
    """What the organisers publish after an event: a short report, presentations and photos (items). Public
    only while ``published_at`` is set; the programme is public with the event anyway."""

    Licence = DocumentationLicence

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="documentation")
    report = models.TextField(_("Bericht"), blank=True, max_length=20_000, help_text=_("Kurzer Bericht; Markdown."))
    licence = models.CharField(_("Lizenz"), max_length=20, choices=Licence.choices, default=Licence.CC_BY)
    attribution = models.CharField(
        _("Namensnennung"),
        max_length=200,
        blank=True,
        help_text=_("Wer bei einer Weiterverwendung genannt wird, z. B. „Integration.Interkommunal“."),
    )
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Dokumentation einer Veranstaltung")
        verbose_name_plural = _("Dokumentationen von Veranstaltungen")
        constraints = [
            models.CheckConstraint(condition=Q(licence__in=DocumentationLicence.values), name="documentation_licence_valid")
        ]

    def __str__(self) -> str:
        return str(self.event)

    def get_absolute_url(self) -> str:
        return reverse("events:documentation", args=[self.event.slug])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def report_html(self) -> str:
        return render_markdown(self.report, shift_headings=True)

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")


class PhotoConsent(models.TextChoices):
    CONSENTING = "consenting", _("Zu erkennen sind nur Personen, die Fotos zugestimmt haben.")
    CROWD = (
        "crowd",
        _("Gruppen- oder Übersichtsfoto: niemand steht im Mittelpunkt, und niemand, der keine Fotos wollte, ist zu erkennen."),
    )


class DocumentationItem(TimestampedModel):
    """A presentation or a photo of the documentation: one version of a document of the event's workspace,
    pinned when it was chosen (a later upload to the workspace does not publish itself).

    A photo is public only when its uploader released it (``released_by`` is the uploader of the version)
    and an organiser confirmed that it shows only consenting people or a crowd (``consent``)."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("Präsentation")
        PHOTO = "photo", _("Foto")

    Consent = PhotoConsent

    documentation = models.ForeignKey(Documentation, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    version = models.ForeignKey("documents.DocumentVersion", verbose_name=_("Datei"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("Titel"), max_length=200)
    alt_text = models.CharField(
        _("Alternativtext"), max_length=300, blank=True, help_text=_("Was auf dem Foto zu sehen ist (für Screenreader).")
    )
    credit = models.CharField(_("Urheberin oder Urheber"), max_length=200, blank=True)
    consent = models.CharField(_("Einwilligung"), max_length=20, choices=Consent.choices, blank=True)
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    released_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Beitrag zur Dokumentation")
        verbose_name_plural = _("Beiträge zur Dokumentation")
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["documentation", "version"], name="one_item_per_version"),
            models.CheckConstraint(condition=Q(kind__in=["presentation", "photo"]), name="documentation_item_kind_valid"),
            # A photo never goes without its alternative text.
            models.CheckConstraint(condition=~Q(kind="photo") | ~Q(alt_text=""), name="documentation_photo_has_alt_text"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public_ready(self) -> bool:
        """Shown to the public (with the documentation published): presentations always, photos only released
        by their uploader and with the organiser's consent confirmation."""
        if self.kind == self.Kind.PRESENTATION:
            return True
        return self.released_at is not None and bool(self.consent)

    def get_file_url(self) -> str:
        return reverse("events:documentation_file", args=[self.documentation.event.slug, self.pk])
