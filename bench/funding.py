"""Funding benchmark: a joint project of ten cities with 5,000 receipts.

    .venv/bin/python bench/funding.py [--receipts 5000] [--repeat 5]

Starts a throw-away PostgreSQL (tests.support.pgcluster), loads the ten demo cities and builds one joint project
(lead Essen, the nine other cities as partners) with an application, a balanced financing plan (three expense
lines, the grant and ten own shares), a notice and two tranches. With 50 receipts it counts the SQL statements
of the financing overview and of the proof-of-use page (``funding_overview_queries_small``,
``funding_proof_queries_small``), adds receipts up to ``--receipts`` (bulk insert, spread over the ten cities and
the three lines) and counts again (``…_large``; must be equal: the pages read sums grouped by line and city,
never the receipts). Then it times, with the large data:

* ``funding_overview_ms``: median wall time of the overview page (``--repeat`` requests);
* ``proof_of_use_export_s``: the proof of use's PDF (WeasyPrint) plus the receipts list as XLSX (all receipts),
  both as downloads through the pages, worst wall time of ``--repeat`` runs after one warm-up (target ≤ 2 s).

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
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django, write_figures  # noqa: E402 - needs the project root on the path

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
EXPORT_TARGET_S = 2.0
SMALL = 50


def _receipts(application, cities, start: int, count: int) -> None:
    """``count`` receipts from number ``start + 1`` on, bulk-inserted (the pages read them; no action needs to run)."""
    from funding.models import Expense

    keys = ["personal", "sachausgaben", "veranstaltungen"]
    notice = application.notice
    days = (notice.period_end - notice.period_start).days
    rows = []
    for i in range(start, start + count):
        net = Decimal(1000 + (i * 37) % 9000) / 100
        vat = (net * Decimal("0.19")).quantize(Decimal("0.01")) if i % 3 else Decimal("0.00")
        deductible = i % 5 == 0
        rows.append(
            Expense(
                application=application,
                receipt_number=i + 1,
                line_key=keys[i % 3],
                municipality=cities[i % len(cities)],
                paid_on=notice.period_start + dt.timedelta(days=i % (days + 1)),
                payee=f"Lieferant {i % 97}",
                description=f"Leistung {i}",
                net=net,
                vat=vat,
                input_tax_deductible=deductible,
                eligible=net if deductible else net + vat,
                status="checked" if i % 4 else "reported",
            )
        )
    Expense.objects.bulk_create(rows, batch_size=2000)


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
    parser.add_argument("--receipts", type=int, default=5000, help="receipts of the large project (default 5000)")
    parser.add_argument("--repeat", type=int, default=5, help="page requests and export runs (default 5)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args()


def _project(office):
    from funding import actions
    from funding.demo import ensure_project, plan_lines, programme
    from funding.models import FundingType, GeneralConditions
    from members.models import Municipality

    partners = list(Municipality.objects.exclude(slug="essen").order_by("slug").values_list("slug", flat=True))
    project = ensure_project(
        office, slug="benchmark", title="Benchmark-Projekt", lead="essen", partners=partners, status="running"
    )
    lead = Municipality.objects.get(slug="essen")
    others = list(Municipality.objects.filter(slug__in=partners).order_by("slug"))
    application = actions.create_application(
        office,
        project=project,
        programme=programme(office),
        title="Benchmark",
        lines=plan_lines(
            lead, others, personnel=Decimal("300000.00"), material=Decimal("100000.00"), events=Decimal("100000.00")
        ),
        submitted_on=dt.date(2024, 10, 1),
    )
    actions.record_notice(
        office,
        application,
        date=dt.date(2024, 12, 1),
        reference="BENCH-1",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 12, 31),
        amount=Decimal("400000.00"),
        funding_type=FundingType.SHARE,
        final_on=dt.date(2025, 1, 1),
        general_conditions=GeneralConditions.ANBEST_G,
        interim_proof_months=4,
        final_proof_months=6,
        conditions=[{"title": "Beginn anzeigen", "due_date": dt.date(2025, 2, 1)}, {"title": "Publizität", "due_date": None}],
    )
    for month in range(1, 13):
        actions.add_expected_payment(
            office, application, due_on=dt.date(2025, month, 15), amount=Decimal("20000.00"), description="Monat"
        )
    for day in (dt.date(2025, 1, 10), dt.date(2025, 3, 10)):
        plan = actions.tranche_plan(application, day)
        outcome = actions.request_payment(
            office, application, requested_on=day, amount=plan.allowed or Decimal("1.00"), override_reason="Benchmark"
        )
        actions.mark_payment_received(office, outcome.request, received_on=day + dt.timedelta(days=10))
    for city in others[:3]:
        actions.forward(office, application, municipality=city, amount=Decimal("1000.00"), forwarded_on=dt.date(2025, 4, 1))
    application.refresh_from_db()
    return application, [lead, *others]


def main() -> int:
    args = _arguments()
    from tests.support.pgcluster import PostgresCluster

    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="interkommunal-bench-funding-"))
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
        from allauth.mfa.totp.internal.auth import TOTP

        from accounts.models import User
        from members.demo import load_demo
        from members.models import Body, Membership, Person
        from monitoring.pdf import available

        load_demo()
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
        application, cities = _project(user)
        slug = application.project.slug
        proof = application.proofs.get(kind="final")
        overview_path = f"/projekte/{slug}/foerderung/"
        proof_path = f"/projekte/{slug}/foerderung/nachweise/{proof.pk}/"
        exports = (
            [f"{proof_path}nachweis.pdf", f"{proof_path}belegliste.xlsx"] if available() else [f"{proof_path}belegliste.xlsx"]
        )

        print("» project built", flush=True)
        _receipts(application, cities, 0, SMALL)
        small = _queries(client, overview_path)
        proof_small = _queries(client, proof_path)
        print(f"» {args.receipts} receipts", flush=True)
        _receipts(application, cities, SMALL, args.receipts - SMALL)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        large = _queries(client, overview_path)
        proof_large = _queries(client, proof_path)
        print(f"» queries {small}/{large} (overview), {proof_small}/{proof_large} (proof); timing", flush=True)

        page_ms = []
        for _ in range(args.repeat):
            before = time.perf_counter()
            assert client.get(overview_path).status_code == 200
            page_ms.append((time.perf_counter() - before) * 1000)
        sizes = {}
        for path in exports:  # warm-up (fonts, openpyxl import)
            sizes[path.rsplit("/", 1)[1]] = len(client.get(path).content)
        export_s, export_cpu_s = [], []
        for _ in range(args.repeat):
            cpu_before = time.process_time()
            before = time.perf_counter()
            for path in exports:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            export_s.append(time.perf_counter() - before)
            export_cpu_s.append(time.process_time() - cpu_before)

        figures = {
            "funding_overview_queries_small": small,
            "funding_overview_queries_large": large,
            "funding_proof_queries_small": proof_small,
            "funding_proof_queries_large": proof_large,
            "funding_overview_ms": round(statistics.median(page_ms), 1),
            "proof_of_use_export_s": round(max(export_s), 2),
            "proof_of_use_export_cpu_s": round(max(export_cpu_s), 2),
        }
        meta = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()},
            "postgres": postgres,
            "receipts": [SMALL, args.receipts],
            "cities": len(cities),
            "exports": [path.rsplit("/", 1)[1] for path in exports],
            "export_bytes": sizes,
            "export_runs_s": [round(s, 2) for s in export_s],
            "page_runs_ms": [round(ms, 1) for ms in page_ms],
            "load_average_at_end": os.getloadavg(),
            "runtime_s": round(time.monotonic() - began),
        }
        print(json.dumps(figures, indent=2))
        misses = []
        if small != large:
            misses.append(f"overview query counts differ: {small} (small) / {large} (large)")
        if proof_small != proof_large:
            misses.append(f"proof query counts differ: {proof_small} (small) / {proof_large} (large)")
        if figures["proof_of_use_export_s"] > EXPORT_TARGET_S:
            misses.append(f"proof_of_use_export_s {figures['proof_of_use_export_s']} > {EXPORT_TARGET_S}")
        if not available():
            misses.append("WeasyPrint is not available: the PDF was not timed")
        if not args.no_write:
            write_figures(args.output, figures, "funding", meta)
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


if __name__ == "__main__":
    sys.exit(main())
