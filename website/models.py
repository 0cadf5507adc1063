"""Public pages edited by the managing office, and accessibility feedback."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lib.markdown import render_markdown
from lib.models import VersionedModel


class Page(VersionedModel):
    """A public page in German and English. Text in Markdown, sanitised on output."""

    slug = models.SlugField(_("Adresse"), max_length=60, unique=True)
    title_de = models.CharField(_("Titel (Deutsch)"), max_length=200)
    body_de = models.TextField(
        _("Text (Deutsch)"), help_text=_("Markdown: ## Überschrift, **fett**, - Aufzählung, [Link](https://…)")
    )
    title_en = models.CharField(_("Titel (Englisch)"), max_length=200, blank=True)
    body_en = models.TextField(_("Text (Englisch)"), blank=True)
    last_editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title_de

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title_de

    def _body(self) -> str:
        return self.body_en if get_language() == "en" and self.body_en else self.body_de

    @property
    def body_html(self):
        return render_markdown(self._body(), shift_headings=True)

    @property
    def lead_html(self):
        """The first paragraph, for a page's introduction (the start page's hero)."""
        return render_markdown(self._body().split("\n\n", 1)[0], shift_headings=True)

    @property
    def rest_html(self):
        parts = self._body().split("\n\n", 1)
        return render_markdown(parts[1] if len(parts) > 1 else "", shift_headings=True)


def _feedback_due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=settings.ACCESSIBILITY_FEEDBACK_DAYS)


class AccessibilityFeedback(VersionedModel):
    """A reported barrier (BITV 2.0 / BITVNRW § 5): answered within six weeks at most.

    The office answers by mail (through the outbox), sets a status and is reminded a week before
    the deadline (``website.reminders``).
    """

    class Status(models.TextChoices):
        NEW = "new", _("eingegangen")
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        ANSWERED = "answered", _("beantwortet")
        CLOSED = "closed", _("abgeschlossen")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung der Barriere"), max_length=5000)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse für die Antwort"), blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.NEW)
    due_on = models.DateField(_("Antwort fällig bis"), default=_feedback_due)
    answer = models.TextField(_("Antwort"), blank=True, max_length=10_000)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwortet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminder_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.created:%d.%m.%Y}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("website:feedback_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def due_soon(self) -> bool:
        return self.is_open and not self.is_overdue and self.due_on <= timezone.localdate() + dt.timedelta(days=7)
