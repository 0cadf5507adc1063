"""Debian's PgBouncer in transaction mode in front of a PostgreSQL, for bin/topology --pgbouncer and bench/pooling.py.

Production configures it in /etc/pgbouncer (docs/deployment.md §8); this writes the same settings into a
directory of its own and runs it as the database's service account (PgBouncer refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_pgbouncer(directory: Path, database_url: str, account) -> tuple[subprocess.Popen, str]:
    """PgBouncer in transaction mode in front of the cluster, run as the cluster's service account."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        raise SystemExit("pgbouncer fehlt: apt-get install -y pgbouncer (oder bin/topology --pgbouncer)")
    url = urlparse(database_url)
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "userlist.txt").write_text(f'"{url.username}" "{url.password}"\n')
    (directory / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{url.path.lstrip('/')} = host={url.hostname} port={url.port} dbname={url.path.lstrip('/')}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = plain\n"
        f"auth_file = {directory / 'userlist.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 4\nmax_client_conn = 200\n"
        "server_reset_query =\nignore_startup_parameters = extra_float_digits,options\n"
        "log_connections = 0\nlog_disconnections = 0\n"
        # A database restart must fail requests fast (the app answers 503) and recover quickly, not queue them.
        "query_wait_timeout = 5\nserver_login_retry = 1\nserver_connect_timeout = 5\n"
        f"logfile = {directory / 'pgbouncer.log'}\npidfile = {directory / 'pgbouncer.pid'}\n"
    )
    kwargs = {}
    if account is not None:
        for path in [directory, *directory.iterdir()]:
            os.chown(path, account.uid, account.gid)
        kwargs = {"user": account.uid, "group": account.gid, "extra_groups": []}
    process = subprocess.Popen(  # noqa: S603 - Debian's pgbouncer with our own configuration
        [binary, str(directory / "pgbouncer.ini")],
        cwd="/",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        **kwargs,
    )
    wait_port(port)
    return process, database_url.replace(f"{url.hostname}:{url.port}", f"127.0.0.1:{port}")


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")
