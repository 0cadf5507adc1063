"""The full-text index on each database, behind one interface.

PostgreSQL: ``search_searchentry.search_vector`` is a stored generated ``tsvector`` (German
configuration; title weight A, body weight B) with a GIN index. The query uses the index, filters
by what the searcher may open in the same WHERE clause, ranks by ts_rank and recency.

Snippets are built in Python for the returned page only, from the entry's text, on both databases
(ts_headline re-parses whole documents and cost more than the search itself); PostgreSQL reads the first
SNIPPET_FETCH characters of each shown body, the whole body only when the snippet needs more.

SQLite: an FTS5 table ``search_fts`` (rowid = entry id) holds title and body as German stems,
folded for umlauts and ß, written by Python at index time; queries are stemmed the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import text as textlib
from .models import SearchEntry

BODY_INDEX_CHARS = 200_000  # tsvector has a 1 MB limit; three pages are ~10,000 characters
START, STOP = "\ue000", "\ue001"  # private-use characters as highlight markers, never in indexed text
RECENCY_DAYS = 180.0
CANDIDATES = 400  # most hits that are ranked; the page shows "more than" beyond (see service.MAX_PAGE)
SNIPPET_FETCH = 20_000  # characters of each shown body read for its snippet (more only when the first match lies beyond)
PHRASE_WINDOW = 1000  # newest entries with all words of a phrase in which the phrase itself is looked for


@dataclass
class Scope:
    """What a searcher may open: entries of these audiences, of these workspaces, and granted to this user.

    The workspaces are either known ids or, to save a round trip, the SQL of the query that selects
    them (``workspaces.access.workspaces_visible_to``), run inside the search as a hashed subquery.
    ``user_id`` (None without an account) adds the entries of the user's own workspaces and the entries
    granted to the user or to the municipality of their active person (``SearchGrant``), also as subqueries.
    """

    audiences: list[str]
    workspace_ids: list[int] | None = None
    workspaces_sql: tuple[str, tuple] | None = None
    user_id: int | None = None
    anonymous: bool = False  # without an account: exactly the entries marked ``public`` (search/models.py)


@dataclass
class Filters:
    kinds: list[str] | None = None
    workspace_id: int | None = None
    municipality_id: int | None = None
    date_from: object = None
    date_to: object = None


@dataclass
class Hit:
    id: int
    kind: str
    object_id: int
    title: str
    url: str
    date: object
    workspace_id: int | None
    score: float
    title_html: SafeString = mark_safe("")
    snippet_html: SafeString = mark_safe("")


@dataclass
class Page:
    """One page of hits. ``total`` counts the ranked matches (at most CANDIDATES); ``more`` says that
    there are more matches than were ranked; ``window_full`` that a phrase was only looked for in the
    newest PHRASE_WINDOW entries containing all its words, so older entries with the phrase may exist."""

    hits: list[Hit]
    total: int = 0
    window_full: bool = False
    window: int = 0

    def __post_init__(self):
        self.window = self.window or PHRASE_WINDOW
        self.more = self.total > CANDIDATES
        self.total = min(self.total, CANDIDATES)


def marked_html(value: str) -> SafeString:
    """Escape everything, then turn the highlight markers into <mark>."""
    return mark_safe(escape(value).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped first


# German text quotes „so“ and ‚so‘. PostgreSQL's parser in a C-locale database takes these characters
# for letters, so „Ausbildungen“ would become one odd token that no search finds; plain quotes are
# punctuation to it. (On SQLite the words are split in Python and are not affected.)
_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "«": '"', "»": '"', "‚": "'", "‘": "'", "’": "'", "‹": "'", "›": "'"})


def clean_for_index(value: str) -> str:
    return value.replace(START, " ").replace(STOP, " ").replace("\x00", " ").translate(_QUOTES)


@lru_cache(maxsize=1)
def _reach_sql() -> tuple[str, str, str]:
    """Subqueries for a signed-in searcher (one parameter each: the user id)."""
    from members.models import Person
    from workspaces.models import WorkspaceMember

    from .models import SearchGrant

    grants, members, people = (
        connection.ops.quote_name(model._meta.db_table) for model in (SearchGrant, WorkspaceMember, Person)
    )
    # Table names from the models only; the user id is a parameter.
    own = f"e.workspace_id IN (SELECT m.workspace_id FROM {members} m WHERE m.user_id = %s)"  # noqa: S608
    to_user = f"e.id IN (SELECT g.entry_id FROM {grants} g WHERE g.user_id = %s)"  # noqa: S608
    # The city is looked up first (at most one person per account), so the grants are read through their
    # (municipality, entry) index: a join let PostgreSQL read every city's grants (30 ms at a million entries).
    city = f"SELECT p.municipality_id FROM {people} p WHERE p.user_id = %s AND p.is_active AND p.municipality_id IS NOT NULL"  # noqa: S608
    # SQLite has no arrays (and its few grants need no index plan).
    city = f"= ANY(ARRAY({city}))" if connection.vendor == "postgresql" else f"IN ({city})"
    to_city = f"e.id IN (SELECT g.entry_id FROM {grants} g WHERE g.municipality_id {city})"  # noqa: S608
    return own, to_user, to_city


def _filter_sql(scope: Scope, filters: Filters, params: list) -> str:
    """Who may open an entry (search/models.py), then the searcher's filters.

    Each part is a plain subquery that PostgreSQL runs once and hashes (SQLite likewise), so the per-row
    check stays a few lookups whatever the number of workspaces and grants. Without an account it is the
    ``public`` column alone, which has its own indexes: such a search reads only the entries it may find
    (for a common word newest first, not seven rows for every one it may show).
    """
    if scope.anonymous:
        reach = ["e.public"]
    else:
        if scope.workspace_ids is not None:
            visible = "e.workspace_id = ANY(%s)"
            params += [scope.audiences, scope.workspace_ids or [0]]
        else:
            subquery, subparams = scope.workspaces_sql
            visible = f"e.workspace_id IN ({subquery})"
            params += [scope.audiences, *subparams]
        reach = ["e.audience = ANY(%s)", f"(e.audience = 'workspace' AND {visible})"]
    if scope.user_id is not None:
        reach += _reach_sql()
        params += [scope.user_id] * 3
    clauses = ["(" + " OR ".join(reach) + ")"]
    if filters.kinds:
        clauses.append("e.kind = ANY(%s)")
        params.append(filters.kinds)
    if filters.workspace_id:
        clauses.append("e.workspace_id = %s")
        params.append(filters.workspace_id)
    if filters.municipality_id:
        clauses.append("e.municipality_id = %s")
        params.append(filters.municipality_id)
    if filters.date_from:
        clauses.append("e.date >= %s")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append("e.date < %s")
        params.append(filters.date_to)
    return " AND ".join(clauses)


COMMON_SHARE = 0.10  # a word in at least this share of the entries is "common" (see PostgresBackend._match_sql)
_FREQUENCIES_TTL_S = 600.0
_frequencies: dict[str, tuple[float, dict[str, float]]] = {}  # database alias → (read at, lexeme → share of entries)


def _lexeme_shares() -> dict[str, float]:
    """The share of entries holding each of the most common lexemes, from PostgreSQL's own statistics of the
    tsvector column (``pg_stats.most_common_elems``, kept by ANALYZE/autovacuum); read at most every 10 minutes."""
    import time

    now = time.monotonic()
    cached = _frequencies.get(connection.alias)
    if cached and now - cached[0] < _FREQUENCIES_TTL_S:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = 'search_searchentry' AND attname = 'search_vector'"
        )
        row = cursor.fetchone()
    shares = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _frequencies[connection.alias] = (now, shares)
    return shares


_lexemes: dict[str, str | None] = {}  # word → PostgreSQL's lexeme for it (None: a stop word); per process


def _lexemes_of(words: list[str]) -> list[str]:
    """The lexemes PostgreSQL's ``german`` configuration makes of these words (stop words give none); each word is
    asked once per process."""
    missing = sorted({w for w in words if w not in _lexemes})
    if missing and len(_lexemes) > 50_000:
        _lexemes.clear()
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, (SELECT lexeme FROM unnest(to_tsvector('german', w)) LIMIT 1) FROM unnest(%s::text[]) AS w",
                [missing],
            )
            _lexemes.update(cursor.fetchall())
    return [lexeme for w in words if (lexeme := _lexemes.get(w))]


WALK, COLLECT, PLANNER = "walk", "collect", "planner"


def _plan(query: textlib.ParsedQuery) -> str:
    """How the newest matches are found, from how common the words are (``_lexeme_shares``):

    - WALK, every word that must occur is common: newest first along the date (or city and date) index, each row
      checked; the match is written as the function behind ``@@``, which no index serves. The GIN index would
      first collect every match and AND it with the filter's index (measured: 226 ms for a phrase of two common
      words in one city at a million entries, against a few milliseconds for the walk);
    - COLLECT, a word is rarer than every lexeme in the statistics: all matches from the GIN index (few), then the
      newest. PostgreSQL guesses such a word at about 1 % and would walk the date index through the whole table;
    - PLANNER otherwise (prefixes, words in between, no statistics yet): PostgreSQL decides.
    """
    positive = query.positive
    if not positive or any(t.prefix for t in positive):
        return PLANNER
    shares = _lexeme_shares()
    if len(shares) < 100:  # a small or new table has no statistics worth the name
        return PLANNER
    found = [shares.get(lexeme, 0.0) for lexeme in _lexemes_of([w for t in positive for w in t.words])]
    if not found:
        return PLANNER
    if all(share >= COMMON_SHARE for share in found):
        return WALK
    if any(share == 0.0 for share in found):
        return COLLECT
    return PLANNER


def _newest(
    name: str, tsquery: tuple[str, list], where: tuple[str, list], limit: int, plan: str, *, rank: bool
) -> tuple[str, list]:
    """The CTE ``name`` and its parameters: id and date of the newest ``limit`` entries that match ``tsquery`` and
    ``where`` (each SQL with its parameters), found as ``plan`` says, and

    - with ``rank``: their relevance (``ts_rank`` against ``tsquery``), computed while the tsvector is at hand, so
      the CTE keeps three narrow columns rather than every match's tsvector (measured at 100,000 entries: the
      statement of a common word takes about half the time). It is computed after the limit (in the outer SELECT):
      PostgreSQL would otherwise rank every row that a bitmap scan sorts, e.g. all of a city's matches of the year;
    - without: the tsvector itself (a phrase is checked on it afterwards)."""
    (ts_sql, ts_params), (where_sql, where_params) = tsquery, where
    if rank:
        columns, column_params = f"e.id, e.date, ts_rank(e.search_vector, ({ts_sql})) AS rank", ts_params
    else:
        columns, column_params = "e.id, e.date, e.search_vector", []
    if plan == COLLECT:
        # OFFSET 0 keeps the filters out of the index scan: the GIN index alone finds the few matches, which are then
        # filtered; otherwise PostgreSQL ANDs the bitmap with one of the whole filter's (e.g. every public entry).
        sql = f"""
                {name}_all AS MATERIALIZED (
                    SELECT e.id, e.date FROM (
                        SELECT id, date, public, audience, workspace_id, kind, municipality_id FROM search_searchentry
                        WHERE search_vector @@ ({ts_sql}) OFFSET 0
                    ) e WHERE {where_sql}
                ),
                {name} AS MATERIALIZED (
                    SELECT {columns} FROM (SELECT id, date FROM {name}_all ORDER BY date DESC LIMIT {limit}) n
                    JOIN search_searchentry e ON e.id = n.id
                )"""  # noqa: S608 - fixed fragments only; values are parameters
        return sql, [*ts_params, *where_params, *column_params]
    match = f"ts_match_vq(e.search_vector, ({ts_sql}))" if plan == WALK else f"e.search_vector @@ ({ts_sql})"
    sql = f"""
                {name} AS MATERIALIZED (
                    SELECT {columns} FROM (
                        SELECT e.id, e.date, e.search_vector FROM search_searchentry e WHERE {match} AND {where_sql}
                        ORDER BY e.date DESC LIMIT {limit}
                    ) e
                )"""  # noqa: S608 - fixed fragments only; values are parameters
    return sql, [*column_params, *ts_params, *where_params]


class PostgresBackend:
    def write(self, entry: SearchEntry) -> None:
        """The tsvector column is generated by PostgreSQL itself."""

    def delete(self, entry_ids: list[int]) -> None:
        pass

    @staticmethod
    def _tsquery(query: textlib.ParsedQuery, *, words_only: bool = False) -> tuple[str, list]:
        """One tsquery from the parsed terms; every user word is a bound parameter.

        ``words_only`` turns each phrase into its words (all must occur, anywhere) and leaves out
        excluded phrases: a query that every entry matching the full query also matches, and that the
        GIN index answers without reading positions.
        """
        web, prefixes = [], []
        for term in query.terms:
            sign = "-" if term.negated else ""
            if term.prefix:
                prefixes.append(("!" if term.negated else "") + f"{term.words[0]}:*")
            elif len(term.words) > 1:
                if not words_only:
                    web.append(f'{sign}"{" ".join(term.words)}"')
                elif not term.negated:
                    web.extend(term.words)
            else:
                web.append(sign + term.words[0])
        parts, params = [], []
        if web:
            parts.append("websearch_to_tsquery('german', %s)")
            params.append(" ".join(web))
        for prefix in prefixes:
            parts.append("to_tsquery('german', %s)")
            params.append(prefix)
        return " && ".join(parts), params

    def search(self, query: textlib.ParsedQuery, scope: Scope, filters: Filters, limit: int, offset: int) -> Page:
        tsquery = self._tsquery(query)
        filter_params: list = []
        where = (_filter_sql(scope, filters, filter_params), filter_params)
        plan = _plan(query)
        # Ranking reads each hit's whole tsvector; for a common word that is most of the table. So only the
        # newest CANDIDATES matches are ranked by relevance and recency (rarer queries completely); one more
        # is fetched to know whether there are more. The tsquery is written out (not in a CTE) so the planner
        # sees it: the GIN index for rare terms, the date index with a per-row match for very common ones.
        if not query.has_phrase:
            head, params = _newest("matches", tsquery, where, CANDIDATES + 1, plan, rank=True)
            rows = self._page(head, "0", params, limit, offset)
            return self._finish(rows, query, window=0)
        # GIN cannot answer a phrase: every entry with all its words would be re-checked for positions (for two
        # common words a third of the table). So the candidates are the newest entries with all the words, and the
        # phrase is checked on those alone: the result is exactly the entries with the phrase among them, i.e. the
        # newest entries with the phrase. A quarter of PHRASE_WINDOW is tried first; the whole window only when
        # that does not fill the page asked for (and it was full, so there can be more).
        words = self._tsquery(query, words_only=True)
        ts_sql, ts_params = tsquery
        for window in sorted({max(1, PHRASE_WINDOW // 4), PHRASE_WINDOW}):
            head, params = _newest("candidates", words, where, window, plan, rank=False)
            head += f""",
                matches AS MATERIALIZED (
                    SELECT id, date, ts_rank(search_vector, ({ts_sql})) AS rank FROM candidates
                    WHERE ts_match_vq(search_vector, ({ts_sql}))
                    ORDER BY date DESC LIMIT {CANDIDATES + 1}
                )"""  # noqa: S608 - fixed fragments only; values are parameters
            rows = self._page(head, "(SELECT count(*) FROM candidates)", [*params, *ts_params, *ts_params], limit, offset)
            filled = bool(rows) and (rows[0][9] > offset + limit or rows[0][10] < window)
            if filled:
                break
        return self._finish(rows, query, window=window)

    @staticmethod
    def _page(head: str, window_sql: str, params: list, limit: int, offset: int) -> list:
        """Order the newest CANDIDATES matches of ``head`` (with their ``rank``) by relevance and recency; the page's rows.

        The page's rows come with their text for the snippets: one round trip, the first SNIPPET_FETCH characters
        of the shown hits' bodies only (a body can hold 200,000); a body whose first match lies beyond is read whole."""
        sql = f"""
            WITH {head},
            ranked AS (
                SELECT m.id, m.rank
                         * (1 + 1 / (1 + GREATEST(EXTRACT(EPOCH FROM (now() - m.date))::float8, 0) / 86400.0 / {RECENCY_DAYS})) AS score
                FROM (SELECT id, date, rank FROM matches ORDER BY date DESC LIMIT {CANDIDATES}) m
                ORDER BY score DESC, m.date DESC, m.id
                LIMIT %s OFFSET %s
            )
            SELECT e.id, e.kind, e.object_id, e.title, e.url, e.date, e.workspace_id, r.score, left(e.body, {SNIPPET_FETCH}),
                   (SELECT count(*) FROM matches), {window_sql}, length(e.body) > {SNIPPET_FETCH}
            FROM ranked r JOIN search_searchentry e ON e.id = r.id
            ORDER BY r.score DESC, e.date DESC, e.id
        """  # noqa: S608 - only fixed SQL fragments are interpolated; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return cursor.fetchall()

    @staticmethod
    def _finish(rows: list, query: textlib.ParsedQuery, *, window: int) -> Page:
        if not rows:
            return Page([], window=window)
        hits = [Hit(*row[:8]) for row in rows]
        _add_snippets(hits, [row[8] for row in rows], query, cut=[row[11] for row in rows])
        return Page(hits, total=rows[0][9], window_full=bool(window) and rows[0][10] >= window, window=window)


