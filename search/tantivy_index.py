"""The search entries in a Tantivy index on disk: the alternative to PostgreSQL's full-text search, measured side by side.

Not wired into the search page: ``bench/search_tantivy.py`` builds this index from ``search_searchentry`` and
measures it against the platform's search on the same corpus (docs/performance.md, "Search: Tantivy side by
side"). The table stays the source of truth; the index can always be rebuilt from it (``build``).

**Text.** Title and body are tokenized like the platform's German configuration: words, lower case, German
stop words dropped (positions kept, so a phrase with a stop word still needs the gap), the Snowball German
stemmer, then ASCII folding (Städte → stadt, Straße → strass, as ``search.text.stem``). Positions are indexed, so
phrases are answered from the index itself — what PostgreSQL's GIN index cannot do.

**Who may find what** — the same rule as ``search.backends._filter_sql``, as a Tantivy boolean query on indexed
fields (``Access``): the entry's ``audience`` is one of the searcher's audiences; or it is
``workspace`` and its workspace is visible to the searcher (``workspaces.access.workspaces_visible_to``,
evaluated once per search); or its workspace is one of the searcher's own (any audience); or it is granted to
the searcher (``grant_user``) or to the municipality of one of their active people (``grant_city``). The values
are disjunctions of term queries, not term sets: a term set materialises every document of, say, a member's
hundred workspaces on each search; a disjunction is only advanced to the text's matches.

**Ranking.** BM25 (title boosted ×2.5, as PostgreSQL weighs title A over body B) of all visible matches; the
CANDIDATES best are weighted with the platform's recency factor (``backends.recency_factor``) and the page is
cut from them. PostgreSQL takes the newest CANDIDATES matches instead (its ranking must read each match's
tsvector); here the candidates are the most relevant ones, the count is exact. The highlighted title and snippet
of the page's hits are the platform's own (``backends._add_snippets``, from the stored text): the same as on
PostgreSQL, and about a third of the cost of Tantivy's ``SnippetGenerator`` (kept as the fallback).
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import tantivy
from django.utils.safestring import SafeString, mark_safe
from tantivy import Filter, Occur, Query, TextAnalyzerBuilder, Tokenizer

from . import backends
from . import text as textlib
from .backends import CANDIDATES, Filters, Hit, Page, recency_factor

# The platform's highlighted title and snippet (stems marked, escaped), so both back ends show the same;
# should it move, Tantivy's own snippets are used instead.
_platform_snippets: Any = getattr(backends, "_add_snippets", None)

TOKENIZER = "german_stem"
TITLE_BOOST = 2.5  # PostgreSQL's ts_rank weighs title (A, 1.0) over body (B, 0.4)
SNIPPET_CHARS = 300
MAX_TOKEN_CHARS = 100
US = 1_000_000  # dates are stored as microseconds since the epoch (fast i64 field)


@lru_cache(maxsize=1)
def analyzer() -> tantivy.TextAnalyzer:
    """Words, lower case, German stop words out, German Snowball stems, umlauts and ß folded."""
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN_CHARS))
        .filter(Filter.lowercase())
        .filter(Filter.stopword("german"))
        .filter(Filter.stemmer("german"))
        .filter(Filter.ascii_fold())
        .build()
    )


@lru_cache(maxsize=1)
def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("kind", stored=True, tokenizer_name="raw")
    builder.add_integer_field("object_id", stored=True)
    builder.add_integer_field("workspace_id", stored=True, indexed=True)
    builder.add_integer_field("municipality_id", indexed=True)
    builder.add_text_field("audience", tokenizer_name="raw")
    builder.add_integer_field("grant_user", indexed=True)
    builder.add_integer_field("grant_city", indexed=True)
    builder.add_integer_field("date", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", stored=True, tokenizer_name=TOKENIZER)
    builder.add_text_field("body", stored=True, tokenizer_name=TOKENIZER)
    builder.add_text_field("url", stored=True, tokenizer_name="raw")
    return builder.build()


def _micros(value: dt.datetime | dt.date | str) -> int:
    if isinstance(value, str):  # SQLite's driver hands back text
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):  # a day: its start, as PostgreSQL compares a date with a timestamp
        value = dt.datetime.combine(value, dt.time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp() * US)


@dataclass
class Access:
    """What a searcher may find (see the module docstring); built per search by ``access_for``."""

    audiences: list[str]
    workspace_ids: list[int] = field(default_factory=list)  # visible workspaces (for audience "workspace")
    own_workspace_ids: list[int] = field(default_factory=list)  # member of (any audience)
    user_id: int | None = None
    municipality_ids: list[int] = field(default_factory=list)  # of the user's active people


def access_for(user: Any) -> Access:
    """The searcher's access facts from the platform's own rules, in one query after the roles' one: audiences from
    ``service.scope_for`` (the roles), the visible workspaces from ``workspaces_visible_to``, and for a signed-in
    searcher their own workspaces and the municipalities of their active people (``_filter_sql``'s subqueries)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import CharField, Value

    from accounts.roles import roles_of
    from members.models import Person
    from workspaces.access import workspaces_visible_to
    from workspaces.models import WorkspaceMember

    from .service import scope_for

    anonymous = user is None or not user.is_authenticated
    viewer = AnonymousUser() if anonymous else user
    roles_of(viewer)  # one query, kept on the user for what follows (the copy below and workspaces_visible_to)
    # Roles only (the workspaces are looked up below); on a copy, so the scope it keeps is not left on the user.
    audiences = list(scope_for(copy.copy(viewer), workspace_ids=[]).audiences)
    rows = workspaces_visible_to(viewer).order_by().annotate(part=Value("v", CharField())).values_list("part", "pk")
    if not anonymous:
        own = WorkspaceMember.objects.filter(user=user).annotate(part=Value("w", CharField())).values_list("part", "workspace_id")
        cities = (
            Person.objects.filter(user=user, is_active=True, municipality__isnull=False)
            .annotate(part=Value("m", CharField()))
            .values_list("part", "municipality_id")
        )
        rows = rows.union(own, cities, all=True)
    facts: dict[str, list[int]] = {"v": [], "w": [], "m": []}
    for part, pk in rows:
        facts[part].append(pk)
    return Access(
        audiences=audiences,
        workspace_ids=facts["v"],
        own_workspace_ids=facts["w"],
        user_id=None if anonymous else user.pk,
        municipality_ids=facts["m"],
    )


class TantivyIndex:
    """One index directory. ``TantivyIndex(path)`` opens it (``create=True``: a new, empty one)."""

    def __init__(self, path: Path, *, create: bool = False):
        self.path = Path(path)
        if create:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True)
        elif not tantivy.Index.exists(str(self.path)):
            raise FileNotFoundError(f"no Tantivy index in {self.path}")
        self.index = tantivy.Index(schema(), path=str(self.path), reuse=not create)
        self.index.register_tokenizer(TOKENIZER, analyzer())
        self.schema = schema()

    # --- writing -----------------------------------------------------------------------------------------

    def writer(self, *, heap_mb: int = 256, threads: int = 1) -> tantivy.IndexWriter:
        return self.index.writer(heap_size=heap_mb * 1_000_000, num_threads=threads)

    @staticmethod
    def document(row: tuple[Any, ...], users: Iterable[int], cities: Iterable[int]) -> tantivy.Document:
        """``row``: id, kind, object_id, workspace_id, municipality_id, audience, date, title, body, url."""
        entry_id, kind, object_id, workspace_id, municipality_id, audience, date, title, body, url = row
        doc = tantivy.Document(
            id=entry_id,
            kind=kind,
            object_id=object_id,
            audience=audience,
            date=_micros(date),
            title=title or "",
            body=body or "",
            url=url or "",
        )
        if workspace_id is not None:
            doc.add_integer("workspace_id", workspace_id)
        if municipality_id is not None:
            doc.add_integer("municipality_id", municipality_id)
        for user_id in users:
            doc.add_integer("grant_user", user_id)
        for city_id in cities:
            doc.add_integer("grant_city", city_id)
        return doc

    @staticmethod
    def _grants(entry_ids: list[int] | None = None) -> dict[int, tuple[list[int], list[int]]]:
        from .models import SearchGrant

        grants: dict[int, tuple[list[int], list[int]]] = {}
        rows = SearchGrant.objects.all()
        if entry_ids is not None:
            rows = rows.filter(entry_id__in=entry_ids)
        for entry_id, user_id, city_id in rows.values_list("entry_id", "user_id", "municipality_id").iterator(chunk_size=10_000):
            users, cities = grants.setdefault(entry_id, ([], []))
            if user_id is not None:
                users.append(user_id)
            if city_id is not None:
                cities.append(city_id)
        return grants

    _COLUMNS = "id, kind, object_id, workspace_id, municipality_id, audience, date, title, body, url"

    def build(
        self, *, batch: int = 2000, threads: int = 1, heap_mb: int = 256, progress: Callable[[str], None] | None = None
    ) -> int:
        """Index every entry of ``search_searchentry`` with its grants, read in batches by id (keyset: no server-side
        cursor needed, so also behind a transaction-mode pooler)."""
        from django.db import connection

        grants = self._grants()
        count, last = 0, 0
        writer = self.writer(heap_mb=heap_mb, threads=threads)
        started = time.perf_counter()
        sql = f"SELECT {self._COLUMNS} FROM search_searchentry WHERE id > %s ORDER BY id LIMIT %s"  # noqa: S608 - fixed columns
        while True:
            with connection.cursor() as cursor:
                cursor.execute(sql, [last, batch])
                rows = cursor.fetchall()
            if not rows:
                break
            for row in rows:
                writer.add_document(self.document(row, *grants.get(row[0], ((), ()))))
            count, last = count + len(rows), rows[-1][0]
            if progress and count % 100_000 < batch:
                progress(f"  {count} entries indexed ({time.perf_counter() - started:.0f} s)")
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def update(self, entry_ids: list[int]) -> None:
        """Bring these entries up to date from the table (written again, or removed where gone); one commit.

        What the actions that write search entries would call (or their worker task) to keep the index in sync.
        """
        from .models import SearchEntry

        grants = self._grants(entry_ids)
        rows = SearchEntry.objects.filter(pk__in=entry_ids).values_list(*[c.strip() for c in self._COLUMNS.split(",")])
        writer = self.writer(heap_mb=50)
        for entry_id in entry_ids:
            writer.delete_documents_by_term("id", entry_id)
        for row in rows:
            writer.add_document(self.document(row, *grants.get(row[0], ((), ()))))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())

    # --- searching ---------------------------------------------------------------------------------------

    def _field_query(self, field_name: str, term: textlib.Term) -> Query | None:
        """The term on one field: a word, a prefix or a phrase (stems at their positions; stop words leave a gap)."""
        positioned = []
        for offset, word in enumerate(term.words):
            positioned += [(offset, s) for s in analyzer().analyze(word)]
        if not positioned:
            return None  # only stop words: ignored, as PostgreSQL does
        if term.prefix:
            stem = positioned[0][1]
            return Query.regex_query(self.schema, field_name, _regex_escape(stem) + ".*")
        if len(positioned) == 1:
            return Query.term_query(self.schema, field_name, positioned[0][1])
        first = positioned[0][0]
        return Query.phrase_query(self.schema, field_name, [(p - first, s) for p, s in positioned])

    def _term_query(self, term: textlib.Term) -> Query | None:
        title, body = self._field_query("title", term), self._field_query("body", term)
        if title is None or body is None:
            return None
        return Query.boolean_query([(Occur.Should, Query.boost_query(title, TITLE_BOOST)), (Occur.Should, body)])

    def text_query(self, query: textlib.ParsedQuery) -> Query | None:
        """All positive terms must match (in title or body), no negated one may; None: nothing to look for."""
        must = [q for q in (self._term_query(t) for t in query.positive) if q is not None]
        if not must:
            return None
        clauses: list[tuple[Occur, Query]] = [(Occur.Must, q) for q in must]
        clauses += [(Occur.MustNot, q) for q in (self._term_query(t) for t in query.negative) if q is not None]
        return Query.boolean_query(clauses)

    def _any_of(self, field_name: str, values: list[Any]) -> Query:
        """A disjunction of term queries rather than a term set: a term set builds a bit set of every document with
        any of the values (for a member's hundred workspaces, most of the index) on each search, whereas a
        disjunction is only advanced to the text's matches (skip lists), so a rare word stays cheap."""
        if len(values) == 1:
            return Query.term_query(self.schema, field_name, values[0])
        return Query.boolean_query([(Occur.Should, Query.term_query(self.schema, field_name, v)) for v in values])

    def access_query(self, access: Access) -> Query:
        """Who may open an entry, as Tantivy sees it (the rule of ``search.backends._filter_sql``)."""
        reach = [(Occur.Should, self._any_of("audience", list(access.audiences)))]
        own = set(access.own_workspace_ids)
        visible = [pk for pk in access.workspace_ids if pk not in own]  # own workspaces match below, whatever the audience
        if visible:
            in_workspace = Query.boolean_query(
                [
                    (Occur.Must, Query.term_query(self.schema, "audience", "workspace")),
                    (Occur.Must, self._any_of("workspace_id", visible)),
                ]
            )
            reach.append((Occur.Should, in_workspace))
        if access.own_workspace_ids:
            reach.append((Occur.Should, self._any_of("workspace_id", list(access.own_workspace_ids))))
        if access.user_id is not None:
            reach.append((Occur.Should, Query.term_query(self.schema, "grant_user", access.user_id)))
        if access.municipality_ids:
            reach.append((Occur.Should, self._any_of("grant_city", list(access.municipality_ids))))
        return Query.boolean_query(reach)

    def filter_queries(self, filters: Filters) -> list[Query]:
        s = self.schema
        out = []
        if filters.kinds:
            out.append(self._any_of("kind", list(filters.kinds)))
        if filters.workspace_id:
            out.append(Query.term_query(s, "workspace_id", filters.workspace_id))
        if filters.municipality_id:
            out.append(Query.term_query(s, "municipality_id", filters.municipality_id))
        if filters.date_from or filters.date_to:
            lower = _micros(filters.date_from) if filters.date_from else None  # type: ignore[arg-type]
            upper = _micros(filters.date_to) if filters.date_to else None  # type: ignore[arg-type]
            out.append(Query.range_query(s, "date", tantivy.FieldType.Integer, lower, upper, include_upper=upper is None))
        return out

    def query(self, parsed: textlib.ParsedQuery, access: Access, filters: Filters) -> tuple[Query, Query] | None:
        """(the whole query, its text part) or None when there is nothing to look for.

        Access and filters score 0, so the score is the text's BM25 alone."""
        text_query = self.text_query(parsed)
        if text_query is None:
            return None
        clauses = [(Occur.Must, text_query), (Occur.Must, Query.const_score_query(self.access_query(access), 0.0))]
        clauses += [(Occur.Must, Query.const_score_query(q, 0.0)) for q in self.filter_queries(filters)]
        return Query.boolean_query(clauses), text_query

    def search(
        self, parsed: textlib.ParsedQuery, access: Access, filters: Filters | None = None, limit: int = 20, offset: int = 0
    ) -> Page:
        built = self.query(parsed, access, filters or Filters())
        if built is None:
            return Page([])
        whole, text_query = built
        searcher = self.index.searcher()
        found = searcher.search(whole, limit=CANDIDATES, count=True)
        candidates = found.hits
        if not candidates:
            return Page([])
        addresses = [address for _, address in candidates]
        dates = _ints(searcher.fast_field_values("date", addresses))
        ids = _ints(searcher.fast_field_values("id", addresses))
        now = time.time() * US
        ranked = sorted(
            (
                (score * recency_factor((now - date) / US / 86400.0), date, entry_id, address)
                for (score, address), date, entry_id in zip(candidates, dates, ids, strict=True)
            ),
            key=lambda r: (-r[0], -r[1], r[2]),
        )[offset : offset + limit]
        hits, bodies, docs = [], [], []
        for score, date, entry_id, address in ranked:
            doc = searcher.doc(address)
            hits.append(
                Hit(
                    id=entry_id,
                    kind=str(doc.get_first("kind")),
                    object_id=int(doc.get_first("object_id") or 0),
                    title=str(doc.get_first("title") or ""),
                    url=str(doc.get_first("url") or ""),
                    date=dt.datetime.fromtimestamp(date / US, tz=dt.UTC),
                    workspace_id=doc.get_first("workspace_id"),
                    score=score,
                )
            )
            bodies.append(str(doc.get_first("body") or ""))
            docs.append(doc)
        if _platform_snippets is not None:
            _platform_snippets(hits, bodies, parsed)
        else:
            self._snippets(searcher, text_query, hits, bodies, docs)
        return Page(hits, total=found.count)  # type: ignore[attr-defined]  # not in the stubs of 0.27

    def _snippets(
        self, searcher: tantivy.Searcher, text_query: Query, hits: list[Hit], bodies: list[str], docs: list[tantivy.Document]
    ) -> None:
        """Tantivy's own snippets (about three times the platform's cost; used if the platform's are not there)."""
        generators = {
            name: tantivy.SnippetGenerator.create(searcher, text_query, self.schema, name) for name in ("title", "body")
        }
        generators["title"].set_max_num_chars(1000)
        generators["body"].set_max_num_chars(SNIPPET_CHARS)
        for hit, body, doc in zip(hits, bodies, docs, strict=True):
            hit.title_html = _snippet_html(generators["title"].snippet_from_doc(doc), hit.title, whole=True)
            hit.snippet_html = _snippet_html(generators["body"].snippet_from_doc(doc), body)

    def matching_ids(self, parsed: textlib.ParsedQuery, access: Access, filters: Filters | None = None) -> set[int]:
        """Every visible match's entry id (for checks against PostgreSQL)."""
        built = self.query(parsed, access, filters or Filters())
        if built is None:
            return set()
        searcher = self.index.searcher()
        total = searcher.search(built[0], limit=1, count=True).count  # type: ignore[attr-defined]
        if not total:
            return set()
        addresses = [address for _, address in searcher.search(built[0], limit=total).hits]
        return set(_ints(searcher.fast_field_values("id", addresses)))


def _ints(values: list[int | float | bool | None]) -> list[int]:
    return [int(v or 0) for v in values]


def _regex_escape(value: str) -> str:
    return "".join("\\" + c if c in r".^$*+?()[]{}|\-&~#@<>\"" else c for c in value)


def _snippet_html(snippet: tantivy.Snippet, value: str, *, whole: bool = False) -> SafeString:
    """Escaped text with the matched words in <mark> (as the platform's snippets); Tantivy's ranges are byte offsets."""
    fragment = snippet.fragment()
    if not fragment:
        return mark_safe(html.escape(value if whole else value[:240]))  # noqa: S308 - escaped
    raw = fragment.encode()
    out, at = [], 0
    for part in snippet.highlighted():
        out.append(html.escape(raw[at : part.start].decode()))
        out.append("<mark>" + html.escape(raw[part.start : part.end].decode()) + "</mark>")
        at = part.end
    out.append(html.escape(raw[at:].decode()))
    text = "".join(out)
    if not whole:
        where = snippet.fragment_range()
        total = len(value.encode())
        text = ("… " if where.start > 0 else "") + text + (" …" if where.end < total else "")
    return mark_safe(text)  # noqa: S308 - every piece escaped above
