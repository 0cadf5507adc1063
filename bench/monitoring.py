"""Monitoring benchmark: survey submissions under load, all indicators for a million responses, query counts.

    .venv/bin/python bench/monitoring.py [--clients 16] [--duration 20] [--responses 1000000]

Starts a throw-away PostgreSQL (tests.support.pgcluster, durability off as in the test suite) and
measures, in one run:

1. **Survey submissions**: gunicorn serves the platform in production mode; ``--clients`` load
   processes each submit complete questionnaires with their own one-time codes (one POST per
   submission, as the last page sends all answers) for ``--duration`` seconds. Only answered
   submissions (302 to the thank-you page) count; every one must be stored (in the responses or
   still waiting in the mixing pool). Then the **whole journey** of a respondent as it really runs:
   the code page, the code, every questionnaire page (each POST carries the earlier answers), the
   submission and the thank-you page, with fresh codes, for ``--duration`` seconds
   (``survey_journeys_per_s``). The *floor* is the same number of processes
   inserting bare response rows straight into PostgreSQL (one INSERT per transaction, no HTTP, no
   Django): the ratio says which share of the database's raw insert rate a full submission reaches.
2. **Indicators for one wave of ``--responses`` responses across the ten cities**: responses are
   generated in SQL, then the round is finalised exactly as the managing office does it (one
   GROUP BY, disclosure control over every table, raking per city, every indicator, storing the
   aggregates). The floor is the bare GROUP BY over the same rows that the aggregation starts with.
3. **Dashboards read only aggregates**: SQL statements per dashboard page for a small round and for
   the million-response round must be equal, and no statement may touch the responses table.

Figures are merged into docs/benchmarks.json ("figures"); docs/performance.md explains them.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import multiprocessing as mp
import os
import platform
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django, write_figures  # noqa: E402 - needs the project root on the path
from bench.foundation import Gunicorn, _machine_busy_seconds, _tree_cpu_seconds  # noqa: E402 - same gunicorn and /proc accounting

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
HOST = "127.0.0.1"
SUBMISSIONS_TARGET = 250.0
JOURNEYS_TARGET = 25.0
INDICATORS_TARGET_S = 10.0
ANSWERS = {
    "q1": "yes",
    "q3": "german_only",
    "q4": "birth",
    "q5m": "no",
    "q6m": "yes",
    "q7m": "no",
    "q5f": "yes",
    "q7f": "yes",
    "department_group": "social",
    "pay_band": "middle",
    "trainee": "no",
    "age_band": "30_39",
    "gender": "female",
    "working_time": "part_time",
}


# --- Load processes (spawned: standard library and psycopg only) -------------------------------------------


def _submit_loop(pipe, port: int) -> None:
    """One respondent after another: POST a complete questionnaire with the next code."""
    (codes,) = pipe.recv()
    done = errors = 0
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    pipe.send("ready")
    start_at, stop_at = pipe.recv()
    while time.time() < start_at:
        time.sleep(0.002)
    cpu = time.process_time()
    for code in codes:
        if time.time() >= stop_at:
            break
        body = urllib.parse.urlencode({"code": code, "page": "employment", "action": "submit", **ANSWERS})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{HOST}:{port}", "User-Agent": "bench"}
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            connection.request("POST", "/umfrage/fragebogen/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            connection = None
            continue
        if response.status == 302 and time.time() <= stop_at:
            done += 1
        elif response.status != 302:
            errors += 1
        if response.will_close:
            connection.close()
            connection = None
    pipe.send((done, errors, time.process_time() - cpu))


JOURNEY = [  # the pages ANSWERS routes through, with the items each page asks
    ("you", ("q1", "q3")),
    ("you_more", ("q4",)),
    ("parents", ("q5m", "q7m", "q5f", "q7f")),
    ("parents_more", ("q6m",)),
    ("employment", ("department_group", "pay_band", "trainee", "age_band", "gender", "working_time")),
]


def _journey(connection: http.client.HTTPConnection, port: int, code: str) -> str:
    """One respondent's whole visit, as the browser sends it: code page, code, every page, submit, thank-you page.

    Each questionnaire page posts what is on it plus the earlier answers (hidden fields). Returns
    "" when the respondent reached the thank-you page, else the step that went wrong."""
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{HOST}:{port}", "User-Agent": "bench"}

    def call(method: str, path: str, fields: dict | None = None) -> int:
        body = urllib.parse.urlencode(fields) if fields is not None else None
        connection.request(method, path, body=body, headers=form if body is not None else {"User-Agent": "bench"})
        response = connection.getresponse()
        response.read()
        return response.status

    for step, status in (("code page", call("GET", "/umfrage/")), ("code", call("POST", "/umfrage/", {"code": code}))):
        if status != 200:
            return f"{step}: {status}"
    given: dict[str, str] = {}
    for index, (page, items) in enumerate(JOURNEY):
        given.update({item: ANSWERS[item] for item in items})
        last = index == len(JOURNEY) - 1
        fields = {"code": code, "page": page, "action": "submit" if last else "next", **given}
        status = call("POST", "/umfrage/fragebogen/", fields)
        if status != (302 if last else 200):
            return f"page {page}: {status}"
    status = call("GET", "/umfrage/danke/")
    return "" if status == 200 else f"thank-you page: {status}"


def _journey_loop(pipe, port: int) -> None:
    """Respondents one after another, each through the whole questionnaire with the next code."""
    (codes,) = pipe.recv()
    done = errors = 0
    problem = ""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    pipe.send("ready")
    start_at, stop_at = pipe.recv()
    while time.time() < start_at:
        time.sleep(0.002)
    cpu = time.process_time()
    for code in codes:
        if time.time() >= stop_at:
            break
        try:
            failed = _journey(connection, port, code)
        except (OSError, http.client.HTTPException) as error:
            failed = repr(error)
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
        if failed:
            errors += 1
            problem = problem or failed
        elif time.time() <= stop_at:
            done += 1
    pipe.send((done, errors, time.process_time() - cpu, problem))


def _insert_loop(pipe, database_url: str, wave_id: int) -> None:
    """The floor: bare INSERTs of a response row, one transaction each."""
    import uuid

    import psycopg

    pipe.recv()
    done = 0
    problem = ""
    try:
        with psycopg.connect(database_url, autocommit=True) as connection:
            pipe.send("ready")
            start_at, stop_at = pipe.recv()
            while time.time() < start_at:
                time.sleep(0.002)
            while time.time() < stop_at:
                connection.execute(
                    "INSERT INTO monitoring_response (id, wave_id, answers, migration_background, immigration_history,"
                    " one_sided_immigration_history, department_group, pay_band, trainee, age_band, gender, working_time)"
                    " VALUES (%s, %s, %s, 1, 1, 2, 1, 1, 1, 1, 0, 1)",
                    (uuid.uuid4(), wave_id, json.dumps(ANSWERS)),
                )
                done += 1
    except Exception as error:
        problem = repr(error)
    pipe.send((done, problem))


def _run_processes(target, argument_sets, payloads, seconds: float) -> tuple[list, float]:
    context = mp.get_context("spawn")
    pipes, processes = [], []
    for arguments in argument_sets:
        parent, child = context.Pipe()
        process = context.Process(target=target, args=(child, *arguments), daemon=True)
        process.start()
        pipes.append(parent)
        processes.append(process)
    for pipe, payload in zip(pipes, payloads, strict=True):
        pipe.send(payload)
    for pipe in pipes:  # every process has started, imported and connected before the clock runs
        if not pipe.poll(120) or pipe.recv() != "ready":
            raise RuntimeError("a load process did not get ready")
    start_at = time.time() + 0.2
    stop_at = start_at + seconds
    for pipe in pipes:
        pipe.send((start_at, stop_at))
    results = []
    for pipe in pipes:
        if not pipe.poll(seconds + 120):
            raise RuntimeError("a load process did not report back")
        results.append(pipe.recv())
    for process in processes:
        process.join(10)
    return results, stop_at - start_at


# --- Django side ---------------------------------------------------------------------------------------------------


def _prepare_survey(clients: int, codes_per_client: int):
    """Ten cities fielding one round; codes for every load process."""
    from members.demo import load_demo
    from members.models import Municipality
    from monitoring.models import Questionnaire, SurveyRound, Wave
    from monitoring.survey import generate_codes

    load_demo()
    questionnaire = Questionnaire.objects.create(version="bench-1", title="Benchmark", introduction="Benchmark.")
    survey_round = SurveyRound.objects.create(slug="bench-survey", name="Benchmark Befragung", questionnaire=questionnaire)
    today = dt.date.today()
    waves = [
        Wave.objects.create(
            round=survey_round,
            municipality=city,
            fielding_start=today - dt.timedelta(days=1),
            fielding_end=today + dt.timedelta(days=1),
            status="fielding",
        )
        for city in Municipality.objects.order_by("slug")
    ]
    per_client = []
    for index in range(clients):
        per_client.append(generate_codes(waves[index % len(waves)], codes_per_client))
    return waves, per_client


def _generate_million(responses: int) -> object:
    """A closed round of ``responses`` responses across the ten cities, written by SQL, with headcounts."""
    from django.db import connection

    from members.models import Municipality
    from monitoring.demo import HEADCOUNTS, STAFF_MIX, _split
    from monitoring.models import HRHeadcount, Questionnaire, SurveyRound, Wave

    questionnaire = Questionnaire.objects.get(version="bench-1")
    survey_round = SurveyRound.objects.create(slug="bench-million", name="Eine Million", questionnaire=questionnaire)
    total_staff = sum(size for size, _source in HEADCOUNTS.values())
    import random

    rng = random.Random(1)
    for slug, (size, _source) in HEADCOUNTS.items():
        city = Municipality.objects.get(slug=slug)
        wave = Wave.objects.create(
            round=survey_round,
            municipality=city,
            fielding_start=dt.date(2026, 1, 1),
            fielding_end=dt.date(2026, 2, 1),
            status="closed",
        )
        count = round(responses * size / total_staff)
        staff = int(count / rng.uniform(0.25, 0.35))
        rows = [
            HRHeadcount(
                municipality=city,
                reference_date=dt.date(2025, 12, 31),
                attribute="total",
                category="total",
                headcount=staff,
                source="bench",
            )
        ]
        for attribute, mix in STAFF_MIX.items():
            for category, value in _split(staff, mix, rng).items():
                rows.append(
                    HRHeadcount(
                        municipality=city,
                        reference_date=dt.date(2025, 12, 31),
                        attribute=attribute,
                        category=category,
                        headcount=value,
                        source="bench",
                    )
                )
        HRHeadcount.objects.bulk_create(rows)
        share = rng.uniform(0.08, 0.2)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO monitoring_response (id, wave_id, answers, migration_background, immigration_history,
                    one_sided_immigration_history, department_group, pay_band, trainee, age_band, gender, working_time)
                SELECT gen_random_uuid(), %s, '{"_core": "1"}'::jsonb,
                       CASE WHEN r.mh < 0.03 THEN 3 WHEN r.mh < %s THEN 1 ELSE 2 END,
                       CASE WHEN r.mh < 0.03 THEN 2 WHEN r.mh < %s * 0.7 THEN 1 ELSE 2 END,
                       2,
                       CASE WHEN r.a < 0.02 THEN 5 ELSE floor(random() * 5)::int END,
                       CASE WHEN r.b < 0.02 THEN 4 ELSE floor(random() * 4)::int END,
                       CASE WHEN r.c < 0.02 THEN 2 WHEN r.c < 0.09 THEN 0 ELSE 1 END,
                       CASE WHEN r.d < 0.02 THEN 5 ELSE floor(random() * 5)::int END,
                       CASE WHEN r.e < 0.02 THEN 3 WHEN r.e < 0.025 THEN 2 WHEN r.e < 0.62 THEN 0 ELSE 1 END,
                       CASE WHEN r.f < 0.02 THEN 2 WHEN r.f < 0.72 THEN 0 ELSE 1 END
                FROM (SELECT random() AS mh, random() AS a, random() AS b, random() AS c, random() AS d, random() AS e, random() AS f
                      FROM generate_series(1, %s)) AS r
                """,
                [wave.pk, share, share, count],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_response")
    return survey_round


