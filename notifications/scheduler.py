"""Periodic jobs of the worker: digests and task reminders, once per day or week; and jobs every few minutes
(``NOTIFICATIONS_FREQUENT_JOBS``: name → (dotted path, minutes); the job gets the start of its slot), e.g. the
waiting lists of events, whose offers may run for less than a day.

django-tasks has no scheduler, so ``manage.py worker`` calls :func:`run_due` about once a minute.
A job that finished for its period is recorded in ``ScheduledRun``; the jobs themselves are
idempotent per item (a unique ``Digest`` per person and period, ``Task.reminder_sent_on``), so a
worker killed half-way finishes the rest after the restart without repeating anything.

However many workers (on however many nodes) call :func:`run_due`, a job runs once per period: on
PostgreSQL each job and period is guarded by an advisory lock; the worker that gets it checks
``ScheduledRun`` again and runs the job, the others skip it. The lock belongs to the database session,
so a worker that dies mid-job releases it and the next one takes over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import zlib
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.module_loading import import_string

from .digests import send_digests, week_start
from .models import Digest, ScheduledRun

log = logging.getLogger(__name__)


def _due_jobs(now: dt.datetime) -> list[tuple[str, str, Callable[[], object]]]:
    local = timezone.localtime(now)
    today = local.date()
    jobs: list[tuple[str, str, Callable[[], object]]] = []
    if local.hour >= settings.NOTIFICATIONS_DIGEST_HOUR:
        jobs.append(("digest-daily", today.isoformat(), lambda: send_digests(Digest.Kind.DAILY, today)))
        if local.weekday() == settings.NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY:
            monday = week_start(today)
            jobs.append(("digest-weekly", monday.isoformat(), lambda: send_digests(Digest.Kind.WEEKLY, monday)))
        for name, path in settings.NOTIFICATIONS_DAILY_JOBS.items():
            jobs.append((name, today.isoformat(), lambda path=path: import_string(path)(today)))
    # Jobs every few minutes (deadlines shorter than a day): the period is the slot, e.g. "2026-03-01T10:05".
    for name, (path, minutes) in getattr(settings, "NOTIFICATIONS_FREQUENT_JOBS", {}).items():
        slot = now.replace(second=0, microsecond=0, minute=now.minute - now.minute % minutes)
        jobs.append((name, slot.strftime("%Y-%m-%dT%H:%M"), lambda path=path, slot=slot: import_string(path)(slot)))
    return jobs


# First key of the two-key advisory locks: keeps the scheduler's locks apart from any other use.
LOCK_NAMESPACE = 0x1A7E


@contextlib.contextmanager
def _only_here(name: str, period: str) -> Iterator[bool]:
    """True when this process may run the job now: it holds the job's lock (PostgreSQL) or nobody else could."""
    if connection.vendor != "postgresql":
        yield True  # SQLite: the embedded set-up runs a single worker
        return
    key = zlib.crc32(f"{name}:{period}".encode()) - 2**31
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Run every job that is due and not yet done for its period; returns the names that ran."""
    now = now or timezone.now()
    ran = []
    for name, period, job in _due_jobs(now):
        if ScheduledRun.objects.filter(job=name, period=period).exists():
            continue
        with _only_here(name, period) as mine:
            if not mine or ScheduledRun.objects.filter(job=name, period=period).exists():
                continue  # another worker runs it now, or finished it while we looked
            try:
                result = job()
            except Exception:
                log.exception("scheduler: %s for %s failed; it runs again next time", name, period)
                continue
            _done(name, period, result)
            ran.append(name)
    return ran


def _done(name: str, period: str, result: object) -> None:
    # Without the lock (SQLite) a second worker may have finished the same job; its items are unique anyway.
    with contextlib.suppress(IntegrityError):
        ScheduledRun.objects.create(job=name, period=period)
    if name in getattr(settings, "NOTIFICATIONS_FREQUENT_JOBS", {}):
        # A frequent job's runs are needed only for the slot at hand: keep the last day's.
        ScheduledRun.objects.filter(job=name, finished__lt=timezone.now() - dt.timedelta(days=1)).delete()
    log.info("scheduler: %s for %s done (%s)", name, period, result)
