"""The report through its pages: draft, versioned texts, freezing (also while somebody edits), frozen outputs
that never change, PDF/A and ODT files, correction, approval link, release, and who sees what."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from annualreport.models import AnnualReport
from meetings.models import Decision
from members.models import Body, Municipality

from . import activity as a

YEAR = 2025
PERSONAS = ("anonymous", "outsider", "guest", "member", "office", "admin")


@pytest.fixture
def scene(personas):
    workspace = a.workspaces()
    steering = Body.objects.get(slug="regiegruppe")
    essen = Municipality.objects.get(slug="essen")
    team = a.people(essen, 3, "E")
    for month in (3, 9):
        meeting = a.held_meeting(steering, a.at(YEAR, month, 4))
        a.minutes_for(meeting, team, [essen])
        a.decision(a.item(meeting, "Fortbildung"), text="Schulung für Personalverantwortliche")
    a.event(workspace, a.at(YEAR, 5, 5), "Workshop Interkulturelle Kompetenz")
    approval_meeting = a.held_meeting(steering, a.at(YEAR + 1, 2, 2))
    approval_item = a.item(approval_meeting, f"Jahresbericht {YEAR}")
    a.decision(approval_item, text=f"Die Regiegruppe beschließt den Jahresbericht {YEAR}.", status=Decision.Status.VALID)
    return {"approval_item": approval_item, "steering": steering, "essen": essen}


def _create(client) -> AnnualReport:
    response = client.post("/jahresberichte/", {"year": YEAR})
    assert response.status_code == 302
    return AnnualReport.objects.get(year=YEAR, number=1)


def _edit_url(report, key="foreword"):
    return f"/jahresberichte/{report.pk}/texte/{key}/"


def _version_of(client, url) -> int:
    html = client.get(url).content.decode()
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


@pytest.mark.django_db
def test_texts_are_versioned_and_a_stale_edit_is_refused_with_the_text_kept(scene, client_for):
    office = client_for("office")
    report = _create(office)
    url = _edit_url(report)
    version = _version_of(office, url)
    assert office.post(url, {"text": "Erstes Vorwort", "version": version}).status_code == 302
    stale = office.post(url, {"text": "Mein getippter Text", "version": version})
    assert stale.status_code == 409
    assert "Mein getippter Text" in stale.content.decode()
    assert office.post(url, {"text": "Zweites Vorwort", "version": version + 1}).status_code == 302
    page = office.get(f"/jahresberichte/{report.pk}/").content.decode()
    assert "Zweites Vorwort" in page and "Erstes Vorwort" not in page
    block = report.texts.get(key="foreword")
    assert [r.text for r in block.revisions.order_by("number")] == ["Erstes Vorwort", "Zweites Vorwort"]


@pytest.mark.django_db
def test_freezing_while_somebody_edits_tells_the_editor_and_keeps_the_text(scene, client_for):
    office, colleague = client_for("office"), client_for("admin")
    report = _create(office)
    url = _edit_url(report, "outlook")
    version = _version_of(office, url)  # the editor opens the form …
    report_version = _version_of(colleague, f"/jahresberichte/{report.pk}/")
    assert colleague.post(f"/jahresberichte/{report.pk}/einfrieren/", {"version": report_version}).status_code == 302
    response = office.post(url, {"text": "Ausblick, lange getippt", "version": version})  # … and saves after the freeze
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ausblick, lange getippt" in html
    assert "eingefroren" in html
    report.refresh_from_db()
    assert report.snapshot["texts"]["outlook"] == ""


def _freeze(client, report) -> AnnualReport:
    version = _version_of(client, f"/jahresberichte/{report.pk}/")
    assert client.post(f"/jahresberichte/{report.pk}/einfrieren/", {"version": version}).status_code == 302
    report.refresh_from_db()
    return report


def _normalised(html: bytes) -> str:
    """A page without its per-request parts (CSRF tokens)."""
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


@pytest.mark.django_db
def test_a_frozen_report_never_changes_byte_for_byte(scene, client_for):
    office = client_for("office")
    report = _create(office)
    office.post(_edit_url(report), {"text": "Vorwort", "version": _version_of(office, _edit_url(report))})
    report = _freeze(office, report)
    files = {kind: office.get(f"/jahresberichte/{report.pk}/bericht.{kind}").content for kind in ("pdf", "odt")}
    office.get(f"/jahresberichte/{report.pk}/")  # shows and so clears the message about the freeze
    page = _normalised(office.get(f"/jahresberichte/{report.pk}/").content)
    assert "Vorwort" in page

    # The platform moves on: another meeting in the year, more attendance, a new event.
    meeting = a.held_meeting(scene["steering"], a.at(YEAR, 11, 11))
    a.minutes_for(meeting, a.people(scene["essen"], 20, "N"), [scene["essen"]])
    a.event(scene["steering"].workspace, a.at(YEAR, 12, 1), "Neuer Termin")

    for kind, data in files.items():
        assert office.get(f"/jahresberichte/{report.pk}/bericht.{kind}").content == data
    assert _normalised(office.get(f"/jahresberichte/{report.pk}/").content) == page
    # A corrected version is a new draft: its figures are live again and see the new meeting.
    new = _correct(office, report)
    odt = office.get(f"/jahresberichte/{new.pk}/bericht.odt").content
    assert odt != files["odt"]
    assert bytes(AnnualReport.objects.get(pk=report.pk).pdf) == files["pdf"]


def _correct(client, report) -> AnnualReport:
    response = client.post(f"/jahresberichte/{report.pk}/berichtigen/", {"note": "Teilnahmen im November ergänzt."})
    assert response.status_code == 302
    return AnnualReport.objects.get(year=report.year, number=report.number + 1)


@pytest.mark.django_db
def test_the_pdf_is_tagged_pdf_a_with_embedded_fonts(scene, client_for):
    office = client_for("office")
    report = _freeze(office, _create(office))
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]{1,3}3", xmp), "PDF/A part 3 identification in the XMP metadata"
    assert re.search(r"pdfaid:conformance[^A-Z]{1,3}A", xmp), "conformance level A (accessible, tagged)"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert str(root.get("/Lang", "")).startswith("de")
    assert "/OutputIntents" in root
    fonts = []
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts.append(descriptor.get_object() if descriptor else {})
    assert fonts and all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in fonts)
    text = "".join(page.extract_text() for page in reader.pages)
    assert f"Jahresbericht {YEAR}" in text


@pytest.mark.django_db
def test_the_odt_is_an_opendocument_text(scene, client_for):
    office = client_for("office")
    report = _create(office)
    data = office.get(f"/jahresberichte/{report.pk}/bericht.odt").content
    assert data[30:38] == b"mimetype"  # the first entry's name, so file tools recognise the format
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    content = ET.fromstring(archive.read("content.xml"))  # noqa: S314 (our own file)
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0", "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    headings = [h.text for h in content.iter(f"{{{ns['text']}}}h")]
    assert "Sitzungen der Gremien" in headings
    assert content.findall(".//table:table", ns)
    ET.fromstring(archive.read("META-INF/manifest.xml"))  # noqa: S314
    ET.fromstring(archive.read("styles.xml"))  # noqa: S314


@pytest.mark.django_db
def test_release_needs_freezing_and_the_regiegruppe_s_decision(scene, client_for):
    office = client_for("office")
    report = _create(office)
    for persona in PERSONAS:
        assert client_for(persona).get(f"/jahresbericht/{YEAR}/").status_code == 404
    report = _freeze(office, report)
    refused = office.post(f"/jahresberichte/{report.pk}/freigeben/", {"version": report.version})
    assert refused.status_code == 400
    assert client_for("anonymous").get(f"/jahresbericht/{YEAR}/").status_code == 404

    wrong = a.item(a.held_meeting(Body.objects.get(slug="projektteam"), a.at(YEAR + 1, 1, 5)), "Anderes")
    a.decision(wrong)
    url = f"/jahresberichte/{report.pk}/beschluss/"
    assert office.post(url, {"agenda_item": wrong.pk, "version": report.version}).status_code == 400
    assert office.post(url, {"agenda_item": scene["approval_item"].pk, "version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.approval_item == scene["approval_item"]
    assert f"Jahresbericht {YEAR}" not in client_for("anonymous").get("/veroeffentlichungen/").content.decode()
    assert office.post(f"/jahresberichte/{report.pk}/freigeben/", {"version": report.version}).status_code == 302

    public = client_for("anonymous").get(f"/jahresbericht/{YEAR}/")
    assert public.status_code == 200
    for listing in ("/jahresbericht/", "/veroeffentlichungen/"):  # the public index and the publications page
        html = client_for("anonymous").get(listing).content.decode()
        assert f"/jahresbericht/{YEAR}/bericht.pdf" in html and f"Jahresbericht {YEAR}" in html
    assert client_for("anonymous").get(f"/jahresbericht/{YEAR}/bericht.pdf").content == bytes(report.pdf)

    # A correction stays internal until it is released itself; the public keeps the released version.
    new = _correct(office, report)
    assert new.status == AnnualReport.Status.DRAFT and new.correction_note
    assert client_for("anonymous").get(f"/jahresbericht/{YEAR}/bericht.pdf").content == bytes(report.pdf)
    assert "Jahresbericht" in client_for("anonymous").get("/jahresbericht/").content.decode()


@pytest.mark.django_db
def test_who_sees_what(scene, client_for):
    office = client_for("office")
    report = _create(office)
    readers = {"member", "office", "admin"}
    for persona in ("outsider", "guest", "member", "office", "admin"):
        client = client_for(persona)
        for path in ("", "landesinitiative/", "bericht.odt"):
            status = client.get(f"/jahresberichte/{report.pk}/{path}").status_code
            assert status == (200 if persona in readers else 404), (persona, path, status)
        # A missing report answers exactly like a forbidden one.
        assert client.get("/jahresberichte/999999/").status_code == 404
        edit = client.get(_edit_url(report)).status_code
        assert edit == (200 if persona in {"office", "admin"} else 404)
    assert client_for("member").post(_edit_url(report), {"text": "x", "version": 1}).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_draft_page_runs_the_same_number_of_queries_however_much_happened(scene, client_for):
    office = client_for("office")
    report = _create(office)
    url = f"/jahresberichte/{report.pk}/"
    small = _queries(office, url)
    steering, essen = scene["steering"], scene["essen"]
    bochum = Municipality.objects.get(slug="bochum")
    crowd = a.people(bochum, 12, "B")
    for month in range(1, 13):
        for year in (YEAR - 1, YEAR):
            meeting = a.held_meeting(steering, a.at(year, month, 20))
            a.minutes_for(meeting, crowd, [essen, bochum])
            a.decision(a.item(meeting, "Personalgewinnung"), kind=Decision.Kind.AGREEMENT)
            a.event(steering.workspace, a.at(year, month, 21), "Seminar")
    assert _queries(office, url) == small


def _partner_counts(report) -> dict[str, int]:
    from annualreport.presentation import build

    return {field.key: field.current for field in build(report, with_charts=False).partner}


@pytest.mark.django_db
def test_the_office_assigns_activities_to_measure_fields_explicitly_over_the_keywords(scene, client_for):
    from annualreport.models import PartnerAssignment
    from calendar_events.models import Event

    office = client_for("office")
    report = _create(office)
    url = f"/jahresberichte/{report.pk}/landesinitiative/"
    page = office.get(url).content.decode()
    event = Event.objects.get(title="Workshop Interkulturelle Kompetenz")
    assert f'value="event:{event.pk}"' in page and "Zuordnungen speichern" in page
    before = _partner_counts(report)
    assert before["training"] == 3 and before["information"] == 0  # the keywords: workshop, Schulung, Schulung

    # Every row is posted as shown; only the workshop changes: not training, but information of staff.
    rows = re.findall(r'name="row" value="([a-z]+:\d+)"', page)
    data: dict[str, list[str]] = {"row": rows}
    for token in rows:
        kind, pk = token.split(":")
        data[f"a-{kind}-{pk}"] = re.findall(rf'name="a-{kind}-{pk}" value="([a-z]+)"[^>]*checked', page)
    data[f"a-event-{event.pk}"] = ["information"]
    response = office.post(f"{url}zuordnen/", data)
    assert response.status_code == 302
    assert set(PartnerAssignment.objects.values_list("kind", "object_id", "field", "assigned")) == {
        ("event", event.pk, "training", False),
        ("event", event.pk, "information", True),
    }
    after = _partner_counts(report)
    assert after["training"] == 2 and after["information"] == 1 and after["hr"] == before["hr"]

    # An activity not in the year's list (tampered or deleted meanwhile) is refused as a whole.
    stale = office.post(f"{url}zuordnen/", {"row": ["post:999999"], "a-post-999999": ["hr"]})
    assert stale.status_code == 409 and "Seite neu" in stale.content.decode()
    assert client_for("member").post(f"{url}zuordnen/", data).status_code == 404  # the Regiegruppe reads only

    # Frozen: the counts stay as frozen, the form is gone and a late post is refused.
    report = _freeze(office, report)
    assert "Zuordnungen speichern" not in office.get(url).content.decode()
    data[f"a-event-{event.pk}"] = ["training"]
    assert office.post(f"{url}zuordnen/", data).status_code == 400
    assert PartnerAssignment.objects.get(kind="event", object_id=event.pk, field="training").assigned is False
