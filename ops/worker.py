"""The background worker's parts: queue lanes with heartbeats, recovery of abandoned tasks.

A worker process runs two *lanes*, each a django-tasks-db loop in its own thread: ``tasks``
(every queue but ``extraction``) and ``extraction``. A file that takes its full time limit to
fail holds up only the extraction lane; search indexing and mail go on beside it.

Every lane has a ``WorkerHeartbeat`` row (its id is the lane's worker id in the task rows) that
says which task it runs since when, so ``/healthz`` can report a lane stuck on one task, and a
task whose lane no longer beats can be put back into the queue (``recover_abandoned_tasks``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

log = logging.getLogger(__name__)
EXTRACTION_QUEUE = "extraction"
INTERRUPTED = "lib.isolation.Interrupted"
ABANDONED = "ops.worker.Abandoned"
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_ERROR_PATHS = {f"{e.__module__}.{e.__qualname__}" for e in DATABASE_ERRORS}


class Abandoned(Exception):
    """Recorded for a task whose workers died while running it, as often as allowed."""


def process_id() -> str:
    """Unique per process; lane ids append ``:<lane>`` and must stay under 64 characters."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Lane(Worker):
    """One queue loop of the worker, reporting the task it runs in its heartbeat row."""

    def __init__(self, name: str, process: str, *, batch: bool, interval: float):
        extraction = name == EXTRACTION_QUEUE
        super().__init__(
            queue_names=[EXTRACTION_QUEUE] if extraction else ["*"],
            excluded_queue_names=[] if extraction else [EXTRACTION_QUEUE],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{process}:{name}",
        )
        self.name = name

    def beat(self, *, started: bool = False) -> None:
        now = timezone.now()
        defaults = {"hostname": socket.gethostname(), "pid": os.getpid(), "last_seen": now}
        if started:
            defaults["started_at"] = now
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id, defaults=defaults, create_defaults={**defaults, "started_at": now}
        )

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            current_task=db_task_result.task_path[:200], task_started_at=timezone.now()
        )
        # A task that finished while the database was away is recorded once it is back, not run again.
        db_task_result.set_successful = self._until_recorded(db_task_result.set_successful)
        db_task_result.set_failed = self._until_recorded(db_task_result.set_failed)
        try:
            super().run_task(db_task_result)
        finally:
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(current_task="", task_started_at=None)
            except DATABASE_ERRORS:
                log.warning("worker lane %s could not clear its heartbeat; the next beat will", self.name)
        if db_task_result.status != TaskResultStatus.FAILED:
            return
        if db_task_result.exception_class_path == INTERRUPTED:
            log.warning("task %s interrupted by the worker stopping; back in the queue", db_task_result.id)
            _requeue(db_task_result.pk)
        elif (
            db_task_result.exception_class_path in DATABASE_ERROR_PATHS
            and len(db_task_result.worker_ids) < settings.WORKER_TASK_MAX_ATTEMPTS
        ):
            log.warning("task %s failed on a database outage; back in the queue", db_task_result.id)
            _requeue(db_task_result.pk)

    def _until_recorded(self, write: Callable[..., None]) -> Callable[..., None]:
        def retrying(*args: Any, **kwargs: Any) -> None:
            delay = 0.5
            while True:
                try:
                    return write(*args, **kwargs)
                except DATABASE_ERRORS:
                    if not self.running:
                        raise  # stopping: the task stays RUNNING and recover_abandoned_tasks puts it back
                    log.warning("worker lane %s cannot record a task result; waiting for the database", self.name)
                    connection.close()
                    time.sleep(delay)
                    delay = min(delay * 2, 5.0)

        return retrying

    def run_until_stopped(self) -> None:
        """Run the loop; a lost database (restart, failover) pauses the lane until it is back, it does not end it."""
        while True:
            try:
                self.run()
                return
            except DATABASE_ERRORS as exc:
                if not self.running:
                    return
                log.warning("worker lane %s lost the database (%s); reconnecting", self.name, exc.__class__.__name__)
                self._reconnect()
            except Exception:
                log.exception("worker lane %s stopped with an error", self.name)
                raise
            finally:
                close_old_connections()

    def _reconnect(self) -> None:
        """Wait for the database; then put back the task this lane was running when it was lost.

        That task's result could not be recorded (it is still ``RUNNING`` under this lane), and whatever it
        wrote in its transaction was rolled back with the connection, so running it again is safe.
        """
        delay = 0.5
        while self.running:
            connection.close()
            try:
                mine = [
                    pk
                    for pk, worker_ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
                        "id", "worker_ids"
                    )
                    if worker_ids and worker_ids[-1] == self.worker_id
                ]
                for pk in mine:
                    log.warning("task %s was cut off by the database outage; back in the queue", pk)
                    _requeue(pk)
                log.warning("worker lane %s reconnected to the database", self.name)
                return
            except DATABASE_ERRORS:
                time.sleep(delay)
                delay = min(delay * 2, 5.0)


def _requeue(pk: uuid.UUID | str) -> None:
    DBTaskResult.objects.filter(pk=pk).update(
        status=TaskResultStatus.READY, finished_at=None, exception_class_path="", traceback="", return_value=None
    )


def recover_abandoned_tasks() -> int:
    """Put tasks back whose lane stopped beating while running them; give up after the attempt limit.

    Attempts are counted by the task row's worker ids (one per claim).
    """
    now = timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(
            last_seen__gte=now - dt.timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
        ).values_list("worker_id", flat=True)
    )
    recovered = 0
    for pk, worker_ids in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list("id", "worker_ids"):
        if worker_ids and worker_ids[-1] in alive:
            continue
        running = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING)
        if len(worker_ids) >= settings.WORKER_TASK_MAX_ATTEMPTS:
            running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=ABANDONED,
                traceback=f"Its worker stopped while running it, {len(worker_ids)} times; not tried again.",
            )
            log.error("task %s abandoned by %s workers; marked failed", pk, len(worker_ids))
        elif running.update(status=TaskResultStatus.READY):
            log.warning("task %s was running on a worker that is gone; back in the queue", pk)
        recovered += 1
    return recovered
