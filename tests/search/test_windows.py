"""The limits that keep the search fast are exact and said truthfully on the page.

- Only the newest CANDIDATES matches are ranked; "more than" is claimed only when there are more.
- A phrase is looked for in the newest PHRASE_WINDOW entries that contain all its words (PostgreSQL);
  what is shown is exactly the entries with the phrase among those, and the page says older ones may exist.
- The searcher's scope is looked up once per request.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from search import backends, service
from search import text as textlib
from search.models import Audience, SearchEntry
from search.service import scope_for, search

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


@pytest.fixture(autouse=True)
def _entries_without_objects(monkeypatch):
    """The entries here stand for no real document: the windows are under test, not the access check at query
    time (which drops hits whose object its kind's access function does not open; tests/search/test_reach.py)."""
    monkeypatch.setattr(service, "_checked", lambda user, hits: hits)


def entry(number: int, body: str, days_old: int) -> SearchEntry:
    row = SearchEntry.objects.create(
        kind="document",
        object_id=10_000 + number,
        audience=Audience.PUBLIC,
        public=True,
        date=timezone.now() - dt.timedelta(days=days_old),
        title=f"Fenstertest {number}",
        body=body,
        url=f"/dokumente/{10_000 + number}/",
    )
    backends.backend().write(row)
    return row


@pytest.fixture
def phrase_corpus():
    """Newest first: 0 and 2 hold the phrase, 1 and 3 both words apart, 4 (oldest) the phrase again."""
    bodies = [
        "Sie stärkt die interkulturelle Kompetenz im Amt.",
        "Kompetenz ist gefragt, interkulturelle Arbeit auch.",
        "Schulungen zur interkulturellen Kompetenz.",
        "Interkulturelle Teams brauchen Kompetenz.",
        "Ältere Schulung: interkulturelle Kompetenz.",
        "Nur Kompetenz, ohne das andere Wort.",
    ]
    return [entry(i, body, days_old=i * 10) for i, body in enumerate(bodies)]


def test_phrase_is_exact_among_the_newest_entries_with_all_its_words(phrase_corpus, monkeypatch):
    everything = search(None, '"interkulturelle Kompetenz"')
    assert {h.title for h in everything.hits} == {"Fenstertest 0", "Fenstertest 2", "Fenstertest 4"}
    assert not everything.window_full and not everything.more

    monkeypatch.setattr(backends, "PHRASE_WINDOW", 4)
    windowed = search(None, '"interkulturelle Kompetenz"')
    if connection.vendor == "postgresql":
        # The four newest entries with both words are 0–3; the phrase stands in 0 and 2 of them.
        assert {h.title for h in windowed.hits} == {"Fenstertest 0", "Fenstertest 2"}
        assert windowed.window_full and windowed.total == 2
    else:  # FTS5 answers phrases from its own positional index, without a window
        assert {h.title for h in windowed.hits} == {"Fenstertest 0", "Fenstertest 2", "Fenstertest 4"}
    for window in (1, 2, 3, 5, 6):  # never an entry without the phrase, whatever the window
        monkeypatch.setattr(backends, "PHRASE_WINDOW", window)
        assert {h.title for h in search(None, '"interkulturelle Kompetenz"').hits} <= {
            "Fenstertest 0",
            "Fenstertest 2",
            "Fenstertest 4",
        }


def test_excluded_phrase_and_extra_words_still_apply(phrase_corpus, monkeypatch):
    monkeypatch.setattr(backends, "PHRASE_WINDOW", 4)
    excluded = search(None, 'Kompetenz -"interkulturelle Kompetenz"')
    if connection.vendor == "postgresql":  # the phrase is checked in the newest four entries with "Kompetenz"
        assert {h.title for h in excluded.hits} == {"Fenstertest 1", "Fenstertest 3"} and excluded.window_full
    else:
        assert {h.title for h in excluded.hits} == {"Fenstertest 1", "Fenstertest 3", "Fenstertest 5"}
    found = {h.title for h in search(None, '"interkulturelle Kompetenz" Schulungen').hits}
    assert found == {"Fenstertest 2", "Fenstertest 4"}  # Schulung, Schulungen


def test_the_page_says_when_the_phrase_window_was_full(phrase_corpus, monkeypatch):
    page = Client().get("/suche/", {"q": '"interkulturelle Kompetenz"'}).content.decode()
    assert "3 Treffer für" in page and "ältere Treffer sind möglich" not in page
    monkeypatch.setattr(backends, "PHRASE_WINDOW", 4)
    page = Client().get("/suche/", {"q": '"interkulturelle Kompetenz"'}).content.decode()
    if connection.vendor == "postgresql":
        assert "Die neuesten 2 Treffer für" in page
        assert "Die Wortfolge wurde in den neuesten 4 Einträgen gesucht" in page and "ältere Treffer sind möglich" in page


def test_more_than_is_claimed_only_when_there_are_more(phrase_corpus, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 6)
    exactly = search(None, "Kompetenz")  # six entries, six ranked
    assert exactly.total == 6 and not exactly.more
    monkeypatch.setattr(backends, "CANDIDATES", 5)
    capped = search(None, "Kompetenz")
    assert capped.total == 5 and capped.more
    assert {h.title for h in capped.hits} == {f"Fenstertest {i}" for i in range(5)}  # the newest five
    page = Client().get("/suche/", {"q": "Kompetenz"}).content.decode()
    assert "Mehr als 5 Treffer für" in page and "Es gibt mehr als 5 Treffer" in page


def test_scope_is_looked_up_once_per_request(personas, django_assert_num_queries):
    member = personas["member"]
    first = scope_for(member)
    with django_assert_num_queries(0):
        assert scope_for(member) is first
    given = scope_for(type(member).objects.get(pk=member.pk), workspace_ids=[3, 1])
    assert given.workspace_ids == [1, 3]


def test_snippet_window_around_the_first_match_in_a_long_text():
    filler = " ".join(f"Wort{i}" for i in range(3000))
    entry(99, f"{filler} Nadelöhrbericht steht hier. {filler}", days_old=1)
    hit = search(None, "Nadelöhrbericht").hits[0]
    assert "<mark>Nadelöhrbericht</mark> steht hier." in hit.snippet_html
    assert hit.snippet_html.startswith("… ") and hit.snippet_html.endswith(" …")
    assert len(hit.snippet_html) < 1200


@pytest.mark.parametrize("words_before", [100, 2_000, 2_450, 2_600, 4_000])
def test_snippet_of_a_body_longer_than_what_is_read_for_snippets(words_before):
    """Only the first SNIPPET_FETCH characters of a shown body are read, unless the snippet needs more: the
    snippet is the same as from the whole text wherever the first match lies (before, at or after the cut)."""
    filler = " ".join(f"Wort{i:04d}" for i in range(words_before))  # 9 characters a word
    body = f"{filler} Nadelöhrbericht steht hier. " + " ".join(f"Rest{i:04d}" for i in range(3_000))
    assert len(body) > backends.SNIPPET_FETCH
    entry(98, body, days_old=1)
    hit = search(None, "Nadelöhrbericht").hits[0]
    exact, prefixes = textlib.highlight_terms(textlib.parse("Nadelöhrbericht"))
    assert hit.snippet_html == backends.marked_html(_reference_mark(body, exact, prefixes))
    assert "<mark>Nadelöhrbericht</mark> steht hier." in hit.snippet_html


def _reference_mark(value: str, exact: set[str], prefixes: tuple[str, ...], window: int = 30) -> str:
    """The plain way: stem every word of the text (what the fast path must give exactly)."""
    parts = backends._SPLIT.split(value)
    first = None
    for i in range(1, len(parts), 2):
        s = textlib.stem(parts[i])
        if s in exact or (prefixes and s.startswith(prefixes)):
            parts[i] = backends.START + parts[i] + backends.STOP
            first = i if first is None else first
    if first is None:
        return value[:240]
    start, end = max(0, first - window), min(len(parts), first + 2 * window)
    return ("… " if start else "") + "".join(parts[start:end]).strip() + (" …" if end < len(parts) else "")


@pytest.mark.parametrize(
    "query",
    ["Stadt", "Städten", "Straße", "strassenfest", "Maßnahmen", "Außenstelle", "Grüße", "Über*", "Öffentlich*", "Amt"],
)
def test_fast_snippets_equal_stemming_every_word(query):
    text = (
        "Die Städte und die STADT planen Straßenfeste; ein Strassenfest folgt. Maßnahme, MASSNAHMEN und "
        "Massnahmen der Außenstellen. Grüße, Gruss und GRÜSSE. Übersicht über Überweisungen, öffentliche "
        "Öffentlichkeit; Ämter, Amtes und Amt. Ein_Unterstrich und Hauptstadt sind keine Treffer für Stadt. "
    )
    long_text = ("Füllwort " * 400) + text + ("Schluss " * 400)
    exact, prefixes = textlib.highlight_terms(textlib.parse(query))
    for value in (text, long_text, text * 30):
        assert backends._mark(value, exact, prefixes) == _reference_mark(value, exact, prefixes), query
