"""A throw-away clamd (Debian's clamav-daemon binary) on a local signature file, for the suite and bin/topology.

Signature downloads (freshclam) need the internet; here the only signature is an MD5 hash signature
(``.hdb``) of the EICAR test file, written next to the daemon's configuration. clamd loads it in
well under a second.

    python -m tests.support.clamd start --dir /tmp/clamd-x   # prints CLAMD_ADDRESS=unix:...
    python -m tests.support.clamd stop --dir /tmp/clamd-x
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

# The EICAR anti-virus test file, in two parts so that this source file is not itself a detection.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE_NAME = "Interkommunal.Test.EICAR"


def binary() -> str | None:
    return shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)


def write_signatures(database: Path) -> Path:
    database.mkdir(parents=True, exist_ok=True)
    path = database / "interkommunal-test.hdb"
    path.write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:{SIGNATURE_NAME}\n")  # noqa: S324 - ClamAV's format
    return path


def start(directory: Path, *, timeout: float = 30.0) -> tuple[subprocess.Popen, str]:
    """Start clamd in the foreground with its socket in ``directory``; returns the process and CLAMD_ADDRESS."""
    exe = binary()
    if exe is None:
        raise RuntimeError("clamd fehlt: apt-get install clamav-daemon")
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "db"
    write_signatures(database)
    sock = directory / "clamd.sock"
    config = directory / "clamd.conf"
    config.write_text(
        "Foreground yes\n"
        f"LocalSocket {sock}\n"
        f"DatabaseDirectory {database}\n"
        f"LogFile {directory / 'clamd.log'}\n"
        "StreamMaxLength 200M\n"
        "SelfCheck 3600\n"
    )
    process = subprocess.Popen(
        [exe, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clamd stopped at start: {(directory / 'clamd.log').read_text(errors='replace')[-2000:]}")
        if sock.exists():
            try:
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.connect(str(sock))
                    probe.sendall(b"zPING\0")
                    if probe.recv(10).startswith(b"PONG"):
                        (directory / "clamd.pid").write_text(str(process.pid))
                        return process, f"unix:{sock}"
            except OSError:
                pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("clamd did not answer in time")


def stop(directory: Path) -> None:
    pidfile = directory / "clamd.pid"
    if not pidfile.exists():
        return
    pid = int(pidfile.read_text())
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    pidfile.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--dir", required=True, type=Path)
    args = parser.parse_args()
    if args.command == "start":
        _process, address = start(args.dir)
        print(f"CLAMD_ADDRESS={address}")
        print(f"CLAMAV_DATABASE_DIR={args.dir / 'db'}")
    else:
        stop(args.dir)


if __name__ == "__main__":
    main()
