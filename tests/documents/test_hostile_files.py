"""Hostile files fail their own text extraction quickly, are marked so, and cost bounded memory.

The files (``tests/documents/hostile.py``) are built at test time: a PDF whose pages share one
huge content stream, a PDF of nested forms, a DOCX flooded with empty paragraphs, an XLSX with
millions of cells. Each passes the upload check. The limits here are tighter than in production so
the test is quick; what matters is that the file ends as "Auslesen abgebrochen" with a reason
within the wall time, instead of holding the worker for hours or taking gigabytes.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents import actions, generate
from documents.models import DocumentVersion
from lib import isolation
from tests.documents import hostile

pytestmark = pytest.mark.django_db

WALL_SECONDS = 10
HOSTILE = {
    "pdf-shared-content": ("bericht.pdf", hostile.pdf_shared_content_bomb),
    "pdf-nested-forms": ("formulare.pdf", hostile.pdf_nested_forms),
    "docx-element-flood": ("protokoll.docx", hostile.docx_element_flood),
    "xlsx-cell-flood": ("tabelle.xlsx", hostile.xlsx_cell_flood),
}


@pytest.fixture
def tight_limits(settings):
    settings.DOCUMENTS_EXTRACTION_CPU_SECONDS = 5
    settings.DOCUMENTS_EXTRACTION_WALL_SECONDS = WALL_SECONDS
    settings.DOCUMENTS_EXTRACTION_MEMORY_MB = 512


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))  # ids from names: the bytes differ per run
def test_hostile_file_fails_its_own_extraction_quickly_and_is_marked(
    name, scene, lead, tight_limits, django_capture_on_commit_callbacks
):
    file_name, build = HOSTILE[name]
    data = build()
    assert len(data) < 600 * 1024  # small on the wire, like the reported files
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):  # the extraction task runs here (immediate backend)
        document = actions.upload(lead, scene["workspaces"]["private"], SimpleUploadedFile(file_name, data))
    elapsed = time.monotonic() - started
    version = DocumentVersion.objects.get(pk=document.current_id)
    assert version.text_status == DocumentVersion.TextStatus.FAILED
    assert version.text_failure in {"too_large", "time", "memory"}
    assert version.text == ""
    assert elapsed < WALL_SECONDS + 15, f"extraction took {elapsed:.0f} s"
    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/dokumente/{document.pk}/").content.decode()
    assert "Auslesen abgebrochen" in page
    assert str(version.get_text_failure_display()) in page


def test_a_normal_file_is_still_read_in_the_child_process(scene, lead, tight_limits, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = actions.upload(
            lead, scene["workspaces"]["private"], SimpleUploadedFile("bericht.docx", generate.docx(["Ausbildungsbericht"]))
        )
    version = DocumentVersion.objects.get(pk=document.current_id)
    assert version.text_status == DocumentVersion.TextStatus.EXTRACTED
    assert version.text == "Ausbildungsbericht"
    assert version.text_attempts == 1


def test_a_version_whose_extraction_was_cut_off_too_often_is_marked_failed(scene, lead, django_capture_on_commit_callbacks):
    """The worker died during each run (the attempts counter was never reset): not tried once more."""
    document = scene["docs"]["private"]
    version = document.current
    DocumentVersion.objects.filter(pk=version.pk).update(text_status="pending", text_attempts=2)
    actions.extract_version_text(version.pk)
    version.refresh_from_db()
    assert version.text_status == DocumentVersion.TextStatus.FAILED
    assert version.text_failure == "interrupted"


@pytest.mark.sqlite_fast
def test_the_child_process_is_stopped_by_its_memory_limit():
    limits = isolation.Limits(cpu_seconds=20, memory_mb=200, wall_seconds=30)
    with pytest.raises(isolation.Failed) as failed:
        isolation.run("tests.documents.hog", ["memory"], b"", limits)
    assert failed.value.reason == "memory"


@pytest.mark.sqlite_fast
def test_the_child_process_is_stopped_by_its_cpu_limit():
    limits = isolation.Limits(cpu_seconds=1, memory_mb=256, wall_seconds=30)
    started = time.monotonic()
    with pytest.raises(isolation.Failed) as failed:
        isolation.run("tests.documents.hog", ["cpu"], b"", limits)
    assert failed.value.reason == "time"
    assert time.monotonic() - started < 20


@pytest.mark.sqlite_fast
def test_the_child_process_is_stopped_by_its_wall_time():
    limits = isolation.Limits(cpu_seconds=60, memory_mb=256, wall_seconds=1)
    started = time.monotonic()
    with pytest.raises(isolation.Failed) as failed:
        isolation.run("tests.documents.hog", ["sleep"], b"", limits)
    assert failed.value.reason == "time"
    assert time.monotonic() - started < 10


@pytest.mark.sqlite_fast
def test_the_child_process_sees_no_secrets():
    output = isolation.run("tests.documents.hog", ["environment"], b"", isolation.Limits(10, 256, 30))
    assert b"SECRET" not in output and b"DATABASE_URL" not in output
