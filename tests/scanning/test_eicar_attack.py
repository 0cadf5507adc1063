"""Attacker's view: a member uploads the EICAR test file through the web form; a colleague in the same
workspace asks for it. Written from the outside only (HTTP in, HTTP out): the colleague must never get
the bytes, whatever the server does inside."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents.models import Document
from tests.support.clamd import EICAR
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_colleague_cannot_download_an_uploaded_eicar_file(
    scanning_on, make_workspace, lead, personas, django_capture_on_commit_callbacks
):
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Angriffsfläche")
    WorkspaceMember.objects.create(workspace=workspace, user=personas["member"], role="reader")
    with django_capture_on_commit_callbacks(execute=True):
        _client(lead).post(
            f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/",
            {"files": [SimpleUploadedFile("rechnung.txt", EICAR)]},
        )
    document = Document.objects.get(workspace=workspace)
    response = _client(personas["member"]).get(f"/dokumente/{document.pk}/herunterladen/")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert EICAR not in body
    assert response.status_code != 200
