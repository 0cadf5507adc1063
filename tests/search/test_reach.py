"""The search finds exactly what the searcher may open: nothing more and nothing less.

For every persona and every searchable object of a scene with every kind (documents, posts, comments,
tasks, events, people, workspaces) in workspaces of every visibility and join policy: "a search for the
object's own word finds it" ⇔ "the object's own access function lets this user open it". Two kinds of
object are never searchable, for anybody, and are checked as such: drafts and trashed documents (their
authors and contributors reach them in their own lists).

Runs on PostgreSQL and, marked sqlite_fast, on SQLite. The worker's tasks run at commit.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from calendar_events.access import get_event_for_user
from calendar_events.models import Event
from documents import actions as documents
from documents.access import get_document_for_user
from documents.models import Document
from knowledge.access import get_example_for_user
from knowledge.models import PracticeExample
from members.access import get_person_for_user
from members.models import Municipality, Organisation, Person
from news.access import get_post_for_user, is_insider
from news.models import Comment, Post
from search.indexing import rebuild
from search.models import SearchEntry, SearchGrant
from search.service import search
from tasks.access import get_task_for_user
from tasks.actions import create_task, update_task
from tasks.models import Task
from tests.conftest import make_user
from tests.documents.scene import text_file
from tests.knowledge.scene import approve_twice, example_data
from tests.search.types_scene import build, word
from workspaces.access import get_workspace_for_user
from workspaces.actions import archive
from workspaces.models import Workspace

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

SEARCHERS = [
    "admin",
    "office",
    "member",  # a seat in a body, works for Bochum
    "guest",  # external (guest seat), guest in the three workspaces of the scene
    "outsider",  # external, in no workspace
    "anonymous",
    "lead",  # manager of every workspace of the scene
    "editor",  # a seat in a body, editor in the three workspaces
    "reader",  # external, reader in the three workspaces; their profile is for the office only
    "assignee",  # external, in no workspace, assigned to tasks in person
    "citizen",  # external, in no workspace, works for Bochum (assigned as a city)
    "former",  # worked for Bochum, no longer active: the city's assignments are not theirs any more
    "contributor",  # external author of practice examples, no seat, in no workspace
]
NEVER_SEARCHABLE = {"draft-private", "draft-platform", "draft-public", "doc-trashed", "know-pending"}
_WORD = re.compile(r"Kennung (\w+)")


@pytest.fixture
def reach(make_workspace, personas, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build(make_workspace, personas, lead)
        _extend(world, make_workspace)
    return world


def _extend(world, make_workspace) -> None:
    users, items, workspaces = world["users"], world["items"], world["workspaces"]
    lead = users["lead"]
    bochum = Municipality.objects.get(slug="bochum")
    citizen = make_user("citizen@test.example")
    Person.objects.create(given_name="Cem", family_name="Citizen", municipality=bochum, user=citizen)
    former = make_user("former@test.example")
    Person.objects.create(given_name="Frida", family_name="Former", municipality=bochum, user=former, is_active=False)
    users.update(citizen=citizen, former=former)

    def text(key: str) -> str:
        return f"Eintrag {key}. Kennung {word(key)}."

    # Workspaces that members may find to ask to join (or join), one archived; their descriptions hold the word.
    for key, policy in (("request", "request"), ("open", "open"), ("closed", "invitation")):
        items[f"ws-{key}"] = make_workspace("private", policy, name=f"Bereich {key}", description=text(f"ws-{key}"))
    items["ws-archived"] = make_workspace("private", "request", name="Bereich archiviert", description=text("ws-archived"))
    archive(lead, items["ws-archived"])
    for vis, workspace in workspaces.items():
        workspace.description = text(f"ws-{vis}")
        workspace.save()  # post_save re-indexes it
        items[f"ws-{vis}"] = workspace
        items[f"doc-{vis}"] = documents.upload(lead, workspace, text_file(f"{vis}.txt", text(f"doc-{vis}")), title="Notiz")
    private = workspaces["private"]
    items["doc-published"] = documents.upload(lead, private, text_file("p.txt", text("doc-published")), title="Bericht")
    documents.set_public(lead, items["doc-published"], True)
    items["doc-trashed"] = documents.upload(lead, private, text_file("t.txt", text("doc-trashed")), title="Alt")
    documents.trash(lead, items["doc-trashed"])
    # Tasks assigned outside their workspace, in every visibility.
    for vis in ("platform", "public"):
        items[f"task-assignee-{vis}"] = create_task(
            lead, workspaces[vis], title="Zugewiesen", description=text(f"task-assignee-{vis}"), assignees=[users["assignee"]]
        )
        items[f"task-city-{vis}"] = create_task(
            lead, workspaces[vis], title="Für Bochum", description=text(f"task-city-{vis}"), municipalities=[bochum]
        )
    # People: every persona's own profile and a few without an account, of every visibility.
    org = Organisation.objects.first()
    for visibility in ("public", "members", "office"):
        items[f"profile-{visibility}"] = Person.objects.create(
            given_name="Petra",
            family_name="Profil",
            organisation=org,
            department=text(f"profile-{visibility}"),
            profile_visibility=visibility,
            email_visibility="office",
            phone_visibility="office",
        )
    items["profile-inactive"] = Person.objects.create(
        given_name="Ina", family_name="Inaktiv", organisation=org, department=text("profile-inactive"), is_active=False
    )
    # Practice examples by the contributor: published for everybody, published "internal only", pending review;
    # the editor (a seat in a body) is the second reviewer of the internal one.
    from knowledge import actions as knowledge

    for key, licence in (("know-public", "cc-by-4.0"), ("know-internal", "internal"), ("know-pending", "cc-by-4.0")):
        example = knowledge.create_example(users["contributor"], example_data(goals=text(key), licence=licence))
        knowledge.submit(users["contributor"], example, example.version)
        example.refresh_from_db()
        if key != "know-pending":
            knowledge.assign_reviewer(users["office"], example, users["editor"])
            approve_twice(example, users["office"], users["editor"])
        items[key] = example
    for name, user in users.items():
        person = getattr(user, "person", None) if user is not None else None
        if person is None:
            continue
        person.department = text(f"person-{name}")
        if name == "reader":  # may always open their own profile, whoever else may not
            person.profile_visibility = person.email_visibility = person.phone_visibility = "office"
        person.save()
        items[f"person-{name}"] = person


def _text(item) -> str:
    if isinstance(item, Post | Comment):
        return item.body
    if isinstance(item, Task | Event | Workspace):
        return item.description
    if isinstance(item, Person):
        return item.department
    if isinstance(item, Document):
        return item.current.text
    if isinstance(item, PracticeExample):
        return item.latest.goals
    raise TypeError(item)


def _kind(item) -> str:
    return {
        Post: "post",
        Comment: "comment",
        Task: "task",
        Event: "event",
        Workspace: "workspace",
        PracticeExample: "practice_example",
    }.get(type(item), "person" if isinstance(item, Person) else "document")


def may_open(user, item) -> bool:
    """The object's own access function (the one its page calls)."""
    user = user or AnonymousUser()
    try:
        if isinstance(item, Comment):  # shown on its post to the insiders of the post's workspace
            post = get_post_for_user(user, item.post_id)
            return is_insider(user, post.workspace)
        if isinstance(item, Workspace):
            get_workspace_for_user(user, item.slug)
        else:
            opener = {
                Post: get_post_for_user,
                Task: get_task_for_user,
                Event: get_event_for_user,
                Person: get_person_for_user,
                Document: get_document_for_user,
                PracticeExample: get_example_for_user,
            }[type(item)]
            opener(user, item.pk)
    except Http404:
        return False
    return True


