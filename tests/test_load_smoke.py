"""The load test's locust mix runs once against a live server: every page type answers, nothing fails.

The load test itself (bench/load_test.py, against the production topology at scale 1000) is a benchmark,
not part of the suite; this only keeps its locustfile working as the pages change."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from bench.load.setup import prepare

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent users on SQLite's shared in-memory database lock each other out",
    ),
]
ROOT = Path(__file__).resolve().parent.parent


def test_locust_mix_runs_without_failures(live_server, tmp_path, settings):
    settings.OPARL_BASE_URL = live_server.url
    call_command("generate_data", scale=1, documents=20, stdout=io.StringIO(), stderr=io.StringIO())
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps(prepare(2)))
    locust = [str(Path(sys.executable).with_name("locust")), "-f", str(ROOT / "bench" / "load" / "locustfile.py")]
    locust += ["--headless", "--host", live_server.url, "-u", "4", "-r", "4", "--run-time", "5s", "--only-summary"]
    locust += ["--csv", str(tmp_path / "locust"), "--stop-timeout", "5"]
    result = subprocess.run(
        locust, cwd=ROOT, env={**os.environ, "LOADTEST_SETUP": str(setup)}, capture_output=True, text=True, timeout=60
    )
    with open(tmp_path / "locust_stats.csv", newline="") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert int(stats["Aggregated"]["Failure Count"]) == 0
    assert int(stats["Aggregated"]["Request Count"]) >= 10
    assert "invitation" in stats  # the office's first task runs at once; the others are drawn at random
    assert len(stats) >= 6, sorted(stats)