def _group_by_seconds(survey_round) -> float:
    from django.db import connection

    columns = (
        "wave_id, migration_background, immigration_history, department_group, pay_band, trainee, age_band, gender, working_time"
    )
    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute(
            f"SELECT {columns}, COUNT(*) FROM monitoring_response WHERE wave_id IN (SELECT id FROM monitoring_wave WHERE round_id = %s) GROUP BY {columns}",
            [survey_round.pk],
        )
        cursor.fetchall()
        return time.perf_counter() - began


def _dashboard_queries(survey_round) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from members.models import Body, Membership, Municipality, Person

    user = User.objects.filter(email="bench-office@example.org").first()
    if user is None:
        user = User.objects.create_user(email="bench-office@example.org", password=None)
        person = Person.objects.create(
            given_name="Bench", family_name="Regiegruppe", municipality=Municipality.objects.first(), email=user.email, user=user
        )
        Membership.objects.create(
            person=person, body=Body.objects.get(kind="steering_group"), role="member", start_date=dt.date(2024, 1, 1)
        )
    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    slug = survey_round.slug
    city = survey_round.waves.order_by("municipality__slug").first().municipality.slug
    pages = {
        "comparison": f"/monitoring/runden/{slug}/vergleich/",
        "city": f"/monitoring/runden/{slug}/{city}/",
        "api": f"/monitoring/runden/{slug}/vergleich/daten.json",
    }
    counts = {}
    for name, path in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        if any("monitoring_response" in q["sql"] for q in queries.captured_queries):
            raise RuntimeError(f"{path} reads the responses table")
        counts[name] = len(queries.captured_queries)
    return counts


