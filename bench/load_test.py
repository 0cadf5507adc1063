"""Load test: a working day's mix with locust against the production topology, with 1 and then 2 app servers.

    .venv/bin/python bench/load_test.py --database-url postgres://… [--users 20] [--duration 60]

The database must hold generated data (``manage.py generate_data --scale 1000``; the script tops it up
to ``--scale`` first, which also stores the shared document blobs in this run's object store). For each
app-server count the topology of ops/deploy/topology.py starts on that database (nginx with TLS and
HTTP/2, gunicorn app servers of 1 process × 4 threads, ``--workers`` workers, moto S3, clamd), then
locust runs headless twice, each time for ``--duration`` seconds (bench/load/locustfile.py: members
browsing workspaces, searching, opening documents and news, uploading, answering polls; the office
posting an invitation to the 2,000 members of the invitation workspace; anonymous visitors on public
pages and OParl):

* **steady** (``--users``, default 20, with the users' pauses between requests): a busy working day.
  Its latencies per page type are the ``load_p95_ms_<page type>`` figures.
* **saturated** (``--saturating-users``, default 60): more users than the servers can answer, so the
  requests per second are what the servers manage, not what the users ask for. Its throughput gives
  ``load_rps_1_server``, ``load_rps_2_servers`` and their ratio. (With the steady users alone the
  throughput is set by their pauses once the pages are fast, and a second server cannot show.)

The error rate counts every request of both phases. Figures go to docs/benchmarks.json;
docs/performance.md explains them. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import write_figures  # noqa: E402 - needs the project root on the path
from bench.foundation import _commit, _machine, _machine_busy_seconds, _tree_cpu_seconds  # noqa: E402

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
ERROR_RATE_TARGET = 0.001

# Runs inside the topology's environment (its secret key, its storage): see bench/load/setup.py.
SETUP_SCRIPT = "import json; from bench.load.setup import prepare; print(json.dumps(prepare(MEMBERS)))"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="PostgreSQL database with generated data")
    parser.add_argument("--scale", type=int, default=1000, help="generate_data scale to top up to (default 1000)")
    parser.add_argument(
        "--documents",
        type=int,
        default=None,
        help="generate_data --documents to top up to (default: leave posts, tasks, events and documents as they are)",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users of the steady phase (default 20)")
    parser.add_argument(
        "--saturating-users", type=int, default=60, help="concurrent locust users of the saturated phase (default 60; 0: skip)"
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds per app-server count (default 60)")
    parser.add_argument("--members", type=int, default=60, help="distinct member accounts with sessions (default 60)")
    parser.add_argument("--servers", default="1,2", help="app-server counts to run, in order (default 1,2)")
    parser.add_argument("--workers", type=int, default=1, help="task workers in the topology (default 1)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    parser.add_argument("--keep-logs", action="store_true", help="keep the topology directories (logs, locust CSV)")
    return parser.parse_args()


def _postmaster_pid(database_url: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as connection:
            backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, psycopg.Error):
        return None


def _number(value: str) -> float:
    return float(value) if value and value != "N/A" else 0.0


def _read_stats(prefix: Path) -> dict[str, dict]:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": _number(row["Requests/s"]),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
            }
    return rows


def _run(args, servers: int, workdir: Path, postmaster: int | None) -> dict:
    from ops.deploy.topology import Topology

    directory = workdir / f"topology-{servers}"
    topology = Topology(directory, app_servers=servers, workers=args.workers, database_url=args.database_url)
    try:
        began = time.monotonic()
        topology.start()
        print(f"» topology with {servers} app server(s) ready in {time.monotonic() - began:.0f} s: {topology.url}", flush=True)
        generate = ["generate_data", "--scale", str(args.scale), "-v", "0"]
        # Without --documents only people, accounts and meetings are topped up (the big kinds are left as they are).
        generate += ["--documents", str(args.documents)] if args.documents is not None else ["--only", "meetings"]
        topology.manage(*generate)  # a top-up: stores the shared blobs in this run's S3
        setup = json.loads(
            topology.manage("shell", "-c", SETUP_SCRIPT.replace("MEMBERS", str(args.members)), capture=True).splitlines()[-1]
        )
        setup["ca"] = str(directory / "tls.crt")
        setup_file = directory / "setup.json"
        setup_file.write_text(json.dumps(setup))
        print(f"» {len(setup['members'])} member sessions, invitation workspace with {setup['invited']} members", flush=True)
        phases = {"steady": _phase(args, args.users, topology, directory / "steady", setup_file, postmaster)}
        if args.saturating_users:
            phases["saturated"] = _phase(args, args.saturating_users, topology, directory / "saturated", setup_file, postmaster)
        return {"servers": servers, **phases}
    finally:
        topology.stop()


def _phase(args, users: int, topology, directory: Path, setup_file: Path, postmaster: int | None) -> dict:
    """One locust run of ``users`` users against the running topology, with the CPU it took."""
    directory.mkdir(parents=True, exist_ok=True)
    prefix = directory / "locust"
    locust = [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE), "--headless", "--host", topology.url]
    locust += ["-u", str(users), "-r", str(users), "--run-time", f"{args.duration}s", "--csv", str(prefix)]
    locust += ["--only-summary", "--stop-timeout", "10"]
    pids = [p.pid for name, p in topology.processes.items() if name.startswith(("app", "worker", "nginx"))]
    cpu_before = {pid: _tree_cpu_seconds(pid) for pid in pids}
    pg_before = _tree_cpu_seconds(postmaster) if postmaster else 0.0
    machine_before, wall_before = _machine_busy_seconds(), time.monotonic()
    load_before = os.getloadavg()
    process = subprocess.run(
        locust,
        cwd=ROOT,
        env={**os.environ, "LOADTEST_SETUP": str(setup_file)},
        capture_output=True,
        text=True,
        check=False,
    )
    window = time.monotonic() - wall_before
    (directory / "locust.out").write_text(process.stdout + process.stderr)
    ncpu = os.cpu_count() or 1
    app_cpu = sum(_tree_cpu_seconds(pid) - before for pid, before in cpu_before.items())
    pg_cpu = (_tree_cpu_seconds(postmaster) - pg_before) if postmaster else 0.0
    machine_cpu = _machine_busy_seconds() - machine_before
    stats = _read_stats(prefix)
    if not stats.get("Aggregated", {}).get("requests"):
        print("\n".join((process.stdout + process.stderr).splitlines()[-30:]))
    with open(f"{prefix}_failures.csv", newline="") as handle:
        failures = list(csv.DictReader(handle))
    for failure in failures[:10]:
        print(f"  failure: {failure['Method']} {failure['Name']}: {failure['Error'][:200]} × {failure['Occurrences']}")
    return {
        "users": users,
        "stats": stats,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "machine_cpu_share": round(machine_cpu / (window * ncpu), 3),
        "platform_cpu_share": round((app_cpu + pg_cpu) / (window * ncpu), 3),
        "exit_code": process.returncode,
    }


def _print_table(phase: str, runs: dict[int, dict]) -> None:
    print(f"\n{phase}: " + ", ".join(f"{n} server(s) with {run['users']} users" for n, run in runs.items()))
    print(
        f"{'page type':<16}" + "".join(f" | {n} server(s): {'req':>6} {'err':>4} {'p50':>6} {'p95':>6} {'p99':>6}" for n in runs)
    )
    names = sorted({name for run in runs.values() for name in run["stats"] if name != "Aggregated"})
    for name in [*names, "Aggregated"]:
        line = f"{name:<16}"
        for run in runs.values():
            row = run["stats"].get(name, {"requests": 0, "failures": 0, "p50_ms": 0, "p95_ms": 0, "p99_ms": 0})
            line += f" | {'':>12} {row['requests']:6d} {row['failures']:4d} {row['p50_ms']:6.0f} {row['p95_ms']:6.0f} {row['p99_ms']:6.0f}"
        print(line)


def main() -> int:
    args = _arguments()
    workdir = Path(tempfile.mkdtemp(prefix="interkommunal-load-"))
    postmaster = _postmaster_pid(args.database_url)
    runs = {}
    try:
        for servers in [int(n) for n in args.servers.split(",")]:
            runs[servers] = _run(args, servers, workdir, postmaster)
    finally:
        if not args.keep_logs:
            shutil.rmtree(workdir, ignore_errors=True)

    figures: dict[str, float] = {}
    misses = []
    phases = [phase for phase in ("steady", "saturated") if all(phase in run for run in runs.values())]
    for phase in phases:
        _print_table(phase, {servers: run[phase] for servers, run in runs.items()})
    every = [run[phase] for run in runs.values() for phase in phases]
    requests = sum(p["stats"]["Aggregated"]["requests"] for p in every)
    failures = sum(p["stats"]["Aggregated"]["failures"] for p in every)
    figures["load_error_rate"] = round(failures / requests, 5) if requests else 1.0
    steady = runs[max(runs)]["steady"]["stats"]
    for name, row in steady.items():
        if name != "Aggregated":
            figures[f"load_p95_ms_{name}"] = row["p95_ms"]
    # The throughput figures come from the saturated phase when it ran (see the module's docstring).
    capacity = "saturated" if "saturated" in phases else "steady"
    for servers, run in runs.items():
        suffix = "1_server" if servers == 1 else f"{servers}_servers"
        figures[f"load_rps_{suffix}"] = round(run[capacity]["stats"]["Aggregated"]["rps"], 1)
        figures[f"load_steady_rps_{suffix}"] = round(run["steady"]["stats"]["Aggregated"]["rps"], 1)
    if 1 in runs and 2 in runs and figures["load_rps_1_server"]:
        figures["load_rps_2_servers_ratio"] = round(figures["load_rps_2_servers"] / figures["load_rps_1_server"], 2)
    print()
    for key, value in sorted(figures.items()):
        print(f"{key:<34} {value}")
    for servers, run in runs.items():
        for phase in phases:
            part = run[phase]
            print(
                f"{servers} server(s), {phase} ({part['users']} users): machine CPU busy {part['machine_cpu_share']:.0%}"
                f" (platform: app servers, workers, nginx and PostgreSQL {part['platform_cpu_share']:.0%});"
                f" load average {part['load_before']} → {part['load_after']}"
            )
    if figures["load_error_rate"] > ERROR_RATE_TARGET:
        misses.append(f"load_error_rate {figures['load_error_rate']} > {ERROR_RATE_TARGET}")
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": _machine(),
        "scale": args.scale,
        "documents": args.documents,
        "users": args.users,
        "saturating_users": args.saturating_users,
        "duration_s": args.duration,
        "workers": args.workers,
        "runs": {
            str(n): {
                phase: {k: v for k, v in run[phase].items() if k != "stats"}
                | {"p95_ms": {k: row["p95_ms"] for k, row in run[phase]["stats"].items()}}
                for phase in phases
            }
            for n, run in runs.items()
        },
    }
    if not args.no_write:
        write_figures(args.output, figures, "load_test", meta)
        print(f"\nFigures merged into {args.output}")
    if misses:
        print("\nTargets missed:\n  " + "\n  ".join(misses))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
