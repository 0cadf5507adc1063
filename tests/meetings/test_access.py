"""Who sees what of a meeting: member of the body, member of another body, office, guest, outsider, anonymous."""

from __future__ import annotations

import pytest
from django.test import Client

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from members.models import Membership
from tests.conftest import make_user, seat
from tests.support.clock import FROZEN_NOW  # the dates below stay in the future on any day

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN_NOW)]


@pytest.fixture
def scene(meeting, office_user, personas):
    public = agenda_actions.propose_item(office_user, meeting.body, title="Öffentliches Thema")
    secret = agenda_actions.propose_item(office_user, meeting.body, title="Vertrauliches Thema", public=False)
    for item in (public, secret):
        agenda_actions.decide_item(office_user, item, "accept", meeting=meeting)
    other = make_user("other@test.example")
    seat(other, "projektteam", Membership.Role.MEMBER, "dortmund", given_name="Olga", family_name="Other")
    return {"meeting": meeting, "public": public, "secret": secret, "other": other}


def client(user):
    c = Client()
    if user is not None:
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.mark.parametrize(
    ("persona", "sees_secret"),
    [("member", True), ("other", False), ("office", True), ("guest", False), ("outsider", False), ("anonymous", False)],
)
def test_non_public_items_only_for_the_body_and_the_office(scene, personas, persona, sees_secret):
    user = scene["other"] if persona == "other" else personas[persona]
    page = client(user).get(f"/sitzungen/{scene['meeting'].pk}/").content.decode()
    assert "Öffentliches Thema" in page
    assert ("Vertrauliches Thema" in page) is sees_secret


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 200), ("other", 404), ("office", 200), ("guest", 404), ("outsider", 404), ("anonymous", 302)],
)
def test_proposing_is_for_the_bodys_members(scene, personas, persona, status):
    user = scene["other"] if persona == "other" else personas[persona]
    response = client(user).post(
        "/sitzungen/gremium/regiegruppe/vorschlagen/", {"title": "Neues Thema", "duration_minutes": "20", "public": "on"}
    )
    assert response.status_code in ({302} if status == 200 else {status})
    if status == 200:
        assert response["Location"].endswith("/sitzungen/gremium/regiegruppe/")


def test_a_proposal_keeps_its_pdf_under_a_safe_name_and_refuses_other_files(scene, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import AgendaItem, MeetingFile

    url = "/sitzungen/gremium/regiegruppe/vorschlagen/"
    form = {"title": "Thema mit Unterlage", "duration_minutes": "20", "public": "on"}
    pdf = SimpleUploadedFile("../Konzept\u202e.pdf", b"%PDF-1.4\n% Konzept\n", content_type="application/pdf")
    response = client(personas["member"]).post(url, {**form, "document": pdf})
    assert response.status_code == 302
    document = MeetingFile.objects.get(agenda_item__title="Thema mit Unterlage")
    assert (document.file_name, document.mime_type, document.public) == ("Konzept.pdf", "application/pdf", True)
    assert document.content.read() == b"%PDF-1.4\n% Konzept\n"

    fake = SimpleUploadedFile("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, content_type="application/pdf")
    response = client(personas["member"]).post(url, {**form, "title": "Thema mit Bild", "document": fake})
    assert response.status_code == 200
    assert "Bitte laden Sie eine PDF-Datei hoch." in response.content.decode()
    assert not AgendaItem.objects.filter(title="Thema mit Bild").exists()


def test_the_speaker_orders_the_agenda_and_a_stale_version_is_refused(scene, regiegruppe, speaker):
    user = make_user("speaker@test.example")
    speaker.user = user
    speaker.save()
    c = client(user)
    meeting = scene["meeting"]
    meeting.refresh_from_db()
    version = meeting.agenda_version
    assert c.get(f"/sitzungen/{meeting.pk}/tagesordnung/").status_code == 200
    c.post(f"/sitzungen/{meeting.pk}/tagesordnung/", {"op": "down", "item": scene["public"].pk, "agenda_version": version})
    response = c.post(
        f"/sitzungen/{meeting.pk}/tagesordnung/",
        {"op": "down", "item": scene["public"].pk, "agenda_version": version},
        follow=True,
    )
    assert response.status_code == 409 and "inzwischen von jemand anderem geändert" in response.content.decode()
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order == ["Vertrauliches Thema", "Öffentliches Thema"]


def test_a_member_cannot_order_the_agenda(scene, personas):
    assert client(personas["member"]).get(f"/sitzungen/{scene['meeting'].pk}/tagesordnung/").status_code == 404


def test_draft_meetings_are_internal(regiegruppe, personas):
    draft = meeting_actions.create_meeting_from_slot(regiegruppe, *_slot())
    assert client(None).get(f"/sitzungen/{draft.pk}/").status_code == 302
    assert client(personas["outsider"]).get(f"/sitzungen/{draft.pk}/").status_code == 404
    assert client(personas["member"]).get(f"/sitzungen/{draft.pk}/").status_code == 200


def _slot():
    from .conftest import at

    return at(2031, 1, 1), at(2031, 1, 1, 12)


def test_bad_meeting_form_input_is_explained_in_german(scene, personas):
    response = client(personas["office"]).post(
        "/sitzungen/gremium/regiegruppe/neu/", {"title": "X", "start": "2030-05-01T12:00", "end": "2030-05-01T11:00"}
    )
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