def found_by(user, item) -> set[tuple[str, int]]:
    text = _text(item)
    return {(hit.kind, hit.object_id) for hit in search(user, _WORD.search(text).group(1)).hits}


def fresh(user):
    """The user as a new request loads it: nothing cached (roles, search scope)."""
    return None if user is None else type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("searcher", SEARCHERS)
def test_found_exactly_when_the_access_function_opens_it(reach, searcher):
    user = reach["users"][searcher]
    mismatches = []
    for key, item in reach["items"].items():
        hits = found_by(user, item)
        is_found = (_kind(item), item.pk) in hits
        assert hits <= {(_kind(item), item.pk)}, f"{key}: its word is in other entries too"
        opens = may_open(user, item)
        expected = opens and key not in NEVER_SEARCHABLE
        if is_found != expected:
            mismatches.append(f"{key}: found {is_found}, opens {opens}")
    assert not mismatches, f"{searcher}: " + "; ".join(mismatches)


def test_the_scene_covers_every_kind_and_the_cases_in_question(reach):
    users, items = reach["users"], reach["items"]
    assert {_kind(item) for item in items.values()} == {
        "document",
        "post",
        "comment",
        "task",
        "event",
        "person",
        "workspace",
        "practice_example",
    }
    for searcher, key in [
        ("assignee", "task-assignee"),  # assigned in person outside the (private) workspace
        ("assignee", "task-assignee-public"),
        ("member", "task-city"),  # a seat in a body, Bochum assigned
        ("citizen", "task-city"),  # no seat, Bochum assigned
        ("citizen", "task-city-public"),
        ("reader", "task-public"),  # external members of a public workspace
        ("guest", "comment-public"),
        ("reader", "person-reader"),  # their own profile, visible to the office only
        ("member", "ws-request"),  # private, takes requests
        ("member", "ws-open"),
        ("anonymous", "know-public"),
        ("member", "know-internal"),  # "internal only": the members
        ("contributor", "know-internal"),  # its author
    ]:
        assert may_open(users[searcher], items[key]) and (_kind(items[key]), items[key].pk) in found_by(
            users[searcher], items[key]
        ), (searcher, key)
    for searcher, key in [
        ("former", "task-city"),
        ("outsider", "task-public"),
        ("member", "ws-archived"),
        ("outsider", "know-internal"),
        ("anonymous", "know-internal"),
    ]:
        assert not may_open(users[searcher], items[key]) and not found_by(users[searcher], items[key]), (searcher, key)
    for key in NEVER_SEARCHABLE:  # real exceptions: somebody may open them (a pending example: its author)
        assert may_open(users["contributor" if key.startswith("know") else "lead"], items[key]), key


