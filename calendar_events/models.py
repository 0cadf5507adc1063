"""Events in the workspaces' calendars and the personal secret feed that carries them to calendar apps."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.markdown import render_markdown
from lib.models import TimestampedModel, VersionedModel


def new_uid() -> str:
    """A UID that never changes for the life of the event, so calendar apps update instead of duplicating."""
    return f"{uuid.uuid4()}@interkommunal"


class Event(VersionedModel):
    """A date in a workspace, at a place or online.

    ``sequence`` is the iCalendar SEQUENCE: it goes up whenever something a calendar app shows
    changes, so Thunderbird and Outlook replace their copy of the event.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"), blank=True, max_length=10_000, help_text=_("Markdown: **fett**, *kursiv*, Listen mit -, Links.")
    )
    location = models.CharField(
        _("Ort"), max_length=300, blank=True, help_text=_("Adresse und Raum, zum Beispiel „Rathaus Herne, Raum 215“.")
    )
    online_url = models.URLField(
        _("Link zur Online-Teilnahme"), blank=True, max_length=500, help_text=_("Zum Beispiel der Link zur Videokonferenz.")
    )
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    uid = models.CharField(_("iCalendar-UID"), max_length=120, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(_("iCalendar-SEQUENCE"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("Das Ende muss nach dem Beginn liegen."),
            )
        ]
        indexes = [models.Index(fields=["workspace", "starts_at"], name="event_workspace_start_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})
        if not self.location.strip() and not self.online_url:
            raise ValidationError({"location": _("Bitte geben Sie einen Ort oder einen Link zur Online-Teilnahme an.")})

    def get_absolute_url(self) -> str:
        return reverse("calendar_events:detail", args=[self.pk])

    @property
    def description_html(self) -> str:
        return render_markdown(self.description, shift_headings=True)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(TimestampedModel):
    """Somebody's secret feed address. Only the token's hash is stored; revoking deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("Konto"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used = models.DateTimeField(_("zuletzt abgerufen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kalender-Abonnement")
        verbose_name_plural = _("Kalender-Abonnements")

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)
