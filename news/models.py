"""News posts of a workspace or of the whole cooperation, with comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.markdown import render_markdown
from lib.models import TimestampedModel, VersionedModel


class Post(VersionedModel):
    """A news post. Without a workspace it speaks for the whole cooperation (the managing office writes those).

    ``published_at`` empty means draft. ``is_public`` puts a published post on the public news page.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("Arbeitsbereich"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_posts",
    )
    title = models.CharField(_("Überschrift"), max_length=200)
    body = models.TextField(
        _("Text"),
        max_length=50_000,
        help_text=_("Markdown: **fett**, *kursiv*, Listen mit -, Links. Erwähnen Sie Personen mit @Vorname Nachname."),
    )
    image = models.ImageField(_("Bild"), upload_to="news/%Y/%m/", blank=True)
    image_alt = models.CharField(
        _("Beschreibung des Bildes"), max_length=300, blank=True, help_text=_("Für Menschen, die das Bild nicht sehen können.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verfasst von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_public = models.BooleanField(
        _("öffentlich unter „Aktuelles“"),
        default=False,
        help_text=_("Der Beitrag erscheint auf der öffentlichen Seite „Aktuelles“."),
    )
    published_at = models.DateTimeField(_("veröffentlicht"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(published_at__isnull=False), name="news_public_only_when_published"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "-published_at"], name="news_workspace_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.pk])

    @property
    def body_html(self) -> str:
        return render_markdown(self.body, shift_headings=True)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Comment(TimestampedModel):
    post = models.ForeignKey(Post, verbose_name=_("Beitrag"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("Kommentar"), max_length=5000)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#kommentar-{self.pk}"

    @property
    def body_html(self) -> str:
        return render_markdown(self.body, shift_headings=True)
