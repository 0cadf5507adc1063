"""The observed leaks of issue 9 §3, each read from outside: what an anonymous visitor obtains.

Every test asks the channels themselves (pages, file downloads, OParl downloads, the search page) and
reads only their answers; the access functions are the subject, never the means, of these checks.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from documents import actions as document_actions
from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.invitations import actions as invitation_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import Meeting, MeetingFile, Minutes
from meetings.uploads import store_pdf
from members.models import Person, Visibility
from tests.documents.scene import text_file
from tests.meetings.conftest import at
from tests.workspaces.conftest import lead, make_workspace  # noqa: F401 - fixtures
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

SECRET = "Vertrauliche Personalsache Zebrafink"
OPEN = "Offener Austausch Kranich"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def everything_anonymous_downloads(meeting: Meeting) -> list[str]:
    """The text of every file of the meeting and its items that an anonymous visitor can download, on
    the meeting pages and through OParl."""
    anonymous = Client()
    texts = []
    files = MeetingFile.objects.filter(meeting=meeting) | MeetingFile.objects.filter(agenda_item__meeting=meeting)
    for pk in files.values_list("pk", flat=True):
        for url in (f"/sitzungen/dokumente/{pk}/", f"/oparl/v1.1/file/{pk}/download"):
            response = anonymous.get(url)
            if response.status_code == 200:
                texts.append(pdf_text(body_of(response)))
    return texts


@pytest.fixture
def invited(personas, django_capture_on_commit_callbacks):
    """A Regiegruppe meeting with a public and a non-public item; the invitation went out."""
    from members.models import Body, Municipality

    office = personas["office"]
    body = Body.objects.get(slug="regiegruppe")
    meeting, _w = meeting_actions.create_meeting(
        office,
        body,
        start=at(2030, 3, 12),
        end=at(2030, 3, 12, 13),
        title="Regietreffen",
        status="scheduled",
        host=Municipality.objects.get(slug="herne"),
    )
    secret = agenda_actions.propose_item(office, body, title=SECRET, public=False)
    open_item = agenda_actions.propose_item(office, body, title=OPEN)
    for item in (secret, open_item):
        agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_actions.send_invitation(office, meeting)
    meeting.refresh_from_db()
    return {"meeting": meeting, "secret": secret, "open": open_item, "office": office}


def test_no_public_invitation_names_a_non_public_item(invited, client_for):
    texts = everything_anonymous_downloads(invited["meeting"])
    assert any(OPEN in t for t in texts), "the public invitation is downloadable"
    assert not any(SECRET in t for t in texts)
    member = client_for("member")
    answers = [member.get(f"/sitzungen/dokumente/{f.pk}/") for f in MeetingFile.objects.filter(role="invitation")]
    assert any(SECRET in pdf_text(body_of(r)) for r in answers if r.status_code == 200), "members get the full one"


def test_the_pdf_of_a_rejected_item_is_no_longer_public(invited):
    item = invited["open"]
    pdf = SimpleUploadedFile("konzept.pdf", b"%PDF-1.4\n% Konzept Kranich\n", content_type="application/pdf")
    document = store_pdf(pdf, role=MeetingFile.Role.AUXILIARY, public=True, agenda_item=item)
    anonymous = Client()
    assert anonymous.get(f"/sitzungen/dokumente/{document.pk}/").status_code == 200
    agenda_actions.decide_item(invited["office"], item, "reject")
    assert anonymous.get(f"/sitzungen/dokumente/{document.pk}/").status_code == 404
    assert anonymous.get(f"/oparl/v1.1/file/{document.pk}/download").status_code in {404, 410}


def test_the_files_of_a_soft_deleted_meeting_are_gone(invited):
    meeting = invited["meeting"]
    assert everything_anonymous_downloads(meeting)
    meeting_actions.soft_delete(invited["office"], meeting)
    assert everything_anonymous_downloads(meeting) == []


def test_public_minutes_name_nobody_who_hid_their_profile(invited, personas, client_for, django_capture_on_commit_callbacks):
    office, meeting = invited["office"], invited["meeting"]
    hidden = Person.objects.create(
        given_name="Henrike",
        family_name="Verborgenfeld",
        profile_visibility=Visibility.MEMBERS,
        email_visibility=Visibility.MEMBERS,
        phone_visibility=Visibility.MEMBERS,
    )
    with time_machine.travel(meeting.end + dt.timedelta(days=30)):  # the meeting took place, the window is over
        minutes_actions.mark_held(office, meeting)
        minutes = minutes_actions.minutes_for(meeting)
        minutes_actions.record_attendance(office, minutes, [hidden])
        minutes_actions.add_action(office, invited["open"], description="Konzept verschicken", assignee=hidden)
        minutes_actions.circulate_minutes(office, minutes, at=meeting.end + dt.timedelta(days=1))
        minutes_actions.approve_minutes(office, minutes)
        with django_capture_on_commit_callbacks(execute=True):
            minutes_actions.publish_minutes(office, minutes)
    anonymous = Client()
    page = anonymous.get(f"/sitzungen/{meeting.pk}/")
    assert page.status_code == 200 and "Verborgenfeld" not in page.content.decode()
    on_the_fly = anonymous.get(f"/sitzungen/{meeting.pk}/protokoll.pdf")
    assert on_the_fly.status_code == 200
    texts = [pdf_text(on_the_fly.content), *everything_anonymous_downloads(meeting)]
    assert any("Konzept verschicken" in t for t in texts)
    assert not any("Verborgenfeld" in t for t in texts)
    assert "Verborgenfeld" in pdf_text(client_for("member").get(f"/sitzungen/{meeting.pk}/protokoll.pdf").content)
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.PUBLISHED


def search_hits(client, q: str) -> set[str]:
    """The links of the hits on the search page."""
    response = client.get("/suche/", {"q": q})
    assert response.status_code == 200
    return set(re.findall(r'href="(/(?:dokumente|verzeichnis/personen)/\d+/)"', response.content.decode()))


def test_a_profile_narrowed_on_the_edit_page_leaves_the_public_search(personas, client_for, django_capture_on_commit_callbacks):
    person = Person.objects.get(user=personas["member"])
    with django_capture_on_commit_callbacks(execute=True):
        person.family_name, person.profile_visibility = "Membrecht", Visibility.PUBLIC
        person.save()  # indexed as it stands: public
    url = f"/verzeichnis/personen/{person.pk}/"
    assert url in search_hits(Client(), "Membrecht")
    member = client_for("member")
    form = member.get("/profil/bearbeiten/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(
        {"profile_visibility": "members", "email_visibility": "members", "phone_visibility": "members", "version": person.version}
    )
    data = {k: v for k, v in data.items() if k in form.fields}
    response = member.post("/profil/bearbeiten/", data)  # no commit callbacks: the worker has not run
    assert response.status_code == 302, response.content.decode()[:2000]
    assert url not in search_hits(Client(), "Membrecht")
    assert Client().get(url).status_code == 404
    assert url in search_hits(client_for("office"), "Membrecht")


@pytest.fixture
def public_document(personas, lead, make_workspace, django_capture_on_commit_callbacks):  # noqa: F811 - fixtures
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Stilles Projekt")
    with django_capture_on_commit_callbacks(execute=True):
        document = document_actions.upload(lead, workspace, text_file("notiz.txt", "Die Quittenmarmelade reift."), title="Notiz")
        document_actions.set_public(lead, document, True)
    assert f"/dokumente/{document.pk}/" in search_hits(Client(), "Quittenmarmelade")
    return document


@pytest.mark.parametrize("change", ["unpublish", "trash"])
def test_an_unpublished_or_trashed_document_leaves_the_public_search_at_once(public_document, lead, change):  # noqa: F811
    if change == "unpublish":
        document_actions.set_public(lead, public_document, False)
    else:
        document_actions.trash(lead, public_document)
    # No commit callbacks ran: the worker has not caught up.
    assert f"/dokumente/{public_document.pk}/" not in search_hits(Client(), "Quittenmarmelade")
    assert Client().get(f"/dokumente/{public_document.pk}/").status_code != 200


def test_a_stale_search_entry_never_shows_what_the_access_function_refuses(public_document, personas):
    """An UPDATE that bypasses every action leaves the entry as it was; the search still asks the rule."""
    from documents.models import Document

    Document.objects.filter(pk=public_document.pk).update(is_public=False)
    assert f"/dokumente/{public_document.pk}/" not in search_hits(Client(), "Quittenmarmelade")
