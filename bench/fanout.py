"""Notification fan-out benchmark: posting news to 2,000 members costs the request what posting to 2 costs.

    .venv/bin/python bench/fanout.py [--rounds 40] [--members 2000]

Starts a throw-away PostgreSQL (tests.support.pgcluster), migrates it in production mode and serves
the platform with gunicorn. In one run:

1. **Request time**: a member posts news (a real POST of the form, CSRF and session included) in
   turns to a workspace with ``--members`` members and to one with 2 members, ``--rounds`` times
   each, alternating. ``fanout_request_ratio`` is p50(large) / p50(small); the target is ≤ 1.2,
   because the request writes one event row and the fan-out happens in the worker.
2. **Worker**: one of the large posts is fanned out (``fanout_s``: notifications and outbox rows
   for every member) and its mails are sent over SMTP to a sink on localhost (a separate aiosmtpd
   process) by the same delivery code the worker runs (``mail_delivery_per_s``).

Figures are merged into docs/benchmarks.json ("figures"); docs/performance.md explains them.
Exits 1 when the ratio target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import setup_django, write_figures  # noqa: E402
from bench.foundation import (  # noqa: E402 - same set-up as the foundation benchmark
    HOST,
    MEMBER_EMAIL,
    USER_AGENT,
    Gunicorn,
    _command,
    _commit,
    _load_demo_accounts,
    _machine,
    _session_cookie,
)

DEFAULT_OUTPUT = ROOT / "docs" / "benchmarks.json"
RATIO_TARGET = 1.2


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args()


def _workspaces(poster, members: int):
    from accounts.models import User
    from workspaces.actions import create_workspace
    from workspaces.models import WorkspaceMember

    large = create_workspace(poster, name="Großer Arbeitsbereich", visibility="private")
    small = create_workspace(poster, name="Kleiner Arbeitsbereich", visibility="private")
    User.objects.bulk_create([User(email=f"mitglied{i}@bench.example", password="!") for i in range(members)], batch_size=1000)
    people = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    WorkspaceMember.objects.bulk_create(
        [WorkspaceMember(workspace=large, user=u, role="reader") for u in people[: members - 1]], batch_size=1000
    )
    WorkspaceMember.objects.create(workspace=small, user=people[-1], role="reader")
    return large, small


class Poster:
    """One HTTP client with a session and a CSRF token, like a browser posting the form."""

    def __init__(self, port: int, cookies: dict[str, str], form_path: str):
        self.port = port
        self.cookies = dict(cookies)
        status, body, headers = self._request("GET", form_path)
        if status != 200:
            raise RuntimeError(f"form {form_path}: {status}")
        for header, value in headers:
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.cookies["csrftoken"] = value.split(";", 1)[0].split("=", 1)[1]
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def _request(self, method: str, path: str, body: str | None = None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"User-Agent": USER_AGENT, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text, response.getheaders()

    def post(self, path: str, n: int) -> float:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.token,
                "title": f"Neuigkeit {n}",
                "body": f"Bericht Nummer {n} aus dem Projekt.",
                "publish": "on",
            }
        )
        began = time.perf_counter()
        status, text, _headers = self._request("POST", path, body)
        elapsed = time.perf_counter() - began
        if status != 302:
            raise RuntimeError(f"POST {path}: {status}\n{text[:2000]}")
        return elapsed


def main() -> int:
    args = _arguments()
    from tests.support.pgcluster import PostgresCluster, free_tcp_port

    workdir = Path(tempfile.mkdtemp(prefix="interkommunal-fanout-"))
    cluster = PostgresCluster()
    server = None
    sink = None
    try:
        print("» PostgreSQL", flush=True)
        database_url = cluster.start()
        setup_django(database_url, workdir / "var", settings_module="bench.settings")
        import django
        from django.conf import settings
        from django.db import connections

        print("» migrate, collectstatic, demo accounts", flush=True)
        _command("migrate", interactive=False, verbosity=0)
        _command("collectstatic", interactive=False, verbosity=0)
        _load_demo_accounts()
        from accounts.models import User

        poster = User.objects.get(email=MEMBER_EMAIL)
        large, small = _workspaces(poster, args.members)
        cookie = _session_cookie(poster)
        connections.close_all()

        port = free_tcp_port(HOST)
        server = Gunicorn(port, {**os.environ}, workdir / "gunicorn.log", workers=2, worker_class="sync", threads=1)
        server.wait_ready("/")
        paths = {
            "large": f"/arbeitsbereiche/{large.slug}/neuigkeiten/neu/",
            "small": f"/arbeitsbereiche/{small.slug}/neuigkeiten/neu/",
        }
        client = Poster(port, cookie, paths["small"])
        times: dict[str, list[float]] = {"large": [], "small": []}
        for n in range(3):  # warm up both workers and both pages
            client.post(paths["small"], -n)
            client.post(paths["large"], -n)
        print(f"» {args.rounds} rounds of POSTs, alternating", flush=True)
        for n in range(args.rounds):
            order = ("large", "small") if n % 2 else ("small", "large")
            for which in order:
                times[which].append(client.post(paths[which], n))
        server.stop()
        server = None

        from notifications.actions import fan_out_pending
        from notifications.delivery import deliver
        from notifications.models import Event, Notification, Outbox

        last_large = Event.objects.filter(workspace=large, verb="news.posted").order_by("-pk").first()
        Event.objects.filter(state=Event.State.PENDING).exclude(pk=last_large.pk).delete()
        began = time.perf_counter()
        fan_out_pending()
        fanout_s = time.perf_counter() - began
        notified = Notification.objects.filter(event=last_large).count()

        smtp_port = free_tcp_port(HOST)
        sink = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"{HOST}:{smtp_port}", "-c", "aiosmtpd.handlers.Sink"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = HOST, smtp_port, False
        began = time.perf_counter()
        sent = deliver()
        delivery_s = time.perf_counter() - began
        confirmed = Outbox.objects.filter(event=last_large, state=Outbox.State.SENT).count()

        p50 = {k: statistics.median(v) * 1000 for k, v in times.items()}
        mean = {k: statistics.fmean(v) * 1000 for k, v in times.items()}
        ratio = p50["large"] / p50["small"]
        figures = {
            "fanout_request_ratio": round(ratio, 3),
            "fanout_request_ratio_mean": round(mean["large"] / mean["small"], 3),
            "fanout_request_large_p50_ms": round(p50["large"], 1),
            "fanout_request_small_p50_ms": round(p50["small"], 1),
            "fanout_members": args.members,
            "fanout_worker_s": round(fanout_s, 2),
            "mail_delivery_per_s": round(confirmed / delivery_s, 1),
        }
        meta = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "machine": _machine(),
            "rounds": args.rounds,
            "django": django.get_version(),
            "gunicorn": "2 sync workers",
        }
        print(
            f"  POST p50: {args.members} members {p50['large']:.1f} ms, 2 members {p50['small']:.1f} ms → ratio {ratio:.3f} (target ≤ {RATIO_TARGET})"
        )
        print(f"  POST mean: {mean['large']:.1f} ms vs {mean['small']:.1f} ms")
        print(f"  worker fan-out of one post: {notified} notifications in {fanout_s:.2f} s")
        print(f"  delivery: {confirmed} of {sent} mails accepted by SMTP in {delivery_s:.2f} s = {confirmed / delivery_s:.0f}/s")
        write_figures(args.output, figures, "fanout", meta)
        return 0 if ratio <= RATIO_TARGET and confirmed == notified else 1
    finally:
        if server is not None:
            server.stop()
        if sink is not None:
            sink.terminate()
            sink.wait(10)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
