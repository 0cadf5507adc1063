"""A real S3 server process (moto's server mode, from PyPI) on a free local port, for the suite and bin/topology.

python -m tests.support.s3 start --dir /tmp/s3-x   # prints the S3_* variables
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BUCKET = "interkommunal"
ACCESS_KEY = "interkommunal-test"
SECRET_KEY = "interkommunal-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(endpoint: str) -> dict[str, str]:
    return {
        "FILE_STORAGE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "eu-central-1",
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def start(port: int | None = None, *, log: Path | None = None, timeout: float = 60.0) -> tuple[subprocess.Popen, str]:
    """Start moto_server and create the bucket; returns the process and the endpoint URL."""
    port = port or free_port()
    exe = Path(sys.executable).with_name("moto_server")
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    process = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("moto_server stopped at start")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
            break
        time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("moto_server did not answer in time")
    make_bucket(endpoint)
    return process, endpoint


def make_bucket(endpoint: str) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-central-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--dir", required=True, type=Path)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    pidfile = args.dir / "moto.pid"
    if args.command == "start":
        process, endpoint = start(log=args.dir / "moto.log")
        pidfile.write_text(str(process.pid))
        for key, value in environment(endpoint).items():
            print(f"{key}={value}")
    elif pidfile.exists():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pidfile.read_text()), signal.SIGTERM)
        pidfile.unlink()


if __name__ == "__main__":
    main()
