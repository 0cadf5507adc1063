"""Demo tasks in the project workspace: one overdue, one for three cities (each with its progress), one done.

Idempotent by title."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from members.models import Municipality
from notifications.actions import fan_out_pending
from workspaces.demo import PROJECT_NAME
from workspaces.models import Workspace

from .actions import create_task, set_city_status
from .models import Task


def load_demo_tasks() -> int:
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    team = User.objects.filter(email="projektteam@interkommunal.example").first()
    project = Workspace.objects.filter(name=PROJECT_NAME).first()
    if not (office and team and project):
        return 0
    today = timezone.localdate()
    created = 0
    if not Task.objects.filter(title="Plakatentwurf abstimmen").exists():
        task = create_task(
            office, project, title="Plakatentwurf abstimmen", assignees=[team], due_date=today + dt.timedelta(days=1)
        )
        Task.objects.filter(pk=task.pk).update(due_date=today - dt.timedelta(days=4))  # overdue in the demo
        created += 1
    if not Task.objects.filter(title="Ausbildungszahlen 2026 melden").exists():
        cities = list(Municipality.objects.filter(slug__in=["bochum", "dortmund", "herne"]).order_by("short_name"))
        task = create_task(
            office,
            project,
            title="Ausbildungszahlen 2026 melden",
            description="Bitte die Zahl der Auszubildenden mit Einwanderungsgeschichte an die Geschäftsführung melden.",
            municipalities=cities,
            due_date=today + dt.timedelta(days=14),
        )
        # Each city reports its own progress: Dortmund is done, Bochum has started, Herne not yet.
        for slug, status, note in (
            ("dortmund", "done", "Zahlen per Mail an die Geschäftsführung geschickt."),
            ("bochum", "in_progress", "Die Personalabteilung liefert die Zahlen bis Ende der Woche."),
        ):
            row = task.cities.get(municipality__slug=slug)
            set_city_status(office, row, row.version, status=status, note=note)
        created += 1
    if not Task.objects.filter(title="Raum für das Auftakttreffen buchen").exists():
        create_task(office, project, title="Raum für das Auftakttreffen buchen", assignees=[team], status="done")
        created += 1
    fan_out_pending(limit=100)  # the demo's notifications appear at once; their mails wait for the worker
    return created
