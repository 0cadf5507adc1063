"""An upcoming forum for the event tests: 3 places, three workshops (two count for the certificate), a question."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from events.actions import create_event


def make_forum(office, *, slug="forum-test", capacity=3, days=30, **fields):
    start = (timezone.now() + dt.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    hour = dt.timedelta(hours=1)
    defaults = {
        "title": "Forum Integration (Test)",
        "starts_at": start,
        "ends_at": start + 8 * hour,
        "venue_name": "Haus der Begegnung",
        "venue_address": "Beispielstraße 1, 45127 Essen",
        "venue_accessibility": "Stufenloser Zugang, Aufzug, Induktionsschleife im großen Saal.",
        "capacity": capacity,
        "registration_closes_at": start - dt.timedelta(days=2),
        "offer_hours": 48,
        "min_sessions_for_certificate": 2,
        "is_published": True,
    }
    defaults.update(fields)
    sessions = [
        {
            "title": f"Workshop {n}",
            "starts_at": start + (n + 1) * hour,
            "ends_at": start + (n + 2) * hour,
            "room": f"Raum {n}",
            "speakers": "Dr. Erika Beispiel",
            "counts_for_certificate": True,
            "needs_choice": True,
        }
        for n in (1, 2, 3)
    ]
    return create_event(
        office,
        slug=slug,
        organisers=[office],
        sessions=sessions,
        questions=[("Welche Frage bringen Sie mit?", False)],
        **defaults,
    )


@pytest.fixture
def forum(personas):
    return make_forum(personas["office"])
