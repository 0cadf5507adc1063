"""PostgreSQL finds the newest matches in one of three ways, chosen from how common the words are
(search/backends.py ``_plan``). Whichever is chosen, the hits are the same; only the cost differs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from search import backends, service
from search import text as textlib
from search.backends import COLLECT, PLANNER, WALK, Filters
from search.models import Audience, SearchEntry
from search.service import search

pytestmark = [pytest.mark.django_db, pytest.mark.skipif("connection.vendor != 'postgresql'")]

BODIES = [
    "Die Verwaltung plant Schulungen zur interkulturellen Kompetenz.",
    "Ausbildung in der Verwaltung: Schulen und Praktika.",
    "Interkulturelle Arbeit braucht Kompetenz und Geduld.",
    "Die Zuwanderungsstatistik der Verwaltung wurde aktualisiert.",
    "Schulen melden neue Ausbildungen.",
    "Kompetenz, interkulturelle: ein Bericht der Verwaltung.",
]
QUERIES = [
    "Verwaltung",
    "Ausbildung Schulen",
    '"interkulturelle Kompetenz"',
    "Zuwanderungsstatistik Verwaltung",
    "Verwaltung -Schulen",
    "Verwalt*",
]


@pytest.fixture
def corpus(make_workspace):
    from workspaces.models import Workspace

    open_space = make_workspace(Workspace.Visibility.PUBLIC, name="Offen")
    closed = make_workspace(Workspace.Visibility.PRIVATE, name="Zu")
    now = timezone.now()
    for i in range(60):
        workspace = open_space if i % 4 else closed
        row = SearchEntry.objects.create(
            kind="document",
            object_id=50_000 + i,
            workspace=workspace,
            audience=Audience.WORKSPACE,
            public=workspace.visibility == "public",
            municipality_id=None,
            date=now - dt.timedelta(days=7 * i),
            title=f"Planprobe {i}",
            body=BODIES[i % len(BODIES)],
            url=f"/dokumente/{50_000 + i}/",
        )
        backends.backend().write(row)


@pytest.fixture(autouse=True)
def _entries_without_objects(monkeypatch):
    monkeypatch.setattr(service, "_checked", lambda user, hits: hits)  # the plans are under test, not the access check


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("filtered", [False, True])
def test_every_plan_finds_the_same_hits(corpus, monkeypatch, personas, q, filtered):
    filters = Filters(date_from=timezone.now() - dt.timedelta(days=200)) if filtered else None
    results = {}
    for plan in (PLANNER, WALK, COLLECT):
        monkeypatch.setattr(backends, "_plan", lambda query, plan=plan: plan)
        for who in ("anonymous", "member"):
            found = search(personas[who], q, filters=filters)
            results.setdefault(who, {})[plan] = ([h.title for h in found.hits], found.total)
    for who, by_plan in results.items():
        assert by_plan[WALK] == by_plan[PLANNER] == by_plan[COLLECT], (who, q)
        assert by_plan[PLANNER][0], (who, q)  # the corpus answers every query


def test_the_plan_follows_postgresqls_statistics_of_the_words(db, monkeypatch):
    shares = {f"fuell{i}": 0.05 for i in range(200)} | {"verwalt": 0.9, "schul": 0.4, "ausbild": 0.5, "kompetenz": 0.2}
    monkeypatch.setattr(backends, "_lexeme_shares", lambda: shares)
    plan = lambda q: backends._plan(textlib.parse(q))  # noqa: E731
    assert plan("Verwaltung") == WALK
    assert plan("Ausbildung Schulen") == WALK
    assert plan("die Verwaltung und der") == WALK  # stop words say nothing about the cost
    assert plan("Zuwanderungsstatistik") == COLLECT  # rarer than every lexeme PostgreSQL counted
    assert plan("Zuwanderungsstatistik Verwaltung") == COLLECT  # one rare word: the GIN index finds the few
    assert plan('"Zuwanderungsstatistik Verwaltung"') == COLLECT
    assert plan("Verwalt*") == PLANNER  # a prefix can be anything
    monkeypatch.setattr(backends, "_lexeme_shares", lambda: {})
    assert plan("Verwaltung") == PLANNER  # no statistics yet: PostgreSQL decides


def test_the_statistics_are_read_from_postgresql(corpus):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    backends._frequencies.clear()
    shares = backends._lexeme_shares()
    assert shares.get("verwalt", 0) > 0.3  # in most of the corpus
    assert backends._lexemes_of(["Verwaltungen", "der", "Kompetenz"]) == ["verwalt", "kompetenz"]
