"""Objects the permission matrix needs for a task's city reports, comments and attachments, and feedback.

A task for Bochum (the member persona's city) in the Regiegruppe's workspace, with one attachment.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.generate import pdf
from members.models import Municipality
from tasks.actions import add_attachment, create_task
from website.actions import submit_accessibility_feedback
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace


def task_ids(personas) -> dict[str, object]:
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    task = create_task(
        personas["office"], workspace, title="Zahlen melden", municipalities=[Municipality.objects.get(slug="bochum")]
    )
    attachment = add_attachment(
        personas["office"], task, SimpleUploadedFile("vorlage.pdf", pdf("Vorlage", ["Zahlen"]), content_type="application/pdf")
    )
    feedback = submit_accessibility_feedback(description="Der Kalender ist per Tastatur nicht bedienbar.", email="a@example.org")
    return {
        "city_task": task.pk,
        "task_city": task.cities.get().pk,
        "task_attachment": attachment.pk,
        "feedback": feedback.pk,
    }
