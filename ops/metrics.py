"""Prometheus metrics (prometheus_client): requests and latencies per route, and the state of the queues.

Request counters live in the process (with ``PROMETHEUS_MULTIPROC_DIR`` set, gunicorn's worker processes
share them through files, as prometheus_client documents). Queue depth and age, the outbox backlog,
failed tasks and held uploads are read from the database when Prometheus scrapes, so every app server
reports the same truth.

Nobody else sees them: ``/metrics`` answers only with ``METRICS_TOKEN`` as a bearer token or from an
address in ``METRICS_ALLOWED_NETWORKS``; without either setting it is 404 for everybody.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "interkommunal_http_requests", "HTTP requests answered, by method, route and status class.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "interkommunal_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


class QueueCollector(Collector):
    """Gauges read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        from notifications.models import Outbox, OutboxState
        from scanning.models import FileScan

        from .health import queue_age_seconds

        ready = DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id"))
        depth = GaugeMetricFamily("interkommunal_task_queue_depth", "Tasks ready to run, by queue.", labels=["queue"])
        counts = {row["queue_name"]: row["n"] for row in ready}
        for queue in sorted({*settings.TASK_QUEUES, *counts}):
            depth.add_metric([queue], counts.get(queue, 0))
        yield depth
        yield GaugeMetricFamily(
            "interkommunal_task_queue_oldest_age_seconds",
            "Seconds the oldest ready task has waited (0: empty queue).",
            value=queue_age_seconds(timezone.now()) or 0,
        )
        by_status = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
        yield GaugeMetricFamily(
            "interkommunal_tasks_running", "Tasks a worker runs now.", value=by_status.get(TaskResultStatus.RUNNING, 0)
        )
        yield GaugeMetricFamily(
            "interkommunal_tasks_failed",
            "Tasks that ended with an error (kept rows).",
            value=by_status.get(TaskResultStatus.FAILED, 0),
        )
        outbox = dict(Outbox.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
        backlog = sum(outbox.get(s, 0) for s in (OutboxState.PENDING, OutboxState.CLAIMED, OutboxState.SENDING))
        yield GaugeMetricFamily("interkommunal_outbox_backlog", "Mails not yet sent.", value=backlog)
        yield GaugeMetricFamily("interkommunal_outbox_failed", "Mails given up on.", value=outbox.get(OutboxState.FAILED, 0))
        yield GaugeMetricFamily(
            "interkommunal_uploads_pending_scan",
            "Uploads held back until the virus scanner has checked them.",
            value=FileScan.objects.filter(status=FileScan.Status.PENDING).count(),
        )


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = REGISTRY
    database_registry = CollectorRegistry()
    database_registry.register(QueueCollector())
    return generate_latest(process_registry) + generate_latest(database_registry), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Counts every request by its URL pattern (never the path: ids and tokens would explode the series)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.route or match.view_name) if match else "unmatched"
        REQUESTS.labels(
            request.method if request.method in _METHODS else "other", route, f"{response.status_code // 100}xx"
        ).inc()
        LATENCY.labels(route).observe(time.perf_counter() - started)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
