"""Liveness asks nothing, readiness names the failing part; /metrics only for the scraper."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db
TOKEN = "t" * 40


def _beat():
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1:tasks", hostname="h", pid=1, started_at=now, last_seen=now)


def test_liveness_answers_without_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_checks_database_storage_scanner_and_worker(client):
    _beat()
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "worker", "storage", "scanner"}


def test_readiness_fails_when_the_queue_waits_too_long(client, settings):
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    _beat()
    settings.WORKER_QUEUE_MAX_AGE_SECONDS = 60
    DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": ["x"], "kwargs": {}},
        task_path="scanning.tasks.scan_file",
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timezone.timedelta(minutes=5))
    response = client.get("/healthz/ready")
    assert response.status_code == 503 and response.json()["checks"]["worker"]["queue_age_seconds"] >= 299


def test_metrics_are_hidden_without_token_or_allowed_network(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_metrics_report_requests_queue_outbox_and_failed_tasks(client, settings):
    import ipaddress

    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]
    client.get("/healthz/live")
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    for name in (
        "interkommunal_http_requests_total",
        "interkommunal_http_request_duration_seconds_bucket",
        'interkommunal_task_queue_depth{queue="default"}',
        "interkommunal_task_queue_oldest_age_seconds",
        "interkommunal_tasks_failed",
        "interkommunal_outbox_backlog",
        "interkommunal_uploads_pending_scan",
    ):
        assert name in body, name
    assert 'route="healthz/live"' in body
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
