"""Date polls (Terminabstimmung): an organiser proposes slots, participants answer, the organiser confirms one.

Participants with an account answer in the platform; external participants answer through a personal
link. Only a hash of that link's token is stored, so a database leak does not leak usable links.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.markdown import render_markdown
from lib.models import TimestampedModel, VersionedModel


class PollStatus(models.TextChoices):
    OPEN = "open", _("läuft")
    CONFIRMED = "confirmed", _("Termin bestätigt")


class Choice(models.TextChoices):
    YES = "yes", _("Ja")
    MAYBE = "maybe", _("Wenn nötig")
    NO = "no", _("Nein")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Poll(VersionedModel):
    """A date poll in a workspace.

    ``purpose`` says what a confirmed slot becomes: ``event`` (a calendar event; the default) or what
    another app registers (the meetings app: ``meeting``), see :mod:`polls.signals`.
    """

    Status = PollStatus

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="polls"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=5000)
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    online_url = models.URLField(_("Link zur Online-Teilnahme"), blank=True, max_length=500)
    deadline = models.DateTimeField(_("Antworten bis"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    purpose = models.CharField(_("Zweck"), max_length=30, default="event")
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Organisation"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_slot = models.ForeignKey(
        "Slot", verbose_name=_("bestätigter Termin"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "calendar_events.Event",
        verbose_name=_("Termin im Kalender"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("Erinnerung verschickt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Terminabstimmung")
        verbose_name_plural = _("Terminabstimmungen")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PollStatus.values), name="poll_status_valid"),
            # Not the slot too: deleting a poll nulls confirmed_slot (its slots go first) before the row goes.
            models.CheckConstraint(condition=Q(status="open") | Q(closed_at__isnull=False), name="poll_confirmed_is_closed"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("polls:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN

    @property
    def accepts_answers(self) -> bool:
        return self.is_open and self.deadline > timezone.now()

    @property
    def description_html(self) -> str:
        return render_markdown(self.description, shift_headings=True)


class Slot(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    class Meta:
        verbose_name = _("Terminvorschlag")
        verbose_name_plural = _("Terminvorschläge")
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


class Participant(TimestampedModel):
    """Somebody asked for their availability: a platform account, or an external person with a personal link."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="poll_participations"
    )
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    comment = models.TextField(_("Kommentar"), blank=True, max_length=1000)
    answered_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], condition=Q(user__isnull=False), name="one_participation_per_user"),
            models.UniqueConstraint(
                fields=["poll", "email"], condition=Q(user__isnull=True), name="one_external_participation_per_email"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, token_hash__isnull=True) | Q(user__isnull=True, token_hash__isnull=False),
                name="participant_account_xor_link",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.user_id is None

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)


class Answer(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(_("Antwort"), max_length=5, choices=Choice.choices)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.UniqueConstraint(fields=["participant", "slot"], name="one_answer_per_participant_and_slot"),
            models.CheckConstraint(condition=Q(choice__in=Choice.values), name="answer_choice_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.slot} {self.get_choice_display()}"
