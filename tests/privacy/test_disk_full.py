"""The worker's disk full while it builds an access export (Art. 15): a real, full file system (tmpfs).

The export stays pending and is tried again later, then fails with the reason in words; nothing
half-written stays in the temporary space or the file storage; the worker's lane goes on with the next task.
Mounting a tmpfs needs root (as in CI and the development containers); elsewhere the test is skipped.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from documents import actions as documents
from ops.deploy.probe import mark_probe
from ops.worker import Lane, process_id
from privacy.actions import request_export
from privacy.models import DataExport
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace


@contextlib.contextmanager
def small_filesystem(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(path: Path) -> Path:
    """Write until the file system has no byte left."""
    filler = path / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    assert os.statvfs(path).f_bavail == 0
    return filler


def run_worker_lane() -> None:
    """The worker's own task loop (ops/worker.py) until the queue is empty."""
    Lane("tasks", process_id(), batch=True, interval=0).run_until_stopped()


def _noise(size: int) -> bytes:
    """Text that deflate shrinks by a quarter at most (base64 of random bytes)."""
    return base64.b64encode(os.urandom(size * 3 // 4))


def _upload(user, name: str, content: bytes):
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    return documents.upload(user, workspace, SimpleUploadedFile(name, content))


@pytest.fixture
def worker_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVACY_DELETION_LOG = str(tmp_path / "deletion-log.jsonl")
    settings.PRIVACY_EXPORT_RETRY_SECONDS = 0
    settings.PRIVACY_EXPORT_DISK_RETRIES = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "extraction"]}}
    return settings


def _exports_on_disk(media: Path) -> list[Path]:
    return list((media / "privacy" / "exports").glob("*")) if (media / "privacy" / "exports").exists() else []


@pytest.mark.django_db(transaction=True)
def test_a_full_temporary_disk_fails_the_export_cleanly_and_the_worker_goes_on(personas, worker_settings, tmp_path, monkeypatch):
    member = personas["member"]
    _upload(member, "bericht.txt", _noise(200_000))
    with small_filesystem(tmp_path / "worker-tmp", "1m") as scratch:
        monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the worker's TMPDIR
        filler = fill(scratch)
        export = request_export(member, member.person)
        marker = tmp_path / "after.txt"
        mark_probe.enqueue(str(marker), "next-task", 0)  # queued behind the export: the lane must reach it
        run_worker_lane()
        export.refresh_from_db()
        assert export.status == DataExport.Status.FAILED
        assert "kein Speicherplatz frei" in export.failure and "nichts gespeichert" in export.failure
        attempts = DBTaskResult.objects.filter(task_path="privacy.tasks.build_export").order_by("enqueued_at")
        assert [(r.args_kwargs["args"], r.status) for r in attempts] == [
            ([export.pk], "SUCCESSFUL"),  # the first attempt ended by planning the retry
            ([export.pk, 1], "FAILED"),
        ]
        assert attempts.last().exception_class_path == "privacy.actions.DiskFull"
        assert marker.read_text() == "next-task\n"  # the worker went on
        assert os.listdir(scratch) == ["filler"]  # no temporary file left behind
        assert _exports_on_disk(worker_settings.MEDIA_ROOT) == []
        page = _client(member).get("/meine-daten/").content.decode()
        assert "konnte nicht erstellt werden" in page

        # Room again: the next request succeeds.
        filler.unlink()
        again = request_export(member, member.person)
        run_worker_lane()
        again.refresh_from_db()
        assert again.status == DataExport.Status.READY and again.size > 140_000
        monkeypatch.setattr(tempfile, "tempdir", None)


@pytest.mark.django_db(transaction=True)
def test_a_full_file_storage_leaves_no_half_written_export(personas, worker_settings, tmp_path):
    member = personas["member"]
    with small_filesystem(tmp_path / "media-small", "1m") as media:
        worker_settings.MEDIA_ROOT = media
        _upload(member, "bericht.txt", _noise(700_000))  # fits; the ZIP of it (barely compressible) does not
        export = request_export(member, member.person)
        run_worker_lane()
        export.refresh_from_db()
        assert export.status == DataExport.Status.FAILED and "kein Speicherplatz frei" in export.failure
        assert _exports_on_disk(media) == []
        assert DBTaskResult.objects.filter(task_path="privacy.tasks.build_export", status="FAILED").count() == 1


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
