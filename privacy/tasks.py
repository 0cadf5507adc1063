"""Background work of the data-protection tools (run by ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_export(export_id: int, attempt: int = 0) -> None:
    from .actions import finish_export

    finish_export(export_id, attempt)
