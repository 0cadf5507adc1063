"""A venue added on the meeting's edit page is stored through the action, with its audit entry."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from meetings.models import Location, Meeting

pytestmark = pytest.mark.django_db


def test_a_new_venue_is_audited_and_set_on_the_meeting(meeting, client_for):
    response = client_for("office").post(
        f"/sitzungen/{meeting.pk}/ort/",
        {
            "ort-name": "Kulturzentrum",
            "ort-locality": "Herne",
            "ort-postal_code": "44623",
            "ort-street_address": "Berliner Platz 11",
        },
    )
    assert response.status_code == 302
    location = Location.objects.get(name="Kulturzentrum")
    assert Meeting.objects.get(pk=meeting.pk).location == location
    assert AuditEvent.objects.filter(action="meetings.location_created", object_id=str(location.pk)).exists()


def test_a_member_cannot_add_a_venue(meeting, client_for):
    response = client_for("member").post(f"/sitzungen/{meeting.pk}/ort/", {"ort-name": "Kulturzentrum", "ort-locality": "Herne"})
    assert response.status_code == 404
    assert not Location.objects.filter(name="Kulturzentrum").exists()
