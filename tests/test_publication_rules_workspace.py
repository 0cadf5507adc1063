"""Leaks of workspace content that ``test_publication_property_workspace.py`` found, each read from outside.

Every test asks a channel itself (a page, the search page, the mails in the outbox as they are sent) and
reads only its answer; the access functions are the subject, never the means, of these checks.
"""

from __future__ import annotations

import pytest
from django.test import Client

from members.models import Municipality
from news import actions as news_actions
from notifications.delivery import build_message
from notifications.models import Notification, Outbox
from tasks import actions as task_actions
from tests.workspaces.conftest import lead, make_workspace  # noqa: F401 - fixtures
from workspaces import actions as workspace_actions
from workspaces.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db

SECRET = "Vertrauliche Umzugsplanung Zitronenfalter"
COMMENT = "Interne Einschätzung Distelfink"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def mails_to(user) -> str:
    rows = Outbox.objects.filter(recipient=user).select_related("event")
    text = []
    for row in rows:
        message = build_message(row)
        text += [message.subject, message.body, *(content for content, _type in message.alternatives)]
    return " ".join(text)


def test_task_page_does_not_name_a_post_its_assignee_may_not_read(personas, make_workspace):  # noqa: F811
    """A task made from a post of a private workspace, assigned to a city: its people open the task, not the post."""
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Stilles Projekt")
    lead_user = workspace.members.get().user
    post = news_actions.create_post(lead_user, workspace, title=SECRET, body="Nur für das Projekt.")
    task = task_actions.create_task(
        lead_user, workspace, title="Räume zählen", municipalities=[Municipality.objects.get(slug="bochum")], source=post
    )
    member = logged_in(personas["member"])  # Mara works for Bochum, not in the workspace
    assert member.get(f"/neuigkeiten/{post.pk}/").status_code == 404
    page = member.get(f"/aufgaben/{task.pk}/")
    assert page.status_code == 200
    assert "Räume zählen" in page.content.decode()
    assert SECRET not in page.content.decode()


def test_opening_a_private_workspace_does_not_show_its_comments_to_the_public(
    make_workspace,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Comments are for insiders; when the workspace becomes public, its posts are public but its comments are not —
    also in the search, before any worker has run."""
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Stilles Projekt")
    lead_user = workspace.members.get().user
    with django_capture_on_commit_callbacks(execute=True):
        post = news_actions.create_post(lead_user, workspace, title="Projektstand Herbst", body="Für alle.")
        comment = news_actions.add_comment(lead_user, post, COMMENT)
    with django_capture_on_commit_callbacks():  # committed; the worker has not run
        workspace_actions.update_workspace(lead_user, workspace, workspace.version, visibility=Workspace.Visibility.PUBLIC)
    anonymous = Client()
    assert anonymous.get(f"/neuigkeiten/{post.pk}/").status_code == 200
    assert "Distelfink" not in anonymous.get(f"/neuigkeiten/{post.pk}/").content.decode()
    hits = anonymous.get("/suche/", {"q": "Distelfink"}).content.decode()
    assert f"#kommentar-{comment.pk}" not in hits
    assert "Einschätzung" not in hits  # nor its snippet


def test_an_editor_sees_only_their_own_drafts_in_the_workspace_news(personas, make_workspace):  # noqa: F811
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Stilles Projekt")
    lead_user = workspace.members.get().user
    workspace_actions.add_member(lead_user, workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    draft = news_actions.create_post(lead_user, workspace, title=SECRET, body="Noch nicht fertig.", publish=False)
    member = logged_in(personas["member"])
    assert member.get(f"/neuigkeiten/{draft.pk}/").status_code == 404
    listing = member.get(f"/arbeitsbereiche/{workspace.slug}/neuigkeiten/")
    assert listing.status_code == 200
    assert SECRET not in listing.content.decode()
    assert SECRET in logged_in(lead_user).get(f"/arbeitsbereiche/{workspace.slug}/neuigkeiten/").content.decode()


def test_a_post_author_who_left_gets_no_comments_by_mail(personas, make_workspace, django_capture_on_commit_callbacks):  # noqa: F811
    """An external guest wrote a post in a public workspace and left: the post stays public, the comments do not
    reach them any more (they are for the workspace's insiders)."""
    workspace = make_workspace(Workspace.Visibility.PUBLIC, name="Offener Platz")
    lead_user = workspace.members.get().user
    guest = personas["guest"]
    workspace_actions.add_member(lead_user, workspace, guest, WorkspaceMember.Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        post = news_actions.create_post(guest, workspace, title="Bericht vom Fest", body="Es war schön.")
        workspace_actions.leave(guest, workspace)
        news_actions.add_comment(lead_user, post, COMMENT)
    assert Client().get(f"/neuigkeiten/{post.pk}/").status_code == 200
    assert "Distelfink" not in logged_in(guest).get(f"/neuigkeiten/{post.pk}/").content.decode()
    assert "Distelfink" not in mails_to(guest)


def test_a_mention_in_a_comment_does_not_mail_the_comment_to_an_outsider(
    personas,
    make_workspace,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    workspace = make_workspace(Workspace.Visibility.PUBLIC, name="Offener Platz")
    lead_user = workspace.members.get().user
    with django_capture_on_commit_callbacks(execute=True):
        post = news_actions.create_post(lead_user, workspace, title="Bericht vom Fest", body="Es war schön.")
        news_actions.add_comment(lead_user, post, f"{COMMENT}, @Otto Outsider")
    assert "Distelfink" not in logged_in(personas["outsider"]).get(f"/neuigkeiten/{post.pk}/").content.decode()
    assert "Distelfink" not in mails_to(personas["outsider"])


def test_every_search_kind_that_depends_on_a_workspace_names_its_access_function(personas):
    """Re-indexing after a workspace's visibility changed runs in the worker; until then only the query-time check
    keeps such entries right, so every kind whose entries depend on the workspace must have one."""
    from django.contrib.auth.models import AnonymousUser

    from search.registry import providers

    dependent = [p for p in providers() if p.workspace_lookup]
    assert dependent
    for provider in dependent:
        assert provider.visible_to(AnonymousUser()) is not None, provider.kind


def test_a_daily_summary_leaves_out_what_its_reader_may_no_longer_read(
    personas,
    make_workspace,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """The summary goes out a day after the post; the guest left the private workspace in between."""
    import datetime as dt

    from django.utils import timezone

    from notifications.actions import fan_out_pending, set_email_mode
    from notifications.digests import send_digests
    from notifications.models import Digest, EmailMode

    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Stilles Projekt")
    lead_user = workspace.members.get().user
    guest = personas["guest"]
    set_email_mode(guest, EmailMode.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        membership = workspace_actions.add_member(lead_user, workspace, guest, WorkspaceMember.Role.EDITOR)
        news_actions.create_post(lead_user, workspace, title=SECRET, body="Nur für das Projekt.")
        fan_out_pending()  # the worker tells the workspace (the guest: in the summary)
    with django_capture_on_commit_callbacks(execute=True):  # a day later
        workspace_actions.remove_member(lead_user, membership)
        send_digests(Digest.Kind.DAILY, timezone.localdate() + dt.timedelta(days=1))
    assert Notification.objects.filter(recipient=guest, event__subject__contains="Zitronenfalter").exists()
    assert "Zitronenfalter" not in mails_to(guest)
