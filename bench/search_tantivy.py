"""Search benchmark, the alternative side by side: the same corpus and query classes in a Tantivy index.

    .venv/bin/python bench/search.py --documents 1000000 --keep DIR --rounds 0   # the corpus, once (PostgreSQL)
    .venv/bin/python bench/search_tantivy.py --reuse DIR [--rebuild] [--rounds 20]

Starts the PostgreSQL cluster kept by ``bench/search.py --keep DIR`` (its ``_cluster``), applies new migrations, and:

1. **Index**: builds a Tantivy index of every row of ``search_searchentry`` with its grants in ``DIR/tantivy``
   (``search/tantivy_index.py``: German stems with positions, the access facts as indexed fields, the date as a
   fast field); build time and size are kept in ``DIR/tantivy.json``. An existing index is reused unless
   ``--rebuild``.
2. **Query classes**: the 16 classes of ``bench/search.py`` (same queries, the same member with the same
   workspaces and grants, the same filters). Each call does what a Tantivy back end of the search page would
   do per request: the searcher's access facts (audiences from the roles, the visible workspaces through
   ``workspaces_visible_to``, own workspaces and the active people's cities: a fresh user object per call),
   the Tantivy query (text AND access AND filters), BM25 × the platform's recency factor, the highlighted title
   and snippet of the 20 hits, and the platform's access check of the shown hits (``service._checked``, the
   same call as the PostgreSQL path).
3. **Correctness** against PostgreSQL on the same corpus: per class, the set of visible matches of the
   class's tsquery under the platform's permission filter (``backends._filter_sql`` with ``service.scope_for``)
   and Tantivy's set (full sets up to 200,000 documents and for the rare word and the phrase; above, for
   common words, the 400 ranked candidates must all be visible PostgreSQL matches).
4. **Keeping it in sync**: the time to write 1 and 100 changed entries again (delete + add + commit + reload).

Figures ``search_<size>_tantivy_<class>_p95_ms`` and ``search_<size>_tantivy_p95_ms_max`` go into
docs/benchmarks.json (meta: build time, index size, p50, the parts of each call, correctness, load average).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django, write_figures  # noqa: E402 - needs the project root on the path
from bench.search import QUERIES, _classes, _cluster, _load_average, _percentile, _size_label  # noqa: E402

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
P95_TARGET_MS = 100.0
FULL_SETS_UP_TO = 200_000


def _build(index_dir: Path, threads: int, heap_mb: int) -> dict:
    from search.tantivy_index import TantivyIndex

    started = time.perf_counter()
    index = TantivyIndex(index_dir, create=True)
    count = index.build(threads=threads, heap_mb=heap_mb, progress=lambda line: print(line, flush=True))
    build_s = time.perf_counter() - started
    return {
        "entries": count,
        "build_s": round(build_s, 1),
        "index_mb": round(index.size_bytes() / 1e6, 1),
        "threads": threads,
        "heap_mb": heap_mb,
        "load_average_after_build": _load_average(),
        "built_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _request_user(member, is_member: bool):
    from django.contrib.auth.models import AnonymousUser

    return copy.copy(member) if is_member else AnonymousUser()  # nothing cached on it: roles and scope looked up per call


def _one(index, user, q: str, filters, check) -> tuple[object, float, float, float]:
    """One search as a request would run it; returns the page and the time of its parts (ms)."""
    from search import text as textlib
    from search.tantivy_index import access_for

    t0 = time.perf_counter()
    access = access_for(user)
    t1 = time.perf_counter()
    page = index.search(textlib.parse(q), access, filters)
    t2 = time.perf_counter()
    if check is not None:
        check(user, page.hits)
    t3 = time.perf_counter()
    return page, (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000


def _measure(index, info: dict, rounds: int) -> tuple[dict, dict]:
    from accounts.models import User
    from search import service

    check = getattr(service, "_checked", None)
    if check is None:
        print("  note: search.service._checked not found: the access check of the shown hits is left out")
    member = User.objects.get(pk=info["user_id"])
    classes = _classes(info)
    times: dict[str, dict[str, list[float]]] = {name: {"total": [], "access": [], "engine": [], "check": []} for name in classes}
    pages = {}
    for q, is_member, filters in classes.values():  # warm the caches once
        _one(index, _request_user(member, is_member), q, filters, check)
    for _ in range(rounds):
        for name, (q, is_member, filters) in classes.items():
            page, access_ms, engine_ms, check_ms = _one(index, _request_user(member, is_member), q, filters, check)
            for part, value in (("access", access_ms), ("engine", engine_ms), ("check", check_ms)):
                times[name][part].append(value)
            times[name]["total"].append(access_ms + engine_ms + check_ms)
            pages[name] = page
    table = {}
    for name in classes:
        row = {"p50": round(_percentile(times[name]["total"], 50), 1), "p95": round(_percentile(times[name]["total"], 95), 1)}
        for part in ("access", "engine", "check"):
            row[f"{part}_p95"] = round(_percentile(times[name][part], 95), 1)
        page = pages[name]
        row["total"] = page.total
        row["more"] = page.more
        row["marked"] = sum(1 for hit in page.hits if "<mark>" in hit.title_html or "<mark>" in hit.snippet_html)
        row["shown"] = len(page.hits)
        table[name] = row
    return table, {"check_included": check is not None}


def _verify(index, info: dict, full_all: bool) -> dict:
    """Tantivy's visible matches against PostgreSQL's under the platform's own permission filter."""
    from django.db import connection

    from accounts.models import User
    from search import text as textlib
    from search.backends import CANDIDATES, _filter_sql
    from search.service import scope_for
    from search.tantivy_index import access_for

    member = User.objects.get(pk=info["user_id"])
    out = {}
    for name, (q, is_member, filters) in _classes(info).items():
        parsed = textlib.parse(q)
        access = access_for(_request_user(member, is_member))
        params: list = [q]
        where = _filter_sql(scope_for(_request_user(member, is_member)), filters, params)
        base = f"SELECT e.id FROM search_searchentry e WHERE e.search_vector @@ websearch_to_tsquery('german', %s) AND {where}"
        row: dict = {}
        if full_all or name.startswith(("rare", "phrase")):
            with connection.cursor() as cursor:
                cursor.execute(base, params)
                pg = {r[0] for r in cursor.fetchall()}
            tv = index.matching_ids(parsed, access, filters)
            row.update(mode="full", postgres=len(pg), tantivy=len(tv), only_postgres=len(pg - tv), only_tantivy=len(tv - pg))
            row["same"] = pg == tv
        else:
            page = index.search(parsed, access, filters, limit=CANDIDATES)
            ids = [hit.id for hit in page.hits]
            with connection.cursor() as cursor:
                cursor.execute(base + " AND e.id = ANY(%s)", [*params, ids])
                confirmed = {r[0] for r in cursor.fetchall()}
            row.update(mode="candidates", tantivy=len(ids), confirmed=len(confirmed), tantivy_total=page.total)
            row["same"] = len(confirmed) == len(ids)
        out[name] = row
    return out


