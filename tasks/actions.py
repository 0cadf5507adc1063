"""Everything that changes tasks: validation, audit log and notifications in one transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.actions import record, snapshot
from lib.concurrency import save_versioned
from lib.storage import storing
from notifications.actions import notify
from notifications.audience import Audience
from notifications.messages import Translatable
from scanning.actions import hold
from search.indexing import schedule

from .models import Task, TaskAttachment, TaskCity, TaskComment

EDITABLE = ("title", "description", "status", "due_date")


def _audit_data(task: Task) -> dict:
    data = snapshot(task, exclude=("version", "modified", "created", "reminder_sent_on"))
    data["assignees"] = sorted(task.assignees.values_list("pk", flat=True))
    data["assigned_municipalities"] = sorted(task.assigned_municipalities.values_list("pk", flat=True))
    data["cities"] = {str(pk): status for pk, status in task.cities.values_list("municipality_id", "status")}
    return data


def _sync_cities(task: Task, municipalities) -> None:
    """One progress row per assigned city: new cities start as the task stands, removed ones lose theirs."""
    wanted = {m.pk for m in municipalities}
    task.cities.exclude(municipality_id__in=wanted).delete()
    have = set(task.cities.values_list("municipality_id", flat=True))
    start = TaskCity.Status.DONE if task.status == Task.Status.DONE else TaskCity.Status.OPEN
    TaskCity.objects.bulk_create(TaskCity(task=task, municipality_id=pk, status=start) for pk in sorted(wanted - have))


def _describe(task: Task) -> str:
    due = _("fällig am %(date)s") % {"date": f"{task.due_date:%d.%m.%Y}"} if task.due_date else _("ohne Fälligkeitsdatum")
    text = f"{task.title} ({due})\n{_('Arbeitsbereich')}: {task.workspace.name}"
    if task.description:
        text += "\n\n" + task.description
    return text


def _notify_assigned(actor, task: Task, users, municipalities) -> None:
    """Assignments always notify (also in a muted workspace)."""
    with translation.override("de"):
        subject = Translatable(gettext_noop("Neue Aufgabe für Sie: %(title)s"), {"title": task.title})

        def text():
            return (
                _("%(actor)s hat Ihnen eine Aufgabe zugewiesen:") % {"actor": actor or _("Die Plattform")}
                + "\n\n"
                + _describe(task)
            )

        common = {
            "verb": "task.assigned",
            "target": task,
            "actor": actor,
            "workspace": task.workspace,
            "always": True,
            "subject": subject,
            "text": text(),
            "compose": text,
            "url": task.get_absolute_url(),
        }
        if users:
            notify(recipients=list(users), **common)
        for municipality in municipalities:
            city_subject = Translatable(
                gettext_noop("Neue Aufgabe für %(city)s: %(title)s"), {"city": str(municipality), "title": task.title}
            )
            notify(
                recipients=Audience.municipality(municipality, exclude=list(users)),
                **{**common, "subject": city_subject},
            )


def _clean(task: Task, *, creating: bool, allow_past_due: bool = False) -> None:
    task.full_clean(exclude=["workspace", "created_by", "source_type"])
    if creating and not allow_past_due and task.due_date and task.due_date < timezone.localdate():
        raise ValidationError(
            {"due_date": _("Das Fälligkeitsdatum liegt in der Vergangenheit. Bitte wählen Sie heute oder einen späteren Tag.")}
        )


def _completion(task: Task) -> None:
    if task.status == Task.Status.DONE and task.completed_at is None:
        task.completed_at = timezone.now()
    elif task.status != Task.Status.DONE:
        task.completed_at = None


@transaction.atomic
def create_task(
    actor,
    workspace,
    *,
    title: str,
    description: str = "",
    due_date: dt.date | None = None,
    status: str = "open",
    assignees=(),
    municipalities=(),
    source=None,
    allow_past_due: bool = False,
) -> Task:
    """Create a task. ``allow_past_due``: the due date was set elsewhere already (minutes written afterwards)."""
    task = Task(workspace=workspace, title=title, description=description, due_date=due_date, status=status, created_by=actor)
    if source is not None:
        task.source_type = ContentType.objects.get_for_model(source)
        task.source_id = str(source.pk)
    _completion(task)
    _clean(task, creating=True, allow_past_due=allow_past_due)
    task.save()
    task.assignees.set(assignees)
    task.assigned_municipalities.set(municipalities)
    _sync_cities(task, municipalities)
    record(actor, "task.created", task, after=_audit_data(task))
    schedule("task", task.pk)
    _notify_assigned(actor, task, [u for u in assignees if u != actor], list(municipalities))
    return task


@transaction.atomic
def update_task(actor, task: Task, expected_version: int, *, assignees=None, municipalities=None, **fields) -> Task:
    before = _audit_data(task)
    old_status = task.status
    old_due = task.due_date
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(task, name, value)
    _completion(task)
    _clean(task, creating=False)
    if task.due_date != old_due:
        task.reminder_sent_on = None  # a new due date gets its own reminder
    save_versioned(task, expected_version, fields=[*EDITABLE, "completed_at", "reminder_sent_on"])
    new_users, new_cities = [], []
    if assignees is not None:
        old = set(task.assignees.values_list("pk", flat=True))
        task.assignees.set(assignees)
        new_users = [u for u in assignees if u.pk not in old and u != actor]
    if municipalities is not None:
        old = set(task.assigned_municipalities.values_list("pk", flat=True))
        task.assigned_municipalities.set(municipalities)
        _sync_cities(task, municipalities)
        new_cities = [m for m in municipalities if m.pk not in old]
    record(actor, "task.updated", task, before=before, after=_audit_data(task))
    schedule("task", task.pk)
    _notify_assigned(actor, task, new_users, new_cities)
    if task.status != old_status:
        _notify_status(actor, task)
    return task


@transaction.atomic
def set_status(actor, task: Task, expected_version: int, status: str) -> Task:
    return update_task(actor, task, expected_version, status=status)


def _notify_status(actor, task: Task) -> None:
    """A status change is a detail: it reaches the people involved, if they want everything."""
    involved = {*task.assignees.all()}
    if task.created_by:
        involved.add(task.created_by)

    def text():
        return (
            _("%(actor)s hat den Status geändert: %(status)s") % {"actor": actor, "status": task.get_status_display()}
            + "\n\n"
            + _describe(task)
        )

    with translation.override("de"):
        notify(
            recipients=involved,
            verb="task.status",
            target=task,
            actor=actor,
            workspace=task.workspace,
            detail=True,
            subject=Translatable(
                gettext_noop("Aufgabe „%(title)s“: %(status)s"), {"title": task.title, "status": Task.Status(task.status).label}
            ),
            text=text(),
            compose=text,
            url=task.get_absolute_url(),
        )


@transaction.atomic
def delete_task(actor, task: Task) -> None:
    record(actor, "task.deleted", task, before=_audit_data(task))
    pk = task.pk
    task.delete()
    schedule("task", pk)


def send_due_reminders(today: dt.date) -> int:
    """Remind the assignees of open tasks due within TASK_REMINDER_DAYS; each task once per due date."""
    horizon = today + dt.timedelta(days=settings.TASK_REMINDER_DAYS)
    sent = 0
    while True:
        with transaction.atomic():
            task = (
                Task.objects.select_for_update(skip_locked=True, of=("self",))
                .open()
                .filter(due_date__gte=today, due_date__lte=horizon, reminder_sent_on__isnull=True)
                .select_related("workspace")
                .order_by("pk")
                .first()
            )
            if task is None:
                return sent
            users = list(task.assignees.all())
            with translation.override("de"):
                subject = Translatable(
                    gettext_noop("Erinnerung: „%(title)s“ ist am %(date)s fällig"),
                    {"title": task.title, "date": f"{task.due_date:%d.%m.%Y}"},
                )

                def text(task=task):
                    return _("Diese Aufgabe ist bald fällig:") + "\n\n" + _describe(task)

                common = {
                    "verb": "task.reminder",
                    "target": task,
                    "workspace": task.workspace,
                    "always": True,
                    "subject": subject,
                    "text": text(),
                    "compose": text,
                    "url": task.get_absolute_url(),
                }
                if users:
                    notify(recipients=users, **common)
                for municipality in task.assigned_municipalities.all():
                    notify(recipients=Audience.municipality(municipality, exclude=users), **common)
            Task.objects.filter(pk=task.pk).update(reminder_sent_on=today)
            sent += 1


def _derived_status(task: Task, before_all_done: bool) -> str:
    """The task's status after a city reported: done when every city is done, in progress once one started.

    A task the office closed or cancelled stays so; one that was done only because every city was
    done opens again when a city takes its report back.
    """
    statuses = list(task.cities.values_list("status", flat=True))
    if task.status == Task.Status.CANCELLED or (task.status == Task.Status.DONE and not before_all_done):
        return task.status
    if statuses and all(s == TaskCity.Status.DONE for s in statuses):
        return Task.Status.DONE
    if any(s != TaskCity.Status.OPEN for s in statuses):
        return Task.Status.IN_PROGRESS
    return Task.Status.OPEN if task.status != Task.Status.DONE else Task.Status.IN_PROGRESS


@transaction.atomic
def set_city_status(actor, row: TaskCity, expected_version: int, *, status: str, note: str) -> TaskCity:
    """A city reports its own progress; the task follows (see :func:`_derived_status`).

    Two people of one city saving at once: the second gets EditConflict instead of overwriting.
    """
    task = Task.objects.select_for_update().select_related("workspace").get(pk=row.task_id)
    before = _audit_data(task)
    before_all_done = all(s == TaskCity.Status.DONE for s in task.cities.values_list("status", flat=True))
    row.status, row.note, row.changed_by = status, note.strip(), actor if getattr(actor, "is_authenticated", False) else None
    row.full_clean(exclude=["task", "municipality", "changed_by"])
    save_versioned(row, expected_version, fields=["status", "note", "changed_by"])
    new_status = _derived_status(task, before_all_done)
    if new_status != task.status:
        task.status = new_status
        _completion(task)
        save_versioned(task, task.version, fields=["status", "completed_at"])
        _notify_status(actor, task)
    record(actor, "task.city_status", task, before=before, after=_audit_data(task))
    schedule("task", task.pk)
    _notify_city_report(actor, task, row)
    return row


def _involved(task: Task) -> set:
    people = {*task.assignees.all()}
    if task.created_by:
        people.add(task.created_by)
    return people


def _notify_city_report(actor, task: Task, row: TaskCity) -> None:
    def text():
        reported = _("%(actor)s hat für %(city)s den Stand „%(status)s“ gemeldet.") % {
            "actor": actor,
            "city": row.municipality,
            "status": row.get_status_display(),
        }
        if row.note:
            reported += "\n\n" + row.note
        return reported + "\n\n" + _describe(task)

    with translation.override("de"):
        notify(
            recipients=_involved(task),
            verb="task.city_status",
            target=task,
            actor=actor,
            workspace=task.workspace,
            subject=Translatable(
                gettext_noop("Aufgabe „%(title)s“: %(city)s meldet „%(status)s“"),
                {"title": task.title, "city": row.municipality.short_name, "status": TaskCity.Status(row.status).label},
            ),
            text=text(),
            compose=text,
            url=task.get_absolute_url(),
        )


@transaction.atomic
def add_comment(actor, task: Task, text: str) -> TaskComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Bitte schreiben Sie einen Kommentar.")})
    comment = TaskComment(task=task, author=actor, text=text)
    comment.full_clean(exclude=["task", "author"])
    comment.save()
    record(actor, "task.commented", task, after={"comment": comment.pk, "text": text})

    def message():
        return _("%(actor)s schreibt:") % {"actor": actor} + "\n\n" + text

    with translation.override("de"):
        notify(
            recipients=_involved(task),
            verb="task.comment",
            target=task,
            actor=actor,
            workspace=task.workspace,
            subject=Translatable(gettext_noop("Neuer Kommentar zur Aufgabe „%(title)s“"), {"title": task.title}),
            text=message(),
            compose=message,
            url=task.get_absolute_url() + "#kommentare",
        )
    return comment


@transaction.atomic
def add_attachment(actor, task: Task, uploaded) -> TaskAttachment:
    """Checked like every upload (documents.actions.check_upload): kind from the bytes, executables refused."""
    from documents.actions import check_upload
    from documents.uploads import max_upload_bytes, too_large_message

    if uploaded is None:
        raise ValidationError({"file": _("Bitte wählen Sie eine Datei aus.")})
    if uploaded.size > max_upload_bytes():
        raise ValidationError({"file": too_large_message()})
    try:
        kind, name, digest, uploaded = check_upload(uploaded)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    attachment = TaskAttachment(
        task=task,
        file_name=name,
        kind=kind.code,
        content_type=kind.content_type,
        size=uploaded.size,
        sha256=digest,
        uploaded_by=actor,
    )
    with storing("file"):
        attachment.file.save(name, uploaded, save=False)
    attachment.save()
    hold(attachment.file.name, actor)
    record(actor, "task.attachment_added", task, after={"attachment": attachment.pk, "file_name": name, "sha256": digest})
    return attachment


@transaction.atomic
def delete_attachment(actor, attachment: TaskAttachment) -> None:
    """Remove an attachment and, once the deletion is committed, its file; the audit log keeps name and checksum."""
    task = attachment.task
    name = attachment.file.name
    record(
        actor,
        "task.attachment_deleted",
        task,
        before={"attachment": attachment.pk, "file_name": attachment.file_name, "sha256": attachment.sha256},
    )
    attachment.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
