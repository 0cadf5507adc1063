"""The agenda as everybody reads it: TOP numbers (N1, N2 … for non-public items), start and end times, and the
body's open actions under "Offene Aufgaben". Pages, PDFs, mails and the .ics share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from meetings.models import ActionItem, AgendaItem, Meeting, agenda_numbers, agenda_timings
from members.models import Body

Status = AgendaItem.Status
Kind = AgendaItem.Kind


@dataclass
class AgendaRow:
    number: str
    item: AgendaItem
    start: dt.datetime
    end: dt.datetime
    open_actions: list[ActionItem] = field(default_factory=list)


def open_actions(body: Body, *, before: dt.datetime | None = None) -> QuerySet[ActionItem]:
    """Actions of the body whose task is still open (the task is the one source of truth)."""
    qs = ActionItem.objects.open().filter(body=body).select_related("assignee", "municipality", "agenda_item__meeting", "task")
    if before is not None:
        qs = qs.filter(agenda_item__meeting__start__lt=before)
    return qs.order_by("due_date", "pk")


def numbered_agenda(meeting: Meeting, items: Iterable[AgendaItem]) -> list[AgendaRow]:
    """TOP 1, 2, … (N1, N2 … for non-public items, see ``agenda_numbers``) with start and end times; the
    open-actions item lists every open action of the body."""
    listed = list(items)
    numbers = agenda_numbers(
        meeting.agenda_items.alive().filter(status=Status.ACCEPTED).only("pk", "position", "public", "status", "deleted_at")
    )
    rows = []
    actions = None
    for item, start, end in agenda_timings(listed, meeting.start):
        row = AgendaRow(numbers.get(item.pk, ""), item, start, end)
        if item.kind == Kind.OPEN_ACTIONS:
            if actions is None:
                actions = list(open_actions(meeting.body, before=meeting.start))
            row.open_actions = actions
        rows.append(row)
    return rows
