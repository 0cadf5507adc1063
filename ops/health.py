"""Readiness checks: the parts a node needs to serve requests well (database, file storage, virus scanner,
a worker that keeps up with the queue). Liveness asks none of them: a live process with a sick database
should be taken out of the load balancer (readiness), not restarted (liveness)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def storage() -> dict:
    """The file storage answers (for S3: the bucket is reachable with our credentials)."""
    try:
        default_storage.exists("readiness-probe")
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True}


def worker() -> dict:
    """Alive: some lane beat recently. Stuck: a lane on one task for too long. Behind: the oldest ready task waits too long."""
    now = timezone.now()
    beats = WorkerHeartbeat.objects.filter(last_seen__gte=now - dt.timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS))
    latest = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    stuck = [
        {"task": task, "since": since.isoformat()}
        for task, since in beats.filter(
            task_started_at__lt=now - dt.timedelta(seconds=settings.WORKER_TASK_STUCK_SECONDS)
        ).values_list("current_task", "task_started_at")
    ]
    age = queue_age_seconds(now)
    behind = age is not None and age > settings.WORKER_QUEUE_MAX_AGE_SECONDS
    return {
        "ok": beats.exists() and not stuck and not behind,
        "last_seen": latest.isoformat() if latest else None,
        "stuck": stuck,
        "queue_age_seconds": age,
    }


def queue_age_seconds(now: dt.datetime | None = None) -> float | None:
    """Seconds the oldest task that could run now has been waiting (None: the queue is empty)."""
    now = now or timezone.now()
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return round((now - oldest).total_seconds(), 1) if oldest else None


def readiness() -> dict[str, dict]:
    from scanning.actions import scanner_readiness

    checks = {"database": database()}
    if not checks["database"]["ok"]:
        checks["worker"] = {"ok": False, "last_seen": None, "stuck": [], "queue_age_seconds": None}
    else:
        checks["worker"] = worker()
    checks["storage"] = storage()
    checks["scanner"] = scanner_readiness()
    return checks
