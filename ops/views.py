"""Operational endpoints."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import devmail, health, metrics


@never_cache
@require_GET
def healthz_live(request):
    """Liveness: the process answers. Asks nothing else, so a database outage never restarts the app servers."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def healthz(request):
    """Readiness: database, file storage, virus scanner and a worker that keeps up: 200; otherwise 503 naming the part."""
    checks = health.readiness()
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503)


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus metrics, only for a scraper with the token or from an allowed network; 404 for everybody else."""
    if not metrics.allowed(request):
        raise Http404
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)


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
