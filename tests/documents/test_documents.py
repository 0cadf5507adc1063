"""Documents: who may open what, uploads judged by their bytes, safe names and downloads, versions, trash, audit."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from audit.models import AuditEvent
from documents import actions, filetypes, generate
from documents.models import Document, DocumentVersion
from lib.concurrency import EditConflict
from tests.documents.scene import OPENS, text_file

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin", "lead"]


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_document_pages_and_downloads_open_only_to_who_may_see_them(scene, users, persona):
    client = client_as(users[persona])
    for key, document in scene["docs"].items():
        allowed = key in OPENS[persona]
        for url in (f"/dokumente/{document.pk}/", f"/dokumente/{document.pk}/herunterladen/"):
            status = client.get(url).status_code
            expected = 200 if allowed else (302 if persona == "anonymous" else 404)
            assert status == expected, f"{persona} {key} {url}: {status}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_workspace_document_list_shows_only_open_workspaces(scene, users, persona):
    client = client_as(users[persona])
    for key, workspace in scene["workspaces"].items():
        response = client.get(f"/arbeitsbereiche/{workspace.slug}/dokumente/")
        visible = key in OPENS[persona]
        assert response.status_code == (200 if visible else (302 if persona == "anonymous" else 404)), (persona, key)
        if visible:
            assert "trashed" not in response.content.decode() and "alt.txt" not in response.content.decode()


def test_public_downloads_list_published_documents_only(scene, client):
    page = client.get("/veroeffentlichungen/").content.decode()
    assert "bericht.txt" in page
    for name in ("private.txt", "platform.txt", "alt.txt"):
        assert name not in page


def test_the_public_sees_the_published_version_but_not_the_history(scene, lead, client):
    document = scene["docs"]["published"]
    actions.add_version(lead, document, text_file("bericht.txt", "Zweite Fassung des Berichts."))
    assert client.get(f"/dokumente/{document.pk}/fassungen/2/herunterladen/").status_code == 200
    assert client.get(f"/dokumente/{document.pk}/fassungen/1/herunterladen/").status_code == 404
    assert "Fassungen" not in client.get(f"/dokumente/{document.pk}/").content.decode()


def test_upload_of_several_files_stores_each_with_type_from_the_bytes(scene, lead, django_capture_on_commit_callbacks):
    workspace = scene["workspaces"]["private"]
    client = client_as(lead)
    pdf = generate.pdf("Konzept", ["Ausbildungen in den Städten"])
    files = [
        SimpleUploadedFile("konzept.txt", pdf),  # a PDF with a misleading name
        SimpleUploadedFile("protokoll.docx", generate.docx(["Protokoll der Sitzung"])),
        SimpleUploadedFile("notizen.md", b"# Notizen\n\nMarkdown-Text"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/", {"files": files})
    assert response.status_code == 302
    versions = {v.file_name: v for v in DocumentVersion.objects.filter(document__workspace=workspace)}
    assert versions["konzept.txt.pdf"].kind == "pdf"
    assert versions["protokoll.docx"].kind == "docx"
    assert versions["notizen.md"].kind == "markdown"
    assert versions["konzept.txt.pdf"].uploaded_by == lead
    assert versions["konzept.txt.pdf"].text_status == DocumentVersion.TextStatus.EXTRACTED
    assert "Ausbildungen" in versions["konzept.txt.pdf"].text


@pytest.mark.parametrize(
    "name,data",
    [
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("programm", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
        ("skript.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("makro.docx", None),
        ("alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("bild.png", b"\x00\x01\x02\x03binary"),
        ("leer.txt", b""),
    ],
)
def test_executables_and_unknown_formats_are_refused(scene, lead, name, data):
    if data is None:  # an OOXML package that declares macros
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(
                "[Content_Types].xml",
                '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            )
        data = buffer.getvalue()
    client = client_as(lead)
    workspace = scene["workspaces"]["private"]
    before = Document.objects.count()
    response = client.post(
        f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/", {"files": [SimpleUploadedFile(name, data)]}, follow=True
    )
    assert Document.objects.count() == before
    assert response.status_code == 200
    assert "kern-alert--danger" in response.content.decode() or "Fehler" in response.content.decode()


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\x\\bericht.txt", "bericht.txt"),
        ("rech\u202enung\u202cexe.txt", "rechnungexe.txt"),
        ("zeile\nzwei\x00.txt", "zeilezwei.txt"),
        ("virus.exe", "virus.exe.txt"),
        ("seite.html", "seite.html.txt"),
        ("..", "Dokument.txt"),
        ("Straße & Städte.TXT", "Straße & Städte.txt"),
    ],
)
@pytest.mark.sqlite_fast
def test_file_names_are_sanitised(raw, expected):
    assert filetypes.safe_file_name(raw, filetypes.KINDS["text"]) == expected


def test_active_content_is_only_ever_downloaded_with_nosniff_and_sandbox(scene, lead):
    workspace = scene["workspaces"]["private"]
    html = actions.upload(lead, workspace, SimpleUploadedFile("seite.html", b"<!DOCTYPE html><script>alert(1)</script>"))
    svg = actions.upload(
        lead,
        workspace,
        SimpleUploadedFile(
            "bild.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        ),
    )
    pixels = io.BytesIO()
    Image.new("RGB", (4, 4)).save(pixels, "PNG")
    png = actions.upload(lead, workspace, SimpleUploadedFile("bild.png", pixels.getvalue()))
    client = client_as(lead)
    for document, disposition in ((html, "attachment"), (svg, "attachment"), (png, "inline")):
        response = client.get(f"/dokumente/{document.pk}/herunterladen/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(disposition), document.current.kind
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert html.current.kind == "html" and svg.current.kind == "svg"


def test_oversized_upload_is_refused_before_the_body_is_read(scene, lead, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    workspace = scene["workspaces"]["private"]
    client = client_as(lead)
    response = client.generic(
        "POST",
        f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "höchstens 1 MB" in response.content.decode()


def test_oversized_upload_stops_while_reading_when_the_length_is_not_declared(scene, lead, settings):
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    workspace = scene["workspaces"]["private"]
    before = Document.objects.count()
    big = SimpleUploadedFile("gross.txt", b"a" * (1024 * 1024 + 10))
    # Within the declared-length slack, so only the counting upload handler can catch it.
    small = SimpleUploadedFile("klein.txt", b"b" * 10)
    response = client_as(lead).post(f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/", {"files": [small, big]})
    assert response.status_code == 413
    assert Document.objects.count() == before


def test_outsider_cannot_upload_and_readers_cannot_either(scene, users):
    workspace = scene["workspaces"]["platform"]
    for persona in ("outsider", "member", "office"):
        response = client_as(users[persona]).post(
            f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/", {"files": [text_file("x.txt", "x")]}
        )
        assert response.status_code == 404, persona


def test_versions_keep_history_and_restore_adds_a_version(scene, lead):
    document = scene["docs"]["private"]
    actions.add_version(lead, document, text_file("private.txt", "Zweite Fassung"))
    first = document.versions.get(number=1)
    restored = actions.restore_version(lead, document, first)
    document.refresh_from_db()
    assert restored.number == 3 and restored.restored_from == 1
    assert document.current == restored
    assert list(document.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert restored.file.name == first.file.name
    page = client_as(lead).get(f"/dokumente/{document.pk}/").content.decode()
    assert "aus Fassung 1" in page


def test_trash_restore_delete_and_publication_are_audited(scene, lead, django_capture_on_commit_callbacks):
    document = scene["docs"]["private"]
    pk = document.pk
    actions.set_public(lead, document, True)
    actions.set_public(lead, document, False)
    actions.trash(lead, document)
    actions.restore(lead, document)
    actions.trash(lead, document)
    file_name = document.current.file.name
    storage = document.current.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_for_good(lead, document)
    logged = list(
        AuditEvent.objects.filter(object_type="documents.document", object_id=str(pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert logged == [
        "document.publish",
        "document.unpublish",
        "document.trash",
        "document.restore",
        "document.trash",
        "document.delete",
    ]
    assert not Document.objects.filter(pk=pk).exists()
    assert file_name and not storage.exists(file_name)


def test_only_managers_publish_and_delete_for_good(scene, users):
    document = scene["docs"]["private"]
    member = client_as(users["member"])  # editor in the private workspace
    assert member.post(f"/dokumente/{document.pk}/veroeffentlichen/", {"public": "1"}).status_code == 404
    assert member.post(f"/dokumente/{document.pk}/papierkorb/").status_code == 302
    assert member.post(f"/dokumente/{document.pk}/loeschen/").status_code == 404
    assert client_as(users["lead"]).post(f"/dokumente/{document.pk}/loeschen/").status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_two_people_editing_the_same_document_get_a_conflict(scene, lead, users):
    document = scene["docs"]["private"]
    stale = document.version
    actions.update_document(lead, document, stale, title="Neuer Titel", description="", folder=None, tags=["Protokoll"])
    with pytest.raises(EditConflict):
        actions.update_document(
            users["member"], Document.objects.get(pk=document.pk), stale, title="Anderer", description="", folder=None, tags=[]
        )
    response = client_as(users["member"]).post(
        f"/dokumente/{document.pk}/", {"version": stale, "title": "Anderer Titel", "description": "", "tags": ""}
    )
    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    assert Document.objects.get(pk=document.pk).title == "Neuer Titel"


def test_folders_and_tags_filter_the_list(scene, lead):
    workspace = scene["workspaces"]["private"]
    folder = actions.create_folder(lead, workspace, "Protokolle")
    document = scene["docs"]["private"]
    actions.update_document(
        lead, document, document.version, title="Sitzung März", description="", folder=folder, tags=["Regiegruppe"]
    )
    client = client_as(lead)
    assert "Sitzung März" in client.get(f"/arbeitsbereiche/{workspace.slug}/dokumente/?ordner={folder.pk}").content.decode()
    assert "Sitzung März" not in client.get(f"/arbeitsbereiche/{workspace.slug}/dokumente/?schlagwort=Anderes").content.decode()
    assert "Sitzung März" in client.get(f"/arbeitsbereiche/{workspace.slug}/dokumente/?schlagwort=regiegruppe").content.decode()


def test_workspace_page_has_a_new_documents_panel(scene, lead):
    workspace = scene["workspaces"]["private"]
    page = client_as(lead).get(f"/arbeitsbereiche/{workspace.slug}/").content.decode()
    assert "Neue Dokumente" in page and "private" in page
