"""News, tasks and notifications for the browser scans (tests/e2e/test_accessibility_scan.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from members.models import Municipality
from news.actions import add_comment, create_post
from news.models import Post
from notifications.tokens import make_token
from tasks.actions import create_task
from tasks.models import Task
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace

from .matrix import png


def news_scene() -> dict[str, object]:
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    office = User.objects.get(email="office@test.example")
    member = User.objects.get(email="member@test.example")
    public = Post.objects.filter(title="Fachtag Interkulturelle Öffnung").first()
    if public is None:
        public = create_post(
            office,
            workspace,
            title="Fachtag Interkulturelle Öffnung",
            body="Am **12. März** laden wir zum Fachtag nach Herne ein. @Mara Member stellt das Projekt vor.",
            image=png(size=(640, 320)),
            image_alt="Plakat des Fachtags",
            is_public=True,
        )
        add_comment(member, public, "Ich freue mich darauf, @Olivia Office!")
    own = Post.objects.filter(title="Notizen aus Bochum").first() or create_post(
        member, workspace, title="Notizen aus Bochum", body="- Punkt eins\n- Punkt zwei"
    )
    task = Task.objects.filter(title="Protokoll des Regietreffens verschicken").first() or create_task(
        member,
        workspace,
        title="Protokoll des Regietreffens verschicken",
        description="Bitte bis Freitag an alle Städte.",
        due_date=timezone.localdate() + dt.timedelta(days=5),
        assignees=[member],
        municipalities=[Municipality.objects.get(slug="bochum")],
    )
    return {"post": public.pk, "member_post": own.pk, "task": task.pk, "unsubscribe": make_token(member.pk, "all")}
