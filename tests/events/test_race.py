"""Attack on "no place given twice": many people register for the last places at the same moment, each in
its own database connection (threads), on PostgreSQL. Written from the outside: it only posts and counts."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from events.models import Registration
from tests.events.conftest import make_forum

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def rush(url: str, people: list[tuple[str, str]]) -> list[int]:
    barrier = threading.Barrier(len(people))
    statuses: list[int] = []

    def go(name: str, email: str) -> None:
        client = Client()
        barrier.wait()
        try:
            statuses.append(client.post(url, {"name": name, "email": email, "photo": "none"}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_registrations_never_oversell_and_lose_nobody(personas):
    assert connection.vendor == "postgresql"
    event = make_forum(personas["office"], slug="forum-rush", capacity=3)
    people = [(f"Person {n}", f"person{n}@example.org") for n in range(16)]
    statuses = rush(event.get_absolute_url(), people)
    assert statuses.count(302) == 16
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status=Registration.Status.CONFIRMED).count() == 3
    assert rows.filter(status=Registration.Status.WAITING).count() == 13
    confirmed_last = max(r.created for r in rows.filter(status=Registration.Status.CONFIRMED))
    assert all(r.created > confirmed_last for r in rows.filter(status=Registration.Status.WAITING))


def test_the_same_address_at_the_same_moment_registers_once(personas):
    event = make_forum(personas["office"], slug="forum-doppelklick", capacity=3)
    statuses = rush(event.get_absolute_url(), [("Ada Beispiel", "ada@example.org")] * 6)
    assert sorted(statuses) == [302] + [400] * 5
    assert Registration.objects.filter(event=event, email="ada@example.org").count() == 1
