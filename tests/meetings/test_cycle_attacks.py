"""Attacks on the promises of the meeting cycle, written from outside: the state is set in the database as
any earlier version could have left it, the attack is an HTTP request, and the judgement reads only what
an outsider gets (the public page) or the stored status.

Promises: a held meeting's agenda (and so its published TOP numbers) does not change; no minutes go round
for a meeting that has not taken place; no approval before the objection deadline; typed minutes survive
a validation error; the office reaches the agenda page from the meeting.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, Minutes
from members.models import Body

pytestmark = pytest.mark.django_db


def _meeting(days_from_today: int, status: str, titles=("Alpha", "Beta")) -> Meeting:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days_from_today)
    body = Body.objects.get(slug="regiegruppe")
    meeting = Meeting.objects.create(
        body=body, title="Regietreffen", start=start, end=start + dt.timedelta(hours=3), status=status
    )
    for position, title in enumerate(titles, start=1):
        AgendaItem.objects.create(body=body, meeting=meeting, status="accepted", title=title, position=position * 10)
    return meeting


def _public_tops(client, meeting) -> list[str]:
    page = client.get(f"/sitzungen/{meeting.pk}/").content.decode()
    return re.findall(r"TOP (\d+): (\w+)", page)


def test_a_held_meeting_with_published_minutes_keeps_its_numbers(cooperation, client_for):
    meeting = _meeting(-30, "held")
    Minutes.objects.create(meeting=meeting, status="published", published_at=timezone.now())
    before = _public_tops(client_for("anonymous"), meeting)
    assert before == [("1", "Alpha"), ("2", "Beta")]
    alpha = meeting.agenda_items.get(title="Alpha")
    office = client_for("office")
    office.post(
        f"/sitzungen/{meeting.pk}/tagesordnung/",
        {"op": "down", "item": alpha.pk, "agenda_version": Meeting.objects.get(pk=meeting.pk).agenda_version},
    )
    office.post(f"/sitzungen/{meeting.pk}/tagesordnung/", {"op": "defer", "item": alpha.pk, "agenda_version": 1})
    assert _public_tops(client_for("anonymous"), meeting) == before


def test_minutes_of_a_meeting_that_has_not_happened_do_not_go_round(cooperation, client_for):
    meeting = _meeting(30, "invited")
    minutes = Minutes.objects.create(meeting=meeting)
    office = client_for("office")
    office.post(f"/sitzungen/{meeting.pk}/protokoll/", {"op": "circulate"})
    office.post(f"/sitzungen/{meeting.pk}/protokoll/schritt/umlauf/")
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"


def test_minutes_are_not_approved_before_the_objection_deadline(cooperation, client_for):
    meeting = _meeting(-10, "held")
    minutes = Minutes.objects.create(
        meeting=meeting,
        status="circulated",
        circulated_at=timezone.now(),
        objection_deadline=timezone.localdate() + dt.timedelta(days=7),
    )
    office = client_for("office")
    office.post(f"/sitzungen/{meeting.pk}/protokoll/", {"op": "approve"})
    office.post(f"/sitzungen/{meeting.pk}/protokoll/schritt/genehmigen/")
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"


def test_typed_minutes_survive_an_error_and_the_error_sits_at_its_field(cooperation, client_for):
    meeting = _meeting(-3, "held")
    Minutes.objects.create(meeting=meeting)
    alpha = meeting.agenda_items.get(title="Alpha")
    typed = "Die Städte berichten ausführlich über ihre Ausbildungsmessen."
    response = client_for("office").post(
        f"/sitzungen/{meeting.pk}/protokoll/",
        {
            "op": "item",
            "item": alpha.pk,
            f"top{alpha.pk}-summary": typed,
            f"top{alpha.pk}-action_description": "Zahlen zusammenstellen",  # but nobody responsible
        },
    )
    assert response.status_code == 400  # shown again with the errors, nothing saved
    page = response.content.decode()
    assert typed in page
    field = re.search(rf'<select[^>]*name="top{alpha.pk}-action_assignee"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and f"id_top{alpha.pk}-action_assignee-error" in field
    assert f'href="#id_top{alpha.pk}-action_assignee"' in page  # the summary at the top links to the field
    assert Minutes.objects.get(meeting=meeting).meeting.agenda_items.get(pk=alpha.pk).summary == ""


def test_the_office_finds_the_agenda_page_on_the_meeting(cooperation, client_for):
    meeting = _meeting(30, "scheduled")
    page = client_for("office").get(f"/sitzungen/{meeting.pk}/").content.decode()
    assert f'href="/sitzungen/{meeting.pk}/tagesordnung/"' in page
