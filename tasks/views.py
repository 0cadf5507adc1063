"""Task pages: a workspace's tasks, "my tasks", the overdue list for the managing office."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from documents.filetypes import KINDS
from documents.uploads import LimitedUploadHandler, declared_too_large, too_large_message
from documents.views import DOWNLOAD_CSP
from lib.concurrency import apply_edit, failed_status
from lib.errors import add_to_form
from lib.storage import StorageUnavailable, open_for_reading, unavailable_response
from scanning.actions import held_response
from workspaces.access import can_view, get_workspace_for_user

from . import actions
from .access import (
    can_change_status,
    can_delete_attachment,
    can_edit_tasks,
    can_report_for,
    can_take_part,
    can_view_tasks,
    get_attachment_for_user,
    get_task_for_user,
    own_city_id,
    visible_source,
)
from .forms import AttachmentForm, CityStatusForm, CommentForm, StatusForm, TaskForm
from .models import Task

LIST_RELATED = ("workspace",)


def _with_people(qs):
    return qs.select_related(*LIST_RELATED).prefetch_related("assignees__person", "assigned_municipalities", "cities")


def _source_from(request, workspace):
    """``?aus=news:<pk>``: the news post a task comes from, if the user may read it; else nothing."""
    raw = request.GET.get("aus") or request.POST.get("aus") or ""
    kind, _sep, pk = raw.partition(":")
    if kind == "news" and pk.isdigit():
        from news.access import get_post_for_user

        try:
            post = get_post_for_user(request.user, pk)
        except Http404:
            return None
        return post if post.workspace_id == workspace.pk else None
    return None


@login_required
def workspace_tasks(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    if not can_view_tasks(request.user, workspace):
        raise Http404
    show = request.GET.get("anzeigen", "offen")
    tasks = _with_people(workspace.tasks.all())
    if show != "alle":
        tasks = tasks.open()
    return render(
        request,
        "tasks/workspace_tasks.html",
        {
            "workspace": workspace,
            "tasks": tasks,
            "show": show,
            "can_edit": can_edit_tasks(request.user, workspace),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    if not can_edit_tasks(request.user, workspace):
        raise Http404
    source = _source_from(request, workspace)
    initial = {"title": source.title} if source is not None and request.method == "GET" else None
    form = TaskForm(request.POST or None, workspace=workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = actions.create_task(
                request.user,
                workspace,
                title=data["title"],
                description=data["description"],
                due_date=data["due_date"],
                status=data["status"],
                assignees=list(data["assignees"]),
                municipalities=list(data["municipalities"]),
                source=source,
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Die Aufgabe „%(title)s“ wurde angelegt.") % {"title": task.title})
            return redirect(task)
    return render(request, "tasks/form.html", {"form": form, "workspace": workspace, "creating": True, "source": source})


def _render_detail(request, task: Task, *, status: int = 200, city_forms: dict | None = None, **bound):
    """The task page; a refused comment, upload or report comes back with its typed text and its errors."""
    rows = []
    for row in task.cities.select_related("municipality", "changed_by__person"):
        form = None
        if can_report_for(request.user, task, row):
            form = (city_forms or {}).get(row.pk) or CityStatusForm(
                initial={"status": row.status, "note": row.note, "version": row.version}, prefix=f"stadt-{row.pk}"
            )
        rows.append((row, form))
    own_city = own_city_id(request.user)
    rows.sort(key=lambda pair: (pair[0].municipality_id != own_city, pair[0].municipality.short_name))
    taking_part = can_take_part(request.user, task)
    attachments = list(task.attachments.select_related("uploaded_by__person"))
    for attachment in attachments:
        attachment.task = task
        attachment.deletable = can_delete_attachment(request.user, attachment)
    return render(
        request,
        "tasks/detail.html",
        {
            "task": task,
            "workspace": task.workspace,
            # Assignees from a city may open the task without reading its workspace: the breadcrumbs then lead
            # to their own tasks rather than to pages that answer 404.
            "can_open_workspace": can_view(request.user, task.workspace),
            "can_open_task_list": can_view_tasks(request.user, task.workspace),
            "can_edit": can_edit_tasks(request.user, task.workspace),
            "status_form": bound.get("status_form") or StatusForm(initial={"status": task.status, "version": task.version})
            if can_change_status(request.user, task)
            else None,
            "source": visible_source(request.user, task),
            "city_rows": rows,
            "own_city": own_city,
            "progress": task.city_progress,
            "comments": task.comments.select_related("author__person"),
            "attachments": attachments,
            "comment_form": bound.get("comment_form") or (CommentForm() if taking_part else None),
            "attachment_form": bound.get("attachment_form") or (AttachmentForm() if taking_part else None),
        },
        status=status,
    )


@login_required
def task_detail(request, pk: int):
    return _render_detail(request, get_task_for_user(request.user, pk))


@login_required
@require_POST
def task_city_status(request, pk: int, row_pk: int):
    task = get_task_for_user(request.user, pk)
    row = task.cities.select_related("municipality").filter(pk=row_pk).first()
    if row is None or not can_report_for(request.user, task, row):
        raise Http404
    form = CityStatusForm(request.POST, prefix=f"stadt-{row.pk}")

    def write(data):
        actions.set_city_status(request.user, row, data["version"], status=data["status"], note=data["note"])

    if apply_edit(form, write):
        messages.success(
            request,
            _("Der Stand für %(city)s ist jetzt „%(status)s“.")
            % {"city": row.municipality.short_name, "status": row.get_status_display()},
        )
        return redirect(task.get_absolute_url() + "#staedte")
    return _render_detail(request, get_task_for_user(request.user, pk), status=failed_status(form), city_forms={row.pk: form})


@login_required
@require_POST
def task_comment(request, pk: int):
    task = get_task_for_user(request.user, pk)
    if not can_take_part(request.user, task):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(request.user, task, form.cleaned_data["text"])
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Ihr Kommentar wurde gespeichert."))
            return redirect(task.get_absolute_url() + "#kommentare")
    return _render_detail(request, task, status=400, comment_form=form)


@csrf_exempt  # the CSRF check reads the body; the size check must come first (csrf_protect below)
@login_required
@require_POST
def task_attach(request, pk: int):
    task = get_task_for_user(request.user, pk)
    if not can_take_part(request.user, task):
        raise Http404
    if declared_too_large(request):
        return _too_large(request, task)
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _attach(request, task)


def _too_large(request, task: Task):
    form = AttachmentForm()
    form.add_error("file", too_large_message())
    response = _render_detail(request, task, status=413, attachment_form=form)
    response["Connection"] = "close"
    return response


@csrf_protect
def _attach(request, task: Task):
    form = AttachmentForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        return _too_large(request, task)
    if form.is_valid():
        try:
            attachment = actions.add_attachment(request.user, task, form.cleaned_data["file"])
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("„%(name)s“ wurde angehängt.") % {"name": attachment.file_name})
            return redirect(task.get_absolute_url() + "#anhaenge")
    return _render_detail(request, task, status=400, attachment_form=form)


@login_required
def task_attachment(request, pk: int, attachment_pk: int):
    task = get_task_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, task, attachment_pk)
    held = held_response(attachment.file.name)
    if held is not None:
        return held
    kind = KINDS.get(attachment.kind)
    try:
        handle = open_for_reading(attachment.file)
    except StorageUnavailable:
        return unavailable_response()
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not (kind and kind.inline),
        filename=attachment.file_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def task_attachment_delete(request, pk: int, attachment_pk: int):
    """A confirmation page, then the deletion (the uploader or the managing office)."""
    task = get_task_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, task, attachment_pk, delete=True)
    if request.method == "POST":
        actions.delete_attachment(request.user, attachment)
        messages.success(request, _("Der Anhang „%(name)s“ wurde gelöscht.") % {"name": attachment.file_name})
        return redirect(task.get_absolute_url() + "#anhaenge")
    return render(request, "tasks/attachment_delete.html", {"task": task, "attachment": attachment, "workspace": task.workspace})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = get_task_for_user(request.user, pk, write=True)
    form = TaskForm(request.POST or None, instance=task, workspace=task.workspace, initial={"version": task.version})
    if request.method == "POST":

        def write(data):
            actions.update_task(
                request.user,
                Task.objects.get(pk=task.pk),
                data.get("version") or 0,
                title=data["title"],
                description=data["description"],
                due_date=data["due_date"],
                status=data["status"],
                assignees=list(data["assignees"]),
                municipalities=list(data["municipalities"]),
            )

        if apply_edit(form, write):
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect(task)
        fresh = get_task_for_user(request.user, pk, write=True)  # the form's instance holds the typed values
        context = {"form": form, "workspace": fresh.workspace, "task": fresh, "creating": False}
        return render(request, "tasks/form.html", context, status=failed_status(form))
    return render(request, "tasks/form.html", {"form": form, "workspace": task.workspace, "task": task, "creating": False})


@login_required
@require_POST
def task_status(request, pk: int):
    task = get_task_for_user(request.user, pk)
    if not can_change_status(request.user, task):
        raise Http404
    form = StatusForm(request.POST)
    if apply_edit(form, lambda data: actions.set_status(request.user, task, data["version"], data["status"])):
        messages.success(request, _("Der Status ist jetzt „%(status)s“.") % {"status": task.get_status_display()})
        return redirect(task)
    return _render_detail(request, get_task_for_user(request.user, pk), status=failed_status(form), status_form=form)


@login_required
@require_POST
def task_delete(request, pk: int):
    task = get_task_for_user(request.user, pk, write=True)
    workspace = task.workspace
    actions.delete_task(request.user, task)
    messages.success(request, _("Die Aufgabe „%(title)s“ wurde gelöscht.") % {"title": task.title})
    return redirect("tasks:workspace", slug=workspace.slug)


@login_required
def my_tasks(request):
    show = request.GET.get("anzeigen", "offen")
    tasks = _with_people(Task.objects.assigned_to(request.user))
    if show != "alle":
        tasks = tasks.open()
    return render(request, "tasks/my_tasks.html", {"tasks": tasks, "show": show, "today": timezone.localdate()})


@office_required
def overdue_tasks(request):
    tasks = _with_people(Task.objects.overdue()).filter(~Q(workspace__is_archived=True)).order_by("due_date", "pk")
    return render(request, "tasks/overdue.html", {"tasks": tasks, "today": timezone.localdate()})
