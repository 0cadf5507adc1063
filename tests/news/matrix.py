"""Objects the permission matrix needs for the news and task URLs (tests/test_permission_matrix.py).

A published post with an image and a comment, and a task, in the Regiegruppe's workspace (visible
to platform members; the member persona edits there, the office manages it).
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from news.actions import add_comment, create_post
from tasks.actions import create_task
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace


def png(name: str = "bild.png", size=(8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 79, 143)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def news_ids(personas) -> dict[str, object]:
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    member = personas["member"]
    post = create_post(member, workspace, title="Bericht vom Regietreffen", body="Kurzer Bericht.", image=png(), image_alt="Logo")
    comment = add_comment(member, post, "Danke!")
    task = create_task(member, workspace, title="Protokoll verschicken", assignees=[member])
    return {"post": post.pk, "comment": comment.pk, "task": task.pk}
