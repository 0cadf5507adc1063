"""An outsider's view of the joint projects' promises, written from the outside: only HTTP, only what a page shows.

Promises under attack (projects/README.md): the public sees released project pages only; people outside the
project team, the Regiegruppe and the office cannot open a project, learn its title anywhere, or change it;
404 for a hidden project looks like 404 for none; a stale edit never overwrites a newer one (409).
"""

from __future__ import annotations

import pytest
from django.test import Client

from members.models import Membership, Municipality
from tests.conftest import make_user, seat

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Geheimprojekt Zebrastreifen"
SECRET_SLUG = "geheimprojekt-zebrastreifen"
PUBLIC_TITLE = "Offenes Projekt Leuchtturm"
PUBLIC_SLUG = "offenes-projekt-leuchtturm"


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def scene(client_for):
    office = client_for("office")
    essen = Municipality.objects.get(slug="essen")
    for title, slug in ((SECRET_TITLE, SECRET_SLUG), (PUBLIC_TITLE, PUBLIC_SLUG)):
        response = office.post(
            "/projekte/neu/", {"title": title, "slug": slug, "lead_municipality": essen.pk, "summary": f"{title}: Worum es geht."}
        )
        assert response.status_code == 302, "the office creates projects through the page"
    page = office.get(f"/projekte/{PUBLIC_SLUG}/").content.decode()
    version = page.split('name="freigabe-version" value="')[1].split('"')[0]
    assert office.post(f"/projekte/{PUBLIC_SLUG}/freigabe/", {"op": "release", "freigabe-version": version}).status_code == 302
    other = make_user("nosy@test.example")
    seat(other, "projektteam", Membership.Role.MEMBER, "hagen")
    return {"office": office, "other": _login(other)}


def _readers(scene, client_for):
    return {
        "anonymous": client_for("anonymous"),
        "outsider": client_for("outsider"),
        "guest": client_for("guest"),
        "other member": scene["other"],
    }


def test_nobody_outside_learns_the_hidden_project(scene, client_for):
    pages = ["/", "/projekte/", "/gemeinschaftsprojekte/", "/sitzungen/beschluesse/", "/arbeitsbereiche/"]
    for name, client in _readers(scene, client_for).items():
        for url in pages:
            response = client.get(url)
            assert SECRET_TITLE not in response.content.decode(), f"{name} reads the hidden title on {url}"
        # The search page repeats the query, so look for what only a hit would show: the addresses.
        found = client.get("/suche/?q=Geheimprojekt+Zebrastreifen").content.decode()
        assert SECRET_SLUG not in found and "Worum es geht" not in found, f"{name} finds the hidden project"
        for url in (
            f"/projekte/{SECRET_SLUG}/",
            f"/projekte/{SECRET_SLUG}/bearbeiten/",
            f"/gemeinschaftsprojekte/{SECRET_SLUG}/",
        ):
            assert client.get(url).status_code in (302, 404), f"{name} opens {url}"
            hidden = client.get(url)
            unknown = client.get(url.replace(SECRET_SLUG, "gibt-es-nicht"))
            assert hidden.status_code == unknown.status_code, f"{name}: {url} differs from an unknown project"


def test_the_public_sees_the_released_project(scene, client_for):
    anonymous = client_for("anonymous")
    assert PUBLIC_TITLE in anonymous.get("/gemeinschaftsprojekte/").content.decode()
    page = anonymous.get(f"/gemeinschaftsprojekte/{PUBLIC_SLUG}/")
    assert page.status_code == 200
    assert "Worum es geht." in page.content.decode()
    assert SECRET_TITLE not in page.content.decode()


def test_outsiders_cannot_change_or_release_a_project(scene, client_for):
    posts = [
        (f"/projekte/{SECRET_SLUG}/freigabe/", {"op": "release", "freigabe-version": "1"}),
        (f"/projekte/{SECRET_SLUG}/stand/", {"stand-status": "application", "stand-version": "1"}),
        (f"/projekte/{SECRET_SLUG}/bearbeiten/", {"title": "Übernommen", "version": "1"}),
        (f"/projekte/{SECRET_SLUG}/meilensteine/", {"meilenstein-title": "Fremd", "meilenstein-due_on": "2024-01-02"}),
    ]
    readers = _readers(scene, client_for)
    readers["regiegruppe"] = client_for("member")
    for name, client in readers.items():
        for url, data in posts:
            assert client.post(url, data).status_code in (302, 404), f"{name} posts to {url}"
    assert client_for("anonymous").get(f"/gemeinschaftsprojekte/{SECRET_SLUG}/").status_code == 404
    office_page = scene["office"].get(f"/projekte/{SECRET_SLUG}/").content.decode()
    assert SECRET_TITLE in office_page and "Übernommen" not in office_page and "Fremd" not in office_page


def test_a_stale_edit_does_not_overwrite_a_newer_one(scene):
    office = scene["office"]
    page = office.get(f"/projekte/{SECRET_SLUG}/bearbeiten/").content.decode()
    version = page.split('name="version" value="')[1].split('"')[0]
    essen = Municipality.objects.get(slug="essen").pk
    first = {"title": SECRET_TITLE, "summary": "Neuere Fassung", "version": version, "lead_municipality": essen}
    assert office.post(f"/projekte/{SECRET_SLUG}/bearbeiten/", first).status_code == 302
    stale = {**first, "summary": "Ältere Fassung"}
    assert office.post(f"/projekte/{SECRET_SLUG}/bearbeiten/", stale).status_code == 409
    assert "Neuere Fassung" in office.get(f"/projekte/{SECRET_SLUG}/").content.decode()
