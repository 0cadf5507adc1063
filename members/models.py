"""The cooperation, its member municipalities, bodies, people and memberships."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.models import TimestampedModel, VersionedModel

ags_validator = RegexValidator(
    r"^\d{8}$",
    _("Der Amtliche Gemeindeschlüssel (AGS) besteht aus genau 8 Ziffern, z. B. 05911000 für Bochum."),
)
# AGS: 2 digits Land, 1 Regierungsbezirk, 2 Kreis, 3 Gemeinde. NRW is 05.
phone_validator = RegexValidator(
    r"^\+?[0-9 ()/\-]{5,30}$",
    _("Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen und + ( ) / - an."),
)


def validate_ags(value: str) -> None:
    ags_validator(value)
    if value[:2] not in {f"{n:02d}" for n in range(1, 17)}:
        raise ValidationError(
            _("Die ersten beiden Ziffern des AGS bezeichnen das Land (01 bis 16); %(value)s ist kein gültiger Schlüssel."),
            params={"value": value},
            code="invalid_land",
        )


class Cooperation(TimestampedModel):
    """The cooperation itself (OParl: Body). One row in practice."""

    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=80)
    motto = models.CharField(_("Leitsatz"), max_length=200, blank=True)
    contract_name = models.CharField(_("Vertrag"), max_length=200)
    contract_date = models.DateField(_("Vertragsdatum"))
    legal_form = models.CharField(_("Rechtsform"), max_length=200)
    financing = models.CharField(_("Finanzierung"), max_length=200, blank=True)
    managing_municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("geschäftsführende Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail der Geschäftsführung"), blank=True)

    class Meta:
        verbose_name = _("Kooperation")
        verbose_name_plural = _("Kooperationen")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> MunicipalityQuerySet:
        on = on or timezone.localdate()
        return self.filter(join_date__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class Municipality(VersionedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Mitglied")
        LEFT = "left", _("ausgetreten")

    name = models.CharField(_("amtlicher Name"), max_length=150, unique=True, help_text=_("z. B. Stadt Mülheim an der Ruhr"))
    short_name = models.CharField(_("Kurzname"), max_length=80, unique=True, help_text=_("z. B. Mülheim an der Ruhr"))
    slug = models.SlugField(_("Kürzel für Adressen"), max_length=80, unique=True)
    ags = models.CharField(_("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True, validators=[validate_ags])
    join_date = models.DateField(_("Beitritt"))
    contract_signed_on = models.DateField(_("Unterzeichnung des Kontrakts"), null=True, blank=True)
    council_decision_reference = models.CharField(_("Ratsbeschluss (Drucksache)"), max_length=100, blank=True)
    council_decision_date = models.DateField(_("Datum des Ratsbeschlusses"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField(_("Austritt"), null=True, blank=True)
    website = models.URLField(_("Website"), blank=True)
    integration_centre_name = models.CharField(_("Kommunales Integrationszentrum"), max_length=200, blank=True)
    integration_centre_email = models.EmailField(_("E-Mail des Integrationszentrums"), blank=True)
    integration_centre_phone = models.CharField(
        _("Telefon des Integrationszentrums"), max_length=30, blank=True, validators=[phone_validator]
    )
    integration_centre_address = models.TextField(_("Anschrift des Integrationszentrums"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("join_date")),
                name="municipality_leaves_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True) | Q(status="left", left_on__isnull=False),
                name="municipality_status_matches_leave_date",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.left_on and self.join_date and self.left_on < self.join_date:
            errors.setdefault("left_on", []).append(_("Der Austritt kann nicht vor dem Beitritt liegen."))
        if self.status == self.Status.LEFT and not self.left_on:
            errors.setdefault("left_on", []).append(_("Bitte geben Sie das Austrittsdatum an."))
        if self.status == self.Status.ACTIVE and self.left_on:
            errors.setdefault("status", []).append(_("Eine Kommune mit Austrittsdatum hat den Status „ausgetreten“."))
        if self.council_decision_date and self.join_date and self.council_decision_date > self.join_date:
            errors.setdefault("council_decision_date", []).append(
                _("Der Ratsbeschluss muss vor dem Beitritt oder am selben Tag gefasst worden sein.")
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("website:municipality", args=[self.slug])


class PopulationFigure(TimestampedModel):
    """Reference population of a municipality, with its source (for the monitoring)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="population_figures")
    reference_date = models.DateField(_("Stichtag"))
    total = models.PositiveIntegerField(_("Einwohner*innen insgesamt"))
    source = models.CharField(_("Quelle"), max_length=300)

    class Meta:
        verbose_name = _("Einwohnerzahl")
        verbose_name_plural = _("Einwohnerzahlen")
        ordering = ["municipality", "-reference_date"]
        constraints = [models.UniqueConstraint(fields=["municipality", "reference_date"], name="one_population_figure_per_date")]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.total} ({self.reference_date:%d.%m.%Y})"


