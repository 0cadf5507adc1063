"""The agenda and minutes side of the cycle (issue 10): agenda by speaker and office, frozen once held, the
order of the minutes' steps, confirmation pages, and corrections (Berichtigung) of approved minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from lib.concurrency import EditConflict
from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import AgendaItem, Meeting, MeetingFile, Minutes, MinutesRevision
from meetings.pdfs import PUBLIC, minutes_pdf
from tests.conftest import make_user

from .conftest import days_ago, held

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def speaker_client(speaker, client):
    user = make_user("sprecherin@test.example")
    speaker.user = user
    speaker.save()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _late(minutes: Minutes) -> None:
    """The objection deadline is over (as if the circulation was three weeks ago)."""
    Minutes.objects.filter(pk=minutes.pk).update(objection_deadline=dt.date.today() - dt.timedelta(days=7))
    minutes.refresh_from_db()


# --- Agenda by speaker and office ---------------------------------------------------------------
def test_speaker_adds_an_item_directly_with_its_pdf(meeting, speaker_client):
    response = speaker_client.post(
        f"/sitzungen/{meeting.pk}/tagesordnung/neu/",
        {
            "title": "Bericht aus Hagen",
            "duration_minutes": "20",
            "public": "on",
            "version": meeting.agenda_version,
            "document": SimpleUploadedFile("bericht.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get(title="Bericht aus Hagen")
    assert item.status == "accepted" and item.duration_minutes == 20
    assert MeetingFile.objects.filter(agenda_item=item).count() == 1
    assert AuditEvent.objects.filter(action="meetings.item_added", object_id=str(item.pk)).exists()


def test_office_and_speaker_see_the_agenda_link_and_a_member_does_not(meeting, speaker_client, client_for):
    link = f'href="/sitzungen/{meeting.pk}/tagesordnung/"'
    assert link in client_for("office").get(f"/sitzungen/{meeting.pk}/").content.decode()
    assert link in speaker_client.get(f"/sitzungen/{meeting.pk}/").content.decode()
    assert link not in client_for("member").get(f"/sitzungen/{meeting.pk}/").content.decode()
    assert client_for("member").get(f"/sitzungen/{meeting.pk}/tagesordnung/neu/").status_code == 404


def test_editing_an_item_keeps_the_other_editors_save(meeting, office_user, client_for):
    item = agenda_actions.add_item(office_user, meeting, None, title="Forum", duration_minutes=30)
    url = f"/sitzungen/{meeting.pk}/tagesordnung/{item.pk}/bearbeiten/"
    office = client_for("office")
    first = {"title": "Forum 2031", "duration_minutes": "45", "public": "on", "version": item.version}
    assert office.post(url, first).status_code == 302
    second = {"title": "Forum im Herbst", "duration_minutes": "30", "public": "on", "version": item.version}
    response = office.post(url, second)  # started from the same version
    page = response.content.decode()
    assert response.status_code == 409 and "inzwischen von jemand anderem geändert" in page
    assert 'value="Forum im Herbst"' in page  # what was typed stays
    item.refresh_from_db()
    assert item.title == "Forum 2031" and item.duration_minutes == 45
    with pytest.raises(EditConflict):
        agenda_actions.update_item(office_user, item, item.version - 1, title="Alt")


# --- Held: the agenda is frozen ---------------------------------------------------------------------
def test_a_held_meetings_agenda_is_frozen_for_every_change(regiegruppe, office_user, client_for):
    meeting = held(office_user, regiegruppe, items=["A", "B"])
    a, b = meeting.agenda_items.order_by("position")
    meeting.refresh_from_db()
    for change in (
        lambda: agenda_actions.reorder_agenda(office_user, meeting, [b.pk, a.pk], meeting.agenda_version),
        lambda: agenda_actions.add_item(office_user, meeting, None, title="Nachtrag"),
        lambda: agenda_actions.update_item(office_user, a, a.version, title="Neu"),
        lambda: agenda_actions.decide_item(office_user, a, "defer"),
        lambda: agenda_actions.decide_item(office_user, a, "reject"),
        lambda: agenda_actions.apply_template(office_user, meeting),
        lambda: meeting_actions.soft_delete(office_user, a),
        lambda: agenda_actions.decide_item(
            office_user, agenda_actions.propose_item(office_user, regiegruppe, title="Spät"), "accept", meeting=meeting
        ),
    ):
        with pytest.raises(ValidationError, match="Tagesordnung ist abgeschlossen"):
            change()
    assert list(meeting.agenda_items.alive().filter(status="accepted").order_by("position")) == [a, b]
    page = client_for("office").get(f"/sitzungen/{meeting.pk}/tagesordnung/").content.decode()
    assert "Die Tagesordnung ist abgeschlossen" in page and 'value="up"' not in page and "Punkt hinzufügen" not in page
    response = client_for("office").post(f"/sitzungen/{meeting.pk}/tagesordnung/", {"op": "template"}, follow=True)
    assert "Tagesordnung ist abgeschlossen" in response.content.decode()


def test_a_meeting_ahead_cannot_be_marked_held(meeting, office_user, client_for):
    with pytest.raises(ValidationError, match="beginnt erst am"):
        minutes_actions.mark_held(office_user, meeting)
    page = client_for("office").post(f"/sitzungen/{meeting.pk}/durchgefuehrt/").content.decode()
    assert "beginnt erst am" in page
    assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"


# --- The order of the minutes --------------------------------------------------------------------------
def test_no_minutes_before_the_meeting_took_place(meeting, office_user, member_person, client_for):
    item = agenda_actions.add_item(office_user, meeting, None, title="Thema")
    minutes = minutes_actions.minutes_for(meeting)
    for write in (
        lambda: minutes_actions.record_attendance(office_user, minutes, [member_person]),
        lambda: minutes_actions.save_item_minutes(office_user, item, summary="Zu früh"),
        lambda: minutes_actions.add_decision(office_user, item, "Zu früh"),
        lambda: minutes_actions.circulate_minutes(office_user, minutes),
    ):
        with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
            write()
    page = client_for("office").get(f"/sitzungen/{meeting.pk}/protokoll/").content.decode()
    assert "noch nicht stattgefunden" in page and 'name="op" value="item"' not in page


def test_a_started_meeting_is_marked_held_first(regiegruppe, office_user, client_for):
    meeting = held(office_user, regiegruppe)
    Meeting.objects.filter(pk=meeting.pk).update(status="invited")  # took place, not yet marked
    office = client_for("office")
    page = office.get(f"/sitzungen/{meeting.pk}/protokoll/").content.decode()
    assert "vermerken Sie zuerst" in page and f"/sitzungen/{meeting.pk}/durchgefuehrt/" in page
    question = office.get(f"/sitzungen/{meeting.pk}/durchgefuehrt/").content.decode()
    assert "Die Tagesordnung wird abgeschlossen" in question
    assert Meeting.objects.get(pk=meeting.pk).status == "invited"  # asking changes nothing
    response = office.post(f"/sitzungen/{meeting.pk}/durchgefuehrt/", follow=True)
    assert "als durchgeführt vermerkt" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == "held"
    assert AuditEvent.objects.filter(action="meetings.meeting_held", object_id=str(meeting.pk)).exists()


def test_approval_waits_for_the_deadline_and_publication_for_approval(held_meeting, office_user, member_person):
    minutes = minutes_actions.minutes_for(held_meeting)
    with pytest.raises(ValidationError, match="erst nach der Genehmigung"):
        minutes_actions.publish_minutes(office_user, minutes)
    minutes_actions.circulate_minutes(office_user, minutes)
    with pytest.raises(ValidationError, match="Frist für Einwände läuft noch"):
        minutes_actions.approve_minutes(office_user, minutes)
    with pytest.raises(ValidationError, match="erst nach der Genehmigung"):
        minutes_actions.publish_minutes(office_user, minutes)
    objection = minutes_actions.object_to_minutes(member_person, minutes, "Name falsch.")
    _late(minutes)
    with pytest.raises(ValidationError, match="offene Einwände"):
        minutes_actions.approve_minutes(office_user, minutes)
    minutes_actions.resolve_objection(office_user, minutes, objection.pk)
    later, _w = meeting_actions.create_meeting(  # a meeting ahead is no place to approve
        office_user, held_meeting.body, start=days_ago(-30), end=days_ago(-30, 13), status="scheduled"
    )
    with pytest.raises(ValidationError):
        minutes_actions.approve_minutes(office_user, minutes, at_meeting=later)
    minutes_actions.approve_minutes(office_user, minutes)
    assert Minutes.objects.get(pk=minutes.pk).status == "approved"


def test_status_steps_ask_first_and_say_what_happened(held_meeting, office_user, member_person, client_for, mailoutbox):
    office = client_for("office")
    minutes = minutes_actions.minutes_for(held_meeting)
    minutes_actions.record_attendance(office_user, minutes, [member_person])
    base = f"/sitzungen/{held_meeting.pk}/protokoll/schritt"
    question = office.get(f"{base}/umlauf/").content.decode()
    assert "Mara Member" in question and "Einwände sind bis einschließlich" in question
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"
    done = office.post(f"{base}/umlauf/", follow=True).content.decode()
    assert "Das Protokoll ist in Umlauf: 1 Anwesende erhalten es per E-Mail" in done
    assert "Frist für Einwände läuft noch" in office.get(f"{base}/genehmigen/").content.decode()
    _late(minutes)
    assert "Das Protokoll wird gesperrt" in office.get(f"{base}/genehmigen/").content.decode()
    assert "genehmigt und gesperrt" in office.post(f"{base}/genehmigen/", follow=True).content.decode()
    question = office.get(f"{base}/veroeffentlichen/").content.decode()
    assert "1 öffentliche TOPs" in question and "bleiben intern" in question
    done = office.post(f"{base}/veroeffentlichen/", follow=True).content.decode()
    assert "ist veröffentlicht" in done and Minutes.objects.get(pk=minutes.pk).status == "published"
    assert f"/sitzungen/{held_meeting.pk}/protokoll/berichtigung/?top=" in done
    assert office.get(f"{base}/unbekannt/").status_code == 404


# --- Corrections -----------------------------------------------------------------------------------------
@pytest.fixture
def published(regiegruppe, office_user, django_capture_on_commit_callbacks):
    meeting = held(office_user, regiegruppe, items=["Ausbildung", "Personal"])
    public_item, secret = meeting.agenda_items.order_by("position")
    agenda_actions.set_item_public(office_user, secret, False, secret.version)
    minutes_actions.save_item_minutes(office_user, public_item, summary="Kampange beschlossen.", result="einstimmig")
    minutes_actions.save_item_minutes(office_user, secret, summary="Vertraulich.")
    minutes = minutes_actions.minutes_for(meeting)
    minutes_actions.circulate_minutes(office_user, minutes, at=meeting.end + dt.timedelta(hours=1))
    _late(minutes)
    minutes_actions.approve_minutes(office_user, minutes)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_actions.publish_minutes(office_user, minutes)
    return {"meeting": meeting, "minutes": minutes, "item": public_item, "secret": secret}


def test_a_correction_records_what_who_when_why_and_the_public_sees_it(published, client_for):
    meeting, item = published["meeting"], published["item"]
    office = client_for("office")
    url = f"/sitzungen/{meeting.pk}/protokoll/berichtigung/"
    form = office.get(url, {"top": item.pk}).content.decode()
    assert "Kampange beschlossen." in form  # prefilled with the current text
    fields = {"top": item.pk, "summary": "Kampagne beschlossen.", "result": "einstimmig", "reason": "Tippfehler"}
    fields["version"] = Minutes.objects.get(pk=published["minutes"].pk).version
    check = office.post(url, {**fields, "confirm": ""}).content.decode()
    assert "Berichtigung prüfen" in check and "Kampange beschlossen." in check and "Kampagne beschlossen." in check
    assert not MinutesRevision.objects.exists()  # the check page changes nothing
    done = office.post(url, {**fields, "confirm": "1"}, follow=True).content.decode()
    assert "Die Berichtigung Nr. 1 ist eingetragen" in done
    revision = MinutesRevision.objects.get()
    assert revision.before == {"summary": "Kampange beschlossen."} and revision.after == {"summary": "Kampagne beschlossen."}
    assert revision.author.email == "office@test.example" and revision.reason == "Tippfehler"
    assert AgendaItem.objects.get(pk=item.pk).summary == "Kampagne beschlossen."
    event = AuditEvent.objects.get(action="meetings.minutes_corrected")
    assert event.before["summary"] == "Kampange beschlossen." and event.after["reason"] == "Tippfehler"
    public_page = client_for("anonymous").get(f"/sitzungen/{meeting.pk}/").content.decode()
    assert "Kampagne beschlossen." in public_page and "Berichtigung Nr. 1" in public_page and "Tippfehler" in public_page
    stored = MeetingFile.objects.get(meeting=meeting, role="minutes", public=True)
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(stored.content.open("rb")).pages)
    assert "Kampagne beschlossen." in text and "Berichtigung Nr. 1" in " ".join(text.split())


def test_a_correction_of_a_non_public_item_stays_internal(published, office_user, client_for):
    secret = published["secret"]
    minutes_actions.correct_minutes(office_user, published["minutes"], reason="Geheimer Grund", item=secret, summary="Anders.")
    public_page = client_for("anonymous").get(f"/sitzungen/{published['meeting'].pk}/").content.decode()
    assert "Geheimer Grund" not in public_page
    assert "Geheimer Grund" not in " ".join(minutes_pdf(published["minutes"], PUBLIC).decode("latin-1").split())
    assert "Geheimer Grund" in client_for("member").get(f"/sitzungen/{published['meeting'].pk}/protokoll/").content.decode()


def test_a_correction_needs_a_reason_and_a_change(published, office_user):
    minutes = published["minutes"]
    with pytest.raises(ValidationError):
        minutes_actions.correct_minutes(office_user, minutes, reason="", change="Etwas")
    with pytest.raises(ValidationError):
        minutes_actions.correct_minutes(
            office_user, minutes, reason="Grund", item=published["item"], summary="Kampange beschlossen."
        )
    with pytest.raises(EditConflict):
        minutes_actions.correct_minutes(
            office_user, minutes, reason="Grund", change="Anwesend war auch Herr Kaya.", expected_version=1
        )
    assert not MinutesRevision.objects.exists()


def test_draft_minutes_are_edited_not_corrected(held_meeting, office_user, client_for):
    minutes = minutes_actions.minutes_for(held_meeting)
    with pytest.raises(ValidationError, match="direkt bearbeitet"):
        minutes_actions.correct_minutes(office_user, minutes, reason="Grund", change="x")
    assert (
        "direkt bearbeitet" in client_for("office").get(f"/sitzungen/{held_meeting.pk}/protokoll/berichtigung/").content.decode()
    )
