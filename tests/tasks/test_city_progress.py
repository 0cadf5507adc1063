"""Tasks for several cities: each city reports its own progress; comments and attachments (issue 10)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from documents.generate import pdf
from members.models import Membership, Municipality
from notifications.models import Notification
from tasks.actions import create_task
from tasks.models import Task, TaskCity
from tests.conftest import make_user, seat
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(personas, make_workspace, lead):
    return make_workspace(Workspace.Visibility.PLATFORM, name="Messe 2027")


@pytest.fixture
def city_people(personas):
    """Two people from Bochum and one from Herne, none of them with a role in the project workspace."""
    people = {}
    for name, city in (("bochum1", "bochum"), ("bochum2", "bochum"), ("herne", "herne")):
        user = make_user(f"{name}@test.example")
        seat(user, "projektteam", Membership.Role.MEMBER, city, given_name=name.title(), family_name="Stadt")
        people[name] = user
    return people


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def two_city_task(project, lead):
    cities = [Municipality.objects.get(slug="bochum"), Municipality.objects.get(slug="herne")]
    return create_task(lead, project, title="Zahlen liefern", municipalities=cities)


def _row(task, slug):
    return TaskCity.objects.get(task=task, municipality__slug=slug)


def _report(client, task, row, status, note="", version=None):
    return client.post(
        f"/aufgaben/{task.pk}/staedte/{row.pk}/",
        {
            f"stadt-{row.pk}-status": status,
            f"stadt-{row.pk}-note": note,
            f"stadt-{row.pk}-version": version or row.version,
        },
    )


def test_a_city_cannot_report_for_another_city(two_city_task, city_people, client):
    _login(client, city_people["bochum1"])
    herne = _row(two_city_task, "herne")
    assert _report(client, two_city_task, herne, "done").status_code == 404
    assert _row(two_city_task, "herne").status == "open"


def test_the_task_is_done_when_every_city_is_done(two_city_task, city_people, client, lead):
    _login(client, city_people["bochum1"])
    response = _report(client, two_city_task, _row(two_city_task, "bochum"), "done", "Zahlen sind verschickt.")
    assert response.status_code == 302
    two_city_task.refresh_from_db()
    assert two_city_task.status == "in_progress" and two_city_task.completed_at is None
    page = client.get(two_city_task.get_absolute_url()).content.decode()
    assert "1 von 2 Städten erledigt" in page and "Zahlen sind verschickt." in page
    _login(client, city_people["herne"])
    assert _report(client, two_city_task, _row(two_city_task, "herne"), "done").status_code == 302
    two_city_task.refresh_from_db()
    assert two_city_task.status == "done" and two_city_task.completed_at is not None
    assert AuditEvent.objects.filter(action="task.city_status", object_id=str(two_city_task.pk)).count() == 2
    assert Notification.objects.filter(recipient=lead, event__verb="task.city_status").count() == 2
    # a city taking its report back opens the task again
    _login(client, city_people["herne"])
    assert _report(client, two_city_task, _row(two_city_task, "herne"), "in_progress").status_code == 302
    two_city_task.refresh_from_db()
    assert two_city_task.status == "in_progress"


def test_the_office_sees_per_city_progress_in_the_list(two_city_task, city_people, client, lead):
    _login(client, city_people["bochum1"])
    _report(client, two_city_task, _row(two_city_task, "bochum"), "done")
    _login(client, lead)
    page = client.get(f"/arbeitsbereiche/{two_city_task.workspace.slug}/aufgaben/").content.decode()
    assert "1 von 2 Städten erledigt" in page


def test_the_office_may_close_a_task_although_cities_are_open(two_city_task, client, lead):
    _login(client, lead)
    assert client.post(f"/aufgaben/{two_city_task.pk}/status/", {"status": "done", "version": 1}).status_code == 302
    two_city_task.refresh_from_db()
    assert two_city_task.status == "done"
    # the office may also report on a city's behalf; the task it closed stays closed
    assert _report(client, two_city_task, _row(two_city_task, "bochum"), "in_progress").status_code == 302
    two_city_task.refresh_from_db()
    assert two_city_task.status == "done"


def test_two_people_of_one_city_reporting_at_once_get_a_conflict(two_city_task, city_people, client):
    row = _row(two_city_task, "bochum")
    _login(client, city_people["bochum1"])
    assert _report(client, two_city_task, row, "done", "erledigt", version=1).status_code == 302
    _login(client, city_people["bochum2"])
    second = _report(client, two_city_task, row, "in_progress", "Ich arbeite noch daran", version=1)
    assert second.status_code == 409
    body = second.content.decode()
    assert "inzwischen von jemand anderem geändert" in body and "Ich arbeite noch daran" in body
    row.refresh_from_db()
    assert row.status == "done" and row.note == "erledigt"


def test_comments_keep_the_typed_text_on_an_error_and_notify_the_people_involved(two_city_task, city_people, client, lead):
    _login(client, city_people["herne"])
    empty = client.post(f"/aufgaben/{two_city_task.pk}/kommentieren/", {"text": "   "})
    assert empty.status_code == 400 and "Bitte schreiben Sie einen Kommentar." in empty.content.decode()
    too_long = client.post(f"/aufgaben/{two_city_task.pk}/kommentieren/", {"text": "x" * 5001})
    assert too_long.status_code == 400 and "x" * 5001 in too_long.content.decode()
    assert (
        client.post(f"/aufgaben/{two_city_task.pk}/kommentieren/", {"text": "Herne braucht eine Woche mehr."}).status_code == 302
    )
    assert "Herne braucht eine Woche mehr." in client.get(two_city_task.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=lead, event__verb="task.comment").exists()


def test_attachments_are_checked_by_their_content(two_city_task, city_people, client, personas):
    _login(client, city_people["bochum1"])
    disguised = SimpleUploadedFile("zahlen.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    refused = client.post(f"/aufgaben/{two_city_task.pk}/anhaenge/", {"file": disguised})
    assert refused.status_code == 400
    assert not two_city_task.attachments.exists()
    nothing = client.post(f"/aufgaben/{two_city_task.pk}/anhaenge/", {})
    assert nothing.status_code == 400 and "Bitte wählen Sie eine Datei aus." in nothing.content.decode()
    report = SimpleUploadedFile("zahlen.pdf", pdf("Zahlen", ["Bochum: 12"]), content_type="application/pdf")
    assert client.post(f"/aufgaben/{two_city_task.pk}/anhaenge/", {"file": report}).status_code == 302
    attachment = two_city_task.attachments.get()
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    _login(client, personas["outsider"])
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.post(f"/aufgaben/{two_city_task.pk}/kommentieren/", {"text": "Hallo"}).status_code == 404


def test_an_attachment_is_deleted_by_its_uploader_or_the_office_after_a_confirmation(
    two_city_task, city_people, client, personas, client_for
):
    from tasks.actions import add_attachment

    def attach(user, name):
        return add_attachment(user, two_city_task, SimpleUploadedFile(name, pdf(name, ["x"]), content_type="application/pdf"))

    mine = attach(city_people["bochum1"], "bochum.pdf")
    theirs = attach(city_people["herne"], "herne.pdf")
    _login(client, city_people["bochum1"])
    page = client.get(two_city_task.get_absolute_url()).content.decode()
    assert f"/anhaenge/{mine.pk}/loeschen/" in page and f"/anhaenge/{theirs.pk}/loeschen/" not in page
    # another city's person and an outsider: 404, as for an attachment that does not exist
    for url in (
        f"/aufgaben/{two_city_task.pk}/anhaenge/{theirs.pk}/loeschen/",
        f"/aufgaben/{two_city_task.pk}/anhaenge/999999/loeschen/",
    ):
        assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    outsider = client_for("outsider")
    assert outsider.post(f"/aufgaben/{two_city_task.pk}/anhaenge/{mine.pk}/loeschen/").status_code == 404
    assert two_city_task.attachments.count() == 2
    # the uploader confirms first, then deletes
    url = f"/aufgaben/{two_city_task.pk}/anhaenge/{mine.pk}/loeschen/"
    confirm = client.get(url)
    assert (
        confirm.status_code == 200
        and "bochum.pdf" in confirm.content.decode()
        and "Endgültig löschen" in confirm.content.decode()
    )
    assert two_city_task.attachments.count() == 2
    assert client.post(url).status_code == 302
    assert not two_city_task.attachments.filter(pk=mine.pk).exists()
    assert client.get(f"/aufgaben/{two_city_task.pk}/anhaenge/{mine.pk}/").status_code == 404
    # the office deletes another's attachment; both deletions are in the audit log
    office = client_for("office")
    assert office.post(f"/aufgaben/{two_city_task.pk}/anhaenge/{theirs.pk}/loeschen/").status_code == 302
    assert not two_city_task.attachments.exists()
    deleted = AuditEvent.objects.filter(action="task.attachment_deleted").order_by("pk")
    assert [(e.actor_id, e.before["file_name"]) for e in deleted] == [
        (city_people["bochum1"].pk, "bochum.pdf"),
        (personas["office"].pk, "herne.pdf"),
    ]


def test_adding_and_removing_cities_keeps_one_progress_row_each(two_city_task, lead):
    from tasks.actions import update_task

    task = Task.objects.get(pk=two_city_task.pk)
    update_task(
        lead, task, task.version, municipalities=[Municipality.objects.get(slug="herne"), Municipality.objects.get(slug="essen")]
    )
    assert sorted(task.cities.values_list("municipality__slug", flat=True)) == ["essen", "herne"]
