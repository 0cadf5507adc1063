from __future__ import annotations

import pytest

from meetings.demo import load_demo_meetings
from meetings.models import ActionItem, Meeting, Minutes, Paper

pytestmark = pytest.mark.django_db


def test_demo_has_a_full_cycle_for_both_bodies_and_is_idempotent(cooperation):
    load_demo_meetings()
    for slug in ("regiegruppe", "projektteam"):
        meetings = Meeting.objects.filter(body__slug=slug)
        assert meetings.filter(minutes__status=Minutes.Status.PUBLISHED).exists()
        assert meetings.filter(status="invited").exists()
        hosts = set(meetings.values_list("host_municipality__slug", flat=True))
        assert len(hosts) == 10  # the rotation reached Hagen, the newest member
    assert ActionItem.objects.open().count() >= 4
    assert Paper.objects.get(reference="0569/2023").consultations.count() == 4
    count = Meeting.objects.count()
    load_demo_meetings()
    assert Meeting.objects.count() == count
