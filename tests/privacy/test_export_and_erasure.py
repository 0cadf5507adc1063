"""Access export (Art. 15/20) and erasure (Art. 17), through the pages and the actions."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent
from documents import actions as document_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import Meeting
from members.models import Membership, Person
from news import actions as news_actions
from news.models import Comment, Post
from notifications.models import Notification
from privacy.models import DataExport, DeletionLogEntry
from tests.meetings.matrix import meeting_ids
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):
    """Mara Member writes a post, a comment and uploads a document in the Regiegruppe; she attended a meeting."""
    ensure_body_workspaces()
    member = personas["member"]
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    post = news_actions.create_post(member, workspace, title="Bericht aus Bochum", body="Neues aus der Arbeitsgruppe.")
    comment = news_actions.add_comment(personas["office"], post, "Danke!")
    own_comment = news_actions.add_comment(member, post, "Gern geschehen.")
    document = document_actions.upload(member, workspace, SimpleUploadedFile("bericht.txt", b"Bericht von Mara"))
    ids = meeting_ids(personas)
    held = Meeting.objects.get(pk=ids["held_meeting"])
    minutes = minutes_actions.minutes_for(held)
    minutes_actions.record_attendance(personas["office"], minutes, [member.person])
    return {"post": post, "comment": comment, "own_comment": own_comment, "document": document, "minutes": minutes}


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_member_downloads_everything_about_them_as_zip(scene, personas, client_for, django_capture_on_commit_callbacks):
    client = client_for("member")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/meine-daten/").status_code == 302
    export = DataExport.objects.get(person=personas["member"].person)
    assert export.status == DataExport.Status.READY  # the worker ran (synchronous backend in tests)
    assert Notification.objects.filter(recipient=personas["member"], event__verb="privacy.export_ready").exists()
    page = client.get("/meine-daten/").content.decode()
    assert f"/verwaltung/datenschutz/auskuenfte/{export.pk}/datei/" in page
    archive = _zip(client.get(f"/verwaltung/datenschutz/auskuenfte/{export.pk}/datei/"))
    data = json.loads(archive.read("daten.json"))
    assert data["person"]["family_name"] == "Member"
    assert data["konto"]["email"] == "member@test.example" and "password" not in data["konto"]
    assert [row["title"] for row in data["daten"]["news.Post"]["datensaetze"]] == ["Bericht aus Bochum"]
    assert [row["body"] for row in data["daten"]["news.Comment"]["datensaetze"]] == ["Gern geschehen."]
    assert data["daten"]["meetings.Minutes"]["rechtsgrundlage"]
    version = data["daten"]["documents.DocumentVersion"]["datensaetze"][0]
    assert archive.read(version["file__datei"]) == b"Bericht von Mara"
    assert "ical_token" not in json.dumps(data) and "token_hash" not in json.dumps(data)


def test_nobody_else_downloads_the_export_and_it_expires(scene, personas, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("member").post("/meine-daten/")
    export = DataExport.objects.get(person=personas["member"].person)
    url = f"/verwaltung/datenschutz/auskuenfte/{export.pk}/datei/"
    assert client_for("guest").get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("office").get(url).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert client_for("member").get(url).status_code == 404
        from privacy.retention import run_daily

        assert run_daily()["exports-expired"] == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and export.file == ""


def test_office_runs_the_export_for_a_person_without_account(personas, client_for, django_capture_on_commit_callbacks):
    person = Person.objects.filter(user__isnull=True, email__gt="").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("office").post(f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "export"})
    assert response.status_code == 302
    export = DataExport.objects.get(person=person)
    assert export.status == DataExport.Status.READY and export.requested_by == personas["office"]
    archive = _zip(client_for("office").get(f"/verwaltung/datenschutz/auskuenfte/{export.pk}/datei/"))
    assert json.loads(archive.read("daten.json"))["person"]["email"] == person.email
    assert client_for("member").post(f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "export"}).status_code == 404


def test_erasure_keeps_shared_content_as_former_member_and_the_public_record(scene, personas, client_for):
    member = personas["member"]
    person = member.person
    membership_ids = set(Membership.objects.filter(person=person).values_list("pk", flat=True))
    response = client_for("office").post(f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "erase", "confirm": "on"})
    assert response.status_code == 302

    person.refresh_from_db()
    member.refresh_from_db()
    # contact data and the account's way in are gone
    assert (person.email, person.phone, person.user_id, person.is_active) == ("", "", None, False)
    assert not member.is_active and not member.has_usable_password() and "member@" not in member.email
    assert str(member) == "ehemaliges Mitglied"
    # what she wrote stays, shown as "ehemaliges Mitglied"
    post = Post.objects.get(pk=scene["post"].pk)
    assert str(post.author) == "ehemaliges Mitglied"
    assert Comment.objects.filter(pk=scene["own_comment"].pk).exists()
    # the public record stays: her seats and her attendance
    assert set(Membership.objects.filter(person=person).values_list("pk", flat=True)) == membership_ids
    assert list(scene["minutes"].attendees.all()) == [person]
    entry = DeletionLogEntry.objects.get(subject_type="members.Person", subject_id=str(person.pk))
    reasons = {label: reason for label, _pk, reason in entry.kept}
    assert "öffentlichen Aufzeichnung" in reasons["members.Membership"]
    assert "meetings.Minutes" in reasons
    # the log holds ids only; the audit entry does not name her
    assert "Mara" not in json.dumps(entry.deleted) + json.dumps(entry.kept)
    event = AuditEvent.objects.get(action="privacy.person_erased")
    assert "Mara" not in event.object_label and "Member" not in json.dumps(event.after)


def test_erasure_removes_content_where_the_office_decides(scene, personas, client_for):
    person = personas["member"].person
    client_for("office").post(
        f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "erase", "confirm": "on", "remove_content": "on"}
    )
    assert not Post.objects.filter(pk=scene["post"].pk).exists()
    assert not Comment.objects.filter(pk=scene["own_comment"].pk).exists()
    assert (
        scene["document"].versions.count() == 0 or not scene["document"].versions.filter(uploaded_by=personas["member"]).exists()
    )


def test_erasure_of_a_person_without_public_record_deletes_the_row(personas, client_for):
    person = Person.objects.create(
        given_name="Erika",
        family_name="Einmalig",
        email="erika@example.org",
        organisation=None,
        municipality=personas["member"].person.municipality,
    )
    client_for("office").post(f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "erase", "confirm": "on"})
    assert not Person.objects.filter(pk=person.pk).exists()


def test_erasure_needs_the_confirmation_and_the_office(scene, personas, client_for):
    person = personas["member"].person
    assert client_for("office").post(f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "erase"}).status_code == 400
    assert (
        client_for("member")
        .post(f"/verwaltung/datenschutz/personen/{person.pk}/", {"form": "erase", "confirm": "on"})
        .status_code
        == 404
    )
    person.refresh_from_db()
    assert person.is_active and person.email


def test_erasing_somebody_keeps_what_they_handled_for_others(personas, client_for):
    from website.models import AccessibilityFeedback

    office = personas["office"]
    feedback = AccessibilityFeedback.objects.create(
        page_url="/", description="Kontrast zu schwach", name="Bea Besuch", email="bea@example.org", answered_by=office
    )
    response = client_for("admin").post(
        f"/verwaltung/datenschutz/personen/{office.person.pk}/", {"form": "erase", "confirm": "on"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert str(feedback.answered_by) == "ehemaliges Mitglied"


def test_people_cannot_erase_themselves_through_the_office_page(personas, client_for):
    office = personas["office"]
    response = client_for("office").post(
        f"/verwaltung/datenschutz/personen/{office.person.pk}/", {"form": "erase", "confirm": "on"}
    )
    assert response.status_code == 400
    office.refresh_from_db()
    assert office.is_active
