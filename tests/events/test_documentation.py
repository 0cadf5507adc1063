"""The documentation of a past event on the public site: report, presentations, photos only where consent
allows and the uploader released them, licence, alt texts; unpublish; audit.

The attacker tests read only what an outsider gets (HTTP answers of the public URLs)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from documents.actions import trash, upload
from events import actions
from events.models import Documentation, DocumentationItem
from tests.events.conftest import make_documented_forum, make_forum, make_past_forum, png_file
from workspaces.actions import add_member

pytestmark = pytest.mark.django_db


def _public(client, slug):
    return client.get(f"/veranstaltungen/{slug}/dokumentation/")


def _file_urls(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:href|src)="(/veranstaltungen/[^"]+/dokumentation/dateien/\d+/)"', html)))


def test_the_public_page_shows_report_presentation_photo_licence(personas, client):
    documentation = make_documented_forum(personas["office"])
    response = _public(client, documentation.event.slug)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>gelungener</strong>" in page  # the report, rendered
    assert "Vortrag Kommunen" in page
    assert 'alt="Blick in das volle Plenum von hinten"' in page
    assert "CC BY 4.0" in page and 'rel="license"' in page and "Integration.Interkommunal" in page
    assert "Workshop 1" in page  # the programme
    urls = _file_urls(page)
    assert len(urls) == 2
    for url in urls:
        assert client.get(url).status_code == 200
    # The event's page links the documentation.
    assert (
        f"/veranstaltungen/{documentation.event.slug}/dokumentation/"
        in client.get(f"/veranstaltungen/{documentation.event.slug}/").content.decode()
    )


def test_every_image_on_the_page_has_an_alt_text(personas, client):
    documentation = make_documented_forum(personas["office"])
    page = _public(client, documentation.event.slug).content.decode()
    images = [tag for tag in re.findall(r"<img\b[^>]*>", page) if "/dokumentation/dateien/" in tag]
    assert images
    for tag in images:
        assert re.search(r'alt="[^"]+"', tag), tag


def test_a_photo_without_alt_text_or_consent_is_refused(personas):
    office = personas["office"]
    event = make_past_forum(office)
    photo = upload(office, event.workspace, png_file(), title="Foto")
    with pytest.raises(ValidationError) as error:
        actions.add_documentation_item(office, event, document=photo, kind="photo", alt_text=" ", consent="crowd")
    assert "alt_text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.add_documentation_item(office, event, document=photo, kind="photo", alt_text="Plenum", consent="")
    assert "consent" in error.value.message_dict
    # And the database refuses a photo without alt text whoever writes it.
    documentation = Documentation.objects.get_or_create(event=event)[0]  # the refused attempts left nothing
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentationItem.objects.create(documentation=documentation, kind="photo", version=photo.current, title="x")


def test_only_images_count_as_photos_and_only_documents_of_the_event(personas):
    office = personas["office"]
    event = make_past_forum(office)
    other = make_forum(office, slug="anderes-forum")
    text = upload(office, event.workspace, png_file("a.png"), title="a")
    foreign = upload(office, other.workspace, png_file("b.png"), title="b")
    with pytest.raises(ValidationError):
        actions.add_documentation_item(office, event, document=foreign, kind="presentation")
    from django.core.files.uploadedfile import SimpleUploadedFile

    slides = upload(office, event.workspace, SimpleUploadedFile("f.txt", b"Folien"), title="Folien")
    with pytest.raises(ValidationError) as error:
        actions.add_documentation_item(office, event, document=slides, kind="photo", alt_text="x", consent="crowd")
    assert "document" in error.value.message_dict
    assert actions.add_documentation_item(office, event, document=text, kind="photo", alt_text="x", consent="crowd")


def test_attacker_a_photo_its_uploader_did_not_release_never_reaches_the_public(personas, client):
    """Another organiser uploaded the photo; the office adds it with consent but cannot release it for them."""
    office, member = personas["office"], personas["member"]
    documentation = make_documented_forum(office)
    event = documentation.event
    add_member(office, event.workspace, member, role="editor")
    theirs = upload(member, event.workspace, png_file("ihr.png", (10, 200, 10)), title="Gruppenbild am Buffet")
    with pytest.raises(ValidationError):
        actions.add_documentation_item(
            office, event, document=theirs, kind="photo", alt_text="Gruppe am Buffet", consent="crowd", release=True
        )
    item = actions.add_documentation_item(
        office, event, document=theirs, kind="photo", alt_text="Gruppe am Buffet", consent="crowd"
    )
    with pytest.raises(ValidationError):
        actions.release_photo(office, item)
    # What the public gets: no trace of the photo, and its file URL answers 404.
    page = _public(client, event.slug).content.decode()
    assert "Gruppe am Buffet" not in page and "Gruppenbild am Buffet" not in page
    assert client.get(f"/veranstaltungen/{event.slug}/dokumentation/dateien/{item.pk}/").status_code == 404
    # Guessing the ids of neighbouring items gives nothing beyond the two released files either.
    public = set(_file_urls(page))
    for pk in range(1, item.pk + 5):
        url = f"/veranstaltungen/{event.slug}/dokumentation/dateien/{pk}/"
        assert (client.get(url).status_code == 200) == (url in public), url
    # The uploader releases it: now it is public.
    actions.release_photo(member, item)
    page = _public(client, event.slug).content.decode()
    assert 'alt="Gruppe am Buffet"' in page
    assert client.get(f"/veranstaltungen/{event.slug}/dokumentation/dateien/{item.pk}/").status_code == 200


def test_attacker_unpublished_documentation_and_its_files_are_404_for_the_public(personas, client, client_for):
    documentation = make_documented_forum(personas["office"], publish=False)
    slug = documentation.event.slug
    office_page = client_for("office").get(f"/veranstaltungen/{slug}/dokumentation/").content.decode()
    urls = _file_urls(office_page)  # the organisers' preview shows the files
    assert urls
    for name in ("anonymous", "outsider", "member", "contributor"):
        visitor = client_for(name)
        assert _public(visitor, slug).status_code == 404, name
        for url in urls:
            assert visitor.get(url).status_code == 404, (name, url)
    # Published, then withdrawn: 404 again, and both steps are in the audit log.
    office = personas["office"]
    actions.publish_documentation(office, documentation.event, True)
    assert _public(client, slug).status_code == 200
    actions.publish_documentation(office, documentation.event, False)
    assert _public(client, slug).status_code == 404
    for url in urls:
        assert client.get(url).status_code == 404
    verbs = list(AuditEvent.objects.filter(action__startswith="event.documentation").values_list("action", flat=True))
    assert "event.documentation.published" in verbs and "event.documentation.unpublished" in verbs
    assert "event.documentation.item_added" in verbs and "event.documentation.updated" in verbs


def test_a_trashed_document_leaves_the_documentation(personas, client):
    documentation = make_documented_forum(personas["office"])
    item = documentation.items.get(kind="presentation")
    url = f"/veranstaltungen/{documentation.event.slug}/dokumentation/dateien/{item.pk}/"
    assert client.get(url).status_code == 200
    trash(personas["office"], item.version.document)
    assert client.get(url).status_code == 404
    assert "Vortrag Kommunen" not in _public(client, documentation.event.slug).content.decode()


def test_publishing_waits_for_the_end_of_the_event(personas):
    office = personas["office"]
    event = make_forum(office)
    actions.update_documentation(office, event, 1, report="Vorab", licence="cc-by-4.0")
    with pytest.raises(ValidationError):
        actions.publish_documentation(office, event, True)


def test_only_organisers_change_the_documentation(personas, client_for):
    documentation = make_documented_forum(personas["office"])
    slug = documentation.event.slug
    item = documentation.items.first()
    for name in ("member", "outsider", "contributor"):
        with pytest.raises(ValidationError):
            actions.publish_documentation(personas[name], documentation.event, False)
        visitor = client_for(name)
        assert (
            visitor.post(f"/veranstaltungen/{slug}/verwaltung/dokumentation/veroeffentlichen/", {"public": "0"}).status_code
            == 404
        )
        assert visitor.post(f"/veranstaltungen/{slug}/verwaltung/dokumentation/dateien/{item.pk}/entfernen/").status_code == 404
    documentation.refresh_from_db()
    assert documentation.is_published and documentation.items.count() == 2


def test_the_organisers_pages_edit_publish_and_unpublish(personas, client_for):
    office = personas["office"]
    event = make_past_forum(office)
    photo = upload(office, event.workspace, png_file(), title="Saal")
    client = client_for("office")
    base = f"/veranstaltungen/{event.slug}/verwaltung/dokumentation/"
    page = client.get(base)
    assert page.status_code == 200 and "Fotowünsche der Teilnehmenden" in page.content.decode()
    assert client.post(base, {"version": "1", "report": "Bericht vom Forum", "licence": "cc-by-4.0"}).status_code == 302
    # Stale version: 409 and the typed text stays.
    stale = client.post(base, {"version": "1", "report": "Alter Stand", "licence": "cc-by-4.0"})
    assert stale.status_code == 409 and "Alter Stand" in stale.content.decode()
    missing_alt = client.post(base + "dateien/", {"kind": "photo", "document": photo.pk, "consent": "crowd"})
    assert missing_alt.status_code == 400
    added = client.post(
        base + "dateien/",
        {"kind": "photo", "document": photo.pk, "alt_text": "Der Saal", "consent": "consenting", "release": "on"},
    )
    assert added.status_code == 302
    assert client.post(base + "veroeffentlichen/", {"public": "1"}).status_code == 302
    public = client_for("anonymous").get(f"/veranstaltungen/{event.slug}/dokumentation/")
    assert public.status_code == 200 and 'alt="Der Saal"' in public.content.decode()
    assert client.post(base + "veroeffentlichen/", {"public": "0"}).status_code == 302
    assert client_for("anonymous").get(f"/veranstaltungen/{event.slug}/dokumentation/").status_code == 404
