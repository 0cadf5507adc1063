"""Annual report benchmark: the draft page and the PDF/A over ten years of a busy cooperation.

    .venv/bin/python bench/annual_report.py [--scale 100] [--repeat 5]

Starts a throw-away PostgreSQL (tests.support.pgcluster), loads the demo structure with ``20 × scale`` generated
people (members.scale), and creates one small year of activity. It counts the SQL statements of the draft page
(``annual_report_queries_small``), then adds ten years of activity at scale: per year ``3 × scale`` held
meetings with minutes (eight attendees and four cities each), three agenda items with a decision and an action
(with its task) per meeting, ``5 × scale`` documents, ``3 × scale`` events and ``3 × scale`` news posts — at scale
100 thousands of each per year — and counts again (``annual_report_queries_large``; must be equal: the figures are
grouped counts, one query per section, however much happened). Then it times, with the large data:

* ``annual_report_page_ms``: median wall time of the draft page (``--repeat`` requests);
* ``annual_report_pdf_s``: the draft's PDF/A-3a (figures computed live, rendered with WeasyPrint), worst wall
  time of ``--repeat`` runs after one warm-up (target ≤ 10 s); ``annual_report_pdf_cpu_s`` the CPU time of this
  process for the same runs (what it costs without waiting for a core on a shared machine);
* ``annual_report_freeze_s``: freezing (snapshot, PDF/A and ODT stored), once.

Figures are merged into docs/benchmarks.json ("figures"); docs/performance.md explains them.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django, write_figures  # noqa: E402 - needs the project root on the path

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
PDF_TARGET_S = 10.0
REPORT_YEAR = 2025
YEARS = range(REPORT_YEAR - 9, REPORT_YEAR + 1)
BERLIN = ZoneInfo("Europe/Berlin")
BATCH = 2000


def _activity(year: int, meetings: int, documents: int, events: int, posts: int) -> None:
    """One year of activity, written with bulk inserts (the report reads it; no action needs to run)."""
    import random

    from calendar_events.models import Event
    from documents.models import Document
    from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
    from members.models import Body, Municipality, Person
    from news.models import Post
    from tasks.models import Task, TaskStatus

    rng = random.Random(year)
    bodies = list(Body.objects.filter(slug__in=["regiegruppe", "projektteam"]).select_related("workspace"))
    cities = list(Municipality.objects.all())
    people = list(Person.objects.values_list("pk", flat=True)[:400])
    start = dt.datetime(year, 1, 1, 10, tzinfo=BERLIN)

    def when(i: int, n: int) -> dt.datetime:
        return start + dt.timedelta(minutes=int(i * (365 * 24 * 60 - 600) / max(n, 1)))

    rows = [
        Meeting(
            body=bodies[i % 2],
            title=f"Sitzung {year}-{i}",
            start=when(i, meetings),
            end=when(i, meetings) + dt.timedelta(hours=3),
            status="held",
        )
        for i in range(meetings)
    ]
    created = Meeting.objects.bulk_create(rows, batch_size=BATCH)
    minutes = Minutes.objects.bulk_create([Minutes(meeting=m) for m in created], batch_size=BATCH)
    Minutes.attendees.through.objects.bulk_create(
        [Minutes.attendees.through(minutes_id=m.pk, person_id=p) for m in minutes for p in rng.sample(people, 8)],
        batch_size=BATCH,
    )
    Minutes.cities.through.objects.bulk_create(
        [Minutes.cities.through(minutes_id=m.pk, municipality_id=c.pk) for m in minutes for c in rng.sample(cities, 4)],
        batch_size=BATCH,
    )
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                body=m.body,
                meeting=m,
                title=rng.choice(["Fortbildung", "Personalgewinnung", "Information", "Bericht"]),
                status="accepted",
            )
            for m in created
            for _ in range(3)
        ],
        batch_size=BATCH,
    )
    Decision.objects.bulk_create(
        [
            Decision(agenda_item=item, text=f"Beschluss zu {item.title}", status=rng.choice(["valid", "done", "superseded"]))
            for item in items
        ],
        batch_size=BATCH,
    )
    statuses = [TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED]
    tasks = []
    for item in items:
        status = rng.choice(statuses)
        tasks.append(
            Task(
                workspace=item.body.workspace,
                title="Aufgabe",
                status=status,
                completed_at=item.meeting.start if status == TaskStatus.DONE else None,
            )
        )
    tasks = Task.objects.bulk_create(tasks, batch_size=BATCH)
    ActionItem.objects.bulk_create(
        [
            ActionItem(agenda_item=item, body=item.body, description="Aufgabe", municipality=rng.choice(cities), task=task)
            for item, task in zip(items, tasks, strict=True)
        ],
        batch_size=BATCH,
    )
    workspace = bodies[0].workspace
    docs = Document.objects.bulk_create(
        [
            Document(
                workspace=workspace,
                title=f"Handreichung {year}-{i}",
                is_public=i % 3 == 0,
                published_at=when(i, documents) if i % 3 == 0 else None,
            )
            for i in range(documents)
        ],
        batch_size=BATCH,
    )
    Document.objects.filter(pk__in=[d.pk for d in docs]).update(created=start + dt.timedelta(days=100))
    Event.objects.bulk_create(
        [
            Event(
                workspace=workspace,
                title=f"Workshop {i}",
                starts_at=when(i, events),
                ends_at=when(i, events) + dt.timedelta(hours=2),
                location="Rathaus",
            )
            for i in range(events)
        ],
        batch_size=BATCH,
    )
    Post.objects.bulk_create(
        [
            Post(title=f"Newsletter {year}-{i}", body="Text", published_at=when(i, posts), is_public=i % 2 == 0)
            for i in range(posts)
        ],
        batch_size=BATCH,
    )


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(captured)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100, help="size of the cooperation (default 100)")
    parser.add_argument("--repeat", type=int, default=5, help="page requests and PDF runs (default 5)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    from tests.support.pgcluster import PostgresCluster

    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="interkommunal-bench-annual-"))
    cluster = PostgresCluster()
    try:
        print("» PostgreSQL", flush=True)
        database_url = cluster.start()
        setup_django(database_url, workdir / "var")
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        from accounts.models import User
        from annualreport import actions
        from annualreport.outputs import render_pdf
        from annualreport.presentation import build
        from members.models import Body, Membership, Person
        from members.scale import generate
        from workspaces.actions import ensure_body_workspaces

        generate(args.scale)
        ensure_body_workspaces()
        from allauth.mfa.totp.internal.auth import TOTP

        user = User.objects.create_user(email="office@bench.example", password=None)
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # the office must have a second factor
        person = Person.objects.create(given_name="Olivia", family_name="Office", user=user)
        Membership.objects.create(
            person=person,
            body=Body.objects.get(slug="geschaeftsfuehrung"),
            role=Membership.Role.MANAGING_OFFICE,
            start_date=dt.date(2020, 1, 1),
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        report = actions.create_draft(user, REPORT_YEAR)
        path = f"/jahresberichte/{report.pk}/"

        _activity(REPORT_YEAR, 2, 2, 2, 2)
        small = _queries(client, path)
        per_year = {"meetings": 3 * args.scale, "documents": 5 * args.scale, "events": 3 * args.scale, "posts": 3 * args.scale}
        print(f"» ten years of activity, per year {per_year}", flush=True)
        for year in YEARS:
            _activity(year, **per_year)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        large = _queries(client, path)

        page_ms = []
        for _ in range(args.repeat):
            before = time.perf_counter()
            assert client.get(path).status_code == 200
            page_ms.append((time.perf_counter() - before) * 1000)
        render_pdf(build(report))  # warm-up: the one-off font conversion (annualreport.outputs.pdf_font_dir)
        pdf_s, pdf_cpu_s = [], []
        for _ in range(args.repeat):
            cpu_before = time.process_time()
            before = time.perf_counter()
            render_pdf(build(report))
            pdf_s.append(time.perf_counter() - before)
            pdf_cpu_s.append(time.process_time() - cpu_before)
        before = time.perf_counter()
        report = actions.freeze(user, report, report.version)
        freeze_s = time.perf_counter() - before

        from annualreport.models import AnnualReport
        from documents.models import Document
        from meetings.models import ActionItem, Meeting

        totals = {
            "meetings": Meeting.objects.count(),
            "actions": ActionItem.objects.count(),
            "documents": Document.objects.count(),
        }
        figures = {
            "annual_report_queries_small": small,
            "annual_report_queries_large": large,
            "annual_report_page_ms": round(statistics.median(page_ms), 1),
            "annual_report_pdf_s": round(max(pdf_s), 2),
            "annual_report_pdf_cpu_s": round(max(pdf_cpu_s), 2),
            "annual_report_freeze_s": round(freeze_s, 2),
        }
        meta = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()},
            "postgres": postgres,
            "scale": args.scale,
            "years": [YEARS.start, YEARS.stop - 1],
            "per_year": per_year,
            "rows": totals,
            "pdf_bytes": len(bytes(AnnualReport.objects.get(pk=report.pk).pdf)),
            "pdf_runs_s": [round(s, 2) for s in pdf_s],
            "page_runs_ms": [round(ms, 1) for ms in page_ms],
            "load_average_at_end": os.getloadavg(),
            "runtime_s": round(time.monotonic() - began),
        }
        print(json.dumps(figures, indent=2))
        misses = []
        if small != large:
            misses.append(f"query counts differ: {small} (small) / {large} (large)")
        if figures["annual_report_pdf_s"] > PDF_TARGET_S:
            misses.append(f"annual_report_pdf_s {figures['annual_report_pdf_s']} > {PDF_TARGET_S}")
        if not args.no_write:
            write_figures(args.output, figures, "annual_report", meta)
            print(f"Figures merged into {args.output}")
        print(f"Runtime {meta['runtime_s']} s; load average {os.getloadavg()[0]:.1f}.")
        if misses:
            print("Targets missed:\n  " + "\n  ".join(misses))
            return 1
        print("All targets met.")
        return 0
    finally:
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
