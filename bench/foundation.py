"""Foundation benchmark: the main public and member pages under load, each compared with the floor.

    .venv/bin/python bench/foundation.py [--duration 20] [--clients 8]

Starts a throw-away PostgreSQL (tests.support.pgcluster), migrates it in production mode, loads the
demo accounts and scale-100 synthetic data (generate_data), serves the platform with gunicorn on
127.0.0.1 and drives it with keep-alive HTTP clients in separate processes. The floor
(``bench/floor/``, base layout with an empty content block) shows what any page costs before its own
work; each page is reported as a fraction of its floor. Query counts are taken in-process at scale 1
and at scale 100 and must match. Figures go to docs/benchmarks.json; docs/performance.md explains them.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import io
import multiprocessing as mp
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django, write_figures  # noqa: E402 - needs the project root on the path

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
HOST = "127.0.0.1"
USER_AGENT = "interkommunal-bench/1"
MEMBER_EMAIL = "sprecherin@interkommunal.example"  # body member (steering group speaker), no MFA duty
SCALE_SMALL, SCALE_LARGE = 1, 100
DEFAULT_DOCUMENTS = 10_000  # the measured pages show no documents; enough for realistic table sizes

RATIO_TARGET = 0.25
RATIO_TARGETS = {1000: 0.35}  # issue 14: at scale 1000 the worst key page keeps 35 % of the floor
RSS_TARGET_MB = 200.0
FOREIGN_LOAD_WARNING = 0.10  # share of the machine's CPU used by processes outside the benchmark


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    member: bool
    floor: str | None = None


FLOOR_ANONYMOUS, FLOOR_MEMBER = "floor_anonymous", "floor_member"
# Each floor runs right before the pages measured against it.
TARGETS = [
    Target(FLOOR_ANONYMOUS, "/bench/floor/", member=False),
    Target("start", "/", member=False, floor=FLOOR_ANONYMOUS),
    Target("municipalities", "/mitgliedsstaedte/", member=False, floor=FLOOR_ANONYMOUS),
    Target(FLOOR_MEMBER, "/bench/floor/", member=True),
    Target("directory", "/verzeichnis/?city=essen&body=projektteam&q=a", member=True, floor=FLOOR_MEMBER),
    Target("person", "/verzeichnis/personen/{person}/", member=True, floor=FLOOR_MEMBER),
]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    client_cpu: float = 0.0
    worker_cpu: float = 0.0
    postgres_cpu: float = 0.0
    machine_cpu: float = 0.0
    completed: int = 0  # all answered requests, also those finishing after the stop time (for CPU per request)
    window: float = 0.0  # wall time over which the CPU figures were taken (a little longer than ``seconds``)

    @property
    def cpu_ms(self) -> float:
        """Server CPU (gunicorn workers and PostgreSQL) per request: far less distorted by other load than req/s."""
        return 1000 * (self.worker_cpu + self.postgres_cpu) / self.completed if self.completed else 0.0

    @property
    def foreign_cpu(self) -> float:
        """Busy CPU time of the machine not spent by the server, PostgreSQL or the load clients."""
        return max(self.machine_cpu - self.worker_cpu - self.postgres_cpu - self.client_cpu, 0.0)

    def cpu_share(self, seconds: float, ncpu: int) -> float:
        return seconds / (self.window * ncpu) if self.window else 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- Load generator (runs in spawned processes: standard library only) ------------------------


def _remember_cookies(jar: dict[str, str], response: http.client.HTTPResponse) -> None:
    """Keep what the server sets, as a browser would (the Secure flag is ignored on purpose: plain http)."""
    for header, value in response.getheaders():
        if header.lower() != "set-cookie":
            continue
        name, _, rest = value.partition("=")
        cookie_value, _, attributes = rest.partition(";")
        if not cookie_value or "max-age=0" in attributes.lower():
            jar.pop(name.strip(), None)
        else:
            jar[name.strip()] = cookie_value


def _client_loop(pipe, port: int) -> None:
    """One client: sequential keep-alive GETs until the stop time, then report latencies and CPU used."""
    while (job := pipe.recv()) is not None:
        path, cookies, start_at, stop_at = job
        jar = dict(cookies)
        latencies = array("d")
        errors = 0
        completed = 0
        connection: http.client.HTTPConnection | None = None
        while time.time() < start_at:
            time.sleep(0.002)
        cpu_before = time.process_time()
        while time.time() < stop_at:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            headers = {"User-Agent": USER_AGENT, "Accept": "text/html", "Accept-Language": "de-DE,de;q=0.9"}
            if jar:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = None
                errors += 1
                time.sleep(0.01)
                continue
            elapsed = time.perf_counter() - began
            _remember_cookies(jar, response)
            completed += 1
            if response.status != 200:
                errors += 1
            elif time.time() <= stop_at:
                latencies.append(elapsed)
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        pipe.send((latencies.tobytes(), errors, completed, time.process_time() - cpu_before))


class ClientPool:
    """N load-generating processes; spawned, so they carry neither Django nor database connections."""

    def __init__(self, count: int, port: int) -> None:
        context = mp.get_context("spawn")
        self.pipes = []
        self.processes = []
        for _ in range(count):
            parent, child = context.Pipe()
            process = context.Process(target=_client_loop, args=(child, port), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def run(self, path: str, cookies: list[dict[str, str]], seconds: float) -> tuple[list[float], int, int, float, float]:
        start_at = time.time() + 0.3
        stop_at = start_at + seconds
        for pipe, jar in zip(self.pipes, cookies, strict=True):
            pipe.send((path, jar, start_at, stop_at))
        latencies: list[float] = []
        errors = completed = 0
        cpu = 0.0
        for pipe in self.pipes:
            if not pipe.poll(seconds + 60):
                raise RuntimeError("A load client did not report back.")
            raw, client_errors, client_completed, client_cpu = pipe.recv()
            samples = array("d")
            samples.frombytes(raw)
            latencies.extend(samples)
            errors += client_errors
            completed += client_completed
            cpu += client_cpu
        return latencies, errors, completed, stop_at - start_at, cpu

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.terminate()


# --- Processes: gunicorn, PostgreSQL, CPU and memory from /proc --------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children, including children that have already exited.

    Exited children are counted through the parent's cutime/cstime, so connections that PostgreSQL
    closes and reopens (CONN_MAX_AGE) during a phase do not make the figure jump backwards.
    """

    def times(process: int, *, reaped: bool) -> int:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        own = int(fields[11]) + int(fields[12])  # utime, stime
        return own + (int(fields[13]) + int(fields[14]) if reaped else 0)  # cutime, cstime

    total = times(pid, reaped=True) + sum(times(child, reaped=False) for child in _children(pid))
    return total / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy since boot, other people's processes included."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


