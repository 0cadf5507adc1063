"""Events in the search, across channels and personas: "a persona obtains the object through a channel" ⇔
"the object's access function (events/access.py, documents/access.py) opens it to that persona".

Channels: the search (a search for the object's own word) and the HTML page. Objects: a published and an
unpublished event, a published and an unpublished documentation, a document of the organisers' workspace.
Registrations (names, answers, accessibility needs) and photos not released by their uploader are never found
by anybody. Personas: the platform's, plus an organiser (editor of the event's workspace), a reader of the
event's workspace (sees the workspace, does not run the event) and a participant with an account.

The expected side is computed from the access functions only; the observed side from what the persona gets.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client

from documents.access import get_document_for_user
from documents.actions import upload
from events import actions
from events.access import get_documentation_for_user, get_event_for_user
from events.models import Documentation
from search.service import search
from tests.conftest import make_user
from tests.events.conftest import make_documented_forum, make_forum, png_file
from workspaces.actions import add_member

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin", "contributor", "organiser", "reader", "participant"]


@pytest.fixture
def scene(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        office = personas["office"]
        users = dict(personas)
        users["organiser"] = make_user("organiser@test.example")
        users["reader"] = make_user("reader@test.example")
        users["participant"] = make_user("participant@test.example")
        published = make_forum(office, slug="forum-offen", description="Gespräche über Zitronenfalter.")
        hidden = make_forum(office, slug="forum-intern", description="Planung mit Kupferkessel.", is_published=False)
        documented = make_documented_forum(office, slug="forum-doku")  # report with "Zypressenwald", published
        draft = make_documented_forum(office, slug="forum-entwurf", publish=False)
        event = draft.event
        for event_ in (published, hidden, documented.event, event):
            add_member(office, event_.workspace, users["organiser"], role="editor")
            add_member(office, event_.workspace, users["reader"], role="reader")
        # re-index: the organiser became a contributor after the entries were written (grants follow changes)
        actions.update_event(office, hidden, hidden.version, venue_name="Saal Nord")
        current = Documentation.objects.get(event=event).version
        actions.update_documentation(office, event, current, report="Entwurf über Leuchtturmwärter.", licence="cc-by-4.0")
        internal = upload(office, published.workspace, SimpleUploadedFile("n.txt", b"Notiz zum Nebelhorn"), title="Notiz")
        # A photo the uploader (the organiser) has not released, in the published documentation.
        theirs = upload(users["organiser"], documented.event.workspace, png_file("o.png"), title="Tintenfischbild")
        actions.add_documentation_item(
            office, documented.event, document=theirs, kind="photo", alt_text="Sandbankfoto mit Gesichtern", consent="crowd"
        )
        actions.register(
            published,
            name="Wilhelmine Quastenflosser",
            email="participant@test.example",
            answers={str(published.questions.first().pk): "Frage zum Murmeltier"},
            needs={"dietary": "Glutenfrei Pfefferminz"},
            needs_consent=True,
        )
    objects = {
        "event-published": ("event", published.slug, "Zitronenfalter"),
        "event-unpublished": ("event", hidden.slug, "Kupferkessel"),
        "documentation-published": ("documentation", documented.event.slug, "Zypressenwald"),
        "documentation-unpublished": ("documentation", event.slug, "Leuchtturmwärter"),
        "workspace-document": ("document", internal.pk, "Nebelhorn"),
    }
    never = [
        "Quastenflosser",
        "Murmeltier",
        "Pfefferminz",
        "Sandbankfoto",
    ]  # the photo's file is a workspace document (own rules)
    return {"users": users, "objects": objects, "never": never}


def _opens(user, kind, key) -> bool:
    user = user or AnonymousUser()
    try:
        {"event": get_event_for_user, "documentation": get_documentation_for_user, "document": get_document_for_user}[kind](
            user, key
        )
    except Http404:
        return False
    return True


def _page(kind, key) -> str:
    return {
        "event": f"/veranstaltungen/{key}/",
        "documentation": f"/veranstaltungen/{key}/dokumentation/",
        "document": f"/dokumente/{key}/",
    }[kind]


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _found(user, word) -> list:
    return search(user, word).hits


@pytest.mark.parametrize("persona", PERSONAS)
def test_found_and_opened_exactly_when_the_access_function_allows(scene, persona):
    user = scene["users"][persona]
    client = _client(user)
    mismatches = []
    for name, (kind, key, word) in scene["objects"].items():
        allowed = _opens(user, kind, key)
        found = bool(_found(user, word))
        status = client.get(_page(kind, key)).status_code
        opened = status == 200
        if found != allowed:
            mismatches.append(f"{name}: search {found}, allowed {allowed}")
        if opened != allowed and not (kind == "document" and user is None and status == 302):
            mismatches.append(f"{name}: page {status}, allowed {allowed}")
    for word in scene["never"]:
        if _found(user, word):
            mismatches.append(f"{word}: found")
    assert not mismatches, f"{persona}: " + "; ".join(mismatches)


def test_the_scene_covers_the_cases_in_question(scene):
    users, objects = scene["users"], scene["objects"]
    assert _opens(None, *objects["event-published"][:2]) and _found(None, "Zitronenfalter")
    assert _opens(None, *objects["documentation-published"][:2]) and _found(None, "Zypressenwald")
    assert _opens(users["organiser"], *objects["event-unpublished"][:2]) and _found(users["organiser"], "Kupferkessel")
    assert _found(users["organiser"], "Leuchtturmwärter")
    assert not _opens(users["reader"], *objects["event-unpublished"][:2])  # sees the workspace, does not run the event
    assert _opens(users["reader"], *objects["workspace-document"][:2])
    assert not _found(users["member"], "Kupferkessel") and not _found(users["member"], "Leuchtturmwärter")
