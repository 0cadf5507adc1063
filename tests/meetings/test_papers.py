"""Papers (Vorlagen): who sees and changes them, the form's German messages, concurrent edits of the paper
and of its consultation sequence, PDF uploads judged by their bytes, and soft delete as an OParl stub."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from lib.concurrency import CONFLICT_MESSAGE
from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.models import Consultation, ExternalCommittee, MeetingFile, Paper
from meetings.papers import actions as paper_actions
from members.models import Body, Municipality
from tests.support.clock import FROZEN_NOW  # the dates below stay in the future on any day

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN_NOW)]
PDF = b"%PDF-1.4\n% Vorlage\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def projektteam(cooperation):
    return Body.objects.get(slug="projektteam")


@pytest.fixture
def paper(regiegruppe, office_user):
    return paper_actions.create_paper(
        office_user,
        reference="0569/2023",
        name="Beitritt der Stadt Hagen",
        paper_type="Beschlussvorlage",
        date=dt.date(2023, 8, 15),
        municipality=Municipality.objects.get(slug="hagen"),
        lead_body=regiegruppe,
        description="",
        public=True,
    )


def make_paper(reference, *, lead_body=None, public=True, **fields):
    defaults = {"name": f"Vorlage {reference}", "paper_type": "Beschlussvorlage", "date": dt.date(2025, 3, 1)}
    return Paper.objects.create(reference=reference, lead_body=lead_body, public=public, **{**defaults, **fields})


def paper_post(**overrides):
    data = {
        "reference": "12/2026",
        "name": "Gemeinsame Kriterien für Praktika",
        "paper_type": "Beschlussvorlage",
        "date": "2026-02-03",  # fixed-date: the paper's own dates, never compared with today
        "municipality": "",
        "lead_body": "",
        "description": "Die Städte vereinbaren gemeinsame Kriterien.",
        "public": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def step_post(paper, **overrides):
    data = {"op": "add", "role": "Vorberatung", "sequence_version": paper.sequence_version}
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Who sees what -----------------------------------------------------------------------------
PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin"]


def test_public_and_internal_papers_per_persona(client_for, regiegruppe, projektteam):
    public = make_paper("P-1", lead_body=regiegruppe)
    internal_rg = make_paper("I-RG", lead_body=regiegruppe, public=False)
    internal_pt = make_paper("I-PT", lead_body=projektteam, public=False)
    via_sequence = make_paper("I-SEQ", lead_body=projektteam, public=False)
    Consultation.objects.create(paper=via_sequence, body=regiegruppe, role="Kenntnisnahme")
    deleted = make_paper("D-1", lead_body=regiegruppe)
    paper_actions.delete_paper(None, deleted)
    # member: internal seat in the Regiegruppe only; guest: a guest seat in the Projektteam (not internal)
    sees = {
        "anonymous": {"P-1"},
        "outsider": {"P-1"},
        "guest": {"P-1"},
        "member": {"P-1", "I-RG", "I-SEQ"},
        "office": {"P-1", "I-RG", "I-PT", "I-SEQ"},
        "admin": {"P-1", "I-RG", "I-PT", "I-SEQ"},
    }
    for persona in PERSONAS:
        client = client_for(persona)
        listed = {p.reference for p in client.get("/sitzungen/vorlagen/").context["page"].object_list}
        assert listed == sees[persona], persona
        hidden = 302 if persona == "anonymous" else 404  # anonymous visitors are asked to sign in, as for meetings
        for p in (public, internal_rg, internal_pt, via_sequence, deleted):
            status = client.get(f"/sitzungen/vorlagen/{p.pk}/").status_code
            assert status == (200 if p.reference in sees[persona] else hidden), (persona, p.reference)


@pytest.mark.parametrize("persona", ["outsider", "guest", "member"])
def test_only_the_office_changes_papers(client_for, persona, paper):
    client = client_for(persona)
    base = f"/sitzungen/vorlagen/{paper.pk}"
    assert client.post("/sitzungen/vorlagen/neu/", paper_post()).status_code == 404
    assert client.post(f"{base}/bearbeiten/", paper_post(reference="X", version=1)).status_code == 404
    assert client.post(f"{base}/loeschen/").status_code == 404
    assert client.post(f"{base}/beratungsfolge/", step_post(paper, body=paper.lead_body_id)).status_code == 404
    upload = SimpleUploadedFile("v.pdf", PDF, content_type="application/pdf")
    assert client.post(f"{base}/dateien/", {"op": "upload", "upload": upload, "role": "main"}).status_code == 404
    paper.refresh_from_db()
    assert (paper.reference, paper.deleted_at, paper.version) == ("0569/2023", None, 1)
    assert Paper.objects.count() == 1 and not paper.consultations.exists() and not paper.files.exists()


def test_anonymous_is_sent_to_the_login_for_office_pages(client_for, paper):
    response = client_for("anonymous").get(f"/sitzungen/vorlagen/{paper.pk}/bearbeiten/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_office_sees_the_buttons_the_public_does_not(client_for, paper):
    edit = f"/sitzungen/vorlagen/{paper.pk}/bearbeiten/"
    assert edit in client_for("office").get(paper.get_absolute_url()).content.decode()
    assert edit not in client_for("member").get(paper.get_absolute_url()).content.decode()
    assert "Vorlage anlegen" in client_for("office").get("/sitzungen/vorlagen/").content.decode()
    assert "Vorlage anlegen" not in client_for("anonymous").get("/sitzungen/vorlagen/").content.decode()


def test_meetings_list_links_to_the_papers(client_for, cooperation):
    assert 'href="/sitzungen/vorlagen/"' in client_for("anonymous").get("/sitzungen/").content.decode()


# --- Create and edit ---------------------------------------------------------------------------
def test_office_creates_a_paper_and_it_is_audited(client_for, office_user, regiegruppe):
    client = client_for("office")
    response = client.post("/sitzungen/vorlagen/neu/", paper_post(lead_body=regiegruppe.pk, paper_type="Mitteilungsvorlage"))
    paper = Paper.objects.get(reference="12/2026")
    assert response.status_code == 302 and response["Location"] == f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/"
    assert (paper.paper_type, paper.lead_body, paper.public, paper.version) == ("Mitteilungsvorlage", regiegruppe, True, 1)
    event = AuditEvent.objects.get(action="meetings.paper_created", object_id=str(paper.pk))
    assert event.actor == office_user and event.after["reference"] == "12/2026"


def test_missing_fields_and_an_unknown_type_get_german_messages(client_for, cooperation):
    response = client_for("office").post(
        "/sitzungen/vorlagen/neu/", paper_post(reference="", name="", date="", paper_type="Geheimpapier")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["reference"] == ["Bitte geben Sie die Drucksachennummer an."]
    assert errors["name"] == ["Bitte geben Sie einen Titel an."]
    assert errors["date"] == ["Bitte geben Sie das Datum an."]
    assert errors["paper_type"] == ["Bitte wählen Sie eine Art aus der Liste."]
    assert "Bitte korrigieren Sie 4 Angaben." in response.content.decode()


def test_a_reference_that_is_taken_gets_a_clear_message(client_for, paper):
    client = client_for("office")
    response = client.post("/sitzungen/vorlagen/neu/", paper_post(reference=" 0569/2023 "))
    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == ["Die Drucksachennummer „0569/2023“ ist bereits vergeben."]
    other = make_paper("77/2026")
    response = client.post(f"/sitzungen/vorlagen/{other.pk}/bearbeiten/", paper_post(reference="0569/2023", version=1))
    assert response.context["form"].errors["reference"] == ["Die Drucksachennummer „0569/2023“ ist bereits vergeben."]
    paper_actions.delete_paper(None, paper)  # a deleted paper keeps its number: OParl still serves its stub
    response = client.post("/sitzungen/vorlagen/neu/", paper_post(reference="0569/2023"))
    assert "ist bereits vergeben" in str(response.context["form"].errors["reference"])


def test_the_second_of_two_concurrent_saves_gets_the_conflict_and_overwrites_nothing(client_for, paper, office_user):
    first, second = client_for("office"), client_for("admin")
    url = f"/sitzungen/vorlagen/{paper.pk}/bearbeiten/"
    version = first.get(url).context["form"].initial["version"]
    assert second.get(url).context["form"].initial["version"] == version
    assert first.post(url, paper_post(reference="0569/2023", name="Fassung A", version=version)).status_code == 302
    response = second.post(url, paper_post(reference="0569/2023", name="Fassung B", version=version))
    assert response.status_code == 409
    assert str(CONFLICT_MESSAGE) in response.content.decode()
    assert response.context["form"]["name"].value() == "Fassung B"  # the editor's input is kept for re-entry
    paper.refresh_from_db()
    assert (paper.name, paper.version) == ("Fassung A", version + 1)
    assert AuditEvent.objects.filter(action="meetings.paper_changed", object_id=str(paper.pk)).count() == 1


def test_editing_the_paper_does_not_undo_a_sequence_change(client_for, paper, regiegruppe):
    client = client_for("office")
    version = client.get(f"/sitzungen/vorlagen/{paper.pk}/bearbeiten/").context["form"].initial["version"]
    client.post(f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/", step_post(paper, body=regiegruppe.pk))
    client.post(f"/sitzungen/vorlagen/{paper.pk}/bearbeiten/", paper_post(reference="0569/2023", version=version))
    paper.refresh_from_db()
    assert paper.sequence_version == 2 and paper.consultations.alive().count() == 1


def test_a_type_from_before_the_list_stays_valid(client_for, cooperation):
    old = make_paper("ALT-1", paper_type="Stellungnahme")
    client = client_for("office")
    url = f"/sitzungen/vorlagen/{old.pk}/bearbeiten/"
    assert '<option value="Stellungnahme" selected>' in client.get(url).content.decode()
    assert client.post(url, paper_post(reference="ALT-1", paper_type="Stellungnahme", version=1)).status_code == 302
    old.refresh_from_db()
    assert old.paper_type == "Stellungnahme" and old.get_paper_type_display() == "Stellungnahme"
    response = client.post("/sitzungen/vorlagen/neu/", paper_post(paper_type="Stellungnahme"))
    assert response.context["form"].errors["paper_type"] == ["Bitte wählen Sie eine Art aus der Liste."]


# --- Consultation sequence ---------------------------------------------------------------------
def test_council_sequence_with_a_new_external_committee_and_our_meeting(client_for, paper, regiegruppe, meeting):
    client = client_for("office")
    url = f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/"
    hagen = Municipality.objects.get(slug="hagen")
    response = client.post(
        url,
        step_post(paper, new_committee_name="Integrationsrat", new_committee_municipality=hagen.pk, date="2023-08-29"),
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    integrationsrat = ExternalCommittee.objects.get(name="Integrationsrat", municipality=hagen)
    response = client.post(
        url,
        step_post(paper, committee=integrationsrat.pk, role="Anhörung", date="2023-08-30"),
    )
    paper.refresh_from_db()
    item = agenda_actions.propose_item(None, regiegruppe, title="Beitritt Hagen")
    agenda_actions.decide_item(None, item, "accept", meeting=meeting)
    response = client.post(
        url,
        step_post(paper, body=regiegruppe.pk, role="Entscheidung", authoritative="on", meeting=meeting.pk, agenda_item=item.pk),
    )
    assert response.status_code == 302
    steps = list(paper.consultations.alive().order_by("order"))
    assert [s.order for s in steps] == [0, 1, 2]
    assert steps[2].date == dt.date(2030, 3, 12)  # taken from the meeting
    assert ExternalCommittee.objects.filter(name="Integrationsrat").count() == 1
    assert AuditEvent.objects.filter(action="meetings.consultation_added").count() == 3
    page = client_for("anonymous").get(paper.get_absolute_url()).content.decode()
    assert "Integrationsrat (Hagen)" in page and f"/sitzungen/{meeting.pk}/" in page
    # the meeting's agenda links back to the paper
    assert paper.get_absolute_url() in client_for("anonymous").get(f"/sitzungen/{meeting.pk}/").content.decode()


def test_step_validation_messages_are_german(client_for, paper, regiegruppe, projektteam, meeting):
    client = client_for("office")
    url = f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/"
    committee = ExternalCommittee.objects.create(municipality=Municipality.objects.get(slug="hagen"), name="Rat")

    def errors(**data):
        response = client.post(url, step_post(paper, **data))
        assert response.status_code == 400, data
        return response.context["form"].errors

    assert errors()["__all__"] == [
        "Bitte wählen Sie genau ein Gremium: eines der Kooperation, ein externes oder ein neues externes."
    ]
    assert "__all__" in errors(body=regiegruppe.pk, committee=committee.pk)
    assert errors(new_committee_name="Ausschuss")["new_committee_municipality"] == [
        "Bitte nennen Sie die Stadt des neuen Gremiums."
    ]
    assert errors(body=projektteam.pk, meeting=meeting.pk)["meeting"] == ["Die Sitzung gehört nicht zum gewählten Gremium."]
    assert errors(committee=committee.pk, meeting=meeting.pk)["meeting"] == [
        "Eine Sitzung kann nur bei einem Gremium der Kooperation verknüpft werden."
    ]
    assert errors(body=regiegruppe.pk, meeting=meeting.pk, date="2030-03-13")["date"] == [
        "Das Datum muss der Tag der verknüpften Sitzung sein (12.03.2030)."
    ]
    other, _w = meeting_actions.create_meeting(
        None, regiegruppe, start=at(2030, 6, 1), end=at(2030, 6, 1, 13), status="scheduled"
    )
    item = agenda_actions.propose_item(None, regiegruppe, title="Anderswo")
    agenda_actions.decide_item(None, item, "accept", meeting=other)
    assert errors(body=regiegruppe.pk, meeting=meeting.pk, agenda_item=item.pk)["agenda_item"] == [
        "Der Tagesordnungspunkt gehört nicht zur gewählten Sitzung."
    ]
    assert errors(body=regiegruppe.pk, agenda_item=item.pk)["agenda_item"] == [
        "Der Tagesordnungspunkt gehört nicht zur gewählten Sitzung."
    ]
    assert client.post(url, step_post(paper, committee=committee.pk, authoritative="on")).status_code == 302
    paper.refresh_from_db()
    assert errors(body=regiegruppe.pk, authoritative="on")["authoritative"] == [
        "Nur ein Schritt der Beratungsfolge kann entscheidend sein; das ist bereits „Rat (Hagen)“."
    ]
    assert paper.consultations.alive().count() == 1


def test_dates_out_of_order_are_a_warning(client_for, paper, regiegruppe, projektteam):
    client = client_for("office")
    url = f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/"
    client.post(url, step_post(paper, body=projektteam.pk, date="2030-05-01"))
    paper.refresh_from_db()
    response = client.post(url, step_post(paper, body=regiegruppe.pk, date="2030-04-01"), follow=True)
    assert paper.consultations.alive().count() == 2
    assert any("aber zeitlich davor" in m for m in messages_of(response))


def test_editing_a_step_and_removing_one(client_for, paper, regiegruppe, projektteam):
    client = client_for("office")
    first, _w = paper_actions.add_consultation(None, paper, 1, body=regiegruppe, role="Vorberatung")
    second, _w = paper_actions.add_consultation(None, paper, 2, body=projektteam, role="Vorberatung")
    paper.refresh_from_db()
    url = f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/{first.pk}/"
    form = client.get(url).context["form"]
    assert form.initial["sequence_version"] == 3
    data = {"body": regiegruppe.pk, "role": "Entscheidung", "authoritative": "on", "sequence_version": 3}
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert (first.role, first.authoritative) == ("Entscheidung", True)
    paper.refresh_from_db()
    seq = f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/"
    client.post(seq, {"op": "remove", "step": second.pk, "sequence_version": paper.sequence_version})
    second.refresh_from_db()
    assert second.deleted_at is not None
    assert client.get(f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/{second.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="meetings.consultation_removed", object_id=str(second.pk)).exists()
    # a step of another paper cannot be reached through this one
    other = make_paper("X-1")
    foreign, _w = paper_actions.add_consultation(None, other, 1, body=regiegruppe)
    assert client.get(f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/{foreign.pk}/").status_code == 404


def _three_steps(paper, regiegruppe, projektteam):
    hagen = Municipality.objects.get(slug="hagen")
    rat = ExternalCommittee.objects.create(municipality=hagen, name="Rat")
    a, _w = paper_actions.add_consultation(None, paper, 1, body=projektteam)
    b, _w = paper_actions.add_consultation(None, paper, 2, body=regiegruppe)
    c, _w = paper_actions.add_consultation(None, paper, 3, committee=rat, role="Entscheidung")
    paper.refresh_from_db()
    return a, b, c


def order_of(paper):
    return list(paper.consultations.alive().order_by("order", "pk").values_list("pk", flat=True))


def test_reorder_with_the_buttons(client_for, paper, regiegruppe, projektteam):
    a, b, c = _three_steps(paper, regiegruppe, projektteam)
    client = client_for("office")
    url = f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/"
    client.post(url, {"op": "up", "step": c.pk, "sequence_version": paper.sequence_version})
    assert order_of(paper) == [a.pk, c.pk, b.pk]
    paper.refresh_from_db()
    client.post(url, {"op": "down", "step": a.pk, "sequence_version": paper.sequence_version})
    assert order_of(paper) == [c.pk, a.pk, b.pk]
    assert AuditEvent.objects.filter(action="meetings.consultations_reordered").count() == 2


def test_two_editors_reordering_never_lose_an_order(client_for, paper, regiegruppe, projektteam):
    a, b, c = _three_steps(paper, regiegruppe, projektteam)
    first, second = client_for("office"), client_for("admin")
    url = f"/sitzungen/vorlagen/{paper.pk}/beratungsfolge/"
    seen = first.get(url).context["paper"].sequence_version
    assert second.get(url).context["paper"].sequence_version == seen
    first.post(url, {"op": "up", "step": c.pk, "sequence_version": seen})
    response = second.post(url, {"op": "down", "step": a.pk, "sequence_version": seen}, follow=True)
    assert any("von jemand anderem geändert" in m for m in messages_of(response))
    assert order_of(paper) == [a.pk, c.pk, b.pk]  # the first editor's order, untouched by the stale second one
    # adding a step from the stale page is refused the same way, and nothing is added
    response = second.post(url, step_post(paper, body=regiegruppe.pk, sequence_version=seen))
    assert "von jemand anderem geändert" in response.content.decode()
    assert paper.consultations.alive().count() == 3
    # the page now shows the current order; sending the kept input again adds the step after it
    form = response.context["form"]
    paper.refresh_from_db()
    assert form["sequence_version"].value() == paper.sequence_version
    assert second.post(url, step_post(paper, body=regiegruppe.pk)).status_code == 302
    assert order_of(paper)[:3] == [a.pk, c.pk, b.pk] and len(order_of(paper)) == 4


# --- Files -------------------------------------------------------------------------------------
def upload(client, paper, content, name, **extra):
    data = {"op": "upload", "upload": SimpleUploadedFile(name, content, content_type="application/pdf"), "role": "main"}
    data.update(extra)
    return client.post(f"/sitzungen/vorlagen/{paper.pk}/dateien/", data)


def test_upload_accepts_a_pdf_by_its_bytes(client_for, paper):
    client = client_for("office")
    assert upload(client, paper, PDF, "Beschlussvorlage Hagen.PDF", public="on").status_code == 302
    document = MeetingFile.objects.get(paper=paper)
    assert (document.name, document.file_name, document.mime_type, document.size) == (
        "Beschlussvorlage Hagen",
        "Beschlussvorlage Hagen.pdf",
        "application/pdf",
        len(PDF),
    )
    assert AuditEvent.objects.filter(action="meetings.paper_file_added", object_id=str(document.pk)).exists()
    response = client_for("anonymous").get(f"/sitzungen/dokumente/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PNG, "Bitte laden Sie eine PDF-Datei hoch; diese Datei ist PNG-Bild."),
        (b"MZ\x90\x00" + b"\x00" * 60, "Programme und Skripte werden nicht angenommen."),
        (b"Nur Text, aber .pdf genannt", "Bitte laden Sie eine PDF-Datei hoch; diese Datei ist Text."),
    ],
)
def test_upload_refuses_what_is_not_a_pdf_whatever_its_name(client_for, paper, content, message):
    response = upload(client_for("office"), paper, content, "vorlage.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["upload"] == [message]
    assert not MeetingFile.objects.filter(paper=paper).exists()


def test_non_public_files_are_for_members_of_the_bodies_only(client_for, paper):
    office = client_for("office")
    upload(office, paper, PDF, "oeffentlich.pdf", public="on")
    upload(office, paper, PDF, "intern.pdf")
    public = MeetingFile.objects.get(file_name="oeffentlich.pdf")
    internal = MeetingFile.objects.get(file_name="intern.pdf")
    assert internal.public is False
    for persona, expected in {"anonymous": 404, "outsider": 404, "guest": 404, "member": 200, "office": 200}.items():
        client = client_for(persona)
        assert client.get(f"/sitzungen/dokumente/{internal.pk}/").status_code == expected, persona
        assert client.get(f"/sitzungen/dokumente/{public.pk}/").status_code == 200, persona
        page = client.get(paper.get_absolute_url()).content.decode()
        assert ("intern" in page) == (expected == 200), persona
    # publishing and removing from the files page
    url = f"/sitzungen/vorlagen/{paper.pk}/dateien/"
    office.post(url, {"op": "public", "file": internal.pk})
    assert client_for("anonymous").get(f"/sitzungen/dokumente/{internal.pk}/").status_code == 200
    office.post(url, {"op": "remove", "file": internal.pk})
    assert client_for("office").get(f"/sitzungen/dokumente/{internal.pk}/").status_code == 404


def test_files_of_a_non_public_paper_stay_internal(client_for, regiegruppe):
    hidden = make_paper("I-1", lead_body=regiegruppe, public=False)
    document = paper_actions.add_paper_file(
        None, hidden, SimpleUploadedFile("a.pdf", PDF), name="Anlage", role="auxiliary", public=True
    )
    assert client_for("anonymous").get(f"/sitzungen/dokumente/{document.pk}/").status_code == 404
    assert client_for("member").get(f"/sitzungen/dokumente/{document.pk}/").status_code == 200


# --- Soft delete and OParl ---------------------------------------------------------------------
def test_soft_delete_leaves_an_oparl_stub_and_an_audit_entry(client_for, paper, regiegruppe, office_user, settings):
    settings.OPARL_BASE_URL = "http://testserver"
    step, _w = paper_actions.add_consultation(None, paper, 1, body=regiegruppe, role="Kenntnisnahme")
    document = paper_actions.add_paper_file(None, paper, SimpleUploadedFile("v.pdf", PDF), role="main", public=True)
    anonymous = client_for("anonymous")
    assert anonymous.get(f"/oparl/v1.1/paper/{paper.pk}").json()["reference"] == "0569/2023"
    office = client_for("office")
    assert "Vorlage löschen" in office.get(f"/sitzungen/vorlagen/{paper.pk}/loeschen/").content.decode()
    response = office.post(f"/sitzungen/vorlagen/{paper.pk}/loeschen/")
    assert response.status_code == 302 and response["Location"] == "/sitzungen/vorlagen/"
    paper.refresh_from_db()
    assert paper.deleted_at is not None and Paper.objects.filter(pk=paper.pk).exists()
    stub = anonymous.get(f"/oparl/v1.1/paper/{paper.pk}").json()
    assert stub["deleted"] is True and set(stub) == {"id", "type", "created", "modified", "deleted"}
    assert anonymous.get(f"/oparl/v1.1/consultation/{step.pk}").json()["deleted"] is True
    assert anonymous.get(f"/oparl/v1.1/file/{document.pk}").json()["deleted"] is True
    for persona in ("outsider", "member", "office"):
        assert client_for(persona).get(paper.get_absolute_url()).status_code == 404
        assert client_for(persona).get(f"/sitzungen/dokumente/{document.pk}/").status_code == 404
    assert office.post(f"/sitzungen/vorlagen/{paper.pk}/bearbeiten/", paper_post(version=paper.version)).status_code == 404
    event = AuditEvent.objects.get(action="meetings.paper_deleted", object_id=str(paper.pk))
    assert event.actor == office_user and event.after == {"consultations": 1, "files": 1}


# --- List: filters, pagination, query count ----------------------------------------------------
def test_list_filters_by_search_body_year_type_and_city(client_for, regiegruppe, projektteam):
    hagen, essen = Municipality.objects.get(slug="hagen"), Municipality.objects.get(slug="essen")
    make_paper("0569/2023", name="Beitritt Hagen", lead_body=regiegruppe, municipality=hagen, date=dt.date(2023, 8, 15))
    make_paper("RG-1/2025", name="Forum", lead_body=regiegruppe, paper_type="Bericht", municipality=essen)
    in_pt = make_paper("PT-1/2025", name="Praktika", lead_body=projektteam, paper_type="Antrag")
    Consultation.objects.create(paper=in_pt, body=regiegruppe, role="Kenntnisnahme")
    client = client_for("anonymous")

    def refs(**query):
        response = client.get("/sitzungen/vorlagen/", query)
        return sorted(p.reference for p in response.context["page"].object_list)

    assert refs(q="hagen") == ["0569/2023"]
    assert refs(q="0569") == ["0569/2023"]
    assert refs(body=projektteam.pk) == ["PT-1/2025"]
    assert refs(body=regiegruppe.pk) == ["0569/2023", "PT-1/2025", "RG-1/2025"]  # lead body or in the sequence
    assert refs(year=2023) == ["0569/2023"]
    assert refs(paper_type="Bericht") == ["RG-1/2025"]
    assert refs(municipality=essen.pk) == ["RG-1/2025"]
    response = client.get("/sitzungen/vorlagen/", {"year": "zwanzig"})
    assert response.context["form"].errors["year"] == ["Bitte ein Jahr wie 2026 angeben."]


def test_list_is_paginated_with_constant_queries(client_for, regiegruppe):
    client = client_for("member")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/sitzungen/vorlagen/", {"body": regiegruppe.pk}).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        make_paper(f"A-{n:02d}", lead_body=regiegruppe, public=n % 2 == 0)
    queries()  # the first request of a session fills per-process caches
    few = queries()
    for n in range(3, 40):
        make_paper(f"A-{n:02d}", lead_body=regiegruppe, public=n % 2 == 0)
    assert queries() == few
    first = client.get("/sitzungen/vorlagen/", {"body": regiegruppe.pk})
    assert len(first.context["page"].object_list) == 25
    assert f"body={regiegruppe.pk}&amp;seite=2" in first.content.decode()
    second = client.get("/sitzungen/vorlagen/", {"body": regiegruppe.pk, "seite": 2})
    assert len(second.context["page"].object_list) == 15


def test_agenda_shows_only_papers_the_visitor_may_see(client_for, regiegruppe, meeting):
    item = agenda_actions.propose_item(None, regiegruppe, title="Öffentlicher Punkt")
    agenda_actions.decide_item(None, item, "accept", meeting=meeting)
    public = make_paper("P-9", lead_body=regiegruppe)
    hidden = make_paper("I-9", lead_body=regiegruppe, public=False)
    for p in (public, hidden):
        Consultation.objects.create(paper=p, body=regiegruppe, meeting=meeting, agenda_item=item)
    anonymous = client_for("anonymous").get(f"/sitzungen/{meeting.pk}/").content.decode()
    assert public.get_absolute_url() in anonymous and hidden.get_absolute_url() not in anonymous
    member = client_for("member").get(f"/sitzungen/{meeting.pk}/").content.decode()
    assert hidden.get_absolute_url() in member


def test_demo_has_papers_with_sequences(cooperation):
    from meetings.demo import load_demo_meetings

    load_demo_meetings()
    hagen = Paper.objects.get(reference="0569/2023")
    names = [c.organization.name for c in hagen.consultations.alive().order_by("order")]
    assert names[:3] == ["Integrationsrat", "Ausschuss für Soziales, Integration und Demographie", "Rat der Stadt Hagen"]
    assert Paper.objects.alive().count() >= 3
    assert Paper.objects.filter(public=False).exists()
    forum = Paper.objects.get(name="Konzept für das nächste Interkommunale Forum")
    steps = list(forum.consultations.alive().order_by("order"))
    assert [s.body.slug for s in steps] == ["projektteam", "regiegruppe"]
    assert steps[1].authoritative and steps[1].agenda_item is not None
    assert not paper_actions.sequence_warnings(forum)
