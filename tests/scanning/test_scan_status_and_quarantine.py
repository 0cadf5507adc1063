"""The scan state is visible on the document page; the office reviews quarantined files and may only delete them."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEvent
from documents import actions as documents
from notifications.models import Notification
from scanning.actions import rescan_pending
from scanning.models import FileScan
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


def test_the_document_page_says_pending_then_clean(
    scanning_on, settings, shared, lead, personas, tmp_path, django_capture_on_commit_callbacks
):
    settings.CLAMD_ADDRESS = f"unix:{tmp_path / 'no-clamd.sock'}"
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.upload(lead, shared, SimpleUploadedFile("bericht.txt", b"Harmlos.\n"))
    page = client_as(personas["member"]).get(f"/dokumente/{document.pk}/").content.decode()
    assert "Virenprüfung" in page and "wird auf Schadsoftware geprüft" in page
    assert 'role="status"' in page  # announced to screen readers, not shown by colour alone
    settings.CLAMD_ADDRESS = scanning_on["address"]
    assert rescan_pending(older_than_seconds=0) == 1
    page = client_as(personas["member"]).get(f"/dokumente/{document.pk}/").content.decode()
    assert "geprüft, ohne Befund" in page and "wird auf Schadsoftware geprüft" not in page


def test_the_office_reviews_and_deletes_a_quarantined_file_and_the_uploader_is_told(
    scanning_on, shared, lead, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.upload(lead, shared, SimpleUploadedFile("rechnung.txt", EICAR))
    assert "Schadsoftware gefunden, in Quarantäne" in client_as(lead).get(f"/dokumente/{document.pk}/").content.decode()
    scan = FileScan.objects.get()
    office = client_as(personas["office"])
    listing = office.get("/verwaltung/quarantaene/")
    body = listing.content.decode()
    assert listing.status_code == 200
    assert scan.name in body and scan.signature in body and str(lead) in body
    assert "freigeben" not in body.lower()
    # Nobody but the office sees or deletes quarantined files.
    member = client_as(personas["member"])
    assert member.get("/verwaltung/quarantaene/").status_code == 404
    assert member.post(f"/verwaltung/quarantaene/{scan.pk}/loeschen/").status_code == 404
    assert default_storage.exists(scan.quarantined_as)
    kept = scan.quarantined_as

    response = office.post(f"/verwaltung/quarantaene/{scan.pk}/loeschen/", follow=True)
    assert "endgültig gelöscht" in response.content.decode()
    assert not default_storage.exists(kept)
    assert scan.name not in office.get("/verwaltung/quarantaene/").content.decode()
    assert client_as(personas["member"]).get(f"/dokumente/{document.pk}/herunterladen/").status_code == 410
    assert AuditEvent.objects.filter(action="upload.quarantine_deleted", actor=personas["office"]).exists()
    told = Notification.objects.filter(recipient=lead, event__verb="upload.quarantine_deleted")
    assert told.exists() and "gelöscht" in told.get().event.text
    # Deleted once: a second delete finds nothing.
    assert office.post(f"/verwaltung/quarantaene/{scan.pk}/loeschen/").status_code == 404
