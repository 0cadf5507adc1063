"""Files in an S3 object store (moto's server, a real HTTP S3 process): uploads and downloads go through
django-storages; private files are streamed by the app only after the permission check; an unreachable
store refuses uploads with a clear message and leaves nothing half-written."""

from __future__ import annotations

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents.models import Document, DocumentVersion
from tests.support import s3
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _objects(endpoint: str) -> set[str]:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-central-1",
        aws_access_key_id=s3.ACCESS_KEY,
        aws_secret_access_key=s3.SECRET_KEY,
    )
    return {o["Key"] for o in client.list_objects_v2(Bucket=s3.BUCKET).get("Contents", [])}


def _unreachable(settings) -> None:
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {**options, "endpoint_url": f"http://127.0.0.1:{s3.free_port()}"}},
    }


@pytest.fixture
def workspace(make_workspace, personas):
    ws = make_workspace(Workspace.Visibility.PRIVATE, name="Speicherprobe")
    WorkspaceMember.objects.create(workspace=ws, user=personas["member"], role="reader")
    return ws


def _post(lead, workspace, name: str, data: bytes):
    return _client(lead).post(
        f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/", {"files": [SimpleUploadedFile(name, data)]}, follow=True
    )


def test_uploads_land_in_the_bucket_and_only_members_download_them(s3_storage, workspace, lead, personas):
    _post(lead, workspace, "bericht.txt", b"Bericht aus dem Objektspeicher\n")
    version = DocumentVersion.objects.get(document__workspace=workspace)
    assert version.file.name in _objects(s3_storage["endpoint"])
    member = _client(personas["member"]).get(f"/dokumente/{version.document_id}/herunterladen/")
    assert member.status_code == 200 and b"".join(member.streaming_content) == b"Bericht aus dem Objektspeicher\n"
    assert "X-Amz-Signature" not in member.get("Location", "")  # streamed by the app, not redirected to the bucket
    assert _client(personas["outsider"]).get(f"/dokumente/{version.document_id}/herunterladen/").status_code == 404


def test_an_unreachable_store_refuses_uploads_clearly_and_writes_nothing(s3_storage, settings, workspace, lead):
    before = _objects(s3_storage["endpoint"])
    _unreachable(settings)
    response = _post(lead, workspace, "bericht.txt", b"Wird nicht gespeichert\n")
    assert "Der Dateispeicher ist zurzeit nicht erreichbar" in response.content.decode()
    assert not Document.objects.filter(workspace=workspace).exists()
    assert _objects(s3_storage["endpoint"]) == before


def test_downloads_fail_cleanly_while_the_store_is_unreachable(s3_storage, settings, workspace, lead, personas):
    _post(lead, workspace, "bericht.txt", b"Vorhanden\n")
    document = Document.objects.get(workspace=workspace)
    _unreachable(settings)
    response = _client(personas["member"]).get(f"/dokumente/{document.pk}/herunterladen/")
    assert response.status_code == 503
    assert "Dateispeicher ist zurzeit nicht erreichbar" in response.content.decode()
