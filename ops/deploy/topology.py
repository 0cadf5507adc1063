"""Production's shape on one machine: PostgreSQL, an S3 object store, clamd, two or more gunicorn app servers
behind nginx (TLS, HTTP/2) and two or more workers. ``bin/topology`` runs it; ``tests/topology`` uses it.

Everything lives in one directory and is stopped with :meth:`Topology.stop` (also on Ctrl+C). The
throw-away parts (PostgreSQL cluster, moto S3, clamd on a local EICAR signature) are the test
stand-ins for the city's own services; the app servers, workers and nginx run exactly as
docs/deployment.md describes for production (INTERKOMMUNAL_ENV=production).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Topology:
    directory: Path
    app_servers: int = 2
    workers: int = 2
    pgbouncer: bool = False  # app servers reach PostgreSQL through PgBouncer (transaction mode); workers directly
    env: dict[str, str] = field(default_factory=dict)
    app_env: dict[str, str] = field(default_factory=dict)
    url: str = ""
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    app_ports: list[int] = field(default_factory=list)
    database_url: str | None = None  # an existing database (e.g. generated data for the load test) instead of a new cluster

    # ------------------------------------------------------------------ start
    def start(self) -> str:
        from tests.support import clamd, s3
        from tests.support.pgcluster import PostgresCluster

        self.directory.mkdir(parents=True, exist_ok=True)
        if self.database_url:
            database_url = self.database_url
        else:
            self._log("PostgreSQL")
            self.cluster = PostgresCluster(stop_at_exit=False)  # its own directory under /tmp (the server user must enter it)
            database_url = self.cluster.start()
        self._log("S3 (moto)")
        moto, endpoint = s3.start(log=self.directory / "moto.log")
        self.processes["s3"] = moto
        self._log("clamd")
        scanner, clamd_address = clamd.start(self.directory / "clamd")
        self.processes["clamd"] = scanner
        https_port = free_port()
        self.url = f"https://localhost:{https_port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "INTERKOMMUNAL_", "S3_"))},
            "INTERKOMMUNAL_ENV": "production",
            "INTERKOMMUNAL_VAR_DIR": str(self.directory / "var"),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": self.url,
            "SITE_URL": self.url,
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(free_port()),  # nobody listens: mails wait in the outbox, as with an SMTP outage
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "json",
            "UPLOAD_SCANNING": "true",
            "CLAMD_ADDRESS": clamd_address,
            "CLAMAV_DATABASE_DIR": str(self.directory / "clamd" / "db"),
            "UPLOAD_SCAN_RETRY_SECONDS": "5",
            "WORKER_HEARTBEAT_SECONDS": "2",
            "WORKER_STALE_AFTER_SECONDS": "6",
            "METRICS_TOKEN": secrets.token_urlsafe(32),
            "TRUSTED_PROXY_COUNT": "1",
            **s3.environment(endpoint),
        }
        if self.pgbouncer:
            from ops.deploy.pgbouncer import start_pgbouncer
            from tests.support.pgcluster import service_account

            self._log("PgBouncer (transaction mode)")
            self.bouncer_dir = Path(tempfile.mkdtemp(prefix="topology-pgbouncer-"))  # the service account enters it
            self.processes["pgbouncer"], bouncer_url = start_pgbouncer(self.bouncer_dir, database_url, service_account())
            self.app_env = {
                "DATABASE_URL": bouncer_url,
                "DATABASE_CONN_MAX_AGE": "0",
                "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "true",
            }
        self._log("Migrationen, statische Dateien")
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        for n in range(self.app_servers):
            self.start_app_server(n)
        for n in range(self.workers):
            self.start_worker(n)
        self._log("nginx")
        self._start_nginx(https_port)
        self.wait_ready()
        return self.url

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            text=True,
            stdout=subprocess.PIPE if capture else None,
        )
        return result.stdout or ""

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
        env = {**self.env, **(env or {})}
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)  # noqa: S603
        self.processes[name] = process
        return process

    def start_app_server(self, n: int) -> None:
        if len(self.app_ports) <= n:
            self.app_ports.append(free_port())
        port = self.app_ports[n]
        self._log(f"App-Server {n + 1} (gunicorn, Port {port})")
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        argv = [gunicorn, "interkommunal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"]
        argv += ["--graceful-timeout", "20", "--timeout", "120", "--forwarded-allow-ips", "127.0.0.1"]
        argv += ["--control-socket", str(self.directory / f"app{n + 1}.ctl")]
        self._spawn(f"app{n + 1}", argv, self.app_env)
        _wait_http(f"http://127.0.0.1:{port}/healthz/live", timeout=90)

    def start_worker(self, n: int) -> None:
        self._log(f"Worker {n + 1}")
        self._spawn(f"worker{n + 1}", [sys.executable, "manage.py", "worker", "--interval", "0.5"])

    def _start_nginx(self, port: int) -> None:
        cert, key = self.directory / "tls.crt", self.directory / "tls.key"
        subprocess.run(  # noqa: S603
            ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        site = Template(NGINX_TEMPLATE.read_text()).safe_substitute(
            UPSTREAMS="\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in self.app_ports),
            HTTPS_LISTEN=f"127.0.0.1:{port}",
            SERVER_NAME="localhost",
            CERT=str(cert),
            KEY=str(key),
            ACCESS_LOG=str(self.directory / "nginx-access.log"),
            ERROR_LOG=str(self.directory / "nginx-error.log"),
            MAX_BODY="101m",
        )
        (self.directory / "site.conf").write_text(site)
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.directory / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.directory / 'nginx.pid'};\ndaemon off;\n"
            f"error_log {self.directory / 'nginx-error.log'} warn;\n"
            "events { worker_connections 256; }\n"
            "http {\n  include /etc/nginx/mime.types;\n"
            f"  client_body_temp_path {self.directory / 'nginx-body'};\n"
            f"  proxy_temp_path {self.directory / 'nginx-proxy'};\n"
            f"  fastcgi_temp_path {self.directory / 'nginx-fcgi'};\n  uwsgi_temp_path {self.directory / 'nginx-uwsgi'};\n"
            f"  scgi_temp_path {self.directory / 'nginx-scgi'};\n"
            f"  include {self.directory / 'site.conf'};\n}}\n"
        )
        nginx = "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-q", "-c", str(self.directory / "nginx.conf")], check=True)  # noqa: S603
        self._spawn("nginx", [nginx, "-c", str(self.directory / "nginx.conf")])

    def ssl_context(self, *, alpn: list[str] | None = None) -> ssl.SSLContext:
        """Trusts the topology's self-signed certificate; ``alpn`` offers protocols (["h2"] to check HTTP/2)."""
        context = ssl.create_default_context(cafile=str(self.directory / "tls.crt"))
        if alpn:
            context.set_alpn_protocols(alpn)
        return context

    def wait_ready(self, timeout: float = 90) -> None:
        """Until /healthz/ready through nginx says every part is fine (workers beating, clamd, S3, database)."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz/ready", context=self.ssl_context(), timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except OSError as exc:
                last = str(exc)
            time.sleep(0.5)
        raise RuntimeError(f"topology not ready: {last}")

    # ------------------------------------------------------------------- stop
    def stop_process(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def stop(self) -> None:
        order = ["nginx", *[n for n in self.processes if n.startswith(("app", "worker"))], "pgbouncer", "clamd", "s3"]
        for name in [n for n in order if n in self.processes]:
            self.stop_process(name, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        if getattr(self, "cluster", None) is not None:
            self.cluster.stop()
        if getattr(self, "bouncer_dir", None) is not None:
            shutil.rmtree(self.bouncer_dir, ignore_errors=True)

    def _log(self, what: str) -> None:
        print(f"» {what}", file=sys.stderr, flush=True)


def _wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Startet die produktionsnahe Topologie auf diesem Rechner.")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pgbouncer", action="store_true", help="App-Server über PgBouncer (Transaktionsmodus).")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="interkommunal-topology-"))
    topology = Topology(directory, app_servers=max(2, args.app_servers), workers=max(2, args.workers), pgbouncer=args.pgbouncer)
    stopping = False

    def on_signal(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        url = topology.start()
        print(f"\n  Interkommunal (Topologie) läuft auf  {url}/\n  Zertifikat: {directory / 'tls.crt'}\n"
              f"  Protokolle: {directory}/*.log\n  Beenden mit Strg+C.\n", flush=True)  # fmt: skip
        while not stopping:
            time.sleep(0.5)
    finally:
        print("» Beende alles", file=sys.stderr)
        topology.stop()


if __name__ == "__main__":
    main()
