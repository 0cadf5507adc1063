"""However many workers run their timers, a daily job runs once per day (PostgreSQL advisory lock).

Two runners start the scheduler at the same moment, each on its own database connection, like the
workers of two app nodes; the job takes a while, so their runs overlap.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from notifications import scheduler

RUNS: list[str] = []
_LOCK = threading.Lock()


def slow_job(day: dt.date) -> int:
    with _LOCK:
        RUNS.append(day.isoformat())
    time.sleep(1.0)
    return 1


@pytest.mark.django_db(transaction=True)
def test_two_runners_in_parallel_run_a_daily_job_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the lock is PostgreSQL's; the embedded SQLite set-up runs one worker")
    probe = f"probe-{uuid.uuid4().hex[:8]}"
    settings.NOTIFICATIONS_DAILY_JOBS = {probe: "tests.ops.test_scheduled_jobs_once.slow_job"}
    settings.NOTIFICATIONS_DIGEST_HOUR = 0
    RUNS.clear()
    now = timezone.now()
    start = threading.Barrier(2)
    results: list[list[str]] = []

    def runner() -> None:
        from django.db import connection as own

        try:
            start.wait()
            results.append(scheduler.run_due(now))
        finally:
            own.close()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    runs = list(RUNS)
    assert runs == [timezone.localdate(now).isoformat()]
    assert sorted(probe in names for names in results) == [False, True]
    assert probe not in scheduler.run_due(now)  # and not again later that day
