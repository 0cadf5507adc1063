"""Publications carry a licence (issue 13): shown on the list, the page and in the JSON-LD; „nur intern“ never public.

The attacker tests read only what an outsider gets (the public list, the page, the structured data) and post
what a manager's browser could post, without relying on the form's own choices.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from documents import actions, generate
from documents.models import Document
from members.models import Municipality
from tests.documents.scene import text_file

pytestmark = pytest.mark.django_db


def client_as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _publish_form(document: Document, **overrides) -> dict:
    data = {"version": document.version, "licence": "cc-by-4.0", "publication_kind": "other", "public": "1"}
    data.update(overrides)
    return data


def _json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no structured data on the page"
    return json.loads(match.group(1))


@pytest.fixture
def private_document(scene):
    return scene["docs"]["private"]


def test_a_new_document_starts_with_cc_by(private_document):
    assert private_document.licence == "cc-by-4.0"


def test_attacker_internal_licence_never_reaches_the_public(private_document, lead, client):
    """A manager's post that marks the document „nur intern“ and publishes it in the same breath."""
    manager = client_as(lead)
    response = manager.post(
        f"/dokumente/{private_document.pk}/veroeffentlichen/", _publish_form(private_document, licence="internal")
    )
    assert response.status_code in (200, 302, 400)
    assert private_document.title not in client.get("/veroeffentlichungen/").content.decode()
    assert client.get(f"/dokumente/{private_document.pk}/").status_code in (302, 404)
    assert client.get(f"/dokumente/{private_document.pk}/herunterladen/").status_code in (302, 404)


def test_attacker_a_public_document_cannot_be_turned_internal_and_stay_public(scene, lead, client):
    document = scene["docs"]["published"]
    response = client_as(lead).post(
        f"/dokumente/{document.pk}/veroeffentlichen/", _publish_form(document, licence="internal", public="")
    )
    assert response.status_code == 400
    assert "nur intern" in response.content.decode()
    page = client.get(f"/dokumente/{document.pk}/").content.decode()
    assert "nur intern" not in page
    assert _json_ld(page)["license"].startswith("https://creativecommons.org/licenses/by/4.0")


def test_the_database_refuses_a_public_internal_document(private_document):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=private_document.pk).update(is_public=True, published_at=timezone.now(), licence="internal")


def test_publishing_an_internal_document_is_refused_with_a_reason(private_document, lead):
    actions.set_publication_details(lead, private_document, private_document.version, licence="internal", kind="other", cities=[])
    with pytest.raises(ValidationError) as refused:
        actions.set_public(lead, private_document, True)
    assert "nur intern" in str(refused.value)
    private_document.refresh_from_db()
    assert not private_document.is_public


def test_only_managers_change_the_licence(scene, users):
    document = scene["docs"]["private"]
    with pytest.raises(ValidationError):
        actions.set_publication_details(
            users["member"], document, document.version, licence="cc-by-sa-4.0", kind="other", cities=[]
        )
    assert (
        client_as(users["member"]).post(f"/dokumente/{document.pk}/veroeffentlichen/", _publish_form(document)).status_code == 404
    )


def test_published_with_licence_kind_and_cities_shows_them_everywhere(scene, lead, client, django_capture_on_commit_callbacks):
    workspace = scene["workspaces"]["private"]
    pdf = generate.pdf("Handreichung Vielfalt", ["Eine Handreichung für Personalstellen."])
    with django_capture_on_commit_callbacks(execute=True):
        document = actions.upload(lead, workspace, _pdf(pdf), title="Handreichung Vielfalt")
    essen = Municipality.objects.get(slug="essen")
    response = client_as(lead).post(
        f"/dokumente/{document.pk}/veroeffentlichen/",
        _publish_form(document, licence="cc-by-sa-4.0", publication_kind="handbook", cities=[essen.pk]),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_public and document.licence == "cc-by-sa-4.0"
    assert AuditEvent.objects.filter(action="document.publication_details", object_id=str(document.pk)).exists()

    listing = client.get("/veroeffentlichungen/").content.decode()
    card = listing[listing.index("Handreichung Vielfalt") - 600 :]
    card = card[: card.index("</li>\n</ul>") if "</li>\n</ul>" in card else 3000]
    for text in ("Handreichung", "Essen", "CC BY-SA 4.0", "PDF", "https://creativecommons.org/licenses/by-sa/4.0/deed.de"):
        assert text in card, text

    page = client.get(f"/dokumente/{document.pk}/").content.decode()
    line = re.search(r'<p class="attribution">(.*?)</p>', page, re.S).group(1)
    assert line.startswith("„Handreichung Vielfalt“ von der Interkommunalen Kooperation (") and "Essen" in line
    assert "Handreichung, veröffentlicht am" in line and line.endswith("CC BY-SA 4.0")
    data = _json_ld(page)
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert data["genre"] == "Handreichung"
    assert data["encoding"]["encodingFormat"] == "application/pdf"
    assert "CC BY-SA 4.0" in data["creditText"]


def _pdf(data: bytes):
    return SimpleUploadedFile("handreichung.pdf", data, content_type="application/pdf")


def test_all_rights_reserved_is_shown_without_an_open_licence_link(scene, lead, client):
    document = scene["docs"]["published"]
    actions.set_publication_details(lead, document, document.version, licence="all-rights-reserved", kind="report", cities=[])
    page = client.get(f"/dokumente/{document.pk}/").content.decode()
    assert "alle Rechte vorbehalten" in page
    data = _json_ld(page)
    assert "license" not in data and data["copyrightNotice"] == "alle Rechte vorbehalten"


def test_public_list_filters_by_kind_city_and_open_licence(scene, lead, client):
    document = scene["docs"]["published"]
    bochum = Municipality.objects.get(slug="bochum")
    actions.set_publication_details(
        lead, document, document.version, licence="all-rights-reserved", kind="report", cities=[bochum]
    )
    assert "Dok-published" in client.get("/veroeffentlichungen/?art=report&stadt=bochum").content.decode()
    assert "Dok-published" not in client.get("/veroeffentlichungen/?art=handbook").content.decode()
    assert "Dok-published" not in client.get("/veroeffentlichungen/?stadt=essen").content.decode()
    assert "Dok-published" not in client.get("/veroeffentlichungen/?lizenz=offen").content.decode()


def test_public_list_query_count_stays_constant(scene, lead, client, django_assert_max_num_queries):
    workspace = scene["workspaces"]["public"]
    for n in range(5):
        extra = actions.upload(lead, workspace, text_file(f"extra{n}.txt", f"Text {n}"), title=f"Extra {n}")
        actions.set_public(lead, extra, True)
    with django_assert_max_num_queries(12):
        assert client.get("/veroeffentlichungen/").status_code == 200
