"""A workspace's calendar comes in pages, coming and past events alike; the links keep "vergangen"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.calendar_events.conftest import soon

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def client_as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def titles(html: str) -> list[str]:
    return re.findall(r"Treffen Nr\. \d+", html)


@pytest.mark.parametrize("past", [False, True])
def test_every_event_is_on_one_page_and_the_links_keep_the_view(make_workspace, make_event, lead, monkeypatch, past):
    monkeypatch.setattr("calendar_events.views.EVENTS_PER_PAGE", 3)
    workspace = make_workspace(name="Kalender mit vielen Terminen")
    for number in range(7):
        start = soon(days=-(number + 2) if past else number + 2)
        make_event(workspace, title=f"Treffen Nr. {number}", starts_at=start)
    client = client_as(lead)
    base = f"/arbeitsbereiche/{workspace.slug}/termine/" + ("?vergangen=1" if past else "")
    response = client.get(base)
    assert response.status_code == 200, base
    first = response.content.decode()
    assert "Seite 1 von 3" in first
    if past:
        assert "vergangen=1&amp;seite=2" in first
    seen = []
    for number in (1, 2, 3):
        seen += titles(client.get(base + ("&" if past else "?") + f"seite={number}").content.decode())
    assert sorted(set(seen)) == sorted(f"Treffen Nr. {n}" for n in range(7))
    assert len(seen) == 7
    expected_first = ["Treffen Nr. 0", "Treffen Nr. 1", "Treffen Nr. 2"]  # nearest first, in both views
    assert titles(first) == expected_first
