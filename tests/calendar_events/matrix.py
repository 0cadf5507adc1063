"""Objects the permission matrix needs for the calendar and poll URLs (tests/test_permission_matrix.py).

An event in the Regiegruppe's workspace (visible to platform members; the member persona edits,
the office manages) and a poll there, organised by the office.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from calendar_events.actions import create_event
from polls.actions import create_poll
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace


def calendar_ids(personas) -> dict[str, object]:
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=150), dt.time(10), tzinfo=dt.UTC)
    hours = dt.timedelta(hours=2)
    event = create_event(None, workspace, title="Regietreffen", starts_at=start, ends_at=start + hours, location="Essen")
    poll = create_poll(
        personas["office"],
        workspace,
        title="Regietreffen Frühjahr",
        location="Essen",
        deadline=timezone.now() + dt.timedelta(days=30),
        slots=[(start, start + hours)],
    )
    return {"event": event.pk, "poll": poll.pk}
