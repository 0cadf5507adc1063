"""Health check, worker heartbeat, security headers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ops.models import WorkerHeartbeat

pytestmark = [pytest.mark.django_db]


def test_healthz_reports_a_missing_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": True}
    assert checks["worker"] == {"ok": False, "last_seen": None, "stuck": [], "queue_age_seconds": None}


def test_healthz_is_ok_with_a_fresh_heartbeat_and_not_with_a_stale_one(client):
    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, started_at=now, last_seen=now)
    assert client.get("/healthz").status_code == 200
    beat.last_seen = now - dt.timedelta(minutes=10)
    beat.save()
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection, like in production
def test_worker_runs_queued_tasks_from_the_database(settings, client, cooperation, django_capture_on_commit_callbacks):
    """The real ORM queue: a feedback mail is queued in the database and sent by the worker."""
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks reloads on change

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/barrierefreiheit/", {"description": "Kontrast der Buttons ist zu gering."})
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []
    call_command("worker", "--batch", "--interval", "0.1", verbosity=0)
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not WorkerHeartbeat.objects.exists()  # a stopped worker removes its heartbeat


def test_security_headers_on_every_response(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


def test_signed_in_pages_are_not_cached(client_for):
    response = client_for("member").get("/mein-bereich/")
    assert "no-store" in response["Cache-Control"]


def test_security_txt(client):
    text = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:" in text
    assert "Expires: " in text


def test_each_request_is_logged_as_one_structured_line_without_survey_paths(client, caplog):
    with caplog.at_level("INFO", logger="interkommunal.request"):
        client.get("/", HTTP_X_REQUEST_ID="abcdef123456")
        client.get("/umfrage/irgendwas/")
    records = [r for r in caplog.records if r.name == "interkommunal.request"]
    assert len(records) == 1
    assert records[0].path == "/"
    assert records[0].request_id == "abcdef123456"
    assert records[0].status == 200


def test_healthz_reports_a_worker_stuck_on_one_task(client, settings):
    settings.WORKER_TASK_STUCK_SECONDS = 600
    now = timezone.now()
    beat = WorkerHeartbeat.objects.create(
        worker_id="w1:extraction",
        hostname="h",
        pid=1,
        started_at=now - dt.timedelta(hours=1),
        last_seen=now,  # the heartbeat thread still beats while the lane hangs
        current_task="documents.tasks.extract_text",
        task_started_at=now - dt.timedelta(minutes=11),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["stuck"] == [
        {"task": "documents.tasks.extract_text", "since": beat.task_started_at.isoformat()}
    ]
    WorkerHeartbeat.objects.filter(pk=beat.pk).update(task_started_at=now - dt.timedelta(minutes=2))
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_tasks_left_running_by_dead_workers_run_again_until_the_attempt_limit(settings):
    """A worker that died (no heartbeat) leaves its task RUNNING; the next worker puts it back or gives it up."""
    from django_tasks_db.models import DBTaskResult

    from search.tasks import index_object

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}
    settings.WORKER_TASK_MAX_ATTEMPTS = 3
    once, thrice, alive = (index_object.enqueue("document", 999_990 + i).id for i in range(3))
    DBTaskResult.objects.filter(pk=once).update(status="RUNNING", worker_ids=["gone-1:tasks"])
    DBTaskResult.objects.filter(pk=thrice).update(status="RUNNING", worker_ids=["gone-1:tasks", "gone-2:tasks", "gone-3:tasks"])
    DBTaskResult.objects.filter(pk=alive).update(status="RUNNING", worker_ids=["busy:tasks"])
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="busy:tasks", hostname="h", pid=1, started_at=now, last_seen=now)

    call_command("worker", "--batch", "--interval", "0.1", verbosity=0)

    results = {str(r.pk): r for r in DBTaskResult.objects.all()}
    assert results[once].status == "SUCCESSFUL"
    assert len(results[once].worker_ids) == 2
    assert results[thrice].status == "FAILED"
    assert results[thrice].exception_class_path == "ops.worker.Abandoned"
    assert results[alive].status == "RUNNING"  # its worker is alive: not touched
