"""Our own crawler over a live server (real HTTP): page size 2, filters, deletions, headers."""

from __future__ import annotations

import pytest
import requests

from meetings.core import actions as meeting_actions

from .check import Crawl

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live(live_server, settings, oparl_scene):
    settings.OPARL_BASE_URL = live_server.url
    settings.OPARL_PAGE_SIZE = 2
    return live_server.url + "/oparl/v1.1", oparl_scene


def http_get(url):
    response = requests.get(url, timeout=30)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    if response.headers.get("Content-Type", "").startswith("application/json"):
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert not response.content.startswith(b"\xef\xbb\xbf")
        return response.status_code, response.headers, response.json()
    return response.status_code, response.headers, None


def test_crawl_twice_same_order_no_errors(live):
    root, _scene = live
    first = Crawl(http_get, root).run(root + "/system")
    assert not first.errors, "\n".join(first.errors[:30])
    second = Crawl(http_get, root).run(root + "/system")
    assert first.lists == second.lists
    assert any(len(ids) > 2 for ids in first.lists.values()), "paging with page size 2 was exercised"


def test_filters_are_kept_in_links_raw_and_encoded(live):
    root, scene = live
    body = f"{root}/body/{scene['held'].body.cooperation_id}"
    for query in ("?created_since=2000-01-01T00%3A00%3A00%2B01%3A00", "?created_since=2000-01-01T00:00:00+01:00"):
        for name in (
            "meetings",
            "agenda-items",
            "papers",
            "persons",
            "files",
            "consultations",
            "memberships",
            "locations",
            "organizations",
        ):
            crawl = Crawl(http_get, root)
            crawl.read_list(f"{body}/{name}{query}")
    future = requests.get(
        f"{body}/meetings", params={"created_since": "2100-01-01T00:00:00+01:00"}, timeout=30
    ).json()  # fixed-date: far future
    assert future["data"] == [] and "next" not in future["links"]
    assert requests.get(f"{body}/meetings", params={"modified_until": "kaputt"}, timeout=30).status_code == 400
    assert requests.get(f"{body}/meetings", params={"limit": "1"}, timeout=30).status_code == 200


def test_deletions_appear_as_stubs_with_modified_since(live):
    root, scene = live
    body = f"{root}/body/{scene['held'].body.cooperation_id}"
    crawl = Crawl(http_get, root)
    upcoming = f"{root}/meeting/{scene['upcoming'].pk}"
    assert upcoming in [m["id"] for m in crawl.read_list(f"{body}/meetings")]
    meeting_actions.soft_delete(scene["office"], scene["upcoming"])
    with_deleted = crawl.read_list(f"{body}/meetings?modified_since=2000-01-01T00%3A00%3A00%2B01%3A00")
    assert [m["id"] for m in with_deleted if m.get("deleted")] == [upcoming]
    without = crawl.read_list(f"{body}/meetings")
    assert not any(m.get("deleted") for m in without)
    stub = requests.get(upcoming, timeout=30)
    assert stub.status_code == 200 and stub.json()["deleted"] is True
    assert requests.get(f"{root}/meeting/{scene['deleted'].pk}", timeout=30).status_code == 404  # never handed out


def test_http_details(live):
    root, scene = live
    assert requests.head(f"{root}/system", timeout=30).status_code == 200
    assert requests.get(f"{root}/meeting/987654", timeout=30).status_code == 404
    redirect = requests.get(f"{root}/system/", allow_redirects=False, timeout=30)
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith("/oparl/v1.1/system")
    meeting = requests.get(f"{root}/meeting/{scene['held'].pk}", timeout=30).json()
    access = requests.get(meeting["invitation"]["accessUrl"], timeout=30)
    assert access.status_code == 200 and "attachment" not in access.headers.get("Content-Disposition", "")
    download = requests.get(meeting["invitation"]["downloadUrl"], timeout=30)
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
