"""The bodies' meeting cycle: series, host rotation, meetings, agenda, minutes, decisions, actions, papers.

Rows that OParl publishes are never deleted: ``deleted_at`` marks a soft delete, and every change to an
embedded object (agenda item, consultation, file) touches its parent's ``modified`` so that clients that
only re-read the main lists notice it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.models import TimestampedModel, VersionedModel


def _touch(model: type[models.Model], pk: int | None) -> None:
    """Move the parent's ``modified`` forward: a change to an embedded object changes the parent (OParl 2.8)."""
    if pk is not None:
        model._default_manager.filter(pk=pk).update(modified=timezone.now())


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)


class MeetingSeries(TimestampedModel):
    """The meeting cycle of one body: its target cadence and whether the host rotates."""

    body = models.OneToOneField(
        "members.Body", verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="meeting_series"
    )
    meetings_per_year = models.PositiveSmallIntegerField(_("angestrebte Sitzungen pro Jahr"), default=3)
    default_duration_minutes = models.PositiveSmallIntegerField(_("übliche Dauer (Minuten)"), default=180)
    rotating_host = models.BooleanField(_("wechselnde Gastgeberstadt"), default=True)

    class Meta:
        verbose_name = _("Sitzungsreihe")
        verbose_name_plural = _("Sitzungsreihen")

    def __str__(self) -> str:
        return str(self.body)

    def clean(self) -> None:
        if not 1 <= self.meetings_per_year <= 24:
            raise ValidationError({"meetings_per_year": _("Bitte geben Sie zwischen 1 und 24 Sitzungen pro Jahr an.")})


