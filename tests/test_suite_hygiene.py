"""The suite itself: pytest-xdist needs every worker to collect the very same test ids."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _collect() -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    return [line for line in completed.stdout.splitlines() if "::" in line]


@pytest.mark.sqlite_fast
def test_test_ids_do_not_depend_on_the_time_of_collection():
    # ZIP archives store their build time in two-second steps; a parameter id made from such bytes
    # changes between two collections a few seconds apart, and the workers then disagree.
    first = _collect()
    time.sleep(2.5)
    second = _collect()
    assert first, "nothing collected"
    assert first == second, sorted(set(first) ^ set(second))[:5]
