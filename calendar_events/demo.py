"""Demo dates: upcoming events in the demo workspaces and a running date poll with an external participant.

Invented people only. Idempotent: run again, nothing is added twice. Times are relative to today so the
demo always shows upcoming dates.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from workspaces.demo import FORUM_NAME, PROJECT_NAME
from workspaces.models import Workspace

from .actions import create_event
from .ical import BERLIN

POLL_TITLE = "Regietreffen im Frühjahr: Termin finden"


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """``days`` from today at ``hour``, moved to the Monday after when it falls on a weekend (people meet at work)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def _events(workspace: Workspace, rows) -> None:
    for title, days, hour, hours, place, url in rows:
        if not workspace.events.filter(title=title).exists():
            start = _at(days, hour)
            create_event(
                None,
                workspace,
                title=title,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=hours),
                location=place,
                online_url=url,
            )


@transaction.atomic
def load_demo_calendar() -> None:
    from polls import purposes as polls_purposes
    from polls.actions import add_external, create_poll
    from polls.models import Poll

    workspaces = {ws.name: ws for ws in Workspace.objects.filter(name__in=[PROJECT_NAME, FORUM_NAME])}
    regie = Workspace.objects.filter(body__slug="regiegruppe").first()
    if regie is not None:
        _events(
            regie,
            [
                ("Arbeitstreffen Jahresplanung 2027", 24, 10, 3, "Rathaus Herne, Friedrich-Ebert-Platz 2, Raum 215", ""),
                ("Abstimmung Jahresbericht Landesinitiative", 45, 14, 1, "", "https://konferenz.interkommunal.example/regie"),
            ],
        )
    if PROJECT_NAME in workspaces:
        _events(
            workspaces[PROJECT_NAME],
            [
                ("Projektgruppe: Ausbildungsmarketing", 9, 9, 2, "Technisches Rathaus Dortmund, Raum 3.12", ""),
                ("Online-Austausch Auswahlverfahren", 16, 13, 1, "", "https://konferenz.interkommunal.example/projekt"),
            ],
        )
    if FORUM_NAME in workspaces:
        _events(workspaces[FORUM_NAME], [("Planungsrunde Forum 2027", 30, 15, 2, "Rathaus Essen, Ratssaal", "")])
    organiser = User.objects.filter(email="sprecherin@interkommunal.example").first()
    if regie is None or organiser is None or Poll.objects.filter(title=POLL_TITLE).exists():
        return
    if not regie.members.filter(user=organiser).exists():
        return
    poll = create_poll(
        organiser,
        regie,
        title=POLL_TITLE,
        description="Bitte tragen Sie ein, welche Termine Ihnen passen. Gastgeberin ist diesmal die Stadt Bottrop.",
        location="Rathaus Bottrop",
        deadline=_at(12, 18),
        slots=[(_at(days, 10), _at(days, 13)) for days in (35, 38, 42)],  # 3+ days apart: distinct after moving
        purpose="meeting" if polls_purposes.allowed(organiser, regie, "meeting") else "event",  # confirmed: a draft meeting
    )
    add_external(organiser, poll, name="Dr. Jana Beispiel (Landesinitiative, erfunden)", email="jana.beispiel@partner.example")
