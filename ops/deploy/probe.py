"""Helpers the topology tests run inside the topology (``manage.py shell -c``) and a slow task for the worker test.

Not used by the platform itself.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_probe(marker: str, seconds: float) -> None:
    """Writes ``start``, waits, writes ``done``: a worker killed in between leaves a start without a done."""
    path = Path(marker)
    with path.open("a") as f:
        f.write("start\n")
    time.sleep(seconds)
    with path.open("a") as f:
        f.write("done\n")


def upload_scene(clean: bytes, infected: bytes) -> None:
    """A member with a session and two uploads (one clean, one EICAR) in a private workspace; prints JSON."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from documents import actions as documents
    from members.demo import load_demo
    from members.models import Membership
    from tests.conftest import make_user, seat
    from workspaces.actions import create_workspace
    from workspaces.models import Workspace

    load_demo()
    lead = make_user("topologie@test.example")
    seat(lead, "projektteam", Membership.Role.MEMBER, "dortmund", given_name="Toni", family_name="Topologie")
    with transaction.atomic():
        workspace = create_workspace(
            lead,
            name="Topologie",
            visibility=Workspace.Visibility.PRIVATE,
            join_policy=Workspace.JoinPolicy.INVITATION,
        )
        good = documents.upload(lead, workspace, SimpleUploadedFile("bericht.txt", clean))
        bad = documents.upload(lead, workspace, SimpleUploadedFile("rechnung.txt", infected))
    session = SessionStore()
    session[SESSION_KEY] = str(lead.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = lead.get_session_auth_hash()
    session.create()
    print(json.dumps({"session": session.session_key, "clean": good.pk, "infected": bad.pk, "file": good.current.file.name}))


def enqueue_probe(marker: str, seconds: float) -> None:
    result = slow_probe.enqueue(marker, seconds)
    print(json.dumps({"id": str(result.id)}))


def probe_state(task_id: str) -> None:
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.get(pk=task_id)
    print(json.dumps({"status": row.status, "workers": row.worker_ids}))


@task()
def mark_probe(marker: str, label: str, seconds: float) -> None:
    """Waits, then appends its label: a label written twice is a task run twice."""
    time.sleep(seconds)
    with Path(marker).open("a") as f:
        f.write(f"{label}\n")


def enqueue_marks(marker: str, count: int, seconds: float) -> None:
    ids = [str(mark_probe.enqueue(marker, f"t{n}", seconds).id) for n in range(count)]
    print(json.dumps({"ids": ids}))


def tasks_state(ids: list[str]) -> None:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(pk__in=ids).values_list("id", "status", "worker_ids", "args_kwargs")
    print(json.dumps({str(pk): {"status": s, "runs": len(w), "label": a["args"][1]} for pk, s, w, a in rows}))
