"""Run the background worker: two queue lanes, the notification loop and a heartbeat for /healthz.

Lanes (``ops/worker.py``): ``tasks`` and ``extraction`` run side by side, so a slow file never holds
up the other tasks. Next to them a thread runs the notification loop (notifications/dispatch.py):
it fans out events, sends the mail outbox and runs the periodic jobs (digests, task reminders).

The heartbeat thread also puts back tasks of dead workers and, every ``UPLOAD_SCAN_RETRY_SECONDS``, scans
uploads still held back because clamd was down (scanning/actions.py).

On SIGTERM or SIGINT the worker takes no new task, kills running text extractions (their tasks go
back into the queue) and waits at most ``WORKER_STOP_GRACE_SECONDS`` for other running tasks; a
task still running then is left to ``recover_abandoned_tasks`` of the next worker.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from lib import isolation
from notifications import dispatch, scheduler
from ops.models import WorkerHeartbeat
from ops.worker import EXTRACTION_QUEUE, Lane, process_id, recover_abandoned_tasks
from scanning.actions import rescan_pending

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Startet den Hintergrund-Worker (Aufgaben-Warteschlange) mit Lebenszeichen für /healthz."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Offene Aufgaben abarbeiten und beenden.")
        parser.add_argument("--interval", type=float, default=1.0, help="Sekunden zwischen Abfragen der Warteschlange.")

    def handle(self, *args, batch: bool = False, interval: float = 1.0, **options):
        process = process_id()
        lanes = [Lane(name, process, batch=batch, interval=interval) for name in ("tasks", EXTRACTION_QUEUE)]
        stop = threading.Event()
        for lane in lanes:
            lane.beat(started=True)
        recover_abandoned_tasks()

        def on_signal(signum, _frame) -> None:
            log.warning("worker: %s received, stopping", signal.strsignal(signum))
            stop.set()
            for lane in lanes:
                lane.running = False
            isolation.stop_all()

        previous = {}
        if threading.current_thread() is threading.main_thread():
            previous = {signum: signal.signal(signum, on_signal) for signum in (signal.SIGTERM, signal.SIGINT)}
        threading.Thread(target=self._beat_loop, args=(lanes, stop), daemon=True).start()
        if not batch:
            threading.Thread(target=dispatch.run_forever, args=(stop, interval), daemon=True).start()
        threads = [threading.Thread(target=lane.run_until_stopped, name=f"lane-{lane.name}", daemon=True) for lane in lanes]
        for thread in threads:
            thread.start()
        try:
            if batch:
                for thread in threads:
                    thread.join()
                scheduler.run_due()
                dispatch.run_once()
            else:
                self._wait(stop, threads)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id__in=[lane.worker_id for lane in lanes]).delete()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @staticmethod
    def _wait(stop: threading.Event, threads: list[threading.Thread]) -> None:
        """Until a signal (or a lane that died); then give running tasks the grace period."""
        while not stop.wait(0.5):
            if not all(thread.is_alive() for thread in threads):
                raise CommandError("Eine Warteschlange des Workers ist ausgefallen; der Worker wird beendet.")
        deadline = time.monotonic() + settings.WORKER_STOP_GRACE_SECONDS
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    @staticmethod
    def _beat_loop(lanes: list[Lane], stop: threading.Event) -> None:
        last_rescan = time.monotonic()
        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                for lane in lanes:
                    lane.beat()
                recover_abandoned_tasks()
                if time.monotonic() - last_rescan >= settings.UPLOAD_SCAN_RETRY_SECONDS:
                    last_rescan = time.monotonic()
                    rescan_pending()
            except Exception:
                log.exception("worker: heartbeat failed; trying again")
            finally:
                close_old_connections()