def _small_round():
    """A small finalised round (1,000 answers) for the query-count comparison."""
    import random

    from monitoring import actions
    from monitoring.demo import synthetic_responses
    from monitoring.models import Questionnaire, Response, SurveyRound, Wave

    rng = random.Random(3)
    survey_round = SurveyRound.objects.create(
        slug="bench-small", name="Klein", questionnaire=Questionnaire.objects.get(version="bench-1")
    )
    from members.models import Municipality

    for city in Municipality.objects.order_by("slug")[:4]:
        wave = Wave.objects.create(
            round=survey_round,
            municipality=city,
            fielding_start=dt.date(2026, 1, 1),
            fielding_end=dt.date(2026, 2, 1),
            status="closed",
        )
        Response.objects.bulk_create(synthetic_responses(wave, 250, 0.15, rng))
    return actions.finalise_round(None, survey_round)


# --- Report ------------------------------------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent submitting clients (default 16)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of submissions and of the insert floor (default 20)")
    parser.add_argument("--responses", type=int, default=1_000_000, help="responses in the indicator round (default 1,000,000)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3: cores + 1)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gthread worker (default 8)")
    parser.add_argument(
        "--worker-class",
        default="sync",
        choices=["sync", "gthread"],
        help="gunicorn worker class (default sync: short CPU-bound requests)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    from tests.support.pgcluster import PostgresCluster, free_tcp_port

    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="interkommunal-bench-monitoring-"))
    cluster = PostgresCluster()
    server = None
    try:
        print("» PostgreSQL", flush=True)
        database_url = cluster.start()
        setup_django(database_url, workdir / "var")
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        codes_per_client = int(args.duration * 400 / args.clients) + 200
        journeys_per_client = int(args.duration * 60 / args.clients) + 50
        print(f"» codes: {args.clients} x {codes_per_client} + {journeys_per_client}", flush=True)
        waves, codes = _prepare_survey(args.clients, codes_per_client + journeys_per_client)
        journey_codes = [c[codes_per_client:] for c in codes]
        codes = [c[:codes_per_client] for c in codes]
        connections.close_all()

        port = free_tcp_port(HOST)
        server = Gunicorn(
            port,
            {**os.environ},
            workdir / "gunicorn.log",
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
        )
        server.wait_ready("/umfrage/")
        print(f"» submissions: {args.clients} clients for {args.duration:.0f} s", flush=True)
        postmaster = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
        app_before, db_before, machine_before = (
            _tree_cpu_seconds(server.process.pid),
            _tree_cpu_seconds(postmaster),
            _machine_busy_seconds(),
        )
        window = time.monotonic()
        results, seconds = _run_processes(_submit_loop, [(port,)] * args.clients, [(c,) for c in codes], args.duration)
        window = time.monotonic() - window
        app_cpu, db_cpu = _tree_cpu_seconds(server.process.pid) - app_before, _tree_cpu_seconds(postmaster) - db_before
        machine_cpu = _machine_busy_seconds() - machine_before
        server_cpu = app_cpu + db_cpu
        submitted = sum(done for done, _errors, _cpu in results)
        errors = sum(e for _done, e, _cpu in results)
        client_cpu = sum(cpu for _done, _errors, cpu in results)
        foreign_share = max(machine_cpu - server_cpu - client_cpu, 0.0) / (window * (os.cpu_count() or 1))
        submissions_per_s = submitted / seconds

        print(f"» journeys: {args.clients} clients for {args.duration:.0f} s", flush=True)
        app_before, db_before = _tree_cpu_seconds(server.process.pid), _tree_cpu_seconds(postmaster)
        results, seconds = _run_processes(_journey_loop, [(port,)] * args.clients, [(c,) for c in journey_codes], args.duration)
        journey_cpu = _tree_cpu_seconds(server.process.pid) - app_before + _tree_cpu_seconds(postmaster) - db_before
        journeys = sum(done for done, _errors, _cpu, _problem in results)
        journey_errors = sum(e for _done, e, _cpu, _problem in results)
        if journey_errors:
            print(f"  {journey_errors} journeys failed, e.g. {next(p for *_rest, p in results if p)}", flush=True)
        journeys_per_s = journeys / seconds
        server.stop()
        server = None

        print(f"» insert floor: {args.clients} clients for {args.duration:.0f} s", flush=True)
        dsn = database_url.replace("postgres://", "postgresql://", 1)
        results, seconds = _run_processes(_insert_loop, [(dsn, waves[0].pk)] * args.clients, [()] * args.clients, args.duration)
        problems = {problem for _done, problem in results if problem}
        if problems:
            raise RuntimeError(f"insert floor failed: {problems}")
        inserts_per_s = sum(done for done, _problem in results) / seconds

        from monitoring.models import PendingResponse, Response

        stored = (
            Response.objects.filter(wave__round__slug="bench-survey").count()
            + PendingResponse.objects.filter(wave__round__slug="bench-survey").count()
        )
        answered = submitted + journeys
        print(f"» {args.responses:,} responses across ten cities", flush=True)
        small = _small_round()
        million = _generate_million(args.responses)
        group_by_s = min(_group_by_seconds(million) for _ in range(3))
        from monitoring import actions

        before = time.perf_counter()
        actions.finalise_round(None, million)
        indicators_s = time.perf_counter() - before
        queries_small = _dashboard_queries(small)
        queries_large = _dashboard_queries(million)

        figures = {
            "survey_submissions_per_s": round(submissions_per_s, 1),
            "survey_insert_floor_per_s": round(inserts_per_s, 1),
            "survey_submissions_floor_ratio": round(submissions_per_s / inserts_per_s, 3),
            "survey_submission_server_cpu_ms": round(1000 * server_cpu / max(submitted, 1), 2),
            "survey_submission_app_cpu_ms": round(1000 * app_cpu / max(submitted, 1), 2),
            "survey_submission_db_cpu_ms": round(1000 * db_cpu / max(submitted, 1), 2),
            "survey_submission_client_cpu_ms": round(1000 * client_cpu / max(submitted, 1), 2),
            "survey_journeys_per_s": round(journeys_per_s, 1),
            "survey_journey_server_cpu_ms": round(1000 * journey_cpu / max(journeys, 1), 1),
            "indicators_1m_s": round(indicators_s, 2),
            "indicators_1m_group_by_s": round(group_by_s, 3),
            "indicators_1m_group_by_ratio": round(indicators_s / group_by_s, 1),
            "monitoring_dashboard_queries_small": max(queries_small.values()),
            "monitoring_dashboard_queries_1m": max(queries_large.values()),
        }
        meta = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()},
            "postgres": postgres,
            "clients": args.clients,
            "duration_s": args.duration,
            "gunicorn": {"workers": args.workers, "threads": args.threads, "worker_class": args.worker_class},
            "submission_errors": errors,
            "journey_errors": journey_errors,
            "journey_requests": 2 + len(JOURNEY) + 1,
            "foreign_cpu_share_during_submissions": round(foreign_share, 3),
            "responses_stored_by_submissions": stored,
            "responses_in_indicator_round": args.responses,
            "dashboard_queries": {"small": queries_small, "1m": queries_large},
            "load_average_at_end": os.getloadavg(),
            "runtime_s": round(time.monotonic() - began),
        }
        print(json.dumps(figures, indent=2))
        print(f"Other processes used {foreign_share:.0%} of the machine while the submissions ran.")
        misses = []
        if submissions_per_s < SUBMISSIONS_TARGET:
            misses.append(f"survey_submissions_per_s {submissions_per_s:.1f} < {SUBMISSIONS_TARGET}")
        if indicators_s > INDICATORS_TARGET_S:
            misses.append(f"indicators_1m_s {indicators_s:.2f} > {INDICATORS_TARGET_S}")
        if queries_small != queries_large:
            misses.append(f"dashboard queries differ: {queries_small} vs {queries_large}")
        if journeys_per_s < JOURNEYS_TARGET:
            misses.append(f"survey_journeys_per_s {journeys_per_s:.1f} < {JOURNEYS_TARGET}")
        if errors or journey_errors:
            misses.append(f"{errors} failed submissions, {journey_errors} failed journeys")
        if stored < answered:
            misses.append(f"{answered} submissions answered but only {stored} stored")
        if not args.no_write:
            write_figures(args.output, figures, "monitoring", meta)
            print(f"Figures merged into {args.output}")
        print(f"Runtime {meta['runtime_s']} s; load average {os.getloadavg()[0]:.1f}.")
        if misses:
            print("Targets missed:\n  " + "\n  ".join(misses))
            return 1
        print("All targets met.")
        return 0
    finally:
        if server is not None:
            server.stop()
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
