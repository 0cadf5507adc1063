"""Property for workspace content: "this persona obtains it through channel X" ⇔ "the access function says so".

The sibling of ``test_publication_property.py`` for news posts, their comments, calendar events and tasks.
A small scene — a public and a private workspace, public, internal, draft and cooperation-wide posts (one
with an image), comments, events and tasks (assigned to a person, to a city, to nobody; one made from a
post) — goes through seeded random sequences of the real actions: publish, make public, make internal,
delete, comment (with @mentions), new posts, events and tasks, moving and deleting events, task status and
assignees, workspace visibility changes and archiving, members joining and leaving, and people narrowing or
widening their profile. After every step, for every persona (anonymous, an outsider with an account, a body
member who joins and leaves, an external guest who works in both workspaces, the workspaces' lead, the
managing office) and every object, each channel is asked over HTTP exactly as an outsider would:

- pages: the post, event and task pages, the post's image, the event's .ics;
- lists: the public news page, the members' news, each workspace's news (drafts included), calendar and
  task list, the workspace page's panels (activity, upcoming dates, open tasks), "Mein Bereich", "Meine
  Aufgaben", "Mein Kalender";
- iCal: the personal feed under its secret address;
- search: the search page's hits (posts, comments, events, tasks) — asked *before* the worker runs, so a
  change of visibility must reach the search in the action's own transaction;
- mail: every mail in the outbox after the worker ran (subject, text, HTML and attachments as sent), the
  guest's daily summary included (sent every third step, so what was queued may have closed meanwhile);
- people: every profile link on any of these pages.

The expected side comes only from the access functions: ``news.access`` (``can_view_post``; comments:
``is_insider`` on a readable published post), ``calendar_events.access.events_visible_to``,
``tasks.access.tasks_visible_to`` / ``can_view_tasks`` and ``workspaces.access.can_view``. Where a channel
shows a chosen part (the public news page: public posts; the personal calendar: own workspaces; "Meine
Aufgaben": assigned tasks), that choice is part of the expectation and the rest must still imply access.

``WORKSPACE_PROPERTY_SEEDS`` (number of seeds, default 1) and ``WORKSPACE_PROPERTY_STEPS`` (default 10) make
the long version.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.roles import forget_roles
from calendar_events import actions as event_actions
from calendar_events.access import events_visible_to
from calendar_events.models import Event
from members import access as member_access
from members import actions as member_actions
from members.models import Municipality, Person, Visibility
from news import access as news_access
from news import actions as news_actions
from news.models import Comment, Post
from notifications.actions import fan_out_pending, set_email_mode, set_workspace_level
from notifications.delivery import build_message
from notifications.digests import send_digests
from notifications.models import Digest, EmailMode, Level, Outbox
from tasks import access as task_access
from tasks import actions as task_actions
from tasks.models import Task
from tests.workspaces.conftest import lead  # noqa: F401 - fixture
from workspaces import actions as workspace_actions
from workspaces.access import can_view
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "guest", "member", "lead", "office"]
PROBE = "Arbeitsprobe"  # in every searchable object of the scene, and nowhere else
NAMES = {"outsider": "@Otto Outsider", "member": "@Mara Member", "guest": "@Gustav Guest", "office": "@Olivia Office"}
SEEDS = range(1, 1 + int(os.environ.get("WORKSPACE_PROPERTY_SEEDS", "1")))
STEPS = int(os.environ.get("WORKSPACE_PROPERTY_STEPS", "10"))


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png() -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 90, 160)).save(data, "PNG")
    return SimpleUploadedFile("bild.png", data.getvalue(), content_type="image/png")


def word(obj) -> str:
    """The one word that names an object of the scene (the last word of its title, or of a comment's text)."""
    return (obj.body if isinstance(obj, Comment) else obj.title).split()[1]


class Scene:
    def __init__(self, personas, lead):  # noqa: F811 - fixture
        self.users = {name: personas.get(name) or AnonymousUser() for name in PERSONAS if name != "lead"}
        self.users["lead"] = lead
        self.lead, self.office, self.guest = lead, personas["office"], personas["guest"]
        self.counter = 0
        self.public = workspace_actions.create_workspace(
            lead, name="Offener Platz", visibility=Workspace.Visibility.PUBLIC, join_policy=Workspace.JoinPolicy.INVITATION
        )
        self.private = workspace_actions.create_workspace(
            lead, name="Stilles Projekt", visibility=Workspace.Visibility.PRIVATE, join_policy=Workspace.JoinPolicy.INVITATION
        )
        self.workspaces = [self.public, self.private]
        for workspace in self.workspaces:
            workspace_actions.add_member(lead, workspace, self.guest, WorkspaceMember.Role.EDITOR)
            for name in ("guest", "member", "outsider"):  # they want everything, also the details (comments …)
                set_workspace_level(personas[name], workspace, Level.ALL)
        set_email_mode(self.guest, EmailMode.DAILY)  # the guest reads a daily summary
        ws_pub, ws_priv = self.public, self.private
        self.posts = [
            self.post(lead, ws_pub, "Ahorn", publish=True, public=True, image=True, mention="outsider"),
            self.post(self.guest, ws_pub, "Birke", publish=True),
            self.post(self.guest, ws_pub, "Cypresse", publish=False),
            self.post(lead, ws_priv, "Dattel", publish=True, mention="member"),
            self.post(self.guest, ws_priv, "Eibe", publish=False),
            self.post(self.office, None, "Fichte", publish=True),
        ]
        self.comments = [
            news_actions.add_comment(lead, self.posts[1], f"Kommentar Ginkgo {PROBE} {NAMES['outsider']}"),
            news_actions.add_comment(self.guest, self.posts[3], f"Kommentar Hasel {PROBE} {NAMES['guest']}"),
        ]
        soon = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.events = [
            self.event(ws_pub, "Ilex", soon + dt.timedelta(days=3)),
            self.event(ws_priv, "Jasmin", soon + dt.timedelta(days=10)),
        ]
        bochum = Municipality.objects.get(slug="bochum")
        self.tasks = [
            task_actions.create_task(lead, ws_pub, title="Aufgabe Kiefer", description=PROBE, assignees=[self.guest]),
            task_actions.create_task(
                lead, ws_priv, title="Aufgabe Linde", description=PROBE, municipalities=[bochum], source=self.posts[3]
            ),
            task_actions.create_task(lead, ws_priv, title="Aufgabe Mispel", description=PROBE),
        ]
        self.clients, self.feeds = {}, {}
        for name, user in self.users.items():
            client = Client()
            if user.is_authenticated:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                self.feeds[name] = event_actions.create_feed(user)
            self.clients[name] = client

    def fresh_word(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}{self.counter:02d}q"

    def post(self, author, workspace, name, *, publish, public=False, image=False, mention=None) -> Post:
        body = f"{PROBE} über {name}." + (f" Bitte ansehen, {NAMES[mention]}." if mention else "")
        return news_actions.create_post(
            author, workspace, title=f"Beitrag {name}", body=body, publish=publish, is_public=public,
            image=png() if image else None, image_alt="Ein blaues Quadrat" if image else "",
        )  # fmt: skip

    def event(self, workspace, name, start) -> Event:
        return event_actions.create_event(
            self.lead, workspace, title=f"Termin {name}", description=PROBE, location="Rathaus Herne, Raum 215",
            starts_at=start, ends_at=start + dt.timedelta(hours=2),
        )  # fmt: skip

    def refresh(self):
        self.posts = list(Post.objects.filter(pk__in=[p.pk for p in self.posts]).select_related("workspace"))
        self.comments = list(Comment.objects.filter(pk__in=[c.pk for c in self.comments]).select_related("post__workspace"))
        self.events = list(Event.objects.filter(pk__in=[e.pk for e in self.events]).select_related("workspace"))
        self.tasks = list(Task.objects.filter(pk__in=[t.pk for t in self.tasks]).select_related("workspace"))
        for workspace in self.workspaces:
            workspace.refresh_from_db()
        for user in self.users.values():
            if user.is_authenticated:
                forget_roles(user)
                user.refresh_from_db()


# --- Actions -------------------------------------------------------------------------------------
def step(scene: Scene, rng: random.Random) -> str:
    manager, office = scene.lead, scene.office
    choice = rng.choice(
        ["publish", "public", "internal", "delete_post", "comment", "comment", "new_post", "new_event", "move_event",
         "delete_event", "new_task", "task_status", "reassign", "delete_task", "visibility", "visibility", "join",
         "leave", "profile", "archive"]
    )  # fmt: skip
    workspace = rng.choice(scene.workspaces)
    posts = list(scene.posts)
    try:
        if choice == "publish" and (drafts := [p for p in posts if not p.is_published]):
            post = rng.choice(drafts)
            news_actions.update_post(manager if post.workspace else office, post, post.version, publish=True)
        elif choice in {"public", "internal"} and posts:
            post = rng.choice(posts)
            actor = manager if post.workspace and news_access.can_set_public(manager, post.workspace) else office
            news_actions.update_post(actor, post, post.version, is_public=choice == "public")
        elif choice == "delete_post" and posts and rng.random() < 0.4:
            post = rng.choice(posts)
            news_actions.delete_post(manager if post.workspace else office, post)
            scene.posts.remove(post)
        elif choice == "comment":
            post = rng.choice(posts)
            author = rng.choice([scene.users[n] for n in ("lead", "guest", "member", "office")])
            if not news_access.can_comment(author, post):
                return "comment (nobody may)"
            mention = NAMES[rng.choice(list(NAMES))]
            scene.comments.append(
                news_actions.add_comment(author, post, f"Kommentar {scene.fresh_word('Kom')} {PROBE} {mention}")
            )
        elif choice == "new_post":
            author = rng.choice([manager, scene.guest])
            if not news_access.can_write_in(author, workspace):
                return "new_post (refused)"
            mention = rng.choice([None, *NAMES])
            scene.posts.append(
                scene.post(author, workspace, scene.fresh_word("Post"), publish=rng.random() < 0.6, mention=mention)
            )
        elif choice == "new_event":
            start = timezone.now().replace(microsecond=0) + dt.timedelta(days=rng.randint(1, 40))
            scene.events.append(scene.event(workspace, scene.fresh_word("Tag"), start))
        elif choice == "move_event" and scene.events:
            event = rng.choice(scene.events)
            later = event.starts_at + dt.timedelta(days=rng.choice([-2, 1, 5]))
            event_actions.update_event(manager, event, event.version, starts_at=later, ends_at=later + dt.timedelta(hours=1))
        elif choice == "delete_event" and scene.events and rng.random() < 0.5:
            event = rng.choice(scene.events)
            event_actions.delete_event(manager, event)
            scene.events.remove(event)
        elif choice == "new_task":
            whom = rng.choice([[], [scene.guest], [scene.users["member"]], [scene.users["outsider"]]])
            cities = rng.choice([[], [Municipality.objects.get(slug="bochum")]])
            source = rng.choice([None, *[p for p in posts if p.workspace_id == workspace.pk and p.is_published]])
            title = f"Aufgabe {scene.fresh_word('Auf')}"
            scene.tasks.append(
                task_actions.create_task(
                    manager, workspace, title=title, description=PROBE, assignees=whom, municipalities=cities, source=source
                )
            )
        elif choice == "task_status" and scene.tasks:
            task = rng.choice(scene.tasks)
            task_actions.set_status(manager, task, task.version, rng.choice(Task.Status.values))
        elif choice == "reassign" and scene.tasks:
            task = rng.choice(scene.tasks)
            whom = rng.choice([[], [scene.guest], [scene.users["member"]], [scene.users["outsider"]]])
            task_actions.update_task(manager, task, task.version, assignees=whom)
        elif choice == "delete_task" and scene.tasks and rng.random() < 0.4:
            task = rng.choice(scene.tasks)
            task_actions.delete_task(manager, task)
            scene.tasks.remove(task)
        elif choice == "visibility":
            visibility = rng.choice([v for v in Workspace.Visibility.values if v != workspace.visibility])
            workspace_actions.update_workspace(manager, workspace, workspace.version, visibility=visibility)
            choice = f"visibility {workspace.name} → {visibility}"
        elif choice == "join":
            name = rng.choice(["member", "guest"])
            role = rng.choice([WorkspaceMember.Role.READER, WorkspaceMember.Role.EDITOR])
            workspace_actions.add_member(manager, workspace, scene.users[name], role)
            choice = f"join {name} {workspace.name} as {role}"
        elif choice == "leave":
            name = rng.choice(["member", "guest"])
            member = WorkspaceMember.objects.filter(workspace=workspace, user=scene.users[name]).first()
            if member is None:
                return f"leave {name} (not a member)"
            workspace_actions.remove_member(manager, member)
            choice = f"leave {name} {workspace.name}"
        elif choice == "profile":
            name = rng.choice(["member", "guest", "lead", "outsider"])
            person = Person.objects.get(user=scene.users[name])
            if rng.random() < 0.2:
                fields = {"is_active": not person.is_active}
            else:
                fields = {"profile_visibility": rng.choice(Visibility.values)}
            member_actions.update_person(office, person, person.version, **fields)
            choice = f"profile {name} {fields}"
        elif choice == "archive" and rng.random() < 0.4:
            workspace_actions.archive(manager, workspace, archived=not workspace.is_archived)
            choice = f"archive {workspace.name} {workspace.is_archived}"
        else:
            return f"{choice} (skipped)"
    except ValidationError:
        return f"{choice} (refused)"
    return choice


# --- What each persona obtains, and what the access functions say ----------------------------------
class Check:
    def __init__(self, scene: Scene, history: list[str]):
        self.scene, self.history, self.failures = scene, history, []

    def equal(self, persona: str, channel: str, what: str, obtained: bool, allowed: bool) -> None:
        if obtained != allowed:
            self.failures.append(f"{persona} {channel} {what}: obtains={obtained} access={allowed}")

    def implies(self, persona: str, channel: str, what: str, obtained: bool, allowed: bool) -> None:
        if obtained and not allowed:
            self.failures.append(f"{persona} {channel} {what}: obtains although access says no")

    def done(self) -> None:
        assert not self.failures, "after " + " → ".join(self.history) + ":\n" + "\n".join(self.failures)


class Rules:
    """What the access functions say for one persona after one step (each object freshly loaded)."""

    def __init__(self, scene: Scene, user):
        if user.is_authenticated:
            user = User.objects.get(pk=user.pk)  # person, seats and roles as they are now
        workspaces = {w.pk: Workspace.objects.get(pk=w.pk) for w in scene.workspaces}
        self.posts = {}
        for post in Post.objects.filter(pk__in=[p.pk for p in scene.posts]):
            post.workspace = workspaces.get(post.workspace_id)
            self.posts[post.pk] = news_access.can_view_post(user, post)
        self.comments = {}
        for comment in scene.comments:
            post = Post.objects.filter(pk=comment.post_id).first()
            if post is None:
                continue
            post.workspace = workspaces.get(post.workspace_id)
            self.comments[comment.pk] = (
                post.is_published and news_access.can_view_post(user, post) and news_access.is_insider(user, post.workspace)
            )
        self.events = set(events_visible_to(user).values_list("pk", flat=True))
        self.tasks = set(task_access.tasks_visible_to(user).values_list("pk", flat=True))
        self.workspace = {pk: can_view(user, w) for pk, w in workspaces.items()}
        self.task_list = {pk: task_access.can_view_tasks(user, w) for pk, w in workspaces.items()}
        self.own = set(WorkspaceMember.objects.filter(user_id=getattr(user, "pk", None)).values_list("workspace_id", flat=True))
        self.assigned = set(Task.objects.assigned_to(user).values_list("pk", flat=True)) if user.is_authenticated else set()
        self.people = set(member_access.people_visible_to(user).values_list("pk", flat=True))

    def post(self, post) -> bool:
        return self.posts[post.pk]

    def comment(self, comment) -> bool:
        return self.comments.get(comment.pk, False)

    def event(self, event) -> bool:
        return event.pk in self.events

    def task(self, task) -> bool:
        return task.pk in self.tasks


def page(client: Client, path: str, params=None) -> tuple[int, str]:
    response = client.get(path, params or {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode("utf-8", "replace")


def main_of(html: str) -> str:
    """The page's main content (the navigation names no objects, but keep the check to what the page shows)."""
    return html.split('id="main"', 1)[-1]


def check_names(check: Check, persona: str, rules: Rules, where: str, html: str) -> None:
    for pk in {int(pk) for pk in re.findall(r"/verzeichnis/personen/(\d+)/", main_of(html))}:
        check.implies(persona, "page", f"{where} links person {pk}", True, pk in rules.people)


def check_text(check: Check, persona: str, rules: Rules, channel: str, where: str, text: str, chosen=None) -> None:
    """Every object named in ``text`` is one ``persona`` may see. ``chosen``: for some kinds, a function that says
    whether the channel must name an object (None: it may, if the persona may see it)."""
    scene = check.scene
    for kind, objects, allowed in (
        ("post", scene.posts, rules.post),
        ("comment", scene.comments, rules.comment),
        ("event", scene.events, rules.event),
        ("task", scene.tasks, rules.task),
    ):
        for obj in objects:
            named = word(obj) in text
            check.implies(persona, channel, f"{where} {kind} {word(obj)}", named, allowed(obj))
            if chosen and kind in chosen:
                expected = chosen[kind](obj)
                if expected is not None:
                    check.equal(persona, channel, f"{where} {kind} {word(obj)}", named, expected)


def check_persona(check: Check, persona: str, extra: bool) -> None:
    scene, user, client = check.scene, check.scene.users[persona], check.scene.clients[persona]
    rules = Rules(scene, user)
    now = timezone.now()
    # Pages of every object (and what they name).
    for post in scene.posts:
        status, html = page(client, f"/neuigkeiten/{post.pk}/")
        check.equal(persona, "page", f"post {word(post)}", status == 200, rules.post(post))
        if status == 200:
            its_comments = {"comment": lambda c, post=post: rules.comment(c) if c.post_id == post.pk else None}
            check_text(check, persona, rules, "page", f"post {word(post)}", main_of(html), its_comments)
            check_names(check, persona, rules, f"post {word(post)}", html)
        if post.image:
            status, _html = page(client, f"/neuigkeiten/{post.pk}/bild/")
            check.equal(persona, "download", f"image of post {word(post)}", status == 200, rules.post(post))
    for event in scene.events:
        status, html = page(client, f"/termine/{event.pk}/")
        check.equal(persona, "page", f"event {word(event)}", status == 200, rules.event(event))
        if status == 200:
            check_text(check, persona, rules, "page", f"event {word(event)}", main_of(html))
        if extra:
            status, text = page(client, f"/termine/{event.pk}/termin.ics")
            check.equal(persona, "ical", f"event {word(event)}", status == 200, rules.event(event))
    for task in scene.tasks:
        status, html = page(client, f"/aufgaben/{task.pk}/")
        check.equal(persona, "page", f"task {word(task)}", status == 200, rules.task(task))
        if status == 200:
            check_text(check, persona, rules, "page", f"task {word(task)}", main_of(html))
            check_names(check, persona, rules, f"task {word(task)}", html)
    # Lists.
    status, html = page(client, "/aktuelles/")
    check_text(check, persona, rules, "list", "public news", main_of(html), {"post": lambda p: p.is_public})
    if user.is_authenticated:
        status, html = page(client, "/neuigkeiten/")
        listed = {"post": lambda p: rules.post(p) and (p.is_published or p.author_id == user.pk)}
        check_text(check, persona, rules, "list", "members' news", main_of(html), listed)
    for workspace in scene.workspaces:
        here = workspace.pk
        status, html = page(client, f"/arbeitsbereiche/{workspace.slug}/neuigkeiten/")
        check.equal(persona, "list", f"news of {workspace.name}", status == 200, rules.workspace[workspace.pk])
        if status == 200:
            published = {"post": lambda p, here=here: rules.post(p) if p.workspace_id == here and p.is_published else None}
            check_text(check, persona, rules, "list", f"news of {workspace.name}", main_of(html), published)
        status, html = page(client, f"/arbeitsbereiche/{workspace.slug}/termine/")
        check.equal(persona, "list", f"calendar of {workspace.name}", status == 200, rules.workspace[workspace.pk])
        if status == 200:
            upcoming = {"event": lambda e, here=here: rules.event(e) if e.workspace_id == here and e.ends_at >= now else None}
            check_text(check, persona, rules, "list", f"calendar of {workspace.name}", main_of(html), upcoming)
        # The month view (this month; the scene's events are around today): only what the persona may see.
        status, html = page(client, f"/arbeitsbereiche/{workspace.slug}/termine/monat/")
        check.equal(persona, "list", f"month of {workspace.name}", status == 200, rules.workspace[workspace.pk])
        if status == 200:
            check_text(check, persona, rules, "list", f"month of {workspace.name}", main_of(html))
        status, html = page(client, f"/arbeitsbereiche/{workspace.slug}/aufgaben/", {"anzeigen": "alle"})
        check.equal(persona, "list", f"tasks of {workspace.name}", status == 200, rules.task_list[workspace.pk])
        if status == 200:
            its_tasks = {"task": lambda t, here=here: rules.task(t) if t.workspace_id == here else None}
            check_text(check, persona, rules, "list", f"tasks of {workspace.name}", main_of(html), its_tasks)
        if extra:
            status, html = page(client, f"/arbeitsbereiche/{workspace.slug}/")
            if status == 200:
                check_text(check, persona, rules, "list", f"page of {workspace.name}", main_of(html))
                check_names(check, persona, rules, f"page of {workspace.name}", html)
    if user.is_authenticated:
        status, html = page(client, "/aufgaben/", {"anzeigen": "alle"})
        assigned = {"task": lambda t: t.pk in rules.assigned}
        check_text(check, persona, rules, "list", "my tasks", main_of(html), assigned)
        if extra:
            for path in ("/mein-bereich/", "/mein-kalender/", "/mein-kalender/monat/"):
                status, html = page(client, path)
                check_text(check, persona, rules, "list", path, main_of(html))
        # The personal feed: the events of the person's own workspaces, no more.
        status, text = page(Client(), f"/kalender/{scene.feeds[persona]}.ics")
        own = {"event": lambda e: e.workspace_id in rules.own and rules.event(e)}
        check_text(check, persona, rules, "ical", "personal feed", text.replace("\r\n ", ""), own)
    # Search: the hits' addresses.
    hits, number = set(), 1
    while True:
        status, html = page(client, "/suche/", {"q": PROBE, "seite": number})
        hits |= set(re.findall(r'href="(/[^"?]+)"', main_of(html)))
        if f"seite={number + 1}" not in html:
            break
        number += 1
    for post in scene.posts:
        expected = post.is_published and rules.post(post)
        check.equal(persona, "search", f"post {word(post)}", post.get_absolute_url() in hits, expected)
    for comment in scene.comments:
        url = f"/neuigkeiten/{comment.post_id}/#kommentar-{comment.pk}"
        check.equal(persona, "search", f"comment {word(comment)}", url in hits, rules.comment(comment))
    for event in scene.events:
        check.equal(persona, "search", f"event {word(event)}", event.get_absolute_url() in hits, rules.event(event))
    for task in scene.tasks:
        check.equal(persona, "search", f"task {word(task)}", task.get_absolute_url() in hits, rules.task(task))


def check_mail(check: Check, rows: list[Outbox]) -> None:
    """Every mail a persona receives names only what that persona may see (as the mail is sent)."""
    scene = check.scene
    for persona, user in scene.users.items():
        if not user.is_authenticated:
            continue
        mine = [row for row in rows if row.recipient_id == user.pk]
        if not mine:
            continue
        rules = Rules(scene, user)
        for row in mine:
            message = build_message(row)
            parts = [message.subject, message.body]
            parts += [content for content, _type in getattr(message, "alternatives", [])]
            parts += [
                a[1].decode() if isinstance(a[1], bytes) else str(a[1]) for a in message.attachments if isinstance(a, tuple)
            ]
            check_text(check, persona, rules, "mail", f"mail {message.subject!r}", " ".join(parts))


@pytest.mark.parametrize("seed", SEEDS)
def test_every_channel_agrees_with_the_access_functions(seed, personas, lead, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        scene = Scene(personas, lead)
        fan_out_pending(limit=100)
    scene.refresh()
    check = Check(scene, ["the scene"])
    check_mail(check, list(Outbox.objects.select_related("event", "recipient")))
    check.done()
    rng = random.Random(seed)
    history: list[str] = []
    for number in range(STEPS):
        last_mail = Outbox.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with django_capture_on_commit_callbacks() as worker:  # the change is committed, the worker has not run yet
            history.append(step(scene, rng))
        scene.refresh()
        check = Check(scene, history)
        for index, persona in enumerate(PERSONAS):
            check_persona(check, persona, extra=(number + index) % len(PERSONAS) < 2)
        with django_capture_on_commit_callbacks(execute=True):
            for callback in worker:
                callback()
            fan_out_pending(limit=100)  # the worker's other half: events for a whole workspace or city
            if number % 3 == 2:  # the summary of the last three steps, as they are now
                send_digests(Digest.Kind.DAILY, timezone.localdate() + dt.timedelta(days=number))
        check_mail(check, list(Outbox.objects.filter(pk__gt=last_mail).select_related("event", "recipient")))
        check.done()