class Gunicorn:
    def __init__(self, port: int, env: dict[str, str], log: Path, *, workers: int, worker_class: str, threads: int) -> None:
        self.port = port
        self.log = log
        self.config = {"workers": workers, "worker_class": worker_class, "threads": threads}
        command = [sys.executable, "-m", "gunicorn", "interkommunal.wsgi", "--bind", f"{HOST}:{port}"]
        command += ["--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads)]
        command += ["--keep-alive", "5", "--timeout", "60", "--graceful-timeout", "10"]
        self.handle = log.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT)

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{_tail(self.log)}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", path)
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on {HOST}:{self.port}:\n{_tail(self.log)}")

    def workers(self) -> list[int]:
        return _children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.handle.close()


def _tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def _get(port: int, path: str, cookies: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"User-Agent": USER_AGENT}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


# --- Django side: data, sessions, query counts ------------------------------------------------


def _command(name: str, **options) -> str:
    from django.core.management import call_command

    out = io.StringIO()
    call_command(name, stdout=out, **options)
    return out.getvalue().strip()


def _load_demo_accounts() -> None:
    """The demo cities, bodies and people plus the persona accounts; nothing else of the demo is needed here."""
    from members.demo import load_demo, load_demo_accounts

    load_demo()
    load_demo_accounts()


