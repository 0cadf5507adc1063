"""Building blocks for the annual report's tests: a year of activity written straight into the models.

The tests count what these functions created by hand and compare with the report; the report's own
code is not used here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from calendar_events.models import Event
from documents.models import Document
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, MeetingStatus, Minutes
from members.models import Body, Municipality, Person
from news.models import Post
from tasks.models import Task
from workspaces.actions import ensure_body_workspaces

BERLIN = ZoneInfo("Europe/Berlin")


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BERLIN)


def held_meeting(body: Body, when: dt.datetime, *, status: str = MeetingStatus.HELD, title: str = "Sitzung") -> Meeting:
    return Meeting.objects.create(body=body, title=title, start=when, end=when + dt.timedelta(hours=3), status=status)


def minutes_for(meeting: Meeting, people: list[Person], cities: list[Municipality]) -> Minutes:
    minutes = Minutes.objects.create(meeting=meeting)
    minutes.attendees.set(people)
    minutes.cities.set(cities)
    return minutes


def item(meeting: Meeting, title: str = "Punkt") -> AgendaItem:
    return AgendaItem.objects.create(body=meeting.body, meeting=meeting, title=title, status=AgendaItem.Status.ACCEPTED)


def decision(
    agenda_item: AgendaItem, *, kind: str = Decision.Kind.DECISION, status: str = Decision.Status.VALID, text="Beschluss"
):
    return Decision.objects.create(agenda_item=agenda_item, kind=kind, status=status, text=text)


def action(agenda_item: AgendaItem, city: Municipality, task_status: str | None) -> ActionItem:
    task = None
    if task_status is not None:
        workspace = agenda_item.body.workspace
        completed = agenda_item.meeting.start if task_status == "done" else None
        task = Task.objects.create(workspace=workspace, title="Aufgabe", status=task_status, completed_at=completed)
    return ActionItem.objects.create(
        agenda_item=agenda_item, body=agenda_item.body, description="Aufgabe", municipality=city, task=task
    )


def people(city: Municipality, count: int, prefix: str) -> list[Person]:
    return [Person.objects.create(given_name=f"{prefix}{i}", family_name="Test", municipality=city) for i in range(count)]


def event(workspace, when: dt.datetime, title: str, *, online: bool = False) -> Event:
    return Event.objects.create(
        workspace=workspace,
        title=title,
        starts_at=when,
        ends_at=when + dt.timedelta(hours=2),
        location="" if online else "Rathaus",
        online_url="https://meet.example/x" if online else "",
    )


def post(title: str, when: dt.datetime, *, public: bool) -> Post:
    return Post.objects.create(title=title, body="Text", published_at=when, is_public=public)


def document(workspace, title: str, created: dt.datetime, *, published: dt.datetime | None = None) -> Document:
    doc = Document.objects.create(workspace=workspace, title=title, is_public=published is not None, published_at=published)
    Document.objects.filter(pk=doc.pk).update(created=created)
    return doc


def workspaces():
    ensure_body_workspaces()
    return Body.objects.get(slug="regiegruppe").workspace
