"""Every upload is scanned by clamd before anybody can download it; infected files are quarantined.

The attacker here is a member who uploads the EICAR test file to a shared workspace and a colleague
who tries to download it: on the old code the colleague got the bytes.
"""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents import actions as documents
from documents.generate import pdf
from members.models import Municipality
from notifications.models import Notification
from scanning.actions import rescan_pending
from scanning.models import FileScan
from tasks.actions import add_attachment, create_task
from tests.support.clamd import EICAR
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def shared(make_workspace, lead, personas):
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Geteilter Bereich")
    WorkspaceMember.objects.create(workspace=workspace, user=personas["member"], role=WorkspaceMember.Role.READER)
    return workspace


def _upload(lead, workspace, name, data, capture):
    with capture(execute=True):
        return documents.upload(lead, workspace, SimpleUploadedFile(name, data))


def test_a_colleague_never_gets_the_eicar_file_and_the_uploader_is_told(
    scanning_on, shared, lead, personas, django_capture_on_commit_callbacks
):
    document = _upload(lead, shared, "rechnung.txt", EICAR, django_capture_on_commit_callbacks)
    colleague = client_as(personas["member"])
    response = colleague.get(f"/dokumente/{document.pk}/herunterladen/")
    assert response.status_code == 410
    assert EICAR not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert "Schadsoftware" in response.content.decode()
    assert client_as(lead).get(f"/dokumente/{document.pk}/herunterladen/").status_code == 410
    scan = FileScan.objects.get()
    assert scan.status == FileScan.Status.INFECTED and scan.signature.startswith("Interkommunal.Test.EICAR")
    assert not default_storage.exists(scan.name), "the infected file left its served name"
    with default_storage.open(scan.quarantined_as, "rb") as kept:
        assert kept.read() == EICAR
    told = Notification.objects.filter(recipient=lead, event__verb="upload.infected")
    assert told.exists() and "Quarantäne" in told.get().event.text


def test_a_clean_file_is_released_after_the_scan(scanning_on, shared, lead, personas, django_capture_on_commit_callbacks):
    document = _upload(lead, shared, "bericht.txt", b"Ein harmloser Bericht.\n", django_capture_on_commit_callbacks)
    response = client_as(personas["member"]).get(f"/dokumente/{document.pk}/herunterladen/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Ein harmloser Bericht.\n"
    assert FileScan.objects.get().status == FileScan.Status.CLEAN


def test_a_scanner_outage_holds_files_back_until_the_rescan(
    scanning_on, settings, shared, lead, personas, tmp_path, django_capture_on_commit_callbacks
):
    settings.CLAMD_ADDRESS = f"unix:{tmp_path / 'no-clamd.sock'}"
    clean = _upload(lead, shared, "bericht.txt", b"Harmlos.\n", django_capture_on_commit_callbacks)
    bad = _upload(lead, shared, "boese.txt", EICAR, django_capture_on_commit_callbacks)
    colleague = client_as(personas["member"])
    for document in (clean, bad):
        held = colleague.get(f"/dokumente/{document.pk}/herunterladen/")
        assert held.status_code == 409 and "wird noch auf Schadsoftware geprüft" in held.content.decode()
    assert set(FileScan.objects.values_list("status", flat=True)) == {FileScan.Status.PENDING}
    assert rescan_pending(older_than_seconds=0) == 0  # still down: still held
    settings.CLAMD_ADDRESS = scanning_on["address"]
    assert rescan_pending(older_than_seconds=0) == 2
    assert colleague.get(f"/dokumente/{clean.pk}/herunterladen/").status_code == 200
    assert colleague.get(f"/dokumente/{bad.pk}/herunterladen/").status_code == 410


def test_task_attachments_are_held_and_quarantined_too(
    scanning_on, make_workspace, lead, personas, django_capture_on_commit_callbacks
):
    project = make_workspace(Workspace.Visibility.PLATFORM, name="Messe")
    task = create_task(lead, project, title="Zahlen liefern", municipalities=[Municipality.objects.get(slug="bochum")])
    with django_capture_on_commit_callbacks(execute=True):
        good = add_attachment(lead, task, SimpleUploadedFile("zahlen.pdf", pdf("Zahlen", ["12"])))
        bad = add_attachment(lead, task, SimpleUploadedFile("zahlen.txt", EICAR))
    office = client_as(personas["office"])
    assert office.get(good.get_absolute_url()).status_code == 200
    assert office.get(bad.get_absolute_url()).status_code == 410


def test_readiness_reports_missing_and_stale_signatures(scanning_on, settings, client, tmp_path):
    ready = client.get("/healthz/ready").json()["checks"]["scanner"]
    assert ready["ok"] and ready["signatures_age_hours"] < 1
    stale = time.time() - 3 * 24 * 3600
    signature = next(scanning_on["database"].iterdir())
    os.utime(signature, (stale, stale))
    try:
        response = client.get("/healthz/ready")
        assert response.status_code == 503 and response.json()["checks"]["scanner"]["error"] == "signature database stale"
    finally:
        now = time.time()
        os.utime(signature, (now, now))
    settings.CLAMAV_DATABASE_DIR = str(tmp_path / "keine-signaturen")
    assert client.get("/healthz/ready").json()["checks"]["scanner"]["error"] == "signature database missing"


@pytest.mark.sqlite_fast
def test_production_refuses_to_run_without_scanning():
    import subprocess
    import sys

    env = {
        **os.environ,
        "INTERKOMMUNAL_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "interkommunal.example",
        "DATABASE_URL": "postgres://u:p@localhost/x",
        "EMAIL_HOST": "localhost",
        "UPLOAD_SCANNING": "false",
        "DJANGO_SETTINGS_MODULE": "interkommunal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "UPLOAD_SCANNING must be on in production" in result.stderr


def test_news_images_wait_for_the_scanner_too(
    scanning_on, settings, shared, lead, personas, tmp_path, django_capture_on_commit_callbacks
):
    from news.actions import create_post
    from tests.news.matrix import png

    settings.CLAMD_ADDRESS = f"unix:{tmp_path / 'no-clamd.sock'}"
    with django_capture_on_commit_callbacks(execute=True):
        post = create_post(lead, shared, title="Mit Bild", body="Text", image=png(), image_alt="Logo")
    reader = client_as(personas["member"])
    assert reader.get(f"/neuigkeiten/{post.pk}/bild/").status_code == 409
    settings.CLAMD_ADDRESS = scanning_on["address"]
    assert rescan_pending(older_than_seconds=0) == 1
    assert reader.get(f"/neuigkeiten/{post.pk}/bild/").status_code == 200
