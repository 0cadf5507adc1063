"""Search: it never shows what the searcher may not open, and it understands German.

Runs on PostgreSQL (tsvector + GIN) and, marked sqlite_fast, on SQLite (FTS5 with stems from Python).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from documents import actions
from members.models import Municipality, Person
from search.backends import Filters
from search.models import SearchEntry
from search.service import search
from tests.documents.scene import VISIBLE, WORDS, text_file

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]
PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin", "lead"]


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def titles(user, q, **filters) -> set[str]:
    return {hit.title.removeprefix("Dok-") for hit in search(user, q, filters=Filters(**filters) if filters else None).hits}


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_never_shows_what_the_searcher_cannot_open(scene, users, persona):
    client = client_as(users[persona])
    for key, words in WORDS.items():
        word = words.split()[0]
        found = {hit.object_id for hit in search(users[persona], word).hits if hit.kind == "document"}
        expected = {scene["docs"][key].pk} if key in VISIBLE[persona] else set()
        assert found == expected, f"{persona} searching {word!r}"
        page = client.get("/suche/", {"q": word}).content.decode()
        document = scene["docs"][key]
        if key not in VISIBLE[persona]:
            assert document.title not in page and f"/dokumente/{document.pk}/" not in page, (persona, key)


@pytest.mark.parametrize("persona", PERSONAS)
def test_workspaces_are_found_only_by_who_may_see_them(scene, users, persona):
    expected = {"Offenes Projekt"} | ({"Plattformprojekt"} if persona in {"member", "office", "admin", "lead"} else set())
    if persona in {"member", "admin", "lead"}:
        expected.add("Privates Projekt")
    found = set()
    for name in ("Offenes Projekt", "Plattformprojekt", "Privates Projekt"):
        found |= titles(users[persona], name, kinds=["workspace"])
    assert found == expected


def test_people_are_found_by_profile_visibility_and_never_by_hidden_fields(personas, users, cooperation):
    essen = Municipality.objects.get(slug="essen")
    public = Person.objects.create(given_name="Paula", family_name="Quellenberg", municipality=essen, profile_visibility="public",
                                   email_visibility="office", email="paula.vertraulich@example.org", function="Integrationsbeauftragte")  # fmt: skip
    members = Person.objects.create(
        given_name="Moritz", family_name="Quellenberg", municipality=essen, profile_visibility="members"
    )
    inactive = Person.objects.create(given_name="Ines", family_name="Quellenberg", municipality=essen, is_active=False)
    from search.indexing import rebuild

    rebuild(["person"])
    expectations = {
        "anonymous": {public.full_name},
        "guest": {public.full_name},
        "member": {public.full_name, members.full_name},
        "office": {public.full_name, members.full_name, inactive.full_name},
    }
    for persona, expected in expectations.items():
        assert titles(users[persona], "Quellenberg", kinds=["person"]) == expected, persona
    for persona in expectations:
        # The e-mail address is visible to the office only: it is not in the index at all.
        assert titles(users[persona], "vertraulich") == set(), persona
    assert titles(users["anonymous"], "Integrationsbeauftragte") == {public.full_name}


@pytest.mark.parametrize(
    "query,key",
    [
        ("Stadt", "platform"),  # Städte
        ("städten", "platform"),
        ("Ausbildung", "private"),  # Ausbildungen
        ("Strassenfest", "public"),  # Straßenfest
        ("straßenfeste", "public"),
        ('"Notiz Geheimprojekt"', "private"),
        ("Geheimproj*", "private"),
        ("Plattformthem*", "platform"),
    ],
)
def test_german_inflections_umlauts_phrases_and_prefixes(scene, users, query, key):
    found = {hit.object_id for hit in search(users["lead"], query, filters=Filters(kinds=["document"])).hits}
    assert scene["docs"][key].pk in found, query


def test_phrase_order_matters_and_words_can_be_excluded(scene, users):
    lead = users["lead"]
    assert titles(lead, '"Geheimprojekt Notiz"', kinds=["document"]) == set()
    assert titles(lead, "Notiz -Geheimprojekt", kinds=["document"]) == {"platform", "public"}


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "a & b | !c <-> (d:*)",
        "'; DROP TABLE search_searchentry; --",
        "NEAR(a b) OR NOT * ^",
        '"" "" ""',
        "Ausbildung " * 2000,
        "x" * 10_000,
        "***",
        "-nur -ausschluss",
        "der die das",
    ],
)
def test_hostile_queries_never_fail(scene, users, query):
    for persona in ("anonymous", "lead"):
        response = client_as(users[persona]).get("/suche/", {"q": query})
        assert response.status_code == 200
        search(users[persona], query)


def test_snippets_highlight_matches_and_escape_markup(scene, users, django_capture_on_commit_callbacks):
    workspace = scene["workspaces"]["private"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.upload(
            users["lead"],
            workspace,
            text_file("markup.txt", "Vorher <b onmouseover=alert(1)>fett</b> Integrationskonzept nachher."),
        )
    hits = search(users["lead"], "Integrationskonzept").hits
    assert len(hits) == 1
    assert "<mark>Integrationskonzept</mark>" in hits[0].snippet_html
    assert "<b " not in hits[0].snippet_html and "&lt;b onmouseover" in hits[0].snippet_html
    page = client_as(users["lead"]).get("/suche/", {"q": "Integrationskonzept"}).content.decode()
    assert "<mark>Integrationskonzept</mark>" in page and "<b onmouseover" not in page


def test_filters_by_type_workspace_city_and_date(scene, users):
    lead = users["lead"]
    private = scene["workspaces"]["private"]
    assert titles(lead, "Notiz", workspace_id=private.pk) == {"private"}
    assert titles(lead, "Notiz", kinds=["person"]) == set()
    dortmund = Municipality.objects.get(slug="dortmund")  # the lead's city
    assert "private" in titles(lead, "Notiz", municipality_id=dortmund.pk)
    assert titles(lead, "Notiz", municipality_id=Municipality.objects.get(slug="hagen").pk) == set()
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert titles(lead, "Notiz", date_from=tomorrow) == set()
    assert "private" in titles(lead, "Notiz", date_to=tomorrow)
    response = client_as(lead).get(
        "/suche/", {"q": "Notiz", "typ": "document", "arbeitsbereich": private.slug, "stadt": "dortmund"}
    )
    assert response.status_code == 200 and "private" in response.content.decode()


def test_workspace_filter_cannot_probe_other_workspaces(scene, users):
    private = scene["workspaces"]["private"]
    assert titles(users["outsider"], "Geheimprojekt", workspace_id=private.pk) == set()
    response = client_as(users["outsider"]).get("/suche/", {"q": "Geheimprojekt", "arbeitsbereich": private.slug})
    assert response.status_code == 200 and "Geheimprojekt" not in response.content.decode().split("</form>")[-1]


def test_recent_documents_rank_higher_at_equal_relevance(scene, users, django_capture_on_commit_callbacks):
    workspace = scene["workspaces"]["private"]
    with django_capture_on_commit_callbacks(execute=True):
        old = actions.upload(
            users["lead"], workspace, text_file("alt.txt", "Jahresbericht der Kooperation."), title="Bericht alt"
        )
        new = actions.upload(
            users["lead"], workspace, text_file("neu.txt", "Jahresbericht der Kooperation."), title="Bericht neu"
        )
    SearchEntry.objects.filter(kind="document", object_id=old.pk).update(date=timezone.now() - dt.timedelta(days=3 * 365))
    hits = search(users["lead"], "Jahresbericht").hits
    assert [h.object_id for h in hits[:2]] == [new.pk, old.pk]


def test_trash_removes_from_search_and_restore_brings_back(scene, users, django_capture_on_commit_callbacks):
    document = scene["docs"]["platform"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.trash(users["lead"], document)
    assert titles(users["lead"], "Plattformthema") == set()
    with django_capture_on_commit_callbacks(execute=True):
        actions.restore(users["lead"], document)
    assert titles(users["lead"], "Plattformthema") == {"platform"}


def test_the_entry_is_written_in_the_action_and_the_text_follows_the_extraction(scene, users):
    """Issue 9: who finds an object changes in the action's transaction; the extracted text needs the worker."""
    workspace = scene["workspaces"]["private"]
    document = actions.upload(users["lead"], workspace, text_file("spaet.txt", "Nachzüglerwort"))
    entry = SearchEntry.objects.get(kind="document", object_id=document.pk)  # no commit, no worker yet
    assert "spaet.txt" in entry.body and "Nachzüglerwort" not in entry.body


def test_public_flag_makes_a_private_document_findable_for_everybody(scene, users, django_capture_on_commit_callbacks):
    document = scene["docs"]["private"]
    assert titles(users["anonymous"], "Geheimprojekt") == set()
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_public(users["lead"], document, True)
    assert titles(users["anonymous"], "Geheimprojekt") == {"private"}
