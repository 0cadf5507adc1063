"""Tasks (action items): what is to be done, by whom, by when, and where it came from."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.markdown import render_markdown
from lib.models import TimestampedModel, VersionedModel


class TaskStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DONE = "done", _("erledigt")
    CANCELLED = "cancelled", _("entfallen")


OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class TaskQuerySet(models.QuerySet):
    def open(self) -> TaskQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None) -> TaskQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def assigned_to(self, user) -> TaskQuerySet:
        """Tasks for ``user`` themself or for the whole municipality they work for (as an active person).

        The municipality is a subquery, not looked up first: no round trip, and always the person's current city."""
        from members.models import Person

        city = Person.objects.filter(user=user, is_active=True, municipality__isnull=False).values("municipality_id")
        condition = Q(assignees=user) | Q(assigned_municipalities__in=city)
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))


class Task(VersionedModel):
    Status = TaskStatus

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("Arbeitsbereich"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(
        _("Beschreibung"), blank=True, max_length=20_000, help_text=_("Markdown: **fett**, *kursiv*, Listen mit -, Links.")
    )
    status = models.CharField(_("Status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("zuständige Personen"), blank=True, related_name="assigned_tasks"
    )
    assigned_municipalities = models.ManyToManyField(
        "members.Municipality", verbose_name=_("zuständige Städte"), blank=True, related_name="assigned_tasks"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("angelegt von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = [models.F("due_date").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_valid"),
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False) | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="task_completed_iff_done",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "due_date"], name="task_workspace_open"),
            models.Index(fields=["status", "due_date"], name="task_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])

    @property
    def description_html(self) -> str:
        return render_markdown(self.description, shift_headings=True)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def city_progress(self) -> tuple[int, int]:
        """(cities done, cities assigned); reads prefetched ``cities`` where the list prefetched them."""
        rows = list(self.cities.all())
        return sum(1 for row in rows if row.status == CityStatus.DONE), len(rows)

    @property
    def source(self):
        if not self.source_type_id:
            return None
        model = self.source_type.model_class()
        return model._default_manager.filter(pk=self.source_id).first() if model else None


class CityStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DONE = "done", _("erledigt")


class TaskCity(VersionedModel):
    """One assigned city's own progress on a task: its status and a note for the office.

    A task for several cities is done when every city is done (or the office closes it); a city's
    people change only their own row, so one person can no longer close the task for all.
    """

    Status = CityStatus

    task = models.ForeignKey(Task, verbose_name=_("Aufgabe"), on_delete=models.CASCADE, related_name="cities")
    municipality = models.ForeignKey(
        "members.Municipality", verbose_name=_("Stadt"), on_delete=models.CASCADE, related_name="task_progress"
    )
    status = models.CharField(_("Stand der Stadt"), max_length=12, choices=CityStatus.choices, default=CityStatus.OPEN)
    note = models.TextField(_("Notiz der Stadt"), blank=True, max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("geändert von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Stand einer Stadt")
        verbose_name_plural = _("Stand der Städte")
        ordering = ["municipality__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "municipality"], name="one_progress_per_task_and_city"),
            models.CheckConstraint(condition=Q(status__in=CityStatus.values), name="task_city_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.municipality} ({self.get_status_display()})"


class TaskComment(TimestampedModel):
    task = models.ForeignKey(Task, verbose_name=_("Aufgabe"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verfasst von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("Kommentar"), max_length=5000)

    class Meta:
        verbose_name = _("Kommentar zur Aufgabe")
        verbose_name_plural = _("Kommentare zu Aufgaben")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def text_html(self) -> str:
        return render_markdown(self.text, shift_headings=True)


def _attachment_name(instance: TaskAttachment, filename: str) -> str:
    """Stored under a random name: the user's file name never reaches the file system."""
    return f"tasks/{instance.task_id}/{uuid.uuid4().hex}"


class TaskAttachment(TimestampedModel):
    """A file for a task, checked by its content like every upload (documents.filetypes)."""

    task = models.ForeignKey(Task, verbose_name=_("Aufgabe"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Datei"), upload_to=_attachment_name, max_length=200)
    file_name = models.CharField(_("Dateiname"), max_length=200)
    kind = models.CharField(_("Dateiart"), max_length=10)
    content_type = models.CharField(_("Medientyp"), max_length=120)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"))
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("hochgeladen von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Anhang einer Aufgabe")
        verbose_name_plural = _("Anhänge von Aufgaben")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("tasks:attachment", args=[self.task_id, self.pk])
