"""One row per searchable thing, with the fields that decide in SQL who may find it.

Who finds an entry (search/backends.py ``_filter_sql``): whoever is in its ``audience``; for the audience
``workspace``, whoever may see its ``workspace``; the members (any role) of its ``workspace`` always; and
the readers named in its grants (``SearchGrant``: a user, or the active people of a municipality).

The text columns hold what may be shown to everybody who may open the object. The full-text
index lives beside them and depends on the database (see search/backends.py): a stored,
weighted ``tsvector`` column with a GIN index on PostgreSQL, an FTS5 table of stemmed text on SQLite.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may open an entry, besides the members of its workspace (if it has one)."""

    PUBLIC = "public", _("alle")
    MEMBERS = "members", _("Mitglieder der Gremien")
    OFFICE = "office", _("Geschäftsführung")
    WORKSPACE = "workspace", _("wer den Arbeitsbereich sehen darf")


class SearchEntry(models.Model):
    Audience = Audience

    kind = models.CharField(_("Art"), max_length=20)
    object_id = models.BigIntegerField(_("Objekt-ID"))
    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("Arbeitsbereich"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Kommune"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    audience = models.CharField(_("sichtbar für"), max_length=10, choices=Audience.choices)
    date = models.DateTimeField(_("Datum"))
    title = models.CharField(_("Titel"), max_length=300)
    body = models.TextField(_("Text"), blank=True)
    url = models.CharField(_("Adresse"), max_length=300)
    # Found without an account: the audience "public", or the audience "workspace" in a workspace that everybody may
    # see. It restates the rule for the anonymous searcher as one column (search.indexing keeps it, also when a
    # workspace's visibility changes), so a search without an account walks only these rows, not the whole table.
    public = models.BooleanField(_("ohne Konto auffindbar"), default=False)
    indexed_at = models.DateTimeField(_("indexiert am"), auto_now=True)

    class Meta:
        verbose_name = _("Sucheintrag")
        verbose_name_plural = _("Sucheinträge")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_per_object"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="search_entry_audience_valid"),
            models.CheckConstraint(
                condition=~Q(audience="workspace") | Q(workspace__isnull=False), name="workspace_audience_has_workspace"
            ),
            # ``public`` can only be wrong where it depends on a workspace's visibility (kept by search.indexing).
            models.CheckConstraint(condition=~Q(audience="public") | Q(public=True), name="search_entry_public_audience_found"),
            models.CheckConstraint(
                condition=Q(audience__in=["public", "workspace"]) | Q(public=False), name="search_entry_closed_audience_hidden"
            ),
        ]
        indexes = [
            models.Index(fields=["-date"], name="search_entry_date_idx"),
            # The city filter, newest first: without it a search in one city walks the date index through all ten.
            models.Index(fields=["municipality", "-date"], name="search_entry_city_date_idx"),
            # The same two walks for searches without an account (a small share of the entries).
            models.Index(fields=["-date"], condition=Q(public=True), name="search_entry_public_date_idx"),
            models.Index(fields=["municipality", "-date"], condition=Q(public=True), name="search_entry_public_city_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchGrant(models.Model):
    """A reader of one entry beyond its audience and workspace: a user, or every active person of a municipality.

    E.g. the assignees of a task outside its workspace, or a person who may always open their own profile.
    The providers name them (``registry.Entry.readers``/``reader_municipalities``); ``indexing`` keeps the rows.
    """

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person mit Konto"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,  # the unique index (user, entry) serves both
    )
    municipality = models.ForeignKey(
        "members.Municipality",
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,  # the unique index (municipality, entry) serves both
    )

    class Meta:
        verbose_name = _("Suchfreigabe")
        verbose_name_plural = _("Suchfreigaben")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, municipality__isnull=True) | Q(user__isnull=True, municipality__isnull=False),
                name="search_grant_one_reader",
            ),
            # Leading column = the searcher's side: the scope looks grants up by user and by municipality.
            models.UniqueConstraint(fields=["user", "entry"], condition=Q(user__isnull=False), name="search_grant_user"),
            models.UniqueConstraint(
                fields=["municipality", "entry"], condition=Q(municipality__isnull=False), name="search_grant_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.user_id or self.municipality_id}"
