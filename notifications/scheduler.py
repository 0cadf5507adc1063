"""Periodic jobs of the worker: digests and task reminders, once per day or week.

django-tasks has no scheduler, so ``manage.py worker`` calls :func:`run_due` about once a minute.
A job that finished for its period is recorded in ``ScheduledRun``; the jobs themselves are
idempotent per item (a unique ``Digest`` per person and period, ``Task.reminder_sent_on``), so a
worker killed half-way finishes the rest after the restart without repeating anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError
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
    return jobs


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Run every job that is due and not yet done for its period; returns the names that ran."""
    now = now or timezone.now()
    ran = []
    for name, period, job in _due_jobs(now):
        if ScheduledRun.objects.filter(job=name, period=period).exists():
            continue
        try:
            result = job()
        except Exception:
            log.exception("scheduler: %s for %s failed; it runs again next time", name, period)
            continue
        # A second worker may have finished the same job at the same time; its items are unique anyway.
        with contextlib.suppress(IntegrityError):
            ScheduledRun.objects.create(job=name, period=period)
        log.info("scheduler: %s for %s done (%s)", name, period, result)
        ran.append(name)
    return ran