def test_assignees_found_follow_the_changes(reach, run_worker):
    users, items = reach["users"], reach["items"]
    task = Task.objects.get(pk=items["task-assignee"].pk)
    citizen, assignee = users["citizen"], users["assignee"]
    run_worker(update_task, users["lead"], task, task.version, assignees=[citizen], municipalities=[])
    assert not found_by(fresh(assignee), task)
    assert found_by(fresh(citizen), task) == {("task", task.pk)}
    # Outside tasks.actions (admin, shell): followed through the relation's signals.
    run_worker(task.assignees.add, assignee)
    assert found_by(fresh(assignee), task) == {("task", task.pk)}
    run_worker(assignee.assigned_tasks.clear)
    assert not found_by(fresh(assignee), task)
    city_task = items["task-city-platform"]
    bochum = Municipality.objects.get(slug="bochum")
    run_worker(bochum.assigned_tasks.remove, city_task)
    assert not found_by(fresh(citizen), city_task)
    assert not SearchGrant.objects.filter(entry__object_id=city_task.pk, entry__kind="task").exists()


def test_who_works_for_an_assigned_city_is_read_when_searching(reach):
    """A move to another city or leaving takes the city's tasks along at once; the index is not touched."""
    users, items = reach["users"], reach["items"]
    task = items["task-city"]
    Person.objects.filter(user=users["citizen"]).update(municipality=Municipality.objects.get(slug="essen"))
    assert not found_by(fresh(users["citizen"]), task)
    Person.objects.filter(user=users["former"]).update(is_active=True)
    assert found_by(fresh(users["former"]), task) == {("task", task.pk)}


def test_archiving_a_workspace_that_takes_requests_hides_it_from_members(reach, run_worker):
    users, workspace = reach["users"], reach["items"]["ws-request"]
    assert found_by(fresh(users["member"]), workspace)
    run_worker(archive, users["lead"], workspace)
    assert not found_by(fresh(users["member"]), workspace)
    assert found_by(fresh(users["editor"]), workspace) == set()  # not a member of it
    assert found_by(fresh(users["lead"]), workspace) == {("workspace", workspace.pk)}


def _state() -> set[tuple]:
    """Entries of the kinds that existed when migration 0004 ran (practice examples came later)."""
    grants = {}
    for entry_id, user_id, municipality_id in SearchGrant.objects.values_list("entry_id", "user_id", "municipality_id"):
        grants.setdefault(entry_id, set()).add((user_id, municipality_id))
    return {
        (e.kind, e.object_id, e.audience, e.workspace_id, frozenset(grants.get(e.pk, ())))
        for e in SearchEntry.objects.exclude(kind="practice_example").order_by("pk")
    }


def test_the_migration_brings_old_entries_to_the_new_rules_and_back(reach):
    """What the previous version wrote, the migration turns into what the providers write now; going back
    restores what the previous version wrote (which never shows an entry to too many people)."""
    from django.apps import apps

    module = importlib.import_module("search.migrations.0004_grants_for_readers_beyond_audience")
    rebuild()
    now = _state()
    module.backward(apps, None)
    SearchGrant.objects.all().delete()
    before = _state()
    assert before != now
    public_comment = reach["items"]["comment-public"]
    assert ("comment", public_comment.pk, "members", None, frozenset()) in before  # as the previous version indexed it
    module.forward(apps, None)
    assert _state() == now
