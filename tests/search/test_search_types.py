"""Posts, comments, tasks and events in the search: found exactly by who may open them, in German.

Runs on PostgreSQL and, marked sqlite_fast, on SQLite. The worker's tasks run at commit (ImmediateBackend),
captured with django_capture_on_commit_callbacks(execute=True).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from calendar_events.actions import create_event, delete_event, update_event
from news.actions import add_comment, create_post, delete_comment, delete_post, update_post
from news.models import Comment, Post
from search.backends import Filters
from search.models import SearchEntry
from search.service import search
from tasks.actions import create_task, delete_task, update_task
from tests.search.types_scene import EVENT_DAY, SEARCHERS, SHARED, build, kind_of
from workspaces.actions import update_workspace

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]
KINDS = ("post", "comment", "task", "event")


@pytest.fixture
def world(make_workspace, personas, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build(make_workspace, personas, lead)


def client_as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def found(user, q: str = SHARED, **filters) -> set[tuple[str, int]]:
    return {(hit.kind, hit.object_id) for hit in search(user, q, filters=Filters(**filters)).hits}


def opens(client: Client, item) -> bool:
    """What the searcher may open, asked of the pages themselves: a comment is open when its post shows it."""
    if isinstance(item, Comment):
        response = client.get(item.post.get_absolute_url())
        return response.status_code == 200 and f'id="kommentar-{item.pk}"' in response.content.decode()
    return client.get(item.get_absolute_url()).status_code == 200


def marker(item) -> str:
    """Text only this item puts on a results page: its title, or for a comment its own words."""
    if isinstance(item, Comment):
        return item.body.split("im Eintrag ")[1].split(".")[0]
    return item.title


@pytest.mark.parametrize("searcher", SEARCHERS)
def test_each_type_is_found_exactly_by_who_may_open_it(world, searcher):
    user = world["users"][searcher]
    client = client_as(user)
    for kind in KINDS:
        hits = found(user, kinds=[kind])
        page = client.get("/suche/", {"q": SHARED, "typ": kind}).content.decode()
        results = page.split('id="results-title"')[1]  # the form above lists workspace names, not results
        for key, item in world["items"].items():
            if kind_of(key) != kind:
                continue
            may_open = opens(client, item)
            expected = may_open and not key.startswith("draft")
            assert ((kind, item.pk) in hits) == expected, f"{searcher} / {key}: may open {may_open}"
            link = f'href="{item.get_absolute_url()}"'
            if expected:
                assert link in results and marker(item) in results, (searcher, key)
            else:
                assert link not in results and marker(item) not in results, (searcher, key)


def test_the_public_finds_public_posts_and_public_workspaces_only(world):
    items = world["items"]
    expected = {("post", items[k].pk) for k in ("post-public", "post-public-flag", "post-coop-public")}
    expected.add(("event", items["event-public"].pk))
    assert found(None) == expected
    assert found(world["users"]["outsider"]) == expected


def test_members_find_cooperation_posts_and_comments_of_public_workspaces(world):
    items, member = world["items"], world["users"]["member"]
    hits = found(member)
    for key in ("post-coop", "comment-coop", "post-platform", "comment-platform", "task-platform", "task-public"):
        assert (kind_of(key), items[key].pk) in hits, key
    for key in ("post-private", "comment-private", "task-private", "event-private", "comment-public-flag"):
        assert (kind_of(key), items[key].pk) not in hits, key


@pytest.mark.parametrize(
    ("kind", "text", "query"),
    [
        ("post", "Neue Ausbildungen in den Städten", "Ausbildung"),
        ("comment", "Wir planen Fortbildungen für alle", "Fortbildung"),
        ("task", "Einladungen an die Personalämter verschicken", "Einladung"),
        ("event", "Sitzungen der Arbeitsgruppen", "Sitzung"),
        ("post", "Über die Straßenfeste", "Strassenfest"),
        ("task", "Berichte der Städte sammeln", "Stadt"),
    ],
)
def test_german_inflections_are_found_for_each_type(make_workspace, lead, run_worker, kind, text, query):
    workspace = make_workspace("private", name="Bildungsprojekt")
    post = run_worker(create_post, lead, workspace, title="Neuigkeit", body=text if kind == "post" else "Kurz.")
    start = timezone.now() + dt.timedelta(days=3)
    item = {
        "post": lambda: post,
        "comment": lambda: run_worker(add_comment, lead, post, text),
        "task": lambda: run_worker(create_task, lead, workspace, title="Aufgabe", description=text),
        "event": lambda: run_worker(
            create_event,
            lead,
            workspace,
            title="Treffen",
            description=text,
            location="Rathaus",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        ),  # fmt: skip
    }[kind]()
    assert (kind, item.pk) in found(lead, query)


def test_typographic_quotes_do_not_hide_words(make_workspace, lead, run_worker):
    """German text quotes „so“. PostgreSQL's default parser in the C locale (``initdb --no-locale``, as in the
    test cluster) takes „ and “ for letters; the index replaces them with plain quotes."""
    workspace = make_workspace("private")
    post = run_worker(create_post, lead, workspace, title="Zitat", body="Das Projekt „Ausbildungen“ beginnt.")
    assert ("post", post.pk) in found(lead, "Ausbildung")


def test_indexing_happens_in_the_actions_transaction(make_workspace, lead, django_capture_on_commit_callbacks):
    """Issue 9: no channel lags behind the worker — the entries exist before any commit callback ran."""
    workspace = make_workspace("platform")
    with django_capture_on_commit_callbacks(execute=False):
        post = create_post(lead, workspace, title="Spätmeldung", body="Nachzüglerbeitrag")
        task = create_task(lead, workspace, title="Nachzüglerarbeit")
        assert SearchEntry.objects.filter(kind__in=["post", "task"]).count() == 2
    assert found(lead, "Nachzüglerbeitrag") == {("post", post.pk)}
    assert found(lead, "Nachzüglerarbeit") == {("task", task.pk)}


def test_drafts_appear_when_published_and_public_posts_leave_the_public_when_the_flag_goes(world, run_worker):
    users, items = world["users"], world["items"]
    draft = items["draft-platform"]
    assert ("post", draft.pk) not in found(users["lead"])
    run_worker(update_post, users["lead"], Post.objects.get(pk=draft.pk), draft.version, publish=True)
    assert ("post", draft.pk) in found(users["member"])
    public = Post.objects.get(pk=items["post-coop-public"].pk)
    run_worker(update_post, users["office"], public, public.version, is_public=False)
    assert ("post", public.pk) not in found(None)
    assert ("post", public.pk) in found(users["member"])


def test_deleted_items_disappear_with_their_comments(world, run_worker):
    users, items = world["users"], world["items"]
    lead = users["lead"]
    post, comment = items["post-platform"], items["comment-platform"]
    run_worker(delete_post, lead, Post.objects.get(pk=post.pk))
    run_worker(delete_comment, lead, Comment.objects.get(pk=items["comment-coop"].pk))
    run_worker(delete_task, lead, items["task-private"])
    run_worker(delete_event, lead, items["event-public"])
    hits = found(users["admin"])
    for kind, pk in (("post", post.pk), ("comment", comment.pk), ("comment", items["comment-coop"].pk),
                     ("task", items["task-private"].pk), ("event", items["event-public"].pk)):  # fmt: skip
        assert (kind, pk) not in hits
        assert not SearchEntry.objects.filter(kind=kind, object_id=pk).exists()
    page = client_as(users["admin"]).get("/suche/", {"q": SHARED}).content.decode()
    assert "Marke Beitrag platform" not in page and "Marke Termin public" not in page


def test_changes_are_indexed_and_old_words_are_forgotten(world, run_worker):
    lead, items = world["users"]["lead"], world["items"]
    task, event = items["task-platform"], items["event-platform"]
    run_worker(update_task, lead, task, task.version, title="Plakatentwurf", description="Neuer Inhalt")
    run_worker(update_event, lead, event, event.version, title="Auftaktsitzung")
    assert found(lead, "Plakatentwurf") == {("task", task.pk)}
    assert found(lead, "Auftaktsitzung") == {("event", event.pk)}
    assert ("task", task.pk) not in found(lead)  # SHARED was in the old description
    post = Post.objects.get(pk=items["post-private"].pk)
    run_worker(update_post, lead, post, post.version, title="Umbenannter Beitrag")
    assert ("comment", items["comment-private"].pk) in found(lead, "Umbenannter")  # the comment's title names the post


def test_a_workspace_that_changes_visibility_takes_its_content_along(world, run_worker):
    users, items = world["users"], world["items"]
    lead, member = users["lead"], users["member"]
    workspace = world["workspaces"]["platform"]
    platform_items = {(kind_of(k), items[k].pk) for k in ("post-platform", "comment-platform", "task-platform", "event-platform")}
    assert platform_items <= found(member)
    run_worker(update_workspace, lead, workspace, workspace.version, visibility="private")
    assert not platform_items & found(member)
    assert found(member, "Plattformprojekt", kinds=["workspace"]) == set()
    assert platform_items <= found(users["editor"])
    workspace.refresh_from_db()
    run_worker(update_workspace, lead, workspace, workspace.version, visibility="public")
    anonymous = found(None)
    assert ("post", items["post-platform"].pk) in anonymous and ("event", items["event-platform"].pk) in anonymous
    assert ("task", items["task-platform"].pk) not in anonymous
    assert ("comment", items["comment-platform"].pk) not in anonymous
    assert platform_items <= found(member)
    assert found(None, "Plattformprojekt", kinds=["workspace"]) == {("workspace", workspace.pk)}


def test_the_type_filter_lists_the_new_types_in_german(world):
    page = client_as(world["users"]["lead"]).get("/suche/").content.decode()
    for kind, label in (("post", "Beiträge"), ("comment", "Kommentare"), ("task", "Aufgaben"), ("event", "Termine")):
        assert f'<option value="{kind}">{label}</option>' in page
    assert 'value="poll"' not in page  # date polls hold private availability: never searchable
    response = client_as(world["users"]["lead"]).get("/suche/", {"q": SHARED, "typ": "task"})
    results = response.content.decode().split('id="results-title"')[1]
    assert "Marke Aufgabe private" in results and "Marke Beitrag private" not in results


def test_workspace_and_date_filters(world):
    users, items, workspaces = world["users"], world["items"], world["workspaces"]
    lead = users["lead"]
    private = {(kind_of(k), items[k].pk) for k in items if k.endswith("-private") and not k.startswith("draft")}
    private |= {("post", items["post-public-flag"].pk), ("comment", items["comment-public-flag"].pk)}
    private |= {("task", items["task-assignee"].pk), ("task", items["task-city"].pk)}
    assert found(lead, workspace_id=workspaces["private"].pk) == private
    day = EVENT_DAY
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    events = {("event", items[f"event-{v}"].pk) for v in ("private", "platform", "public")}
    assert found(lead, date_from=start, date_to=start + dt.timedelta(days=1)) == events
    assert not found(lead, date_from=start + dt.timedelta(days=1)) & events
    response = client_as(lead).get(
        "/suche/", {"q": SHARED, "arbeitsbereich": workspaces["platform"].slug, "von": day.isoformat(), "bis": day.isoformat()}
    )
    results = response.content.decode().split('id="results-title"')[1]
    assert "Marke Termin platform" in results
    assert "Marke Termin private" not in results and "Marke Beitrag platform" not in results


def test_rebuild_indexes_every_new_type(world):
    SearchEntry.objects.filter(kind__in=KINDS).delete()
    call_command("rebuild_search_index", *KINDS, stdout=io.StringIO())
    lead = world["users"]["lead"]
    assert {kind for kind, _pk in found(lead)} == set(KINDS)


def test_the_demo_search_finds_news_tasks_and_events(cooperation):
    call_command("seed_demo", "--quiet-logins")
    office = User.objects.get(email="geschaeftsstelle@interkommunal.example")
    assert {kind for kind, _pk in found(office, "Azubi-Kampagne")} >= {"post"}
    assert {kind for kind, _pk in found(office, "Ausbildungszahl")} >= {"task"}
    assert {kind for kind, _pk in found(office, "Ausbildungsmarketing")} >= {"event"}
    assert found(office, "melde", kinds=["comment"])  # "Ich melde mich bei allen Städten"
    assert not SearchEntry.objects.filter(kind="poll").exists()
