"""Operational endpoints."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import devmail
from .models import WorkerHeartbeat


@never_cache
@require_GET
def healthz(request):
    """Database reachable and a worker alive and not stuck: 200; otherwise 503 with the failing part named."""
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    if checks["database"]["ok"]:
        checks["worker"] = _worker_check()
    else:
        checks["worker"] = {"ok": False, "last_seen": None, "stuck": []}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503)


def _worker_check() -> dict:
    """Alive: some lane beat within WORKER_STALE_AFTER_SECONDS. Stuck: a live lane on one task for too long."""
    now = timezone.now()
    beats = WorkerHeartbeat.objects.filter(last_seen__gte=now - dt.timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS))
    latest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    stuck = [
        {"task": task, "since": since.isoformat()}
        for task, since in beats.filter(
            task_started_at__lt=now - dt.timedelta(seconds=settings.WORKER_TASK_STUCK_SECONDS)
        ).values_list("current_task", "task_started_at")
    ]
    return {
        "ok": beats.exists() and not stuck,
        "last_seen": latest.isoformat() if latest else None,
        "stuck": stuck,
    }


@require_GET
def security_txt(request):
    expires = (timezone.now() + dt.timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = (
        f"Contact: mailto:{settings.SECURITY_CONTACT_EMAIL}\n"
        f"Contact: {settings.SITE_URL}/sicherheit/\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: de, en\n"
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt\n"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


LOOPBACK_ADDRESSES = {"127.0.0.1", "::1"}


def _mailbox_or_404(request) -> None:
    """The development mailbox exists only where settings turned it on (never in production) and only for a
    browser on this machine: it holds every mail of every demo person, invitation links included."""
    if not settings.DEV_MAILBOX or request.META.get("REMOTE_ADDR") not in LOOPBACK_ADDRESSES:
        raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
def dev_mailbox(request):
    _mailbox_or_404(request)
    if request.method == "POST":
        count = devmail.clear()
        messages.success(request, ngettext("%(n)s E-Mail gelöscht.", "%(n)s E-Mails gelöscht.", count) % {"n": count})
        return redirect("dev_mailbox")
    mails, total = devmail.list_mails()
    return render(request, "ops/mailbox.html", {"mails": mails, "total": total})


@never_cache
@require_GET
def dev_mailbox_message(request, mail_id: str):
    _mailbox_or_404(request)
    return render(request, "ops/mailbox_message.html", {"mail": devmail.get_mail(mail_id)})


@never_cache
@require_GET
def dev_mailbox_html(request, mail_id: str):
    """The HTML part as the recipient's mail program would show it; sandboxed, so it runs no script."""
    _mailbox_or_404(request)
    mail = devmail.get_mail(mail_id)
    if not mail.html:
        raise Http404
    response = HttpResponse(mail.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return response
