"""What a client meets over HTTP, checked from the outside: paths and ids, filters, CORS, conditional GET,
the dates of files, agenda numbers, and what hidden objects must not give away."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from meetings.core import actions as meeting_actions
from meetings.models import AgendaItem
from meetings.papers import actions as paper_actions
from meetings.pdfs import PUBLIC, minutes_pdf
from members import actions as member_actions
from members.models import Person

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
ROOT = BASE + "/oparl/v1.1"
ERROR = "https://schema.oparl.org/1.1/Error"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def oparl(settings, oparl_scene):
    settings.OPARL_BASE_URL = BASE
    return oparl_scene


def _all(client, url: str, **params) -> list[dict]:
    page = client.get(url.removeprefix(BASE), params).json()
    found = page["data"]
    while "next" in page["links"]:
        page = client.get(page["links"]["next"].removeprefix(BASE)).json()
        found += page["data"]
    return found


def _t(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _assert_error(response, status: int) -> None:
    assert response.status_code == status, response.status_code
    assert response.json()["type"] == ERROR
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_paths_under_the_prefix_answer_404_json_and_never_loop(oparl):
    client = Client()
    for path in (
        "/oparl/v1.1/unbekannt",
        "/oparl/v1.1/unbekannt/",
        "/oparl/v1.1/meeting/1/mehr",
        "/oparl/v1.1/system//",
        "/oparl/v2/system",
        "/oparl/",
        "/oparl",
    ):
        response = client.get(path, follow=True)
        assert len(response.redirect_chain) <= 1, (path, response.redirect_chain)
        _assert_error(response, 404)


def test_only_the_canonical_spelling_of_an_id_resolves(oparl):
    client = Client()
    pk = oparl["held"].pk
    assert client.get(f"/oparl/v1.1/meeting/{pk}").status_code == 200
    spelled = str(pk)
    variants = [f"0{spelled}", f"+{spelled}", f"{spelled}.0", f"{spelled[0]}_{spelled[1:] or '0'}", "١", f" {spelled}"]
    for variant in variants:
        _assert_error(client.get(f"/oparl/v1.1/meeting/{variant}"), 404)
    ten = meeting_actions.create_meeting(
        oparl["office"], oparl["held"].body, start=oparl["upcoming"].start, end=oparl["upcoming"].end, status="scheduled"
    )[0]
    while ten.pk < 10:
        ten = meeting_actions.create_meeting(
            oparl["office"], oparl["held"].body, start=oparl["upcoming"].start, end=oparl["upcoming"].end, status="scheduled"
        )[0]
    digits = str(ten.pk)
    _assert_error(client.get(f"/oparl/v1.1/meeting/{digits[0]}_{digits[1:]}"), 404)
    body = oparl["held"].body_id
    assert client.get(f"/oparl/v1.1/organization/g{body}").status_code == 200
    _assert_error(client.get(f"/oparl/v1.1/organization/g0{body}"), 404)
    _assert_error(client.get(f"/oparl/v1.1/body/0{oparl['held'].body.cooperation_id}"), 404)


def test_cors_on_objects_lists_errors_redirects_and_the_preflight(oparl):
    client = Client()
    cooperation = oparl["held"].body.cooperation_id
    responses = [
        client.get("/oparl/v1.1/system"),
        client.get(f"/oparl/v1.1/body/{cooperation}/meetings"),
        client.get("/oparl/v1.1/system/"),
        client.get("/oparl/v1.1/meeting/999999"),
        client.get(f"/oparl/v1.1/body/{cooperation}/meetings", {"modified_since": "kaputt"}),
        client.post("/oparl/v1.1/system"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 301, 404, 400, 405]
    for response in responses:
        assert response["Access-Control-Allow-Origin"] == "*", response.status_code
    preflight = client.options(
        f"/oparl/v1.1/body/{cooperation}/papers",
        HTTP_ORIGIN="https://client.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert 200 <= preflight.status_code < 300
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"].lower()


def test_conditional_get_with_etag_and_last_modified(oparl):
    client = Client()
    url = f"/oparl/v1.1/meeting/{oparl['held'].pk}"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    listing = f"/oparl/v1.1/body/{oparl['held'].body.cooperation_id}/meetings"
    assert client.get(listing, HTTP_IF_NONE_MATCH=client.get(listing)["ETag"]).status_code == 304
    item = oparl["public_item"]
    item.title = "Gewinnung junger Talente, neu gefasst"
    item.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_until_filters_include_the_second_they_name(oparl):
    client = Client()
    cooperation = oparl["held"].body.cooperation_id
    meeting = client.get(f"/oparl/v1.1/meeting/{oparl['held'].pk}").json()
    lists = f"{ROOT}/body/{cooperation}/meetings"
    for name, value in (("modified_until", meeting["modified"]), ("created_until", meeting["created"])):
        assert meeting["id"] in [m["id"] for m in _all(client, lists, **{name: value})], name
    for name, value in (("modified_since", meeting["modified"]), ("created_since", meeting["created"])):
        assert meeting["id"] in [m["id"] for m in _all(client, lists, **{name: value})], name


@pytest.mark.parametrize(  # fixed-date: the edges of the calendar, out of range on any day
    "value",
    [
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:30:00+14:00",
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:59:59+00:00",
        "2024-02-30T00:00:00+01:00",
        "gestern",
        "",
    ],
)
def test_invalid_or_out_of_range_filters_answer_400_never_500(oparl, value):
    cooperation = oparl["held"].body.cooperation_id
    for name in ("created_since", "created_until", "modified_since", "modified_until"):
        _assert_error(Client().get(f"/oparl/v1.1/body/{cooperation}/papers", {name: value}), 400)


def test_file_date_is_the_date_of_the_document(oparl):
    paper = oparl["paper"]
    main = Client().get(f"/oparl/v1.1/paper/{paper.pk}").json()["mainFile"]
    assert main["date"] == paper.date.isoformat() == "2023-08-15"


def test_agenda_numbers_are_the_same_everywhere_and_hide_nothing(oparl, client_for):
    """TOP numbers of public items count only public items: embedded, alone, in the list, on the page, in the PDF."""
    client = Client()
    held = oparl["held"]
    # An item after the non-public one, there from before the meeting (the actions refuse a held meeting's
    # agenda now, so it is written directly).
    last = held.agenda_items.alive().order_by("-position").first()
    later = AgendaItem.objects.create(
        body=held.body, meeting=held, status="accepted", title="Ausblick", position=last.position + 10
    )
    meeting = client.get(f"/oparl/v1.1/meeting/{held.pk}").json()
    embedded = {i["id"]: i["number"] for i in meeting["agendaItem"]}
    assert list(embedded.values()) == [str(n) for n in range(1, len(embedded) + 1)]  # no gap where the secret item sits
    alone = {url: client.get(url.removeprefix(BASE)).json()["number"] for url in embedded}
    listed = {
        i["id"]: i["number"] for i in _all(client, f"{ROOT}/body/{held.body.cooperation_id}/agenda-items") if i["id"] in embedded
    }
    assert embedded == alone == listed
    assert embedded[f"{ROOT}/agenda-item/{later.pk}"] == "2"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(oparl["minutes"], PUBLIC))).pages)
    for item in (oparl["public_item"], later):
        number = embedded[f"{ROOT}/agenda-item/{item.pk}"]
        for persona in ("anonymous", "member", "office"):
            page = client_for(persona).get(f"/sitzungen/{held.pk}/").content.decode()
            assert f"TOP {number}: {item.title}" in page, (persona, item.title)
        assert f"TOP {number}: {item.title}" in " ".join(text.split())


def test_hidden_people_leave_no_trace_but_a_withdrawn_one_is_a_stub(oparl):
    client = Client()
    cooperation = oparl["held"].body.cooperation_id
    hidden = oparl["withdrawn"]  # not public before any client looked
    since = {"modified_since": "2000-01-01T00:00:00+01:00"}
    people = _all(client, f"{ROOT}/body/{cooperation}/persons", **since)
    seats = _all(client, f"{ROOT}/body/{cooperation}/memberships", **since)
    assert f"{ROOT}/person/{hidden.pk}" not in [p["id"] for p in people]
    assert not [m for m in seats if m.get("person") == f"{ROOT}/person/{hidden.pk}" or m.get("deleted")]
    _assert_error(client.get(f"/oparl/v1.1/person/{hidden.pk}"), 404)
    speaker = Person.objects.get(pk=oparl["speaker"].pk)
    shown = client.get(f"/oparl/v1.1/person/{speaker.pk}").json()
    member_actions.update_person(
        oparl["office"],
        speaker,
        speaker.version,
        profile_visibility="members",
        email_visibility="members",
        phone_visibility="members",
    )
    stub = client.get(f"/oparl/v1.1/person/{speaker.pk}").json()
    assert stub["deleted"] is True and _t(stub["modified"]) >= _t(shown["modified"])
    seat_ids = [m["id"] for m in shown["membership"]]
    stubs = {m["id"]: m for m in _all(client, f"{ROOT}/body/{cooperation}/memberships", modified_since=shown["modified"])}
    assert seat_ids and all(stubs[i].get("deleted") for i in seat_ids)


def test_a_withdrawn_paper_file_is_a_stub_and_moves_its_paper(oparl):
    client = Client()
    paper = oparl["paper"]
    upload = SimpleUploadedFile("anlage.pdf", PDF, content_type="application/pdf")
    extra = paper_actions.add_paper_file(oparl["office"], paper, upload, role="auxiliary", public=True)
    before = client.get(f"/oparl/v1.1/paper/{paper.pk}").json()
    assert f"{ROOT}/file/{extra.pk}" in [f["id"] for f in before["auxiliaryFile"]]
    paper_actions.set_paper_file_public(oparl["office"], extra, False)
    stub = client.get(f"/oparl/v1.1/file/{extra.pk}").json()
    assert stub["deleted"] is True
    after = client.get(f"/oparl/v1.1/paper/{paper.pk}").json()
    assert _t(after["modified"]) >= _t(stub["modified"]) >= _t(before["modified"]) and "auxiliaryFile" not in after
