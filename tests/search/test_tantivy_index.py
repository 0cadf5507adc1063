"""The Tantivy index (search/tantivy_index.py) finds what the platform's rule lets a searcher open, and reads German.

A small corpus (~50 entries) in workspaces of every visibility, of every audience, with grants to a user and
to a city; the index is built from the table like the benchmark builds it. Runs on PostgreSQL: the visible sets
are also compared with PostgreSQL's own search under the platform's permission filter.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from members.models import Municipality
from search import text as textlib
from search.backends import Filters
from search.models import SearchEntry, SearchGrant
from search.tantivy_index import TantivyIndex, access_for
from tests.workspaces.conftest import give_role
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

WORD = "Haushaltsplanung"  # in every entry of the corpus
AUDIENCES = ["public", "members", "office", "workspace"]


@pytest.fixture
def corpus(make_workspace, personas, lead):
    """Entries of each audience in each of four workspaces (and without one), a few granted; the index built."""
    member = personas["member"]
    spaces = {
        "private": make_workspace(Workspace.Visibility.PRIVATE, name="Geheim"),
        "platform": make_workspace(Workspace.Visibility.PLATFORM, name="Plattform"),
        "public": make_workspace(Workspace.Visibility.PUBLIC, name="Offen"),
        "hers": make_workspace(Workspace.Visibility.PRIVATE, name="Ihrer"),
    }
    give_role(spaces["hers"], member, "editor")
    bochum, essen = Municipality.objects.get(slug="bochum"), Municipality.objects.get(slug="essen")
    now = timezone.now()
    entries: dict[str, SearchEntry] = {}

    def add(label: str, audience: str, workspace: Workspace | None, body: str = "", days: int = 10, **fields) -> SearchEntry:
        entry = SearchEntry.objects.create(
            kind=fields.pop("kind", "document"),
            object_id=900_000 + len(entries),
            workspace=workspace,
            municipality=fields.pop("municipality", essen),
            audience=audience,
            # found without an account (search/models.py): what search.indexing writes
            public=audience == "public"
            or (audience == "workspace" and workspace is not None and workspace.visibility == "public"),
            date=now - dt.timedelta(days=days),
            title=fields.pop("title", f"Eintrag {label}"),
            body=f"{WORD} {label.replace('-', ' ')} {body}",
            url=f"/test/{len(entries)}/",
        )
        entries[label] = entry
        return entry

    for space, workspace in spaces.items():
        for audience in AUDIENCES:
            for n in range(2):
                add(f"{space}-{audience}-{n}", audience, workspace)
    for audience in AUDIENCES[:3]:
        add(f"none-{audience}", audience, None)
    granted = add("granted-user", "workspace", spaces["private"])
    SearchGrant.objects.create(entry=granted, user=member)
    to_city = add("granted-bochum", "workspace", spaces["private"], municipality=bochum)
    SearchGrant.objects.create(entry=to_city, municipality=bochum)
    to_essen = add("granted-essen", "workspace", spaces["private"])
    SearchGrant.objects.create(entry=to_essen, municipality=essen)
    # Language: phrases, stems, stop words, escaping.
    add("phrase-yes", "public", None, "Schulungen zur interkulturellen Kompetenz in der Verwaltung")
    add("phrase-apart", "public", None, "Kompetenz wird interkulturell gedacht")
    add("phrase-gap", "public", None, "Stadt und Land gemeinsam")
    add("phrase-nogap", "public", None, "Stadt, Land, Fluss")
    add("stem", "public", None, "Die Städte und ihre Straßen", kind="post")
    add("html", "public", None, "<script>alert(1)</script> Gefahr", days=400)
    add("old", "public", None, "Recency", days=900)
    add("new", "public", None, "Recency", days=1)
    assert len(entries) >= 40
    return {"entries": entries, "spaces": spaces, "member": member}


@pytest.fixture
def index(corpus, tmp_path):
    built = TantivyIndex(tmp_path / "tantivy", create=True)
    built.build(batch=7)
    return built


def _found(index, corpus, user, q: str = WORD, filters: Filters | None = None) -> set[str]:
    """Labels of the corpus entries the user finds (all matches, not one page)."""
    ids = index.matching_ids(textlib.parse(q), access_for(user or AnonymousUser()), filters)
    return {label for label, entry in corpus["entries"].items() if entry.pk in ids}


def test_anonymous_finds_public_entries_and_public_workspaces_only(index, corpus):
    found = _found(index, corpus, None)
    expected = {label for label, e in corpus["entries"].items() if e.audience == "public"}
    expected |= {f"public-workspace-{n}" for n in range(2)}
    assert found == expected


def test_member_finds_her_workspace_her_grants_and_her_city_but_no_private_workspace(index, corpus, personas):
    found = _found(index, corpus, personas["member"])
    assert {f"hers-{a}-{n}" for a in AUDIENCES for n in range(2)} <= found  # her workspace, whatever the audience
    assert {"granted-user", "granted-bochum"} <= found  # granted to her, and to her city (Bochum)
    assert "granted-essen" not in found  # another city's grant
    assert not {label for label in found if label.startswith(("private-workspace", "private-office"))}
    assert {"platform-workspace-0", "private-members-0"} <= found  # platform workspace; audience "members" anywhere
    assert "platform-office-0" not in found  # a visible workspace does not open the office's entries in it


def test_nobody_outside_finds_a_private_workspaces_entry(index, corpus, personas):
    secret = {"private-workspace-0", "private-workspace-1"}
    for name in ("member", "guest", "outsider", "contributor", "office", "anonymous"):
        assert not secret & _found(index, corpus, personas[name]), name
    assert secret <= _found(index, corpus, personas["admin"])  # platform admins see every workspace (support)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's full-text search")
def test_every_persona_finds_the_same_entries_as_postgresql(index, corpus, personas, lead):
    from search.backends import _filter_sql
    from search.service import scope_for

    for name, user in {**personas, "lead": lead}.items():
        viewer = user or AnonymousUser()
        params: list = [WORD]
        where = _filter_sql(scope_for(viewer), Filters(), params)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id FROM search_searchentry e WHERE e.search_vector @@ websearch_to_tsquery('german', %s) AND {where}",  # noqa: S608
                params,
            )
            expected = {row[0] for row in cursor.fetchall()}
        assert index.matching_ids(textlib.parse(WORD), access_for(viewer)) == expected, name


def test_phrases_need_the_words_next_to_each_other(index, corpus):
    assert {"phrase-yes"} == _found(index, corpus, None, '"interkulturelle Kompetenz"')
    assert {"phrase-yes", "phrase-apart"} <= _found(index, corpus, None, "interkulturelle Kompetenz")
    # A stop word inside the phrase keeps its place (as in PostgreSQL: 'stadt' <2> 'land').
    assert {"phrase-gap"} == _found(index, corpus, None, '"Stadt und Land"')


def test_german_stems_and_folded_umlauts(index, corpus):
    assert "stem" in _found(index, corpus, None, "Stadt")  # Städte
    assert "stem" in _found(index, corpus, None, "Strasse")  # Straßen
    assert "stem" in _found(index, corpus, None, "straß*")  # prefix
    assert _found(index, corpus, None, "und") == set()  # only a stop word: nothing to look for
    assert "stem" not in _found(index, corpus, None, f"{WORD} -Städten")  # excluded word


def test_filters_and_page(index, corpus):
    assert _found(index, corpus, None, "Straßen", Filters(kinds=["post"])) == {"stem"}
    assert _found(index, corpus, None, "Straßen", Filters(kinds=["document"])) == set()
    recent = _found(index, corpus, None, "Recency", Filters(date_from=timezone.now() - dt.timedelta(days=30)))
    assert recent == {"new"}
    page = index.search(textlib.parse("Recency"), access_for(AnonymousUser()))
    assert [hit.id for hit in page.hits] == [
        corpus["entries"]["new"].pk,
        corpus["entries"]["old"].pk,
    ]  # same text: the newer first
    assert page.total == 2
    hit = index.search(textlib.parse("Gefahr"), access_for(AnonymousUser())).hits[0]
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert "<mark>Gefahr</mark>" in hit.snippet_html
    title = index.search(textlib.parse("Eintrag stem"), access_for(AnonymousUser())).hits[0].title_html
    assert title == "<mark>Eintrag</mark> <mark>stem</mark>"


def test_update_follows_the_table(index, corpus, lead):
    entry = corpus["entries"]["stem"]
    assert _found(index, corpus, lead, "Straßen") == {"stem"}
    entry.audience, entry.workspace = "workspace", corpus["spaces"]["private"]
    entry.save()
    index.update([entry.pk])
    assert _found(index, corpus, None, "Straßen") == set()
    assert _found(index, corpus, lead, "Straßen") == {"stem"}  # the lead works in that workspace
    pk = entry.pk
    entry.delete()
    index.update([pk])
    assert index.matching_ids(textlib.parse("Straßen"), access_for(lead)) == set()
    assert index.index.searcher().num_docs == len(SearchEntry.objects.all())


def test_access_facts_cost_one_query_plus_the_roles(personas, django_assert_num_queries):
    from accounts.models import User

    member = User.objects.get(pk=personas["member"].pk)  # as loaded for a request: no roles cached
    with django_assert_num_queries(2):  # the roles; visible and own workspaces and her cities in one
        access = access_for(member)
    assert access.user_id == member.pk and access.municipality_ids == [Municipality.objects.get(slug="bochum").pk]
    with django_assert_num_queries(1):
        assert access_for(AnonymousUser()).audiences == ["public"]