class Organisation(TimestampedModel):
    """Employer of people who do not act for a member municipality (ministry, partner, university)."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    website = models.URLField(_("Website"), blank=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Body(VersionedModel):
    """A body of the cooperation (OParl: Organization)."""

    class Kind(models.TextChoices):
        STEERING_GROUP = "steering_group", _("Regiegruppe")
        PROJECT_TEAM = "project_team", _("Projektteam")
        MANAGING_OFFICE = "managing_office", _("Geschäftsführung")
        WORKING_GROUP = "working_group", _("Arbeitsgruppe")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("Name"), max_length=150, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("Aufgaben"), blank=True)
    meetings_per_year_min = models.PositiveSmallIntegerField(_("Sitzungen pro Jahr (mindestens)"), default=0)
    meetings_per_year_max = models.PositiveSmallIntegerField(_("Sitzungen pro Jahr (höchstens)"), default=0)
    rotating_host = models.BooleanField(_("wechselnde Gastgeberstadt"), default=False)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meetings_per_year_max__gte=models.F("meetings_per_year_min")),
                name="body_meeting_cadence_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.meetings_per_year_max < self.meetings_per_year_min:
            raise ValidationError({"meetings_per_year_max": _("Der Höchstwert darf nicht kleiner als der Mindestwert sein.")})

    @property
    def cadence_label(self) -> str:
        if not self.meetings_per_year_max:
            return ""
        if self.meetings_per_year_min == self.meetings_per_year_max:
            return _("%(n)s-mal im Jahr") % {"n": self.meetings_per_year_max}
        return _("%(a)s- bis %(b)s-mal im Jahr") % {"a": self.meetings_per_year_min, "b": self.meetings_per_year_max}


class Visibility(models.TextChoices):
    """Who may see a part of a profile. Ordered from widest to narrowest."""

    PUBLIC = "public", _("öffentlich")
    MEMBERS = "members", _("angemeldete Mitglieder")
    OFFICE = "office", _("nur Geschäftsführung")


class PersonQuerySet(models.QuerySet):
    def active(self) -> PersonQuerySet:
        return self.filter(is_active=True)


class Person(VersionedModel):
    """Somebody who works in the cooperation, with or without an account."""

    class Salutation(models.TextChoices):
        NONE = "", _("keine Angabe")
        FRAU = "frau", _("Frau")
        HERR = "herr", _("Herr")
        NEUTRAL = "neutral", _("neutrale Anrede (Vor- und Nachname)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person")
    salutation = models.CharField(_("Anrede"), max_length=10, choices=Salutation.choices, blank=True)
    title = models.CharField(_("Titel"), max_length=40, blank=True, help_text=_("z. B. Dr."))
    given_name = models.CharField(_("Vorname"), max_length=100)
    family_name = models.CharField(_("Nachname"), max_length=100)
    pronouns = models.CharField(_("Pronomen"), max_length=40, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    department = models.CharField(_("Fachbereich / Amt"), max_length=200, blank=True)
    function = models.CharField(_("Funktion"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=30, blank=True, validators=[phone_validator])
    mobile = models.CharField(_("Mobil"), max_length=30, blank=True, validators=[phone_validator])
    profile_visibility = models.CharField(
        _("Profil sichtbar für"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    email_visibility = models.CharField(
        _("E-Mail sichtbar für"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    phone_visibility = models.CharField(
        _("Telefon sichtbar für"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    language = models.CharField(
        _("Sprache der E-Mails"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("In dieser Sprache erhalten Sie E-Mails der Plattform."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "given_name"], name="person_name_idx")]
        constraints = [models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="person_email_unique_when_set")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)

    @property
    def formal_greeting(self) -> str:
        if self.salutation == self.Salutation.FRAU:
            return _("Sehr geehrte Frau %(name)s") % {"name": " ".join(p for p in (self.title, self.family_name) if p)}
        if self.salutation == self.Salutation.HERR:
            return _("Sehr geehrter Herr %(name)s") % {"name": " ".join(p for p in (self.title, self.family_name) if p)}
        return _("Guten Tag %(name)s") % {"name": self.full_name}

    @property
    def affiliation(self) -> str:
        return str(self.municipality or self.organisation or "")

    def clean(self) -> None:
        if self.email:
            self.email = self.email.strip().lower()
        if not self.municipality_id and not self.organisation_id:
            raise ValidationError({"municipality": _("Bitte wählen Sie eine Kommune oder eine Organisation aus.")})
        if self.municipality_id and self.organisation_id:
            raise ValidationError(
                {"organisation": _("Eine Person gehört entweder zu einer Kommune oder zu einer Organisation, nicht zu beiden.")}
            )
        narrowest = _visibility_rank(self.profile_visibility)
        for field in ("email_visibility", "phone_visibility"):
            if _visibility_rank(getattr(self, field)) < narrowest:
                raise ValidationError({field: _("Kontaktdaten können nicht weiter sichtbar sein als das Profil selbst.")})

    def get_absolute_url(self) -> str:
        return reverse("members:person", args=[self.pk])


def _visibility_rank(value: str) -> int:
    return [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.OFFICE].index(Visibility(value))


class MembershipQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class Membership(TimestampedModel):
    """A person's seat in a body. Ended memberships stay as history (end_date set)."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Sprecher*in")
        DEPUTY_SPEAKER = "deputy_speaker", _("stellv. Sprecher*in")
        MEMBER = "member", _("Mitglied")
        DEPUTY_MEMBER = "deputy_member", _("stellv. Mitglied")
        MANAGING_OFFICE = "managing_office", _("Geschäftsführung")
        GUEST = "guest", _("Gast")

    person = models.ForeignKey(Person, verbose_name=_("Person"), on_delete=models.PROTECT, related_name="memberships")
    body = models.ForeignKey(Body, verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("für Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    deputy_for = models.ForeignKey(
        "self",
        verbose_name=_("vertritt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputies",
    )
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    note = models.CharField(_("Bemerkung"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["body", "role", "person__family_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role="deputy_member", deputy_for__isnull=False) | ~Q(role="deputy_member"),
                name="deputy_member_names_principal",
            ),
        ]
        indexes = [models.Index(fields=["body", "end_date"], name="membership_body_end_idx")]

    def __str__(self) -> str:
        return f"{self.person} – {self.body} ({self.get_role_display()})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(_("Das Ende darf nicht vor dem Beginn liegen."))
        if self.role == self.Role.DEPUTY_MEMBER:
            if not self.deputy_for_id:
                errors.setdefault("deputy_for", []).append(
                    _("Ein stellvertretendes Mitglied vertritt ein bestimmtes Mitglied; bitte auswählen.")
                )
            elif self.deputy_for.body_id != self.body_id:
                errors.setdefault("deputy_for", []).append(_("Die vertretene Person muss Mitglied desselben Gremiums sein."))
            elif self.deputy_for.person_id == self.person_id:
                errors.setdefault("deputy_for", []).append(_("Eine Person kann sich nicht selbst vertreten."))
        elif self.deputy_for_id:
            errors.setdefault("deputy_for", []).append(_("Nur ein stellvertretendes Mitglied vertritt jemanden."))
        if self.person_id and self.body_id and self.start_date:
            overlapping = Membership.objects.filter(person_id=self.person_id, body_id=self.body_id).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
            if self.end_date:
                overlapping = overlapping.filter(start_date__lte=self.end_date)
            if overlapping.exists():
                errors.setdefault("start_date", []).append(
                    _("Diese Person hat in diesem Zeitraum bereits eine Mitgliedschaft in diesem Gremium.")
                )
        if self.municipality_id and self.start_date and self.start_date < self.municipality.join_date:
            errors.setdefault("start_date", []).append(
                _("Die Mitgliedschaft kann nicht vor dem Beitritt der Kommune (%(date)s) beginnen.")
                % {"date": self.municipality.join_date.strftime("%d.%m.%Y")}
            )
        if errors:
            raise ValidationError(errors)
