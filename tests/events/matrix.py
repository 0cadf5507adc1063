"""Objects the permission matrices need for the event URLs (tests/test_permission_matrix.py).

A published forum organised by the office (named organiser, manager of its workspace) with a contingent for
Essen, one registration that was checked in (so its certificate exists) and one nominated guest. The
personal links are valid ones: the link is the permission, whoever holds it. POST-only link routes are
listed with a wrong link instead, so the POST matrix proves that a wrong link changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from events import actions, links
from members.models import Municipality
from tests.events.conftest import make_documented_forum, make_forum


def event_ids(personas) -> dict[str, object]:
    office = personas["office"]
    event = make_forum(
        office,
        slug="forum-matrix",
        capacity=10,
        min_sessions_for_certificate=0,
        contingent_deadline=timezone.now() + dt.timedelta(days=5),
    )
    contingent = actions.add_contingent(
        office,
        event,
        municipality=Municipality.objects.get(slug="essen"),
        places=2,
        coordinator_name="Clara Koordination",
        coordinator_email="clara@essen.example",
    )
    guest = actions.register(event, name="Nina Nominiert", email="nina@example.org", contingent=contingent)
    registration = actions.register(event, name="Paula Teilnehmerin", email="paula@example.org")
    actions.check_in(office, event, registration.code)
    documentation = make_documented_forum(office, slug="forum-matrix-doku")
    return {
        "documented_slug": "forum-matrix-doku",
        "documentation_photo": documentation.items.get(kind="photo").pk,
        "event_slug": event.slug,
        "registration_link": links.registration_token(registration),
        "contingent_link": links.contingent_token(contingent),
        "wrong_link": "falsch",
        "nominee": guest.pk,
        "event_registration": registration.pk,
    }
