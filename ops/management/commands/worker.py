"""Run the background worker (django-tasks ORM backend) and report a heartbeat for /healthz.

Next to the task queue a thread runs the notification loop (notifications/dispatch.py): it fans
out events, sends the mail outbox and runs the periodic jobs (digests, task reminders).
"""

from __future__ import annotations

import os
import socket
import threading
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from notifications import dispatch, scheduler
from ops.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "Startet den Hintergrund-Worker (Aufgaben-Warteschlange) mit Lebenszeichen für /healthz."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Offene Aufgaben abarbeiten und beenden.")
        parser.add_argument("--interval", type=float, default=1.0, help="Sekunden zwischen Abfragen der Warteschlange.")

    def handle(self, *args, batch: bool = False, interval: float = 1.0, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        stop = threading.Event()
        self._beat(worker_id, started=True)
        thread = threading.Thread(target=self._beat_loop, args=(worker_id, stop), daemon=True)
        thread.start()
        if not batch:
            threading.Thread(target=dispatch.run_forever, args=(stop, interval), daemon=True).start()
        try:
            worker_args = ["--interval", str(interval), "--queue-name", "*", "--no-reload", "--no-startup-delay"]
            if batch:
                worker_args.append("--batch")
            call_command("db_worker", *worker_args, verbosity=options.get("verbosity", 1))
            if batch:
                scheduler.run_due()
                dispatch.run_once()
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    def _beat_loop(self, worker_id: str, stop: threading.Event) -> None:
        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                self._beat(worker_id)
            finally:
                close_old_connections()

    @staticmethod
    def _beat(worker_id: str, started: bool = False) -> None:
        now = timezone.now()
        defaults = {"hostname": socket.gethostname(), "pid": os.getpid(), "last_seen": now}
        if started:
            defaults["started_at"] = now
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id, defaults=defaults, create_defaults={**defaults, "started_at": now}
        )
