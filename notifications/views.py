"""The notification centre, its settings and the one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import login_required, office_required
from lib.pagination import paginate
from ops.logredact import redact
from workspaces.models import Workspace

from . import actions
from .forms import MailLogFilterForm, SettingsForm
from .models import Notification, Outbox, WorkspaceNotificationSetting
from .tokens import read_token


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).select_related("event__workspace", "event__actor__person")
    page = paginate(request, qs, 30)[0]
    return render(request, "notifications/list.html", {"page": page, "unread": actions.unread_count(request.user)})


def _filtered_mails(form: MailLogFilterForm):
    rows = Outbox.objects.select_related("event", "recipient__person", "digest").order_by("-created", "-pk")
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    state = data.get("status")
    if state == "open":
        rows = rows.filter(state__in=[Outbox.State.PENDING, Outbox.State.CLAIMED, Outbox.State.SENDING])
    elif state in ("sent", "failed"):
        rows = rows.filter(state=state)
    if data.get("an"):
        rows = rows.filter(to_email__icontains=data["an"])
    if data.get("betreff"):
        rows = rows.filter(Q(subject__icontains=data["betreff"]) | Q(event__subject__icontains=data["betreff"]))
    if data.get("von"):
        rows = rows.filter(created__date__gte=data["von"])
    if data.get("bis"):
        rows = rows.filter(created__date__lte=data["bis"])
    return rows


@office_required
def mail_log(request):
    """What the platform sent to whom, when, and whether it was delivered (the outbox, kept for
    NOTIFICATIONS_MAIL_RETENTION_DAYS). Only subjects are shown, with capability links redacted: the
    texts may carry personal links, and a mail is its recipient's."""
    form = MailLogFilterForm(request.GET or None)
    page, query = paginate(request, _filtered_mails(form), 50)
    entries = [
        {
            "row": row,
            "subject": redact(row.subject or (row.event.subject if row.event else "")),
            "error": redact(row.last_error),
        }
        for row in page
    ]
    return render(
        request,
        "notifications/mail_log.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "query": query,
            "retention_days": settings.NOTIFICATIONS_MAIL_RETENTION_DAYS,
        },
    )


@login_required
def notification_open(request, pk: int):
    """Open a notification: mark it read and go where it points."""
    notification = Notification.objects.filter(pk=pk, recipient=request.user).select_related("event").first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        actions.mark_read(request.user, [notification.pk])
    url = notification.event.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("notification")
    try:
        wanted = [int(i) for i in ids] if ids else None
    except ValueError:
        raise Http404 from None
    count = actions.mark_read(request.user, wanted)
    if wanted is None:
        messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
    elif count:
        messages.success(request, _("Die Benachrichtigung ist als gelesen markiert."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    workspaces = list(Workspace.objects.filter(members__user=request.user).order_by("name"))
    levels = dict(WorkspaceNotificationSetting.objects.filter(user=request.user).values_list("workspace_id", "level"))
    initial = {"email_mode": actions.email_mode_of(request.user)}
    initial.update({f"ws_{w.pk}": levels.get(w.pk, "normal") for w in workspaces})
    form = SettingsForm(request.POST or None, initial=initial, workspaces=workspaces)
    if request.method == "POST" and form.is_valid():
        actions.set_email_mode(request.user, form.cleaned_data["email_mode"])
        for workspace, level in form.workspace_levels():
            actions.set_workspace_level(request.user, workspace, level)
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@csrf_exempt  # the signed token is the authorisation; mail clients POST without cookies (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    data = read_token(token)
    if data is None:
        raise Http404
    user_id, scope = data
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"token": token, "workspace_scope": scope.startswith("ws:")})
    what = actions.unsubscribe(user_id, scope)
    if what is None:
        raise Http404
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(_("Sie erhalten diese E-Mails nicht mehr."), content_type="text/plain; charset=utf-8")
    return render(request, "notifications/unsubscribed.html", {"what": what})
