"""The admin shows events and the knowledge base read-only; accessibility needs stay with the named organisers."""

from __future__ import annotations

import pytest
from django.contrib import admin

from events import actions
from events.models import AccessibilityNeed, Registration
from tests.events.conftest import make_forum

pytestmark = pytest.mark.django_db


def test_registrations_in_the_admin_without_needs_answers_or_links(personas, client_for):
    forum = make_forum(personas["office"], capacity=5)
    registration = actions.register(
        forum,
        name="Rita Rollstuhl",
        email="rita@example.org",
        answers={str(forum.questions.first().pk): "Antwort Zauberwald"},
        needs={"wheelchair": True, "dietary": "Sesamallergie"},
        needs_consent=True,
    )
    assert AccessibilityNeed not in admin.site._registry
    client = client_for("admin")
    page = client.get(f"/admin/events/registration/{registration.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rita Rollstuhl" in html
    for secret in ("Sesamallergie", "Rollstuhlplatz", "Zauberwald", registration.link_key, registration.code):
        assert secret not in html, secret
    assert client.get("/admin/events/accessibilityneed/").status_code == 404
    # Read-only: no add, no change.
    assert client.get("/admin/events/registration/add/").status_code == 403
    client.post(f"/admin/events/registration/{registration.pk}/change/", {"name": "Geändert"})
    assert Registration.objects.get(pk=registration.pk).name == "Rita Rollstuhl"


def test_the_knowledge_base_and_events_are_in_the_admin():
    labels = {model._meta.label for model in admin.site._registry}
    assert {"events.Event", "events.Registration", "events.Documentation", "knowledge.PracticeExample"} <= labels
    assert {"knowledge.Revision", "knowledge.Contributor", "knowledge.ProblemReport"} <= labels
