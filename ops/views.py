"""Operational endpoints."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
