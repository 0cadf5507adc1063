"""OParl 1.1 conformance through Django's test client: every object against the shipped schemas and rules."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client
from django.utils import timezone

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.models import Meeting

from .check import SCHEMA_DIR, Crawl, check

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]
BASE = "http://testserver"
ROOT = BASE + "/oparl/v1.1"


def client_get(client):
    def get(url):
        response = client.get(url.removeprefix(BASE).replace("+", "%2B"))
        body = json.loads(response.content) if response["Content-Type"].startswith("application/json") else None
        return response.status_code, response, body

    return get


@pytest.fixture
def oparl(settings, oparl_scene):
    settings.OPARL_BASE_URL = BASE
    settings.OPARL_PAGE_SIZE = 2
    return oparl_scene


def test_full_crawl_is_valid(oparl):
    crawl = Crawl(client_get(Client()), ROOT).run(ROOT + "/system")
    assert not crawl.errors, "\n".join(crawl.errors[:30])
    kinds = {v["type"].rsplit("/", 1)[1] for v in crawl.objects.values()}
    assert kinds >= {"Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper", "Consultation", "File", "Location"}


def test_only_public_content_leaves_the_server(oparl):
    crawl = Crawl(client_get(Client()), ROOT).run(ROOT + "/system")
    text = json.dumps(list(crawl.objects.values()) + list(crawl.embedded.values()), ensure_ascii=False)
    for secret in (
        "Personalfragen",
        "Vertrauliche Anlage",
        "Geheimer Beschluss",
        "Entwurf",
        "Interne Vorlage",
        "Zurückgezogener Punkt",
    ):
        assert secret not in text
    assert "Die Regiegruppe beschließt das gemeinsame Ausbildungsportal." in text
    withdrawn = oparl["withdrawn"]
    assert oparl["withdrawn"].email not in text
    assert (
        crawl.objects.get(f"{ROOT}/person/{withdrawn.pk}", {"deleted": True}).get("deleted") is True
        or f"{ROOT}/person/{withdrawn.pk}" not in crawl.listed
    )


def test_unknown_and_never_public_ids_answer_404_with_the_error_object(oparl):
    client = Client()
    for path in (
        "/meeting/999999",
        f"/meeting/{oparl['draft'].pk}",
        f"/agenda-item/{oparl['secret_item'].pk}",
        f"/paper/{oparl['hidden_paper'].pk}",
        "/meeting/abc",
        "/organization/q1",
    ):
        response = client.get("/oparl/v1.1" + path)
        assert response.status_code == 404, path
        assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_deleted_objects_are_stubs_and_listed_only_with_modified_since(oparl):
    client = Client()
    cooperation = oparl["held"].body.cooperation_id
    shown, _ = meeting_actions.create_meeting(
        oparl["office"], oparl["held"].body, start=oparl["upcoming"].start, end=oparl["upcoming"].end, status="scheduled"
    )
    assert client.get(f"/oparl/v1.1/meeting/{shown.pk}").json()["id"] == f"{ROOT}/meeting/{shown.pk}"
    client.get(f"/oparl/v1.1/meeting/{oparl['held'].pk}")  # hands out the items, the gone one no longer
    meeting_actions.soft_delete(oparl["office"], shown)
    stub = client.get(f"/oparl/v1.1/meeting/{shown.pk}").json()
    assert stub["deleted"] is True and set(stub) == {"id", "type", "created", "modified", "deleted"}
    # Deleted before anybody was given them: absent, like something never public.
    assert client.get(f"/oparl/v1.1/meeting/{oparl['deleted'].pk}").status_code == 404
    assert client.get(f"/oparl/v1.1/agenda-item/{oparl['gone_item'].pk}").status_code == 404
    plain = client.get(f"/oparl/v1.1/body/{cooperation}/meetings", {"limit": 100}).json()
    assert all(not m.get("deleted") for m in plain["data"])
    since = client.get(f"/oparl/v1.1/body/{cooperation}/meetings", {"modified_since": "2000-01-01T00:00:00+01:00"}).json()
    ids = [m["id"] for m in since["data"]]
    while "next" in since["links"]:
        since = client.get(since["links"]["next"].removeprefix(BASE)).json()
        ids += [m["id"] for m in since["data"]]
    assert f"{ROOT}/meeting/{shown.pk}" in ids
    assert f"{ROOT}/meeting/{oparl['deleted'].pk}" not in ids


def test_malformed_filter_dates_answer_400(oparl):
    cooperation = oparl["held"].body.cooperation_id
    for value in ("gestern", "2024-13-01T00:00:00+01:00", "2024-01-01T25:00"):
        response = Client().get(f"/oparl/v1.1/body/{cooperation}/meetings", {"created_since": value})
        assert response.status_code == 400
        assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


def test_lenient_dates_space_for_plus_z_and_no_seconds(oparl):
    cooperation = oparl["held"].body.cooperation_id
    url = f"/oparl/v1.1/body/{cooperation}/meetings?modified_since=2000-01-01T00:00:00 01:00"
    assert Client().get(url).status_code == 200
    for value in ("2000-01-01T00:00Z", "2000-01-01T00:00:00+01:00", "2000-01-01"):
        assert Client().get(f"/oparl/v1.1/body/{cooperation}/meetings", {"modified_until": value}).status_code == 200


def test_change_to_an_agenda_item_moves_the_meeting_and_shows_in_modified_since(oparl):
    client = Client()
    held = oparl["held"]
    before = client.get(f"/oparl/v1.1/meeting/{held.pk}").json()["modified"]
    stamp = timezone.localtime().replace(microsecond=0).isoformat()
    item = oparl["public_item"]
    item.title = "Gewinnung junger Talente (neu)"
    item.save()
    after = client.get(f"/oparl/v1.1/meeting/{held.pk}").json()
    assert after["modified"] >= before
    listed = client.get(f"/oparl/v1.1/body/{held.body.cooperation_id}/meetings", {"modified_since": stamp, "limit": 100}).json()
    assert f"{ROOT}/meeting/{held.pk}" in [m["id"] for m in listed["data"]]


def test_omit_internal_drops_the_embedded_lists(oparl):
    data = Client().get(f"/oparl/v1.1/meeting/{oparl['held'].pk}", {"omit_internal": "true"}).json()
    assert "agendaItem" not in data and "auxiliaryFile" not in data


def test_ids_do_not_follow_the_host_header(oparl, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    data = Client(HTTP_HOST="localhost").get("/oparl/v1.1/system").json()
    assert data["id"] == ROOT + "/system"


def test_query_count_per_page_is_constant(oparl, django_assert_max_num_queries, settings):
    settings.OPARL_PAGE_SIZE = 100
    office = oparl["office"]
    body = oparl["held"].body
    for index in range(6):
        meeting, _ = meeting_actions.create_meeting(
            office,
            body,
            start=oparl["held"].start.replace(year=2040 + index),
            end=oparl["held"].end.replace(year=2040 + index),
            status="scheduled",
        )
        for title in ("A", "B"):
            item = agenda_actions.propose_item(office, body, title=title)
            agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    cooperation = body.cooperation_id
    for path in (
        "meetings",
        "agenda-items",
        "papers",
        "persons",
        "files",
        "consultations",
        "organizations",
        "memberships",
        "locations",
    ):
        with django_assert_max_num_queries(12):
            assert Client().get(f"/oparl/v1.1/body/{cooperation}/{path}").status_code == 200
    assert Meeting.objects.count() > 6


def test_spec_examples_pass_and_broken_variants_fail():
    examples = {p.stem.split("-")[0]: json.loads(p.read_text()) for p in (SCHEMA_DIR.parent / "examples").glob("*.json")}
    system = examples["System"]
    assert not [e for e in check(system, "System") if "type" in e and "schema" in e]
    from .check import schema_errors

    assert not schema_errors(examples["Person"], "Person")
    broken = copy.deepcopy(examples["File"])
    del broken["accessUrl"]
    assert schema_errors(broken, "File")
    wrong_bool = copy.deepcopy(examples["Meeting"])
    wrong_bool["cancelled"] = "nein"
    assert schema_errors(wrong_bool, "Meeting")
    zulu = {**system, "created": "2024-01-01T00:00:00Z"}
    assert any("created" in e for e in check(zulu, "System"))
    swapped = {
        "id": "https://x.example/loc/1",
        "type": "https://schema.oparl.org/1.1/Location",
        "created": "2024-01-01T00:00:00+01:00",
        "modified": "2024-01-01T00:00:00+01:00",
        "geojson": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [51.5, 7.2]}, "properties": {}},
    }
    assert any("geojson" in e for e in check(swapped, "Location"))
