"""The real worker (``manage.py worker`` as a subprocess on the test's PostgreSQL) with a hostile file.

- other work (the search index of the same upload) is done while the hostile file is still being read;
- the hostile file ends "failed: time" after the wall time, the queue keeps moving;
- SIGTERM stops the worker within seconds, even in the middle of an extraction, and the extraction
  goes back into the queue; a worker killed with SIGKILL leaves its task to the next worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.models import DBTaskResult

from documents import actions
from documents.models import DocumentVersion
from search.tasks import index_object
from tests.documents import hostile

pytestmark = [pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
EXTRACT = "documents.tasks.extract_text"
INDEX = "search.tasks.index_object"


@pytest.fixture
def database_queue(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker subprocess needs the test's PostgreSQL database")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _start_worker(settings, log_path: Path, **env_overrides: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "interkommunal.settings",
        "INTERKOMMUNAL_ENV": "test",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LOG_FORMAT": "plain",
        "LOG_LEVEL": "WARNING",
        "WORKER_HEARTBEAT_SECONDS": "1",
        **env_overrides,
    }
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"], cwd=ROOT, env=env, stdout=log, stderr=log
    )


def _wait_until(condition, timeout: float, what: str, log_path: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{log_path.read_text()}" if log_path else ""))


def _status(task_path: str) -> str | None:
    return DBTaskResult.objects.filter(task_path=task_path).values_list("status", flat=True).first()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait(10)


def _upload_hostile_pdf(scene, lead):
    document = actions.upload(
        lead, scene["workspaces"]["private"], SimpleUploadedFile("bericht.pdf", hostile.pdf_shared_content_bomb())
    )
    assert _status(EXTRACT) == "READY"  # the upload itself is indexed in its own transaction
    return document


def test_other_work_goes_on_while_a_hostile_file_is_read_and_the_file_fails_after_its_wall_time(
    scene, lead, database_queue, settings, tmp_path
):
    document = _upload_hostile_pdf(scene, lead)  # extraction first in the queue
    index_object.enqueue("document", document.pk)  # other work behind it
    assert _status(INDEX) == "READY"
    log = tmp_path / "worker.log"
    worker = _start_worker(settings, log, DOCUMENTS_EXTRACTION_CPU_SECONDS="20", DOCUMENTS_EXTRACTION_WALL_SECONDS="25")
    try:
        _wait_until(lambda: _status(INDEX) == "SUCCESSFUL", 20, "the index task", log)
        assert _status(EXTRACT) == "RUNNING"  # the hostile file is still being read, nobody waited for it
        _wait_until(lambda: _status(EXTRACT) == "SUCCESSFUL", 60, "the extraction to give up", log)
    finally:
        _stop(worker)
    version = DocumentVersion.objects.get(pk=document.current_id)
    assert version.text_status == DocumentVersion.TextStatus.FAILED
    assert version.text_failure == "time"


def test_sigterm_stops_the_worker_within_seconds_and_the_extraction_goes_back_to_the_queue(
    scene, lead, database_queue, settings, tmp_path
):
    document = _upload_hostile_pdf(scene, lead)
    log = tmp_path / "worker.log"
    worker = _start_worker(settings, log, DOCUMENTS_EXTRACTION_WALL_SECONDS="300", WORKER_TASK_STUCK_SECONDS="600")
    try:
        _wait_until(lambda: _status(EXTRACT) == "RUNNING", 30, "the extraction to start", log)
        time.sleep(1)  # well inside the child process
        worker.send_signal(signal.SIGTERM)
        started = time.monotonic()
        worker.wait(timeout=5)
        assert time.monotonic() - started < 5
    finally:
        _stop(worker)
    assert _status(EXTRACT) == "READY"  # not lost, not failed: the next worker reads the file
    version = DocumentVersion.objects.get(pk=document.current_id)
    assert version.text_status == DocumentVersion.TextStatus.PENDING
    assert version.text_attempts == 0  # a stop is not the file's fault


def test_the_task_of_a_killed_worker_is_recovered_by_the_next_worker(scene, lead, database_queue, settings, tmp_path):
    document = _upload_hostile_pdf(scene, lead)
    log = tmp_path / "worker.log"
    first = _start_worker(settings, log, DOCUMENTS_EXTRACTION_WALL_SECONDS="300", WORKER_TASK_STUCK_SECONDS="600")
    reading = DocumentVersion.objects.filter(pk=document.current_id, text_attempts=1)
    try:
        _wait_until(reading.exists, 30, "the extraction to start", log)
        time.sleep(1)  # well inside the child process
    finally:
        _stop(first)  # SIGKILL: no chance to clean up, the task row says RUNNING
    assert _status(EXTRACT) == "RUNNING"
    second = _start_worker(
        settings, log, WORKER_STALE_AFTER_SECONDS="3", DOCUMENTS_EXTRACTION_CPU_SECONDS="3", DOCUMENTS_EXTRACTION_WALL_SECONDS="6"
    )
    try:
        _wait_until(lambda: _status(EXTRACT) == "SUCCESSFUL", 60, "the recovered extraction", log)
    finally:
        _stop(second)
    version = DocumentVersion.objects.get(pk=document.current_id)
    assert version.text_status == DocumentVersion.TextStatus.FAILED
    assert version.text_attempts == 2  # the cut-off run and the one that finished
    assert len(DBTaskResult.objects.get(task_path=EXTRACT).worker_ids) == 2