class SqliteBackend:
    def write(self, entry: SearchEntry) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [entry.pk, textlib.stemmed(entry.title), textlib.stemmed(entry.body)],
            )

    def delete(self, entry_ids: list[int]) -> None:
        if not entry_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({','.join(['%s'] * len(entry_ids))})", entry_ids)  # noqa: S608

    @staticmethod
    def _match(query: textlib.ParsedQuery) -> str:
        """An FTS5 expression; every stem is a quoted string, so user input cannot add operators."""

        def one(term: textlib.Term) -> str:
            stems = [s for s in term.stems if s]
            phrase = '"' + " ".join(stems) + '"'
            return phrase + " *" if term.prefix else phrase

        expression = " AND ".join(one(t) for t in query.positive)
        for term in query.negative:
            expression += " NOT " + one(term)
        return expression

    def search(self, query: textlib.ParsedQuery, scope: Scope, filters: Filters, limit: int, offset: int) -> Page:
        params: list = [self._match(query)]
        where = _filter_sql(scope, filters, params)
        where = where.replace("= ANY(%s)", "IN (SELECT value FROM json_each(%s))")
        params = [self._param(p) for p in params]
        sql = f"""
            WITH hits AS MATERIALIZED (
                SELECT e.id, e.date, -bm25(search_fts, 4.0, 1.0) AS relevance
                FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid
                WHERE search_fts MATCH %s AND {where}
                ORDER BY e.date DESC LIMIT {CANDIDATES + 1}
            ),
            ranked AS (
                SELECT id, relevance * (1 + 1 / (1 + MAX(julianday('now') - julianday(date), 0) / {RECENCY_DAYS})) AS score
                FROM (SELECT * FROM hits ORDER BY date DESC LIMIT {CANDIDATES})
                ORDER BY score DESC, date DESC, id
                LIMIT %s OFFSET %s
            )
            SELECT e.id, e.kind, e.object_id, e.title, e.url, e.date, e.workspace_id, r.score, e.body,
                   (SELECT count(*) FROM hits)
            FROM ranked r JOIN search_searchentry e ON e.id = r.id
            ORDER BY r.score DESC, e.date DESC, e.id
        """  # noqa: S608 - fixed fragments only
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            rows = cursor.fetchall()
        if not rows:
            return Page([])
        hits = [Hit(*row[:8]) for row in rows]
        for hit in hits:
            # SQLite keeps UTC without an offset; its driver hands back text or (for a declared timestamp) a naive
            # datetime. Either is UTC, never local time: read as local, a due date at Berlin midnight fell a day early.
            if isinstance(hit.date, str):
                hit.date = parse_datetime(hit.date)
            if isinstance(hit.date, dt.datetime) and timezone.is_naive(hit.date):
                hit.date = hit.date.replace(tzinfo=dt.UTC)
        _add_snippets(hits, [row[8] for row in rows], query)
        return Page(hits, total=rows[0][9])

    @staticmethod
    def _param(value):
        if isinstance(value, list):
            return json.dumps(value)
        if isinstance(value, dt.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value


def _add_snippets(hits: list[Hit], bodies: list[str], query: textlib.ParsedQuery, *, cut: list[bool] | None = None) -> None:
    """Highlighted title and snippet for the returned page only, the same on both databases.

    Words are compared by their stems, so "Stadt" marks "Städte"; text is escaped before marking.
    ``cut``: which bodies are only their first SNIPPET_FETCH characters; where the snippet would need more
    (no match in the slice, or its window reaches the end of the slice), the whole body is read, so the
    snippet is the same as from the whole body.
    """
    exact, prefixes = textlib.highlight_terms(query)
    bodies = [body or "" for body in bodies]
    if cut and any(cut):
        short = [i for i, body in enumerate(bodies) if cut[i] and not _window_inside(body, exact, prefixes)]
        if short:
            whole = dict(SearchEntry.objects.filter(pk__in=[hits[i].id for i in short]).values_list("pk", "body"))
            for i in short:
                bodies[i] = whole.get(hits[i].id, bodies[i]) or ""
    for hit, body in zip(hits, bodies, strict=True):
        hit.title_html = marked_html(_mark(hit.title, exact, prefixes, whole=True))
        hit.snippet_html = marked_html(_mark(body, exact, prefixes))


_SPLIT = re.compile(r"(\w+)", re.UNICODE)
SNIPPET_REACH = 800  # characters around the first match that the snippet window is cut from
_UNFOLD = {"a": "[aä]", "o": "[oö]", "u": "[uü]"}


def _stem_pattern(stem: str) -> str:
    """A pattern for the start of every word with this stem: stems are prefixes of the lower-case word
    with umlauts and ß folded (Städte → stadt, Straße → strass), so the fold is undone character-wise."""
    out, i = [], 0
    while i < len(stem):
        if stem.startswith("ss", i):
            out.append("(?:ss|ß)")
            i += 2
        else:
            out.append(_UNFOLD.get(stem[i], re.escape(stem[i])))
            i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def _word_starts(stems: tuple[str, ...]) -> re.Pattern:
    """Matched against the lower-case text; the caller checks that a hit starts a word."""
    alternatives = "|".join(_stem_pattern(s) for s in sorted(stems, key=len, reverse=True) if s)
    return re.compile(rf"(?:{alternatives})\w*")


def _first_match(value: str, exact: set[str], prefixes: tuple[str, ...]) -> int | None:
    """Where the first word with a matching stem starts in ``value`` (None: nowhere).

    Bodies can be long: instead of stemming every word, a regular expression finds the words that
    can have a matching stem, and only those are stemmed until the first real match.
    """

    def matches(word: str) -> bool:
        s = textlib.stem(word)
        return s in exact or bool(prefixes and s.startswith(prefixes))

    lowered = value.lower()
    if (exact or prefixes) and len(lowered) == len(value):  # lower() keeps positions for nearly every text
        for found in _word_starts(tuple(sorted(exact)) + prefixes).finditer(lowered):
            at = found.start()
            if (at == 0 or not lowered[at - 1].isalnum() and lowered[at - 1] != "_") and matches(found.group(0)):
                return at
    elif exact or prefixes:
        return next((m.start() for m in _SPLIT.finditer(value) if matches(m.group(0))), None)
    return None


def _window_inside(value: str, exact: set[str], prefixes: tuple[str, ...]) -> bool:
    """Whether the snippet of a longer text is decided by its first ``len(value)`` characters."""
    position = _first_match(value, exact, prefixes)
    return position is not None and position + 2 * SNIPPET_REACH < len(value)


def _mark(value: str, exact: set[str], prefixes: tuple[str, ...], *, whole: bool = False, window: int = 30) -> str:
    """Mark matching words; for bodies, cut a window of words around the first match (``_first_match``)."""

    def matches(word: str) -> bool:
        s = textlib.stem(word)
        return s in exact or bool(prefixes and s.startswith(prefixes))

    if whole:
        parts = _SPLIT.split(value)
        return "".join(START + p + STOP if i % 2 and matches(p) else p for i, p in enumerate(parts))
    position = _first_match(value, exact, prefixes)
    if position is None:
        return value[:240]
    cut_start = max(0, position - SNIPPET_REACH)
    if cut_start:  # start at a word boundary
        boundary = re.compile(r"\W").search(value, cut_start, position)
        cut_start = boundary.start() if boundary else position
    cut_end = min(len(value), position + 2 * SNIPPET_REACH)
    parts = _SPLIT.split(value[cut_start:cut_end])
    if cut_end < len(value) and len(parts) > 1 and parts[-1] == "":  # the last word may be cut: drop it
        parts = parts[:-2]
    first, offset = 1, cut_start + len(parts[0])
    while offset < position and first + 2 < len(parts):
        offset += len(parts[first]) + len(parts[first + 1])
        first += 2
    start = max(0, first - window)
    end = min(len(parts), first + 2 * window)
    for i in range(start | 1, end, 2):
        if matches(parts[i]):
            parts[i] = START + parts[i] + STOP
    text = "".join(parts[start:end]).strip()
    return ("… " if start or cut_start else "") + text + (" …" if end < len(parts) or cut_end < len(value) else "")


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def recency_factor(age_days: float) -> float:
    """The factor both back ends apply to relevance (documented for tests and the docs)."""
    return 1 + 1 / (1 + max(age_days, 0) / RECENCY_DAYS)