def _sync(index) -> dict:
    """Write 1 and 100 existing entries again, as the actions that change search entries would."""
    from search.models import SearchEntry

    ids = list(SearchEntry.objects.order_by("-id").values_list("id", flat=True)[:101])
    out = {}
    for label, chunk in (("1", ids[:1]), ("100", ids[1:101])):
        started = time.perf_counter()
        index.update(chunk)
        out[f"update_{label}_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return out


def _platform_figures(output: Path, size: str) -> dict:
    if not output.exists():
        return {}
    return json.loads(output.read_text()).get("figures", {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", type=Path, required=True, help="a cluster kept with bench/search.py --keep")
    parser.add_argument("--rebuild", action="store_true", help="build the Tantivy index again")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1), help="indexing threads")
    parser.add_argument("--heap-mb", type=int, default=256, help="indexing memory")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print the figures only")
    parser.add_argument("--no-verify", action="store_true", help="skip the comparison with PostgreSQL")
    args = parser.parse_args()

    directory = args.reuse.absolute()
    info_file = directory / "corpus.json"
    if not info_file.exists():
        parser.error(f"{args.reuse} holds no corpus kept with bench/search.py --keep")
    info = json.loads(info_file.read_text())
    size = _size_label(info["documents"])
    index_dir, build_file = directory / "tantivy", directory / "tantivy.json"
    load_before = _load_average()
    with (
        tempfile.TemporaryDirectory(prefix="bench-tantivy-") as tmp,
        _cluster(directory, info["documents"], reuse=True) as cluster,
    ):
        setup_django(cluster.url, Path(tmp) / "var")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from search.tantivy_index import TantivyIndex

        if args.rebuild or not build_file.exists():
            print(f"building the Tantivy index of {info['documents']} entries in {index_dir}", flush=True)
            build = _build(index_dir, args.threads, args.heap_mb)
            build_file.write_text(json.dumps(build))
        build = json.loads(build_file.read_text())
        print(f"index: {build['entries']} entries, built in {build['build_s']} s, {build['index_mb']} MB")
        index = TantivyIndex(index_dir)
        if args.rounds == 0:
            return 0
        started = time.perf_counter()
        table, extra = _measure(index, info, args.rounds)
        measured_s = time.perf_counter() - started
        load_after = _load_average()
        verification: dict = {}
        if not args.no_verify:
            try:
                verification = _verify(index, info, full_all=info["documents"] <= FULL_SETS_UP_TO)
            except Exception as error:
                verification = {"error": repr(error)}
        sync = _sync(index)

    platform_figures = _platform_figures(args.output, size)
    print(f"{'class':<26} {'p50':>7} {'p95':>7} {'access':>7} {'engine':>7} {'check':>7} {'pg p95':>7} {'total':>6} same")
    for name, row in table.items():
        pg = platform_figures.get(f"search_{size}_{name}_p95_ms", "")
        same = verification.get(name, {}).get("same", "")
        print(
            f"{name:<26} {row['p50']:>7} {row['p95']:>7} {row['access_p95']:>7} {row['engine_p95']:>7} {row['check_p95']:>7}"
            f" {pg:>7} {row['total']:>6} {same}"
        )
    if "error" in verification:
        print("  verification failed to run:", verification["error"])
    print(f"  sync: {sync}; load average before {load_before}, after {load_after}; measured in {measured_s:.0f} s")
    worst = max(row["p95"] for row in table.values())
    figures = {f"search_{size}_tantivy_{name}_p95_ms": row["p95"] for name, row in table.items()}
    figures[f"search_{size}_tantivy_p95_ms_max"] = worst
    meta = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
        "documents": info["documents"],
        "tantivy": __import__("tantivy").__version__,
        "queries": QUERIES,
        "rounds": args.rounds,
        "build": build,
        "load_average_before_after": [load_before, load_after],
        "p50_ms": {k: v["p50"] for k, v in table.items()},
        "parts_p95_ms": {k: {p: v[f"{p}_p95"] for p in ("access", "engine", "check")} for k, v in table.items()},
        "hits": {
            k: {"total": v["total"], "more": v["more"], "shown": v["shown"], "marked": v["marked"]} for k, v in table.items()
        },
        "verification": verification,
        "sync": sync,
        **extra,
    }
    if not args.no_write:
        write_figures(args.output, figures, f"search_{size}_tantivy", meta)
    wrong = [k for k, v in verification.items() if isinstance(v, dict) and not v.get("same", True)]
    if wrong:
        print("DIFFERENT FROM POSTGRESQL:", ", ".join(wrong))
    print(f"worst class p95 {worst} ms (target {P95_TARGET_MS} ms): {'met' if worst <= P95_TARGET_MS else 'MISSED'}")
    return 1 if wrong or "error" in verification else 0


if __name__ == "__main__":
    sys.exit(main())
