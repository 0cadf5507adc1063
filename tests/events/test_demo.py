"""The demo shows a past forum with attendance and certificates and an upcoming one with a waiting list."""

from __future__ import annotations

import pytest

from events import actions
from events.demo import PAST_SLUG, UPCOMING_SLUG, load_demo_events
from events.models import Event, Registration
from members.demo import load_demo, load_demo_accounts

pytestmark = pytest.mark.django_db


def test_demo_events_are_believable_and_load_twice():
    load_demo()
    load_demo_accounts()
    load_demo_events()
    load_demo_events()
    past = Event.objects.get(slug=PAST_SLUG)
    upcoming = Event.objects.get(slug=UPCOMING_SLUG)
    assert past.is_past and not upcoming.is_past
    attended = past.registrations.filter(checked_in_at__isnull=False)
    certified = [r for r in attended if actions.certificate_allowed(r)]
    assert 0 < len(certified) < attended.count()  # some came for one workshop only
    assert past.feedback.exists()
    documentation = past.documentation
    assert documentation.is_published and documentation.report
    assert documentation.items.filter(kind="presentation").count() == 2
    assert all(i.is_public_ready and i.alt_text for i in documentation.items.filter(kind="photo"))
    assert upcoming.registration_open
    assert upcoming.registrations.filter(status=Registration.Status.WAITING).count() == 3
    assert upcoming.contingents.count() == 2
    assert Event.objects.count() == 2
