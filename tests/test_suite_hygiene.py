"""The suite itself: pytest-xdist needs every worker to collect the very same test ids."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# fixed-dates: the date check's own examples below are data, not dates the tests run on


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


@pytest.mark.sqlite_fast
def test_date_check_catches_a_future_date_typed_into_a_test(tmp_path):
    """The check in bin/test flags what turned main red on 2 December 2026, and lets safe dates pass."""
    import datetime as dt

    from tests.support.check_dates import check_file

    today = dt.date(2026, 11, 20)  # the day the old test was still green
    old = tmp_path / "test_old.py"
    old.write_text('def test_join(page):\n    page.get_by_label("Beitritt").fill("2026-12-01")\n')
    assert [f.date for f in check_file(old, today)] == [dt.date(2026, 12, 1)]

    frozen = tmp_path / "test_frozen.py"
    frozen.write_text(
        "import datetime as dt\nimport pytest\n\n"
        "@pytest.mark.time_machine(dt.datetime(2029, 1, 1, tzinfo=dt.UTC))\n"
        "def test_meeting():\n    assert dt.date(2030, 3, 12)\n"
    )
    explained = tmp_path / "test_explained.py"
    explained.write_text('DATE = "2026-12-01"  # fixed-date: only printed\nOLD = "24.02.2009"\n')
    german = tmp_path / "test_german.py"
    german.write_text('TEXT = "tritt am 01.12.2026 bei"\nCALL = __import__("datetime").date(2027, 1, 4)\n')
    assert check_file(frozen, today) == []
    assert check_file(explained, today) == []
    assert sorted(f.date.isoformat() for f in check_file(german, today)) == ["2026-12-01", "2027-01-04"]


@pytest.mark.sqlite_fast
def test_no_test_holds_a_date_that_will_expire():
    from tests.support.check_dates import main

    assert main([str(ROOT / "tests")]) == 0