def _member_user():
    from accounts.models import User

    return User.objects.get(email=MEMBER_EMAIL)


def _session_cookie(user) -> dict[str, str]:
    """Log in as the real login does (django.contrib.auth.login via the test client) and return the cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _person_to_show() -> int:
    """A generated person with a deputy seat and history if possible; called at scale 1, so it exists at both scales."""
    from django.db.models import Count, Q

    from members.models import Membership
    from members.scale import generated_people

    candidate = (
        generated_people()
        .filter(is_active=True, profile_visibility__in=["public", "members"])
        .annotate(
            seats=Count("memberships"),
            deputy=Count("memberships", filter=Q(memberships__role=Membership.Role.DEPUTY_MEMBER)),
        )
        .order_by("-deputy", "-seats", "email")
        .first()
    )
    if candidate is None:
        raise RuntimeError("No generated person to show; did generate_data run?")
    return candidate.pk


def _count_queries(paths: dict[str, str], user) -> dict[str, int]:
    """SQL statements per page, second request of each (the first warms per-process caches)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client(HTTP_HOST=HOST)
    member = Client(HTTP_HOST=HOST)
    member.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    counts = {}
    for target in TARGETS:
        client = member if target.member else anonymous
        client.get(paths[target.name])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(paths[target.name])
        if response.status_code != 200:
            raise RuntimeError(f"{target.name}: {paths[target.name]} answered {response.status_code} in-process.")
        counts[target.name] = len(queries.captured_queries)
    return counts


