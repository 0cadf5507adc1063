"""News: sanitised Markdown, @mentions, comments, images, conflicts, audit log and notifications."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from news.actions import add_comment, create_post
from news.models import Post
from notifications.dispatch import run_once
from notifications.models import Event, Notification
from tests.workspaces.conftest import give_role
from workspaces.models import Workspace

from .matrix import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas, make_workspace, lead):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Talente gewinnen")
    give_role(workspace, personas["member"], "editor")
    give_role(workspace, personas["guest"], "reader")
    return workspace


def test_scripts_iframes_and_javascript_links_never_reach_the_page(project, lead, client_for):
    body = (
        "Hallo <script>alert(1)</script> <iframe src='https://böse.example'></iframe>\n\n"
        '[klick](javascript:alert(2)) <img src=x onerror=alert(3)> <a href="javascript:alert(4)">b</a>'
    )
    post = create_post(lead, project, title="Test", body=body)
    html = client_for("member").get(f"/neuigkeiten/{post.pk}/").content.decode()
    article = html.split('<div class="prose">', 1)[1].split("</div>", 1)[0]
    for bad in ("<script", "<iframe", "javascript:", "onerror", "<img"):
        assert bad not in article


def test_a_new_post_reaches_the_members_through_the_worker_and_mentions_at_once(project, lead, personas, client_for):
    member, guest = personas["member"], personas["guest"]
    post = create_post(lead, project, title="Auftakt", body="Willkommen, @Mara Member! Bitte prüfen Sie den Plan.")
    mention = Notification.objects.get(recipient=member)
    assert mention.event.verb == "news.mentioned" and mention.event.always
    posted = Event.objects.get(verb="news.posted")
    assert posted.state == Event.State.PENDING  # one row in the request
    run_once()
    assert list(Notification.objects.filter(event=posted).values_list("recipient", flat=True)) == [
        guest.pk
    ]  # not the author, not twice for Mara
    assert post.get_absolute_url() == posted.url


def test_a_mention_of_someone_who_cannot_read_the_post_tells_them_nothing(personas, make_workspace, lead):
    secret = make_workspace(Workspace.Visibility.PRIVATE, name="Vertraulich")
    create_post(lead, secret, title="Intern", body="@Mara Member sollte das nicht sehen.")
    assert not Notification.objects.filter(recipient=personas["member"]).exists()


def test_comments_notify_the_author_and_mentions(project, lead, personas, client_for):
    post = create_post(lead, project, title="Auftakt", body="Los geht es.")
    Notification.objects.all().delete()
    client = client_for("member")
    response = client.post(f"/neuigkeiten/{post.pk}/kommentieren/", {"body": "Gute Idee, @Gustav Guest was meinen Sie?"})
    assert response.status_code == 302
    assert Notification.objects.get(recipient=lead).event.verb == "news.commented"
    assert Notification.objects.get(recipient=personas["guest"]).event.verb == "news.mentioned"
    empty = client.post(f"/neuigkeiten/{post.pk}/kommentieren/", {"body": ""})
    assert empty.status_code == 400 and "Bitte schreiben Sie einen Kommentar." in empty.content.decode()


def test_two_people_editing_the_same_post_get_a_conflict_and_nothing_is_overwritten(project, lead, personas, client_for):
    post = create_post(personas["member"], project, title="Plan", body="Version 1")
    first = client_for("member").post(
        f"/neuigkeiten/{post.pk}/bearbeiten/", {"title": "Plan A", "body": "von Mara", "version": 1}
    )
    assert first.status_code == 302
    second = client_for("member").post(
        f"/neuigkeiten/{post.pk}/bearbeiten/", {"title": "Plan B", "body": "veraltet", "version": 1}
    )
    assert "inzwischen von jemand anderem geändert" in second.content.decode()
    assert Post.objects.get(pk=post.pk).title == "Plan A"


def test_validation_messages_are_german(project, client_for):
    response = client_for("member").post(f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/", {"title": "", "body": ""})
    page = response.content.decode()
    assert "Bitte geben Sie eine Überschrift an." in page and "Bitte schreiben Sie einen Text." in page
    not_image = client_for("member").post(
        f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/",
        {"title": "Bild", "body": "Text", "publish": "on", "image": _file("bild.png", b"kein Bild")},
    )
    assert "Die Datei ist kein Bild" in not_image.content.decode()
    no_alt = client_for("member").post(
        f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/", {"title": "Bild", "body": "Text", "publish": "on", "image": png()}
    )
    assert "Bitte beschreiben Sie das Bild" in no_alt.content.decode()


def test_images_are_served_only_to_readers_of_the_post(project, client_for):
    response = client_for("member").post(
        f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/",
        {"title": "Mit Bild", "body": "Text", "publish": "on", "image": png(), "image_alt": "Blaues Quadrat"},
    )
    post = Post.objects.get(title="Mit Bild")
    assert response.status_code == 302
    assert client_for("member").get(f"/neuigkeiten/{post.pk}/bild/").status_code == 200
    assert client_for("outsider").get(f"/neuigkeiten/{post.pk}/bild/").status_code == 404
    assert 'alt="Blaues Quadrat"' in client_for("member").get(f"/neuigkeiten/{post.pk}/").content.decode()


def test_publication_public_flag_and_deletion_are_audited(project, personas, client_for):
    office = personas["office"]
    draft = create_post(office, None, title="Jahresbericht", body="Entwurf", publish=False)
    assert not AuditEvent.objects.filter(action="news.published").exists()
    assert not Event.objects.filter(verb="news.posted").exists()  # a draft tells nobody
    client = client_for("office")
    client.post(
        f"/neuigkeiten/{draft.pk}/bearbeiten/",
        {"title": "Jahresbericht", "body": "Fertig", "version": 1, "publish": "on", "is_public": "on"},
    )
    assert AuditEvent.objects.filter(action="news.published", object_id=str(draft.pk)).exists()
    assert AuditEvent.objects.get(action="news.public_changed").after == {"is_public": True}
    comment = add_comment(personas["member"], Post.objects.get(pk=draft.pk), "Glückwunsch")
    client.post(f"/neuigkeiten/kommentare/{comment.pk}/loeschen/")
    client.post(f"/neuigkeiten/{draft.pk}/loeschen/")
    assert not Post.objects.filter(pk=draft.pk).exists()
    assert {"news.comment_deleted", "news.deleted"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_only_office_or_managers_of_public_workspaces_make_posts_public(project, client_for):
    response = client_for("member").post(
        f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/",
        {"title": "Öffentlich?", "body": "Text", "publish": "on", "is_public": "on"},
    )
    assert response.status_code == 302
    assert Post.objects.get(title="Öffentlich?").is_public is False  # the field is not offered, so it is ignored


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")
