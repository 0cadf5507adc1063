"""A chosen image survives an unrelated error in the post form, and only for the person who chose it.

The attacks read only what the page gives out (the hidden token) and what an attacker could make up.
"""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client

from news.models import Post
from tests.workspaces.conftest import give_role

from .matrix import png

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(personas, make_workspace, lead):
    workspace = make_workspace("platform", name="Bildprojekt")
    give_role(workspace, personas["member"], "editor")
    give_role(workspace, personas["guest"], "editor")
    return workspace


def hidden_token(page: str) -> str:
    match = re.search(r'name="kept_image" value="([^"]+)"', page)
    assert match, "the form carries no kept image"
    return match.group(1)


def test_the_image_is_kept_after_an_unrelated_error_and_saved_with_the_post(project, client_for):
    url = f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/"
    first = client_for("member").post(url, {"title": "", "body": "Text", "publish": "on", "image": png("stand.png")})
    page = first.content.decode()
    assert "Bitte geben Sie eine Überschrift an." in page and "stand.png" in page
    second = client_for("member").post(
        url, {"title": "Mit Bild", "body": "Text", "publish": "on", "image_alt": "Stand", "kept_image": hidden_token(page)}
    )
    assert second.status_code == 302
    post = Post.objects.get(title="Mit Bild")
    assert post.image and post.image.name.startswith("news/") and "/kept/" not in post.image.name


def test_nobody_else_can_use_a_kept_image_or_name_a_file(project, client_for, lead):
    url = f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/"
    page = client_for("member").post(url, {"title": "", "body": "Text", "image": png("geheim.png")}).content.decode()
    token = hidden_token(page)
    other = Client()
    other.force_login(lead)  # the workspace's lead: may write, but did not choose that image
    base = {"body": "Text", "publish": "on", "image_alt": "Bild"}
    forged = signing.dumps({"name": "../../interkommunal.sqlite3", "author": lead.pk}, salt="news.kept-image")
    for title, value in (("Fremdes Bild", token), ("Gefälscht", forged), ("Erfunden", "news/kept/x/geheim.png")):
        assert other.post(url, {**base, "title": title, "kept_image": value}).status_code == 302
        assert not Post.objects.get(title=title).image, title
