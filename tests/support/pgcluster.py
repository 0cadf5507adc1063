"""Throw-away PostgreSQL clusters for tests and CI.

Tests need a real PostgreSQL (constraints, locking and JSON behaviour differ
from SQLite), but CI machines and developer laptops should not need a
pre-configured server.  This module initialises a private cluster in a
directory, runs it on a free TCP port of 127.0.0.1 with durability switched
off (fast, and the data is disposable anyway) and removes it afterwards.

Library use::

    with PostgresCluster() as cluster:
        url = cluster.url  # postgres://interkommunal:interkommunal@127.0.0.1:PORT/interkommunal

CLI use (prints exactly one line on stdout, everything else goes to stderr)::

    python -m tests.support.pgcluster start --dir /tmp/pg   # DATABASE_URL=postgres://...
    python -m tests.support.pgcluster stop --dir /tmp/pg

initdb/postgres refuse to run as root.  When this runs with euid 0 the server
runs as the ``postgres`` system user (or a ``pgtest`` system user created on
demand); the cluster directory is chown'ed to that user.

Environment:
    PGCLUSTER_BINDIR  directory containing initdb/pg_ctl/postgres; overrides
                      the search in /usr/lib/postgresql/*/bin and on PATH.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

DEFAULT_NAME = "interkommunal"
SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
MARKER_FILE = ".pgcluster"
LOG_FILE = "postgres.log"
URL_FILE = "database_url"
DATA_SUBDIR = "data"
SOCKET_SUBDIR = "socket"
# sun_path is 108 bytes including the NUL terminator.
_MAX_SOCKET_PATH = 107
_FALLBACK_SERVICE_USER = "pgtest"
_START_ATTEMPTS = 5


class PostgresClusterError(RuntimeError):
    """Raised when the throw-away cluster cannot be created, started or stopped."""


@dataclass(frozen=True)
class ServiceAccount:
    """Unprivileged OS account the server runs as when we are root."""

    name: str
    uid: int
    gid: int
    home: str


def _version_key(path: Path) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<version>/bin so that 15 > 9.6."""
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def _has_server_binaries(bindir: Path) -> bool:
    """True if bindir holds every executable we need."""
    return all(os.access(bindir / name, os.X_OK) for name in SERVER_BINARIES)


def find_pg_bindir() -> Path:
    """Locate the PostgreSQL server binaries, preferring the newest Debian install."""
    override = os.environ.get("PGCLUSTER_BINDIR")
    if override:
        bindir = Path(override)
        if not _has_server_binaries(bindir):
            raise PostgresClusterError(f"PGCLUSTER_BINDIR={override!r} does not contain executable {', '.join(SERVER_BINARIES)}.")
        return bindir

    candidates = sorted(
        (d for d in Path("/usr/lib/postgresql").glob("*/bin") if _has_server_binaries(d)),
        key=_version_key,
        reverse=True,
    )
    if candidates:
        return candidates[0]

    found = shutil.which("initdb")
    if found:
        bindir = Path(found).resolve().parent
        if _has_server_binaries(bindir):
            return bindir

    raise PostgresClusterError(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
        "/usr/lib/postgresql/*/bin or on PATH. Install the server package "
        "(Debian/Ubuntu: `apt-get install -y postgresql`) or set PGCLUSTER_BINDIR."
    )


def free_tcp_port(host: str = "127.0.0.1") -> int:
    """Ask the kernel for a currently unused TCP port on host."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _lookup_account(name: str) -> ServiceAccount | None:
    """Return the account called name, or None if it does not exist."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return ServiceAccount(entry.pw_name, entry.pw_uid, entry.pw_gid, entry.pw_dir)


