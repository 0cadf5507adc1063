"""The public list of events: coming ones first with their registration state, past ones with their documentation."""

from __future__ import annotations

import re

import pytest

from tests.events.conftest import make_documented_forum, make_forum

pytestmark = pytest.mark.django_db


def test_coming_events_first_and_past_ones_lead_to_their_documentation(personas, client):
    office = personas["office"]
    make_forum(office, slug="forum-bald", title="Forum bald", days=10)
    make_forum(office, slug="forum-spaeter", title="Forum später", days=60)
    make_documented_forum(office, slug="forum-doku")
    page = client.get("/veranstaltungen/").content.decode()
    coming, past = page.split('id="past-heading"')
    assert coming.index("Forum bald") < coming.index("Forum später")
    assert "Anmeldung bis" in coming
    assert 'href="/veranstaltungen/forum-doku/dokumentation/"' in past
    assert "Forum bald" not in past
    ids = re.findall(r'id="(card-[^"]+)"', page)
    assert len(ids) == len(set(ids)) == 3  # two lists on one page, no duplicate ids


def test_an_unpublished_documentation_is_not_linked(personas, client):
    make_documented_forum(personas["office"], slug="forum-still", publish=False)
    page = client.get("/veranstaltungen/").content.decode()
    assert "/veranstaltungen/forum-still/dokumentation/" not in page
    assert 'href="/veranstaltungen/forum-still/"' in page
