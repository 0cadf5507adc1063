"""Contributors from outside: own examples only, sign-up with confirmation, honeypot, rate limit; licences; safe text."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import User
from knowledge import actions
from knowledge.models import Contributor, PracticeExample
from tests.knowledge.scene import approve_twice, example_data, make_contributor, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_contributor_editing_someone_elses_example_gets_404(personas):
    other = make_contributor("andere@test.example", given_name="Ana")
    example = submitted(other)
    actions.request_changes(personas["office"], example, example.latest_id, "Bitte ergänzen.")
    client = _login(personas["contributor"])
    before = PracticeExample.objects.get(pk=example.pk).version
    for url in (
        f"/wissen/{example.pk}/bearbeiten/",
        f"/wissen/{example.pk}/fassungen/",
        f"/wissen/{example.pk}/pruefung/",
        f"/wissen/{example.pk}/",  # not published: not even readable
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/wissen/{example.pk}/bearbeiten/", {**example_data(), "cities": [], "version": before}).status_code == 404
    )
    assert client.post(f"/wissen/{example.pk}/einreichen/", {"einreichen-version": before}).status_code == 404
    upload = SimpleUploadedFile("x.txt", b"Hallo Welt", content_type="text/plain")
    assert client.post(f"/wissen/{example.pk}/material/hinzufuegen/", {"file": upload}).status_code == 404
    assert PracticeExample.objects.get(pk=example.pk).version == before
    assert client.get("/wissen/meine/").content.decode().count("/bearbeiten/") == 0


def test_a_contributor_cannot_edit_someone_elses_published_example(personas):
    other = make_contributor("andere@test.example", given_name="Ana")
    example = submitted(other)
    actions.assign_reviewer(personas["office"], example, personas["member"])
    approve_twice(example, personas["office"], personas["member"])
    client = _login(personas["contributor"])
    assert client.get(f"/wissen/{example.pk}/").status_code == 200  # published: everybody reads it
    assert client.get(f"/wissen/{example.pk}/bearbeiten/").status_code == 404
    data = {**example_data(title="Übernommen"), "cities": [], "version": example.version}
    assert client.post(f"/wissen/{example.pk}/bearbeiten/", data).status_code == 404
    assert client.post(f"/wissen/{example.pk}/einreichen/", {"einreichen-version": example.version}).status_code == 404
    assert client.get(f"/wissen/{example.pk}/fassungen/").status_code == 404
    example.refresh_from_db()
    assert example.latest.title == "Mentoring für Auszubildende" and example.revisions.count() == 1


def _signup(client: Client, email: str, **extra):
    data = {
        "given_name": "Selin",
        "family_name": "Selbst",
        "organisation": "Hochschule Ruhr",
        "kind": "research",
        "email": email,
        "password1": "ein-langes-sicheres-passwort-42",
        "password2": "ein-langes-sicheres-passwort-42",
        "consent": "on",
        "website": "",
        **extra,
    }
    return client.post("/wissen/mitwirken/", data)


def test_self_registration_needs_the_confirmed_address_before_sign_in(cooperation):
    client = Client()
    response = _signup(client, "selin@hochschule.example")
    assert response.status_code == 200
    user = User.objects.get(email="selin@hochschule.example")
    assert Contributor.objects.get(person__user=user).origin == "self_registered"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and "selin@hochschule.example" in mail.outbox[0].to
    # allauth refuses the sign-in until the address is confirmed
    login = Client().post("/konto/login/", {"login": "selin@hochschule.example", "password": "ein-langes-sicheres-passwort-42"})
    assert "_auth_user_id" not in Client().session
    assert login.status_code in (200, 302) and login.get("Location", "") != "/"


def test_the_honeypot_creates_nothing_and_looks_like_success(cooperation):
    response = _signup(Client(), "bot@spam.example", website="http://spam.example")
    assert response.status_code == 200
    assert not User.objects.filter(email="bot@spam.example").exists()
    assert not mail.outbox


def test_registrations_are_rate_limited_per_client(cooperation, settings):
    settings.KNOWLEDGE_SIGNUP_RATE = "3/h/ip"
    client = Client()
    statuses = [_signup(client, f"person{i}@test.example").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert User.objects.filter(email__startswith="person").count() == 3


def test_an_existing_address_gets_no_second_account_and_the_same_answer(personas):
    response = _signup(Client(), "member@test.example")
    assert response.status_code == 200
    assert User.objects.filter(email="member@test.example").count() == 1
    assert not Contributor.objects.filter(person__user__email="member@test.example").exists()


def test_the_office_invites_a_contributor_through_the_usual_invitation(personas, client_for):
    response = client_for("office").post(
        "/wissen/mitwirken/einladen/",
        {"given_name": "Ina", "family_name": "Eingeladen", "organisation": "IHK", "kind": "business", "email": "ina@ihk.example"},
    )
    assert response.status_code == 302
    contributor = Contributor.objects.get(person__email="ina@ihk.example")
    assert contributor.person.invitations.count() == 1
    assert contributor.person.profile_visibility == "office"


def test_script_in_markdown_never_reaches_the_page(personas, client_for):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    hostile = "<script>alert(1)</script>\n\n[klick](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n# Überschrift"
    example = submitted(contributor, goals=hostile, approach=hostile, title="Titel <script>alert(4)</script>")
    actions.assign_reviewer(office, example, member)
    approve_twice(example, office, member)
    for client in (client_for("anonymous"), client_for("office")):
        for url in (f"/wissen/{example.pk}/", f"/wissen/{example.pk}/pruefung/", "/wissen/", "/wissen/feed.atom"):
            body = client.get(url).content.decode()
            assert "<script>alert" not in body and "javascript:alert" not in body and "onerror=" not in body, url
    page = client_for("anonymous").get(f"/wissen/{example.pk}/").content.decode()
    assert page.count("<h1") == 1
    assert '<script type="application/ld+json">' in page
    assert "\\u003cscript" in page  # the title inside JSON-LD is escaped


def test_licence_is_stored_per_version_and_the_attribution_is_rendered(personas, client_for):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    example = submitted(contributor)
    actions.assign_reviewer(office, example, member)
    approve_twice(example, office, member)
    page = client_for("anonymous").get(f"/wissen/{example.pk}/").content.decode()
    assert "creativecommons.org/licenses/by/4.0" in page
    assert "„Mentoring für Auszubildende“ von Kira Contributor (Migrantenverein (Test))" in page
    assert "CC BY 4.0" in example.published.attribution

    actions.save_draft(contributor, example, example.version, {"licence": "internal"})
    example.refresh_from_db()
    actions.submit(contributor, example, example.version)
    example.refresh_from_db()
    approve_twice(example, office, member)
    assert list(example.revisions.values_list("licence", flat=True)) == ["cc-by-4.0", "internal"]
    assert client_for("anonymous").get(f"/wissen/{example.pk}/").status_code == 404
    assert client_for("outsider").get(f"/wissen/{example.pk}/").status_code == 404
    assert client_for("member").get(f"/wissen/{example.pk}/").status_code == 200
    assert client_for("contributor").get(f"/wissen/{example.pk}/").status_code == 200
    assert "Mentoring" not in client_for("anonymous").get("/wissen/feed.atom").content.decode()


def test_images_need_confirmed_rights_before_submission(personas, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    contributor = personas["contributor"]
    example = actions.create_example(contributor, example_data())
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    png = buffer.getvalue()
    actions.add_material(contributor, example, SimpleUploadedFile("foto.png", png, content_type="image/png"))
    example.refresh_from_db()
    with pytest.raises(actions.ValidationError):
        actions.submit(contributor, example, example.version)
    actions.save_draft(contributor, example, example.version, {"image_rights_confirmed": True})
    example.refresh_from_db()
    actions.submit(contributor, example, example.version)


def test_a_hostile_file_is_refused(personas, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    contributor = personas["contributor"]
    example = actions.create_example(contributor, example_data())
    client = _login(contributor)
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    response = client.post(f"/wissen/{example.pk}/material/hinzufuegen/", {"file": upload})
    assert response.status_code == 400
    assert not example.materials.exists()


def test_readers_report_a_problem_to_the_office_with_a_honeypot_and_a_limit(personas, client_for, settings):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    example = submitted(contributor)
    actions.assign_reviewer(office, example, member)
    approve_twice(example, office, member)
    settings.KNOWLEDGE_REPORT_RATE = "2/h/ip"
    public = client_for("anonymous")
    url = f"/wissen/{example.pk}/problem-melden/"
    assert public.post(url, {"text": "Der Link ist tot.", "website": ""}).status_code == 302
    assert public.post(url, {"text": "Spam", "website": "http://x.example"}).status_code == 302
    assert public.post(url, {"text": "Noch etwas", "website": ""}).status_code == 429
    assert list(example.problem_reports.values_list("text", flat=True)) == ["Der Link ist tot."]
    assert "Der Link ist tot." in client_for("office").get("/wissen/pruefung/").content.decode()
