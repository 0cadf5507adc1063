"""Connection pooling measured: one page through one gunicorn, with four ways to reach PostgreSQL, in one run.

    .venv/bin/python bench/pooling.py [--seconds 15] [--clients 8] [--no-write]

Starts a throw-away PostgreSQL (tests.support.pgcluster) with the demo data and Debian's PgBouncer in
transaction mode in front of it (``apt-get install pgbouncer``; ``bin/topology --pgbouncer`` installs it too).
Then, one after the other, one gunicorn (1 process, 4 threads, as an app server of bin/topology) with:

* ``none``       – a new database connection per request (``DATABASE_CONN_MAX_AGE=0``);
* ``persistent`` – Django's persistent connections (``DATABASE_CONN_MAX_AGE=60``, the production default);
* ``psycopg``    – psycopg's pool inside the process (``DATABASE_POOL=1``);
* ``pgbouncer``  – through PgBouncer in transaction mode (``DATABASE_CONN_MAX_AGE=0``,
  ``DATABASE_DISABLE_SERVER_SIDE_CURSORS=1``).

``--clients`` threads request the page with keep-alive for ``--seconds`` each (after a warm-up); the figures
``pool_<mode>_rps`` and ``pool_<mode>_p95_ms`` go into docs/benchmarks.json. On a shared 2-core machine
the client, gunicorn, PgBouncer and PostgreSQL share the cores: compare the modes with each other, not
with other benchmarks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import write_figures  # noqa: E402 - needs the project root on the path
from ops.deploy.pgbouncer import free_port, start_pgbouncer, wait_port  # noqa: E402

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
PAGE = "/mitgliedsstaedte/"  # public, a few queries: the connection cost shows
MODES = {
    "none": {"DATABASE_CONN_MAX_AGE": "0"},
    "persistent": {"DATABASE_CONN_MAX_AGE": "60"},
    "psycopg": {"DATABASE_POOL": "1", "DATABASE_POOL_MIN_SIZE": "4", "DATABASE_POOL_MAX_SIZE": "4"},
    "pgbouncer": {"DATABASE_CONN_MAX_AGE": "0", "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1"},
}


def start_gunicorn(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    argv = [gunicorn, "interkommunal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"]
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    wait_port(port, timeout=90)
    return process, port


def load(port: int, seconds: float, clients: int) -> tuple[float, float, int]:
    """Requests per second, p95 in ms and the number of errors of ``clients`` keep-alive clients."""
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", PAGE, headers={"Host": "localhost", "X-Forwarded-Proto": "https"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else float("nan")
    return len(latencies) / elapsed, p95, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from tests.support.pgcluster import PostgresCluster, service_account

    work = Path(tempfile.mkdtemp(prefix="faults-pooling-"))
    cluster = PostgresCluster()
    database_url = cluster.start()
    processes: list[subprocess.Popen] = []
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INTERKOMMUNAL_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "interkommunal.settings",
        "INTERKOMMUNAL_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "localhost",
        "SECURE_SSL_REDIRECT": "false",
        "INTERKOMMUNAL_VAR_DIR": str(work / "var"),
        "LOG_LEVEL": "ERROR",
    }
    figures: dict[str, float] = {}
    bouncer_dir: Path | None = None
    detail: dict[str, dict] = {}
    try:
        print("» Daten (Migrationen, Demo)", file=sys.stderr, flush=True)
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        demo = "from members.demo import load_demo; load_demo()"
        subprocess.run([*manage, "shell", "-c", demo], cwd=ROOT, env=env, check=True, capture_output=True)
        bouncer_dir = Path(tempfile.mkdtemp(prefix="faults-pgbouncer-"))  # its own: the service account must enter it
        bouncer, bouncer_url = start_pgbouncer(bouncer_dir, database_url, service_account())
        processes.append(bouncer)
        for mode, extra in MODES.items():
            url = bouncer_url if mode == "pgbouncer" else database_url
            app, port = start_gunicorn({**env, **extra, "DATABASE_URL": url}, work / f"gunicorn-{mode}.log")
            try:
                load(port, args.warmup, args.clients)
                rps, p95, errors = load(port, args.seconds, args.clients)
            finally:
                app.terminate()
                app.wait(30)
            print(f"{mode:11s} {rps:7.1f} req/s   p95 {p95:7.1f} ms   errors {errors}", flush=True)
            if errors:
                raise SystemExit(f"{mode}: {errors} failed requests; see {work}/gunicorn-{mode}.log")
            figures[f"pool_{mode}_rps"] = round(rps, 1)
            figures[f"pool_{mode}_p95_ms"] = round(p95, 1)
            detail[mode] = {"settings": extra, "via": "pgbouncer (transaction)" if mode == "pgbouncer" else "direct"}
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
        if bouncer_dir is not None:
            shutil.rmtree(bouncer_dir, ignore_errors=True)
    if args.no_write:
        return
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    write_figures(
        args.output,
        figures,
        "pooling",
        {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": commit,
            "page": PAGE,
            "clients": args.clients,
            "seconds": args.seconds,
            "app_server": "one gunicorn, 1 process, 4 threads",
            "modes": detail,
            "machine": {"cpu_count": os.cpu_count(), "os": platform.platform(), "python": platform.python_version()},
            "load_average_1m_at_end": round(os.getloadavg()[0], 1),  # other work on the machine during the run
        },
    )


if __name__ == "__main__":
    main()
