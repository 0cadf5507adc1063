"""News, comments, tasks and events in workspaces of every visibility, with a searcher for every role.

Three workspaces (private, platform, public) made by the lead (manager). In each: ``editor`` (with a
seat in a body) is editor, ``reader`` (external, no seat) is reader, the ``guest`` persona is guest.
``member``, ``office``, ``admin``, ``outsider`` and ``anonymous`` are in none of them.

Every item carries the common word ``SHARED``, a marker of its own in its title (for the page checks) and
a word of its own after "Kennung" (``word``).
Two tasks in the private workspace are assigned outside it: one to ``assignee`` (an external person),
one to the city of Bochum (where ``member`` works).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from calendar_events.actions import create_event
from members.models import Municipality, Person
from news.actions import add_comment, create_post
from tasks.actions import create_task
from tests.conftest import make_user, seat
from workspaces.models import WorkspaceMember

SHARED = "Querschnittsthema"
EVENT_DAY = dt.date.today() + dt.timedelta(days=200)  # the day of the scene's events, ahead on any day
VISIBILITIES = ("private", "platform", "public")
SEARCHERS = ["lead", "editor", "reader", "guest", "member", "office", "admin", "outsider", "assignee", "anonymous"]


def word(key: str) -> str:
    """A word only this item holds (test_reach.py looks for it). It ends in "qx", which no German ending
    matches, so no stemmer cuts two of them to the same stem."""
    return "Spur" + "".join(c for c in key.lower() if c.isalpha()) + "qx"


def _add_users(personas, lead) -> dict:
    editor = make_user("editor@test.example")
    seat(editor, "projektteam", "member", "herne", given_name="Emil", family_name="Editor")
    reader = make_user("reader@test.example")
    Person.objects.create(given_name="Rita", family_name="Reader", email=reader.email, user=reader)
    assignee = make_user("assignee@test.example")
    Person.objects.create(given_name="Anton", family_name="Assignee", email=assignee.email, user=assignee)
    return {**personas, "lead": lead, "editor": editor, "reader": reader, "assignee": assignee}


def build(make_workspace, personas, lead) -> dict:
    users = _add_users(personas, lead)
    office = users["office"]
    names = {"private": "Privates Projekt", "platform": "Plattformprojekt", "public": "Offenes Projekt"}
    workspaces = {}
    for vis in VISIBILITIES:
        workspace = make_workspace(vis, name=names[vis])
        for key, role in (("editor", "editor"), ("reader", "reader"), ("guest", "guest")):
            WorkspaceMember.objects.create(workspace=workspace, user=users[key], role=role)
        workspaces[vis] = workspace
    items: dict[str, object] = {}

    def text(key: str) -> str:
        return f"Ein {SHARED} im Eintrag {key}. Kennung {word(key)}."

    start = timezone.make_aware(dt.datetime.combine(EVENT_DAY, dt.time(10)))
    for vis, workspace in workspaces.items():
        items[f"post-{vis}"] = create_post(lead, workspace, title=f"Marke Beitrag {vis}", body=text(f"beitrag-{vis}"))
        items[f"draft-{vis}"] = create_post(
            lead, workspace, title=f"Marke Entwurf {vis}", body=text(f"entwurf-{vis}"), publish=False
        )
        items[f"comment-{vis}"] = add_comment(users["editor"], items[f"post-{vis}"], text(f"kommentar-{vis}"))
        items[f"task-{vis}"] = create_task(lead, workspace, title=f"Marke Aufgabe {vis}", description=text(f"aufgabe-{vis}"))
        items[f"event-{vis}"] = create_event(
            lead,
            workspace,
            title=f"Marke Termin {vis}",
            description=text(f"termin-{vis}"),
            location="Rathaus",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
        )
    # A public post in the private workspace: everybody reads it; its comments stay with the workspace's insiders.
    items["post-public-flag"] = create_post(
        office, workspaces["private"], title="Marke Beitrag öffentlich", body=text("offen"), is_public=True
    )
    items["comment-public-flag"] = add_comment(lead, items["post-public-flag"], text("kommentar-offen"))
    # Posts of the whole cooperation: for everybody with a seat in a body, or public.
    items["post-coop"] = create_post(office, None, title="Marke Kooperation intern", body=text("koop"))
    items["post-coop-public"] = create_post(
        office, None, title="Marke Kooperation öffentlich", body=text("koop-offen"), is_public=True
    )
    items["comment-coop"] = add_comment(users["member"], items["post-coop"], text("kommentar-koop"))
    # Tasks for people outside the private workspace.
    items["task-assignee"] = create_task(
        lead,
        workspaces["private"],
        title="Marke Aufgabe zugewiesen",
        description=text("zugewiesen"),
        assignees=[users["assignee"]],
    )
    items["task-city"] = create_task(
        lead,
        workspaces["private"],
        title="Marke Aufgabe Bochum",
        description=text("bochum"),
        municipalities=[Municipality.objects.get(slug="bochum")],
    )
    return {"users": users, "workspaces": workspaces, "items": items}


KINDS = {"post": "post", "draft": "post", "comment": "comment", "task": "task", "event": "event"}


def kind_of(key: str) -> str:
    return KINDS[key.split("-")[0]]
