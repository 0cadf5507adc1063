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


def png_file(name: str = "foto.png", colour=(200, 80, 40)):
    """A small real PNG (the documents app checks and re-encodes images)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_past_forum(office, *, slug="forum-vorbei", **fields):
    """A published forum that ended a week ago (made as upcoming, then moved back: registration needs an open form)."""
    from events.actions import update_event

    event = make_forum(office, slug=slug, **fields)
    shift = dt.timedelta(days=-40)
    update_event(
        office,
        event,
        event.version,
        starts_at=event.starts_at + shift,
        ends_at=event.ends_at + shift,
        registration_closes_at=event.registration_closes_at + shift,
    )
    event.refresh_from_db()
    return event


def make_documented_forum(office, *, slug="forum-doku", publish=True):
    """A past forum with a report, a presentation (PDF-free: a text file) and a released photo; published."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.actions import upload
    from events import actions

    event = make_past_forum(office, slug=slug)
    slides = upload(office, event.workspace, SimpleUploadedFile("vortrag.txt", b"Folien zum Vortrag"), title="Vortrag Kommunen")
    photo = upload(office, event.workspace, png_file(), title="Plenum")
    documentation = actions.update_documentation(
        office,
        event,
        1,
        report="Ein **gelungener** Tag mit Zypressenwald-Gesprächen.",
        licence="cc-by-4.0",
        attribution="Integration.Interkommunal",
    )
    actions.add_documentation_item(office, event, document=slides, kind="presentation")
    actions.add_documentation_item(
        office,
        event,
        document=photo,
        kind="photo",
        alt_text="Blick in das volle Plenum von hinten",
        consent="crowd",
        release=True,
        credit="Geschäftsstelle",
    )
    if publish:
        actions.publish_documentation(office, event, True)
    documentation.refresh_from_db()
    return documentation