def service_account() -> ServiceAccount | None:
    """Account to run the server as: None when not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", _FALLBACK_SERVICE_USER):
        account = _lookup_account(name)
        if account is not None:
            return account

    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [
            useradd,
            "--system",
            "--no-create-home",
            "--user-group",
            "--shell",
            "/usr/sbin/nologin",
            _FALLBACK_SERVICE_USER,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    account = _lookup_account(_FALLBACK_SERVICE_USER)
    if account is None:
        # Exit status 9 means "already exists" (a concurrent run won the race);
        # anything else is a real failure.
        raise PostgresClusterError(
            "Running as root and no 'postgres' user exists; creating system user "
            f"{_FALLBACK_SERVICE_USER!r} failed (exit {result.returncode}): "
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    return account


def _can_traverse(path: Path, account: ServiceAccount) -> bool:
    """Approximate check whether account may search (x-bit) directory path."""
    try:
        st = path.stat()
    except OSError:
        return False
    mode = st.st_mode
    if st.st_uid == account.uid:
        return bool(mode & stat.S_IXUSR)
    if st.st_gid == account.gid:
        return bool(mode & stat.S_IXGRP)
    return bool(mode & stat.S_IXOTH)


def _chown_tree(root: Path, account: ServiceAccount) -> None:
    """Hand root and everything below it to account."""
    os.chown(root, account.uid, account.gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.chown(
                os.path.join(dirpath, name),
                account.uid,
                account.gid,
                follow_symlinks=False,
            )


def _conf_literal(value: str) -> str:
    """Quote a string for postgresql.conf."""
    return "'" + value.replace("'", "''") + "'"


def _sql_literal(value: str) -> str:
    """Quote a string literal for SQL."""
    return "'" + value.replace("'", "''") + "'"


def _sql_identifier(value: str) -> str:
    """Quote an identifier for SQL."""
    return '"' + value.replace('"', '""') + '"'


def _tail(path: Path, lines: int = 60) -> str:
    """Last lines of a text file, for error messages."""
    try:
        content = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {path})"
    if not content:
        return f"(log {path} is empty)"
    return "\n".join(content[-lines:])


class PostgresCluster:
    """A private PostgreSQL cluster living in one directory.

    ``start()`` creates and starts it and returns the connection URL;
    ``stop()`` shuts it down and deletes the directory.  When ``directory`` is
    None a fresh temporary directory is used.  ``stop_at_exit`` registers an
    atexit hook so a forgotten cluster does not outlive the test process.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        *,
        user: str = DEFAULT_NAME,
        password: str = DEFAULT_NAME,
        database: str = DEFAULT_NAME,
        port: int | None = None,
        host: str = "127.0.0.1",
        stop_at_exit: bool = True,
        start_timeout: float = 60.0,
    ) -> None:
        self._requested_dir = Path(directory).absolute() if directory is not None else None
        self.directory: Path | None = self._requested_dir
        self.user = user
        self.password = password
        self.database = database
        self.host = host
        self.port: int | None = port
        self._fixed_port = port is not None
        self.stop_at_exit = stop_at_exit
        self.start_timeout = start_timeout
        self._bindir: Path | None = None
        self._account: ServiceAccount | None = None
        self._running = False

    # ----------------------------------------------------------------- paths
    @property
    def data_dir(self) -> Path:
        """PGDATA of the cluster."""
        return self._dir / DATA_SUBDIR

    @property
    def log_file(self) -> Path:
        """Server log; shown in error messages."""
        return self._dir / LOG_FILE

    @property
    def url(self) -> str:
        """postgres:// URL for the application role and database."""
        if self.port is None:
            raise PostgresClusterError("Cluster has not been started yet.")
        user, password, database = (quote(part, safe="") for part in (self.user, self.password, self.database))
        return f"postgres://{user}:{password}@{self.host}:{self.port}/{database}"

    @property
    def running(self) -> bool:
        """True between a successful start() and stop()."""
        return self._running

    @property
    def _dir(self) -> Path:
        if self.directory is None:
            raise PostgresClusterError("Cluster directory not set; call start() first.")
        return self.directory

    # ------------------------------------------------------------- lifecycle
    def start(self) -> str:
        """Create, configure and start the cluster; return its URL."""
        if self._running:
            return self.url
        self._bindir = find_pg_bindir()
        self._account = service_account()
        if self.directory is None:
            self.directory = Path(tempfile.mkdtemp(prefix="pgcluster-")).absolute()
        try:
            self._prepare_directory()
            self._initdb()
            self._write_config()
            self._bootstrap_roles()
            self._start_server()
        except BaseException:
            self._cleanup_after_failed_start()
            raise
        self._running = True
        (self._dir / URL_FILE).write_text(self.url + "\n")
        if self.stop_at_exit:
            atexit.register(self._stop_at_exit)
        return self.url

    def stop(self) -> None:
        """Fast-shutdown the server and delete the cluster directory."""
        if self.directory is None:
            return
        atexit.unregister(self._stop_at_exit)
        if self._bindir is None:
            self._bindir = find_pg_bindir()
        if self._account is None:
            self._account = service_account()
        self._shutdown_server(self._dir)
        self._remove_directory(self._dir)
        self._running = False
        if self._requested_dir is None:
            self.directory = None

    def restart(self, down_seconds: float = 0.0) -> None:
        """Stop the server (fast shutdown: sessions are cut), wait, start it again on the same port."""
        self._shutdown_server(self._dir)
        time.sleep(down_seconds)
        fixed, self._fixed_port = self._fixed_port, True
        try:
            self._start_server()
        finally:
            self._fixed_port = fixed

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self._running else "stopped"
        return f"<PostgresCluster {self.directory} port={self.port} {state}>"

    def _stop_at_exit(self) -> None:
        """atexit hook: best-effort cleanup, never raises."""
        try:
            self.stop()
        except Exception as exc:  # pragma: no cover - diagnostics only
            print(f"pgcluster: cleanup of {self.directory} failed: {exc}", file=sys.stderr)

    def _cleanup_after_failed_start(self) -> None:
        """Stop a half-started server; keep the directory so the log can be read."""
        if self.directory is not None and self.directory.exists():
            with contextlib.suppress(Exception):
                self._shutdown_server(self.directory)

    # --------------------------------------------------------------- helpers
    def _bin(self, name: str) -> str:
        assert self._bindir is not None
        return str(self._bindir / name)

    def _env(self) -> dict[str, str]:
        """Environment for server tools: no inherited PG* variables to confuse them."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        if self._account is not None:
            env["HOME"] = self._account.home or "/"
            env["USER"] = env["LOGNAME"] = self._account.name
        return env

    def _run(
        self,
        args: Sequence[str],
        *,
        input_text: str | None = None,
        timeout: float = 120.0,
        check: bool = True,
        what: str = "",
    ) -> subprocess.CompletedProcess[str]:
        """Run a server tool, as the service account when we are root."""
        kwargs: dict[str, Any] = {}
        if self._account is not None:
            kwargs.update(user=self._account.uid, group=self._account.gid, extra_groups=[])
        cwd = self.directory if self.directory is not None and self.directory.is_dir() else "/"
        try:
            result = subprocess.run(
                list(args),
                input=input_text,
                stdin=None if input_text is not None else subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=self._env(),
                cwd=cwd,
                check=False,
                **kwargs,
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresClusterError(
                f"{what or args[0]} timed out after {timeout}s.\n--- {self.log_file} ---\n{_tail(self.log_file)}"
            ) from exc
        if check and result.returncode != 0:
            raise PostgresClusterError(self._failure_message(what or args[0], result))
        return result

    def _failure_message(self, what: str, result: subprocess.CompletedProcess[str]) -> str:
        """Error text with the command output and the server log tail."""
        account = f" (as user {self._account.name})" if self._account else ""
        parts = [f"{what} failed with exit status {result.returncode}{account}."]
        if result.stdout.strip():
            parts.append(f"--- stdout ---\n{result.stdout.strip()}")
        if result.stderr.strip():
            parts.append(f"--- stderr ---\n{result.stderr.strip()}")
        if self.directory is not None:
            parts.append(f"--- {self.log_file} (tail) ---\n{_tail(self.log_file)}")
        return "\n".join(parts)

    # ----------------------------------------------------------------- steps
    def _looks_like_cluster_dir(self, path: Path) -> bool:
        return (path / MARKER_FILE).exists() or (path / DATA_SUBDIR / "PG_VERSION").exists()

    def _prepare_directory(self) -> None:
        """Remove a stale cluster directory and create a fresh, correctly owned one."""
        path = self._dir
        if path.exists() or path.is_symlink():
            if not path.is_dir() or path.is_symlink():
                raise PostgresClusterError(f"{path} exists and is not a directory.")
            if any(path.iterdir()):
                if not self._looks_like_cluster_dir(path):
                    raise PostgresClusterError(
                        f"Refusing to delete {path}: it is not empty and does not look "
                        "like a pgcluster directory. Choose another --dir."
                    )
                print(
                    f"pgcluster: removing stale cluster directory {path}",
                    file=sys.stderr,
                )
                self._shutdown_server(path)
                self._remove_directory(path)
        self._check_ancestors_traversable(path)  # before creating anything
        path.mkdir(parents=True, exist_ok=True)
        (path / MARKER_FILE).write_text("Throw-away cluster created by tests.support.pgcluster\n")
        if self._account is not None:
            self._check_ancestors_traversable(path)  # parents we just created (umask)
            _chown_tree(path, self._account)

    def _check_ancestors_traversable(self, path: Path) -> None:
        """As root the server runs as another user, who must be able to reach path."""
        if self._account is None:
            return
        for ancestor in path.parents:
            if ancestor.exists() and not _can_traverse(ancestor, self._account):
                raise PostgresClusterError(
                    f"The server runs as user {self._account.name!r} (initdb refuses "
                    f"root), but it cannot enter {ancestor} (mode "
                    f"{stat.filemode(ancestor.stat().st_mode)}). Use a directory under "
                    f"/tmp or run `chmod o+x {ancestor}`."
                )

    def _initdb(self) -> None:
        """Create the cluster; the application role is the bootstrap superuser."""
        self._run(
            [
                self._bin("initdb"),
                "--pgdata",
                str(self.data_dir),
                "--username",
                self.user,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            what="initdb",
        )

    def _socket_dir_setting(self) -> str:
        """Unix socket dir inside the cluster dir, or '' if that path is too long."""
        socket_dir = self._dir / SOCKET_SUBDIR
        if len(str(socket_dir)) + len("/.s.PGSQL.65535") > _MAX_SOCKET_PATH:
            print(
                f"pgcluster: {socket_dir} is too long for a unix socket; TCP only.",
                file=sys.stderr,
            )
            return ""
        socket_dir.mkdir(exist_ok=True)
        if self._account is not None:
            os.chown(socket_dir, self._account.uid, self._account.gid)
        return str(socket_dir)

    def _write_config(self) -> None:
        """Append fast, test-only settings to postgresql.conf."""
        settings = {
            "listen_addresses": _conf_literal(self.host),
            "unix_socket_directories": _conf_literal(self._socket_dir_setting()),
            "max_connections": "200",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "wal_level": "minimal",
            "max_wal_senders": "0",
            "jit": "off",
            "logging_collector": "off",
            "log_line_prefix": _conf_literal("%m [%p] "),
        }
        lines = ["", "# --- throw-away test settings (tests.support.pgcluster) ---"]
        lines += [f"{key} = {value}" for key, value in settings.items()]
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")

    def _bootstrap_roles(self) -> None:
        """Set the password and create the database in single-user mode (no client)."""
        statements = (
            f"ALTER ROLE {_sql_identifier(self.user)} WITH SUPERUSER LOGIN "
            f"PASSWORD {_sql_literal(self.password)};\n"
            f"CREATE DATABASE {_sql_identifier(self.database)} "
            f"OWNER {_sql_identifier(self.user)};\n"
        )
        if self.database == "postgres":
            statements = statements.split("\n", 1)[0] + "\n"
        result = self._run(
            [
                self._bin("postgres"),
                "--single",
                "-D",
                str(self.data_dir),
                "-c",
                "exit_on_error=true",
                "-c",
                "listen_addresses=",
                "postgres",
            ],
            input_text=statements,
            what="postgres --single (creating role/database)",
        )
        if "ERROR:" in result.stdout or "ERROR:" in result.stderr:
            raise PostgresClusterError(self._failure_message("postgres --single (creating role/database)", result))

    def _start_server(self) -> None:
        """Start the postmaster on a free port; retry if another process grabbed it."""
        last_error: PostgresClusterError | None = None
        for _ in range(1 if self._fixed_port else _START_ATTEMPTS):
            if not self._fixed_port:
                self.port = free_tcp_port(self.host)
            log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
            try:
                self._run(
                    [
                        self._bin("pg_ctl"),
                        "--pgdata",
                        str(self.data_dir),
                        "--log",
                        str(self.log_file),
                        "--wait",
                        "--timeout",
                        str(int(self.start_timeout)),
                        "--options",
                        f"-p {self.port}",
                        "start",
                    ],
                    timeout=self.start_timeout + 30,
                    what=f"pg_ctl start (port {self.port})",
                )
            except PostgresClusterError as exc:
                last_error = exc
                new_log = ""
                if self.log_file.exists():
                    with self.log_file.open(errors="replace") as handle:
                        handle.seek(log_offset)
                        new_log = handle.read()
                if "Address already in use" in new_log or "could not bind" in new_log:
                    continue
                raise
            self._wait_for_tcp()
            return
        assert last_error is not None
        raise last_error

    def _wait_for_tcp(self) -> None:
        """Block until the server accepts TCP connections (pg_ctl -w already waited)."""
        assert self.port is not None
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                with socket.create_connection((self.host, self.port), timeout=1.0):
                    return
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise PostgresClusterError(
                        f"PostgreSQL did not accept connections on "
                        f"{self.host}:{self.port}: "
                        f"{exc}\n--- {self.log_file} ---\n{_tail(self.log_file)}"
                    ) from exc
                time.sleep(0.1)

    def _shutdown_server(self, path: Path) -> None:
        """Stop a postmaster running from path/data; escalate if it stays up."""
        data_dir = path / DATA_SUBDIR
        pid_file = data_dir / "postmaster.pid"
        if not pid_file.exists():
            return
        for mode in ("fast", "immediate"):
            result = self._run(
                [
                    self._bin("pg_ctl"),
                    "--pgdata",
                    str(data_dir),
                    "--mode",
                    mode,
                    "--wait",
                    "--timeout",
                    "30",
                    "stop",
                ],
                timeout=60,
                check=False,
                what=f"pg_ctl stop -m {mode}",
            )
            if result.returncode == 0 or not pid_file.exists():
                return
        # Last resort: the pid file names the postmaster.
        try:
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def _remove_directory(self, path: Path) -> None:
        """Delete the cluster directory, refusing anything that is not ours."""
        if not path.exists():
            return
        if any(path.iterdir()) and not self._looks_like_cluster_dir(path):
            raise PostgresClusterError(f"Refusing to delete {path}: it does not look like a pgcluster directory.")
        shutil.rmtree(path)


def _main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: start/stop a cluster in --dir."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.pgcluster",
        description="Throw-away PostgreSQL cluster for tests and CI.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="create and start a cluster, print DATABASE_URL=...")
    start.add_argument("--dir", required=True, help="cluster directory (deleted if stale)")
    start.add_argument("--port", type=int, default=None, help="fixed port (default: free port)")
    stop = sub.add_parser("stop", help="fast-shutdown the cluster and delete --dir")
    stop.add_argument("--dir", required=True, help="cluster directory")
    args = parser.parse_args(argv)

    try:
        if args.command == "start":
            cluster = PostgresCluster(args.dir, port=args.port, stop_at_exit=False)
            url = cluster.start()
            print(f"DATABASE_URL={url}", flush=True)
        else:
            directory = Path(args.dir)
            if not directory.exists():
                print(
                    f"pgcluster: {directory} does not exist; nothing to stop.",
                    file=sys.stderr,
                )
                return 0
            PostgresCluster(directory, stop_at_exit=False).stop()
    except PostgresClusterError as exc:
        print(f"pgcluster: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())
