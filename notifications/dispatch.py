"""The worker's notification loop: fan out events, send the outbox, run the periodic jobs."""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from . import actions, delivery, scheduler

log = logging.getLogger(__name__)
SCHEDULER_EVERY_SECONDS = 60


def run_once() -> dict[str, int]:
    """Everything that is due now, until nothing is left. Tests and ``worker --batch`` call this."""
    fanned = 0
    while True:
        n = actions.fan_out_pending()
        fanned += n
        if not n:
            break
    return {"events": fanned, "mails": delivery.deliver()}


def run_forever(stop: threading.Event, interval: float = 1.0) -> None:
    last_schedule = 0.0
    while not stop.is_set():
        if time.monotonic() - last_schedule >= SCHEDULER_EVERY_SECONDS:
            last_schedule = time.monotonic()
            _guarded(scheduler.run_due)
        _guarded(run_once)
        stop.wait(interval)


def _guarded(job) -> None:
    """One failing job (a broken SMTP server, a bug) must not stop the loop."""
    try:
        job()
    except Exception:
        log.exception("notifications: %s failed; trying again", getattr(job, "__name__", job))
    finally:
        close_old_connections()