class Location(TimestampedModel):
    """Where a meeting takes place (OParl: Location), with what guests need to get there."""

    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Stadt"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("Ort"), max_length=200, help_text=_("z. B. Rathaus Herne"))
    street_address = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    locality = models.CharField(_("Ort (Stadt)"), max_length=100, blank=True)
    room = models.CharField(_("Raum"), max_length=100, blank=True)
    accessibility = models.TextField(
        _("Barrierefreiheit"), blank=True, help_text=_("z. B. stufenloser Zugang, Aufzug, Induktionsschleife")
    )
    travel_notes = models.TextField(_("Anreise"), blank=True, help_text=_("ÖPNV, Parken, Eingang"))
    latitude = models.DecimalField(_("Breitengrad"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("Längengrad"), max_digits=8, decimal_places=5, null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzungsort")
        verbose_name_plural = _("Sitzungsorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.name, self.room) if p)

    def clean(self) -> None:
        if self.postal_code and not (self.postal_code.isdigit() and len(self.postal_code) == 5):
            raise ValidationError({"postal_code": _("Eine Postleitzahl besteht aus fünf Ziffern.")})

    @property
    def address(self) -> str:
        town = " ".join(p for p in (self.postal_code, self.locality) if p)
        return ", ".join(p for p in (self.street_address, town) if p)


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SCHEDULED = "scheduled", _("terminiert")
    INVITED = "invited", _("eingeladen")
    HELD = "held", _("durchgeführt")
    CANCELLED = "cancelled", _("abgesagt")


class Meeting(VersionedModel):
    """One meeting of a body. ``agenda_version`` guards the order of its agenda against lost updates."""

    Status = MeetingStatus

    body = models.ForeignKey("members.Body", verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("Titel"), max_length=200)
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    host_municipality = models.ForeignKey(
        "members.Municipality",
        verbose_name=_("Gastgeberstadt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
    )
    location = models.ForeignKey(
        Location, verbose_name=_("Sitzungsort"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    agenda_deadline = models.DateField(_("Frist für Tagesordnungsvorschläge"), null=True, blank=True)
    agenda_version = models.PositiveIntegerField(default=1, editable=False)
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    invitation_sent_at = models.DateTimeField(_("Einladung versandt"), null=True, blank=True, editable=False)
    event = models.OneToOneField(
        "calendar_events.Event",
        verbose_name=_("Termin aus der Terminabstimmung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="meeting",
        help_text=_("Der bestätigte Termin einer Terminabstimmung, aus dem die Sitzung entstand (gleiche Kalender-UID)."),
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start")]
        indexes = [models.Index(fields=["body", "start"], name="meeting_body_start_idx")]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.title} ({local:%d.%m.%Y})"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Das Ende muss nach dem Beginn liegen.")})

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_public_in_oparl(self) -> bool:
        return self.deleted_at is None and self.status != MeetingStatus.DRAFT

    def overlapping(self) -> models.QuerySet[Meeting]:
        """Other meetings of the same body at the same time (a warning, not an error: two rooms are possible)."""
        return (
            Meeting.objects.alive()
            .filter(body_id=self.body_id, start__lt=self.end, end__gt=self.start)
            .exclude(pk=self.pk)
            .exclude(status=MeetingStatus.CANCELLED)
        )


class HostDecline(TimestampedModel):
    """A city declined its turn to host ``meeting``; it is proposed again for the next one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="host_declines")
    municipality = models.ForeignKey("members.Municipality", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("Bemerkung"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("abgelehnte Gastgeberrolle")
        verbose_name_plural = _("abgelehnte Gastgeberrollen")
        constraints = [models.UniqueConstraint(fields=["meeting", "municipality"], name="one_decline_per_city_and_meeting")]


class AgendaItem(VersionedModel):
    """A proposed or scheduled agenda item (TOP). Proposals without a meeting sit in the body's backlog.

    ``version`` guards the item's own fields (title, duration, presenter … and the minutes' summary and
    result): an edit from an older version is refused instead of overwriting somebody else's.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("vorgeschlagen")
        ACCEPTED = "accepted", _("angenommen")
        DEFERRED = "deferred", _("vertagt")
        REJECTED = "rejected", _("abgelehnt")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Beratungspunkt")
        WELCOME = "welcome", _("Begrüßung und Integrationskonzept der Gastgeberstadt")
        MINUTES = "minutes", _("Genehmigung des Protokolls der letzten Sitzung")
        OPEN_ACTIONS = "open_actions", _("Offene Aufgaben")
        AOB = "aob", _("Verschiedenes")

    body = models.ForeignKey("members.Body", verbose_name=_("Gremium"), on_delete=models.PROTECT, related_name="agenda_items")
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("Sitzung"), on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    kind = models.CharField(_("Art"), max_length=15, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=10_000)
    presenter = models.ForeignKey(
        "members.Person", verbose_name=_("Vortragende Person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Stadt"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer (Minuten)"), default=15)
    public = models.BooleanField(_("öffentlich"), default=True)
    was_public = models.BooleanField(default=False, editable=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    summary = models.TextField(_("Zusammenfassung (Protokoll)"), blank=True, max_length=20_000)
    result = models.CharField(_("Ergebnis"), max_length=200, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["meeting", "position"], name="agendaitem_meeting_pos_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=480), name="agendaitem_duration_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.meeting_id and self.meeting.body_id != self.body_id:
            raise ValidationError(_("Ein Tagesordnungspunkt gehört zur Sitzung seines Gremiums."))
        if not 1 <= (self.duration_minutes or 0) <= 480:
            raise ValidationError({"duration_minutes": _("Bitte geben Sie eine Dauer zwischen 1 und 480 Minuten an.")})

    def save(self, *args, **kwargs):
        if self.public:
            self.was_public = True
        super().save(*args, **kwargs)
        _touch(Meeting, self.meeting_id)


class MeetingFile(TimestampedModel):
    """A document of a meeting, an agenda item or a paper (OParl: File). Generated PDFs are stored too."""

    class Role(models.TextChoices):
        INVITATION = "invitation", _("Einladung")
        MINUTES = "minutes", _("Protokoll")
        AUXILIARY = "auxiliary", _("Anlage")
        MAIN = "main", _("Hauptdokument")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="files")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="files")
    paper = models.ForeignKey("Paper", on_delete=models.PROTECT, null=True, blank=True, related_name="files")
    role = models.CharField(_("Art"), max_length=12, choices=Role.choices, default=Role.AUXILIARY)
    name = models.CharField(_("Bezeichnung"), max_length=200)
    file_name = models.CharField(_("Dateiname"), max_length=200)
    mime_type = models.CharField(max_length=100, default="application/pdf")
    content = models.FileField(upload_to="meetings/%Y/%m/", max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    sha512 = models.CharField(max_length=128, blank=True)
    public = models.BooleanField(_("öffentlich"), default=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, agenda_item__isnull=True, paper__isnull=True)
                | Q(meeting__isnull=True, agenda_item__isnull=False, paper__isnull=True)
                | Q(meeting__isnull=True, agenda_item__isnull=True, paper__isnull=False),
                name="meetingfile_has_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def set_content(self, data: bytes) -> None:
        """Keep size and checksum in step with the bytes."""
        self.size = len(data)
        self.sha512 = hashlib.sha512(data).hexdigest()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _touch(Meeting, self.meeting_id)
        _touch(AgendaItem, self.agenda_item_id)
        if self.agenda_item_id:
            _touch(Meeting, AgendaItem.objects.filter(pk=self.agenda_item_id).values_list("meeting_id", flat=True).first())
        _touch(Paper, self.paper_id)


class MeetingGuest(TimestampedModel):
    """Somebody outside the body invited to one meeting (a speaker, a partner): gets the invitation and a reply link.

    Guests see what the public sees of the meeting: their mail and PDF list only public agenda items.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"))
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("Gast")
        verbose_name_plural = _("Gäste")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="one_guest_per_meeting_and_email")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    @property
    def full_name(self) -> str:
        return self.name

    @property
    def formal_greeting(self) -> str:
        return _("Guten Tag %(name)s") % {"name": self.name}


class Reply(TimestampedModel):
    """A person's answer to an invitation: a member of the body (``person``) or a guest (``guest``)."""

    class Answer(models.TextChoices):
        ATTENDING = "attending", _("Ich nehme teil")
        NOT_ATTENDING = "not_attending", _("Ich nehme nicht teil")
        DEPUTY = "deputy", _("Meine Vertretung nimmt teil")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="replies")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_replies")
    guest = models.OneToOneField(MeetingGuest, on_delete=models.CASCADE, null=True, blank=True, related_name="reply")
    answer = models.CharField(_("Antwort"), max_length=15, choices=Answer.choices)
    deputy_name = models.CharField(_("Name der Vertretung"), max_length=150, blank=True)
    municipality = models.ForeignKey("members.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    comment = models.CharField(_("Bemerkung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_reply_per_person"),
            models.CheckConstraint(
                condition=Q(person__isnull=False, guest__isnull=True) | Q(person__isnull=True, guest__isnull=False),
                name="reply_from_member_xor_guest",
            ),
        ]

    @property
    def who(self) -> str:
        return str(self.person) if self.person_id else str(self.guest)


class ReplyLink(models.Model):
    """A personal reply link (capability) mailed with an invitation; only the token's hash is stored.

    Every mailing issues a new link, and earlier ones keep working, so an older mail still leads to the form.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reply_links")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    guest = models.ForeignKey(MeetingGuest, on_delete=models.CASCADE, null=True, blank=True, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, guest__isnull=True) | Q(person__isnull=True, guest__isnull=False),
                name="reply_link_for_member_xor_guest",
            )
        ]

    def __str__(self) -> str:
        return f"reply link {self.pk} ({self.meeting_id})"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationDispatch(TimestampedModel):
    """One mailing of an invitation (REQUEST) or a cancellation (CANCEL) with its iCalendar SEQUENCE.

    ``covering_text`` is the managing office's own words above the agenda; ``facts`` what the mail said
    (date, place, agenda), so that the next invitation can say what changed since (``changes``).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="dispatches")
    method = models.CharField(max_length=10, default="REQUEST")
    sequence = models.PositiveIntegerField()
    recipients = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    short_notice = models.BooleanField(default=False)
    covering_text = models.TextField(_("Anschreiben"), blank=True, max_length=5000)
    facts = models.JSONField(default=dict, blank=True, editable=False)
    changes = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["meeting", "sequence", "method"], name="one_dispatch_per_sequence")]

    @property
    def is_update(self) -> bool:
        """Whether an earlier invitation of this meeting went out (a poll's calendar entry is none)."""
        return self.method == "REQUEST" and bool(self.facts.get("earlier"))


class Minutes(VersionedModel):
    """The minutes of a meeting: draft → circulated → approved → published (then locked)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        CIRCULATED = "circulated", _("in Abstimmung")
        APPROVED = "approved", _("genehmigt")
        PUBLISHED = "published", _("veröffentlicht")

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(_("Allgemeine Anmerkungen"), blank=True, max_length=20_000)
    attendees = models.ManyToManyField("members.Person", verbose_name=_("Anwesende"), blank=True, related_name="+")
    cities = models.ManyToManyField("members.Municipality", verbose_name=_("vertretene Städte"), blank=True, related_name="+")
    circulated_at = models.DateTimeField(null=True, blank=True, editable=False)
    objection_deadline = models.DateField(_("Einwände bis"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_in = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_minutes")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Protokoll")
        verbose_name_plural = _("Protokolle")

    def __str__(self) -> str:
        return _("Protokoll: %(meeting)s") % {"meeting": self.meeting}

    @property
    def is_locked(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.PUBLISHED}


class MinutesRevision(TimestampedModel):
    """A correction (Berichtigung) of minutes that were already approved: visible, numbered, with its reason.

    What changed is kept too: for a correction of one agenda item its summary and result before and after
    (``before``/``after``); the item's text in the minutes is the corrected one from then on.
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.TextField(_("Grund der Berichtigung"), max_length=2000)
    change = models.TextField(_("Berichtigung"), max_length=20_000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    before = models.JSONField(default=dict, blank=True, editable=False)
    after = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="one_revision_number_per_minutes")]


class Objection(TimestampedModel):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="objections")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("Einwand"), max_length=5000)
    resolved = models.BooleanField(_("erledigt"), default=False)

    def __str__(self) -> str:
        return _("Einwand zum Protokoll „%(meeting)s“") % {"meeting": self.minutes.meeting}


