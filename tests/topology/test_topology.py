"""The suite's part that runs against production's shape (bin/topology): nginx with TLS and HTTP/2 in front
of two gunicorn app servers, two workers, PostgreSQL, an S3 object store and clamd.

One test walks through the checks in order, so the topology starts once (and on one xdist process).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ops.deploy.topology import Topology
from tests.support.clamd import EICAR

pytestmark = pytest.mark.topology


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    top = Topology(tmp_path_factory.mktemp("topology"))
    try:
        top.start()
        yield top
    finally:
        top.stop()


def _get(top: Topology, path: str, *, session: str = "", base: str = "", headers: dict | None = None):
    request = urllib.request.Request((base or top.url) + path, headers=headers or {})
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    try:
        with urllib.request.urlopen(request, context=top.ssl_context(), timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _shell(top: Topology, code: str) -> dict:
    return json.loads(top.manage("shell", "-c", code, capture=True).strip().splitlines()[-1])


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out: {what}")


def test_production_shape(topology):
    top = topology
    # TLS with HTTP/2, the security headers once each, /metrics not public.
    host, port = top.url.removeprefix("https://").split(":")
    with (
        socket.create_connection((host, int(port))) as raw,
        top.ssl_context(alpn=["h2", "http/1.1"]).wrap_socket(raw, server_hostname=host) as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"
    status, headers, _body = _get(top, "/")
    assert status == 200
    assert "preload" in headers["Strict-Transport-Security"] and headers["X-Content-Type-Options"] == "nosniff"
    assert _get(top, "/metrics")[0] == 404
    app = f"http://127.0.0.1:{top.app_ports[0]}"
    token = top.env["METRICS_TOKEN"]
    with urllib.request.urlopen(
        urllib.request.Request(f"{app}/metrics", headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"})
    ) as scraped:
        assert b"interkommunal_task_queue_depth" in scraped.read()

    # Survey paths and query strings never reach the access log.
    _get(top, "/umfrage/unbekannt-xyz/")
    _get(top, "/suche/?q=geheimwort")
    access_log = ""
    for _attempt in range(50):  # nginx writes the line after the response went out: wait for it under load
        access_log = (top.directory / "nginx-access.log").read_text()
        if "/suche/" in access_log:
            break
        time.sleep(0.2)
    assert "/suche/" in access_log
    assert "umfrage" not in access_log and "geheimwort" not in access_log

    # Uploads go to S3 and are held until a worker had clamd scan them; EICAR ends in quarantine.
    scene = _shell(top, f"from ops.deploy.probe import upload_scene; upload_scene(b'Bericht aus der Topologie', {EICAR!r})")
    session = scene["session"]

    def settled(pk):
        status, _h, body = _get(top, f"/dokumente/{pk}/herunterladen/", session=session)
        return (status, body) if status != 409 else None

    assert _wait(lambda: settled(scene["clean"]), 60, "clean file released") == (200, b"Bericht aus der Topologie")
    status, body = _wait(lambda: settled(scene["infected"]), 60, "infected file decided")
    assert status == 410 and EICAR not in body
    import boto3

    bucket = boto3.client(
        "s3",
        endpoint_url=top.env["S3_ENDPOINT_URL"],
        region_name=top.env["S3_REGION"],
        aws_access_key_id=top.env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=top.env["S3_SECRET_ACCESS_KEY"],
    )
    keys = {o["Key"] for o in bucket.list_objects_v2(Bucket=top.env["S3_BUCKET"]).get("Contents", [])}
    assert scene["file"] in keys and any(k.startswith("quarantine/") for k in keys)

    # A worker killed mid-task: the task is not lost, and it completes exactly once.
    marker = top.directory / "probe.txt"
    task = _shell(top, f"from ops.deploy.probe import enqueue_probe; enqueue_probe({str(marker)!r}, 20)")
    _wait(lambda: marker.exists() and "start" in marker.read_text(), 30, "probe started")
    state = _shell(top, f"from ops.deploy.probe import probe_state; probe_state({task['id']!r})")
    running_pid = int(state["workers"][-1].split(":")[0].rsplit("-", 2)[1])  # worker ids: <host>-<pid>-<random>:<lane>
    (victim,) = [name for name, p in top.processes.items() if name.startswith("worker") and p.pid == running_pid]
    top.stop_process(victim, signal.SIGKILL)
    _wait(lambda: "done" in marker.read_text(), 90, "probe finished by the other worker")
    time.sleep(3)
    assert marker.read_text().splitlines() == ["start", "start", "done"]
    state = _shell(top, f"from ops.deploy.probe import probe_state; probe_state({task['id']!r})")
    assert state["status"] == "SUCCESSFUL" and len(state["workers"]) == 2

    # One app server stopped while requests run: nobody gets an error.
    errors: list[object] = []
    answered = [0]
    stop = threading.Event()

    def browse() -> None:
        while not stop.is_set():
            try:
                status, _h, _b = _get(top, "/")
                if status != 200:
                    errors.append(status)
                answered[0] += 1
            except OSError as exc:
                errors.append(repr(exc))

    threads = [threading.Thread(target=browse) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    top.stop_process("app1", signal.SIGTERM)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(30)
    assert answered[0] > 10 and errors == []
    assert os.path.exists(top.directory / "nginx-access.log")
    assert Path(top.directory / "app2.log").exists()