def _scale_one_counts() -> dict:
    """Query counts at scale 1 in a throw-away cluster, taken by a child process (``--count-scale-one``)."""
    import json

    from tests.support.pgcluster import PostgresCluster

    print("» scale 1 in a throw-away cluster (query counts)", flush=True)
    with PostgresCluster() as cluster:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        result = subprocess.run(
            [sys.executable, __file__, "--count-scale-one", "--database-url", cluster.url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _count_scale_one(database_url: str) -> int:
    import json

    workdir = Path(tempfile.mkdtemp(prefix="interkommunal-bench-"))
    try:
        setup_django(database_url, workdir / "var", settings_module="bench.settings")
        from members.models import Person

        _command("migrate", interactive=False, verbosity=0)
        _command("collectstatic", interactive=False, verbosity=0)
        _load_demo_accounts()
        _command("generate_data", scale=SCALE_SMALL, documents=1000 * SCALE_SMALL, verbosity=0)
        person = _person_to_show()
        paths = {t.name: t.path.format(person=person) for t in TARGETS}
        counts = _count_queries(paths, _member_user())
        print(json.dumps({"email": Person.objects.get(pk=person).email, "counts": counts}))
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _postmaster_pid() -> int:
    """The PostgreSQL server process: parent of this connection's backend (works for a cluster we did not start)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


# --- Report ------------------------------------------------------------------------------------


def _machine() -> dict:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = 0.0
    with contextlib.suppress(OSError, ValueError):
        memory_gb = round(_meminfo_kb() / 1024 / 1024, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def _meminfo_kb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def _commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else "")


def _report(
    results: dict[str, Result], queries: dict[int, dict[str, int]], rss_mb: float, ncpu: int, large_scale: int = SCALE_LARGE
) -> tuple[dict, list[str]]:
    figures: dict[str, float | int] = {}
    SCALE_LARGE = large_scale
    RATIO_TARGET = RATIO_TARGETS.get(large_scale, globals()["RATIO_TARGET"])
    misses = []
    header = f"{'page':<16} {'req/s':>7} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} {'ratio':>6}"
    header += f" {'SQL@1':>6} {f'SQL@{SCALE_LARGE}':>7} {'errors':>6} | {'app':>4} {'pg':>4} {'load':>4} {'other':>5}"
    print("\n" + " " * 48 + "server CPU per request" + " " * 23 + "| machine CPU share")
    print(header + "\n" + "-" * len(header))
    ratios = []
    for target in TARGETS:
        result = results[target.name]
        floor = results[target.floor] if target.floor else None
        ratio = result.rps / floor.rps if floor and floor.rps else None
        cpu_ratio = floor.cpu_ms / result.cpu_ms if floor and result.cpu_ms else None
        cpu = (result.worker_cpu, result.postgres_cpu, result.client_cpu, result.foreign_cpu)
        shares = [result.cpu_share(seconds, ncpu) for seconds in cpu]
        small, large = queries[SCALE_SMALL][target.name], queries[SCALE_LARGE][target.name]
        print(
            f"{target.name:<16} {result.rps:7.1f} {_fmt(ratio):>6} {result.percentile_ms(0.5):7.1f} {result.percentile_ms(0.95):7.1f}"
            f" {result.cpu_ms:7.1f} {_fmt(cpu_ratio):>6} {small:6d} {large:7d} {result.errors:6d} |"
            + "".join(f" {share:4.0%}" for share in shares[:3])
            + f" {shares[3]:5.0%}"
        )
        figures[f"{target.name}_rps"] = round(result.rps, 1)
        figures[f"{target.name}_p50_ms"] = round(result.percentile_ms(0.5), 1)
        figures[f"{target.name}_p95_ms"] = round(result.percentile_ms(0.95), 1)
        figures[f"{target.name}_cpu_ms"] = round(result.cpu_ms, 2)
        figures[f"{target.name}_queries"] = large
        if ratio is not None and cpu_ratio is not None:
            figures[f"{target.name}_floor_ratio"] = round(ratio, 3)
            figures[f"{target.name}_cpu_floor_ratio"] = round(cpu_ratio, 3)
            ratios.append(ratio)
        if small != large:
            misses.append(f"{target.name}: {small} queries at scale {SCALE_SMALL} but {large} at scale {SCALE_LARGE}")
        if result.errors:
            misses.append(f"{target.name}: {result.errors} failed requests")
    figures["page_floor_ratio_min"] = round(min(ratios), 3)
    figures["max_queries_per_page_scale1"] = max(queries[SCALE_SMALL].values())
    figures[f"max_queries_per_page_scale{SCALE_LARGE}"] = max(queries[SCALE_LARGE].values())
    figures["max_queries_per_page"] = figures[f"max_queries_per_page_scale{SCALE_LARGE}"]
    figures["worker_rss_mb"] = round(rss_mb, 1)
    if figures["page_floor_ratio_min"] < RATIO_TARGET:
        worst = min((t for t in TARGETS if t.floor), key=lambda t: figures[f"{t.name}_floor_ratio"])
        misses.append(f"page_floor_ratio_min {figures['page_floor_ratio_min']} < {RATIO_TARGET} ({worst.name})")
    if rss_mb > RSS_TARGET_MB:
        misses.append(f"worker_rss_mb {rss_mb:.1f} > {RSS_TARGET_MB:.0f}")
    print(
        f"\npage_floor_ratio_min   {figures['page_floor_ratio_min']:.3f}  (target ≥ {RATIO_TARGET})\n"
        f"max_queries_per_page   {figures['max_queries_per_page_scale1']} at scale {SCALE_SMALL}, "
        f"{figures[f'max_queries_per_page_scale{SCALE_LARGE}']} at scale {SCALE_LARGE}  (target: equal)\n"
        f"worker_rss_mb          {rss_mb:.1f}  (target ≤ {RSS_TARGET_MB:.0f})"
    )
    return figures, misses


# --- Main --------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per page (default 20)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients (default 8)")
    parser.add_argument("--rounds", type=int, default=4, help="split each page's time into this many interleaved rounds")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured seconds per page before the rounds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2: one per core)")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"], help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="niceness for the benchmark and everything it starts; e.g. -10 (root only) on a machine shared with other work",
    )
    parser.add_argument(
        "--scale", type=int, default=SCALE_LARGE, help=f"generate_data scale compared with scale 1 (default {SCALE_LARGE})"
    )
    parser.add_argument(
        "--documents", type=int, default=DEFAULT_DOCUMENTS, help="generated documents (generate_data --documents)"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="use this PostgreSQL database instead of a throw-away cluster (data is topped up, never removed;"
        " it must hold at most scale-1 data for the scale-1 query counts to mean anything)",
    )
    parser.add_argument(
        "--generate-only", default="", help="top up only these content kinds (generate_data --only), e.g. meetings"
    )
    parser.add_argument("--count-scale-one", action="store_true", help=argparse.SUPPRESS)  # child process, see above
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="figures file to merge into")
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    args = parser.parse_args()
    if not (0 < args.duration <= 120 and 0 < args.clients <= 64 and 0 < args.rounds <= 10 and 0 <= args.warmup <= 30):
        parser.error("--duration 1..120, --clients 1..64, --rounds 1..10, --warmup 0..30")
    if not -20 <= args.nice <= 19:
        parser.error("--nice -20..19")
    return args


def main() -> int:
    args = _arguments()
    if args.count_scale_one:
        return _count_scale_one(args.database_url)
    from tests.support.pgcluster import PostgresCluster, free_tcp_port

    if args.nice:
        # Inherited by PostgreSQL, gunicorn and the clients, which are all started from here.
        try:
            os.setpriority(os.PRIO_PROCESS, 0, args.nice)
        except PermissionError:
            print(f"--nice {args.nice} needs root; running at normal priority.", file=sys.stderr)
            args.nice = 0
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="interkommunal-bench-"))
    cluster = None if args.database_url else PostgresCluster()
    server: Gunicorn | None = None
    pool: ClientPool | None = None
    try:
        print("» PostgreSQL", flush=True)
        database_url = args.database_url or cluster.start()
        setup_django(database_url, workdir / "var", settings_module="bench.settings")
        import django
        from django.db import connections

        print("» migrate, collectstatic, demo accounts", flush=True)
        _command("migrate", interactive=False, verbosity=0)
        _command("collectstatic", interactive=False, verbosity=0)
        _load_demo_accounts()
        user = _member_user()

        queries: dict[int, dict[str, int]] = {}
        paths: dict[str, str] = {}
        if args.database_url:
            # The given database may already be large: scale 1 is counted in a fresh cluster, the person shown is
            # the same generated person (same e-mail address, as generation is deterministic) in both.
            from members.models import Person

            small = _scale_one_counts()
            queries[SCALE_SMALL] = small["counts"]
            person = Person.objects.get(email=small["email"]).pk
            paths = {t.name: t.path.format(person=person) for t in TARGETS}
        for scale in (args.scale,) if args.database_url else (SCALE_SMALL, args.scale):
            began_scale = time.monotonic()
            generated = _command(
                "generate_data", scale=scale, documents=min(args.documents, 1000 * scale), only=args.generate_only
            )
            print(f"» generate_data --scale {scale} ({time.monotonic() - began_scale:.0f} s): {generated}", flush=True)
            if not paths:
                person = _person_to_show()
                paths = {t.name: t.path.format(person=person) for t in TARGETS}
            queries[scale] = _count_queries(paths, user)
        cookies = [_session_cookie(user) for _ in range(args.clients)]
        meta = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "machine": _machine(),
            "postgres": _postgres_version(),
            "django": django.get_version(),
            "scale": args.scale,
            "documents": args.documents,
            "clients": args.clients,
            "duration_per_page_s": args.duration,
            "rounds": args.rounds,
            "nice": args.nice,
            "paths": paths,
        }
        connections.close_all()

        port = free_tcp_port(HOST)
        env = {**os.environ, "LOG_LEVEL": "INFO"}
        server = Gunicorn(
            port, env, workdir / "gunicorn.log", workers=args.workers, worker_class=args.worker_class, threads=args.threads
        )
        meta["gunicorn"] = server.config
        print(f"» gunicorn {server.config} on {HOST}:{port}", flush=True)
        server.wait_ready("/bench/floor/")
        for target in TARGETS:
            status, body = _get(port, paths[target.name], cookies[0] if target.member else {})
            signed_in = "Abmelden" in body
            if status != 200 or signed_in != target.member:
                raise RuntimeError(f"{target.name}: status {status}, signed in: {signed_in}; expected 200 and {target.member}")

        pool = ClientPool(args.clients, port)
        anonymous = [{} for _ in range(args.clients)]
        results = {target.name: Result() for target in TARGETS}
        postmaster = _postmaster_pid()
        ncpu = os.cpu_count() or 1
        phases = [(target, args.warmup, False) for target in TARGETS if args.warmup]
        phases += [(target, args.duration / args.rounds, True) for _ in range(args.rounds) for target in TARGETS]
        print(f"» load: {args.clients} clients, {len(phases)} phases, about {sum(p[1] + 0.4 for p in phases):.0f} s", flush=True)
        for target, seconds, measured in phases:
            worker_cpu, postgres_cpu = _tree_cpu_seconds(server.process.pid), _tree_cpu_seconds(postmaster)
            machine_cpu = _machine_busy_seconds()
            window = time.monotonic()
            latencies, errors, completed, wall, client_cpu = pool.run(
                paths[target.name], cookies if target.member else anonymous, seconds
            )
            if not measured:
                continue
            result = results[target.name]
            result.window += time.monotonic() - window
            result.latencies.extend(latencies)
            result.errors += errors
            result.completed += completed
            result.seconds += wall
            result.client_cpu += client_cpu
            # A backend that exits between two readings can make a delta dip below zero for a moment.
            result.worker_cpu += max(_tree_cpu_seconds(server.process.pid) - worker_cpu, 0.0)
            result.postgres_cpu += max(_tree_cpu_seconds(postmaster) - postgres_cpu, 0.0)
            result.machine_cpu += _machine_busy_seconds() - machine_cpu

        worker_pids = server.workers()
        rss_mb = max(_status_kb(pid, "VmRSS") for pid in worker_pids) / 1024
        meta["worker_peak_rss_mb"] = round(max(_status_kb(pid, "VmHWM") for pid in worker_pids) / 1024, 1)
        figures, misses = _report(results, queries, rss_mb, ncpu, args.scale)
        if args.scale != SCALE_LARGE:  # other scales keep their own keys beside the scale-100 figures
            figures = {
                (key if key.endswith(f"_scale{args.scale}") else f"{key}_scale{args.scale}"): value
                for key, value in figures.items()
                if key not in ("max_queries_per_page", f"max_queries_per_page_scale{SCALE_SMALL}")
            }
        foreign = sum(r.foreign_cpu for r in results.values()) / sum(r.window * ncpu for r in results.values())
        meta["foreign_cpu_share"] = round(foreign, 3)
        if foreign > FOREIGN_LOAD_WARNING:
            print(
                f"\nWarning: other processes used {foreign:.0%} of the machine during the run. Requests per second and"
                " their ratios are then unreliable; compare the CPU ms columns, or run again on a quiet machine."
            )
        meta["runtime_s"] = round(time.monotonic() - began)
        if not args.no_write:
            write_figures(
                args.output, figures, "foundation" if args.scale == SCALE_LARGE else f"foundation_scale{args.scale}", meta
            )
            print(f"\nFigures merged into {args.output}")
        print(f"Runtime {meta['runtime_s']} s.")
        if misses:
            print("\nTargets missed:\n  " + "\n  ".join(misses))
            return 1
        print("All targets met.")
        return 0
    finally:
        if pool is not None:
            pool.close()
        if server is not None:
            server.stop()
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