class Decision(TimestampedModel):
    """A decision or agreement in its exact wording, under an agenda item (the register reads these)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Beschluss")
        AGREEMENT = "agreement", _("Verabredung")

    class Status(models.TextChoices):
        VALID = "valid", _("gültig")
        DONE = "done", _("umgesetzt")
        SUPERSEDED = "superseded", _("aufgehoben")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.DECISION)
    text = models.TextField(_("Wortlaut"), max_length=5000)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.VALID)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["-agenda_item__meeting__start", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        AgendaItem.objects.filter(pk=self.agenda_item_id).update(modified=timezone.now())
        _touch(Meeting, AgendaItem.objects.filter(pk=self.agenda_item_id).values_list("meeting_id", flat=True).first())


class ActionItemQuerySet(models.QuerySet):
    def open(self) -> ActionItemQuerySet:
        """Not done yet: the linked task is open or in progress (the task is the one source of truth)."""
        from tasks.models import OPEN_STATUSES

        return self.filter(task__status__in=OPEN_STATUSES)


class ActionItem(TimestampedModel):
    """An action agreed in a meeting, for a person or a city, as the minutes record it.

    Whether it is done lives in one place only: its ``task`` (tasks app) in the body's workspace,
    created together with the action by ``meetings.minutes.actions.add_action``. The task shows up in
    "Meine Aufgaben"; marking either side done sets the task done, and the agenda's open actions
    read the task's status. An action whose task was deleted counts as dropped (not open).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        DONE = "done", _("erledigt")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    body = models.ForeignKey("members.Body", on_delete=models.PROTECT, related_name="action_items")
    description = models.TextField(_("Aufgabe"), max_length=2000)
    assignee = models.ForeignKey(
        "members.Person",
        verbose_name=_("verantwortliche Person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "members.Municipality",
        verbose_name=_("verantwortliche Stadt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    task = models.OneToOneField(
        "tasks.Task",
        verbose_name=_("Aufgabe im Arbeitsbereich"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="action_item",
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | Q(municipality__isnull=False), name="actionitem_has_responsible"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        if not self.assignee_id and not self.municipality_id:
            raise ValidationError(_("Bitte nennen Sie eine verantwortliche Person oder Stadt."))

    @property
    def responsible(self) -> str:
        return str(self.assignee or self.municipality)

    @property
    def is_open(self) -> bool:
        return self.task is not None and self.task.is_open

    @property
    def status(self) -> str:
        """Derived from the task: open while the task is open or in progress."""
        return self.Status.OPEN if self.is_open else self.Status.DONE

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def current_due_date(self) -> dt.date | None:
        """The task's due date (it may have been moved since the meeting), else the one in the minutes."""
        return self.task.due_date if self.task is not None else self.due_date


class ExternalCommittee(TimestampedModel):
    """A committee outside the cooperation that consults a paper (e.g. a city's Integrationsrat, its council)."""

    municipality = models.ForeignKey("members.Municipality", verbose_name=_("Stadt"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Name"), max_length=200)
    classification = models.CharField(_("Art"), max_length=100, blank=True, help_text=_("z. B. Beirat, Ausschuss, Parlament"))
    external_body_url = models.URLField(_("OParl-Body der Stadt"), blank=True)

    class Meta:
        verbose_name = _("externes Gremium")
        verbose_name_plural = _("externe Gremien")
        ordering = ["municipality", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class PaperType(models.TextChoices):
    """The usual kinds of paper in German councils; the value is what OParl publishes as ``paperType``."""

    DECISION = "Beschlussvorlage", _("Beschlussvorlage")
    NOTICE = "Mitteilungsvorlage", _("Mitteilungsvorlage")
    MOTION = "Antrag", _("Antrag")
    INQUIRY = "Anfrage", _("Anfrage")
    REPORT = "Bericht", _("Bericht")


class Paper(VersionedModel):
    """A paper (Vorlage) submitted to bodies, with its consultation sequence (OParl: Paper).

    ``version`` guards the paper's own fields, ``sequence_version`` the consultation sequence: every
    change to the steps (add, edit, remove, reorder) takes it, so two editors never lose an order.
    ``paper_type`` has no database choices: values written before the list existed stay valid.
    """

    Type = PaperType

    reference = models.CharField(_("Drucksachennummer"), max_length=50, unique=True, help_text=_("z. B. 0569/2023"))
    name = models.CharField(_("Titel"), max_length=300)
    paper_type = models.CharField(_("Art"), max_length=50, default=PaperType.DECISION)
    date = models.DateField(_("Datum"))
    municipality = models.ForeignKey(
        "members.Municipality",
        verbose_name=_("einreichende Stadt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_body = models.ForeignKey(
        "members.Body",
        verbose_name=_("federführendes Gremium"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("Inhalt"), blank=True, max_length=20_000)
    public = models.BooleanField(_("öffentlich"), default=True)
    sequence_version = models.PositiveIntegerField(default=1, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Vorlage")
        verbose_name_plural = _("Vorlagen")
        ordering = ["-date", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:paper", args=[self.pk])

    def get_paper_type_display(self) -> str:
        return PaperType(self.paper_type).label if self.paper_type in PaperType.values else self.paper_type


class Consultation(TimestampedModel):
    """One step of a paper's consultation sequence, in a body of ours or an external committee.

    ``clean`` checks what one row can know (one organisation, the meeting is the body's, the agenda
    item is the meeting's, the date is the meeting's day); "at most one authoritative step" spans
    rows and is kept by ``meetings.papers.actions`` and a partial unique constraint.
    """

    class Role(models.TextChoices):
        PRELIMINARY = "Vorberatung", _("Vorberatung")
        DECISION = "Entscheidung", _("Entscheidung")
        NOTICE = "Kenntnisnahme", _("Kenntnisnahme")
        HEARING = "Anhörung", _("Anhörung")

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="consultations")
    order = models.PositiveSmallIntegerField(default=0)
    body = models.ForeignKey(
        "members.Body",
        verbose_name=_("Gremium der Kooperation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    committee = models.ForeignKey(
        ExternalCommittee,
        verbose_name=_("externes Gremium"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.PRELIMINARY)
    authoritative = models.BooleanField(_("entscheidend"), default=False)
    date = models.DateField(_("Sitzungsdatum"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("Sitzung"), on_delete=models.PROTECT, null=True, blank=True, related_name="consultations"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("Tagesordnungspunkt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungsfolge")
        ordering = ["paper", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False, committee__isnull=True) | Q(body__isnull=True, committee__isnull=False),
                name="consultation_in_one_organization",
            ),
            models.UniqueConstraint(
                fields=["paper"],
                condition=Q(authoritative=True, deleted_at__isnull=True),
                name="one_authoritative_consultation_per_paper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paper.reference}: {self.organization}"

    @property
    def organization(self):
        return self.body or self.committee

    def clean(self) -> None:
        if bool(self.body_id) == bool(self.committee_id):
            raise ValidationError(
                _("Bitte wählen Sie entweder ein Gremium der Kooperation oder ein externes Gremium (genau eines).")
            )
        errors: dict[str, str] = {}
        if self.meeting_id:
            if self.committee_id:
                errors["meeting"] = _("Eine Sitzung kann nur bei einem Gremium der Kooperation verknüpft werden.")
            elif self.meeting.body_id != self.body_id:
                errors["meeting"] = _("Die Sitzung gehört nicht zum gewählten Gremium.")
            else:
                day = timezone.localtime(self.meeting.start).date()
                if self.date is None:
                    self.date = day
                elif self.date != day:
                    errors["date"] = _("Das Datum muss der Tag der verknüpften Sitzung sein (%(day)s).") % {
                        "day": f"{day:%d.%m.%Y}"
                    }
        if self.agenda_item_id and (not self.meeting_id or self.agenda_item.meeting_id != self.meeting_id):
            errors["agenda_item"] = _("Der Tagesordnungspunkt gehört nicht zur gewählten Sitzung.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        before = Consultation.objects.filter(pk=self.pk).values_list("agenda_item_id", flat=True).first() if self.pk else None
        super().save(*args, **kwargs)
        _touch(Paper, self.paper_id)
        touch_linked_agenda(Consultation.objects.filter(pk=self.pk), extra_items=[before] if before else [])


def touch_linked_agenda(steps, extra_items=()) -> None:
    """An agenda item shows its paper's step (OParl ``AgendaItem.consultation``): when steps or their paper
    change, the linked items and their meetings change too."""
    item_ids = set(steps.exclude(agenda_item=None).values_list("agenda_item_id", flat=True)) | set(extra_items)
    if item_ids:
        now = timezone.now()
        AgendaItem.objects.filter(pk__in=item_ids).update(modified=now)
        Meeting.objects.filter(agenda_items__in=item_ids).update(modified=now)


def agenda_timings(items: list[AgendaItem], start: dt.datetime) -> list[tuple[AgendaItem, dt.datetime, dt.datetime]]:
    """Start and end of each item, one after another from the meeting's start."""
    rows = []
    cursor = start
    for item in items:
        end = cursor + dt.timedelta(minutes=item.duration_minutes)
        rows.append((item, cursor, end))
        cursor = end
    return rows


def agenda_numbers(items) -> dict[int, str]:
    """The number of each accepted item, the same on every page, in every PDF and mail, and in OParl.

    Public items count 1, 2, 3 … and non-public ones N1, N2 … (the usual split into a public and a
    non-public part), so what the public sees is numbered without gaps and reveals no hidden item, while
    members see the same numbers for the same items. ``items`` is the meeting's whole agenda.
    """
    numbers: dict[int, str] = {}
    counts = {True: 0, False: 0}
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        if item.deleted_at is None and item.status == AgendaItem.Status.ACCEPTED:
            counts[item.public] += 1
            numbers[item.pk] = str(counts[True]) if item.public else f"N{counts[False]}"
    return numbers


class DigestSent(models.Model):
    """Makes the pre-meeting digest idempotent: one mail per meeting and person."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_digest_per_meeting_and_person")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.person_id}"
