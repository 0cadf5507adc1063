""" "Mein Bereich" shows what needs the person now: next dates, open tasks, polls waiting for their answer."""

from __future__ import annotations

import pytest

from calendar_events.actions import create_event
from polls import actions
from tasks.actions import create_task
from workspaces.models import WorkspaceMember

from ..calendar_events.conftest import soon

pytestmark = pytest.mark.django_db


def _dashboard(client_for, persona="member") -> str:
    response = client_for(persona).get("/mein-bereich/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_lists_dates_tasks_and_polls_of_the_person(client_for, personas, team_workspace, make_poll, lead):
    member = personas["member"]
    create_event(
        lead, team_workspace, title="Workshop Praktika", location="Rathaus Essen", starts_at=soon(3), ends_at=soon(3, 12)
    )
    create_event(
        lead, team_workspace, title="Fernes Treffen", location="Rathaus Essen", starts_at=soon(200), ends_at=soon(200, 12)
    )
    create_task(lead, team_workspace, title="Kriterien entwerfen", due_date=soon(4).date(), assignees=[member])
    create_task(lead, team_workspace, title="Aufgabe von jemand anderem", assignees=[lead])
    poll = make_poll(team_workspace, title="Herbsttreffen finden")
    html = _dashboard(client_for)
    assert "Workshop Praktika" in html and "Fernes Treffen" not in html  # the next 60 days only
    assert "Kriterien entwerfen" in html and "Aufgabe von jemand anderem" not in html
    assert "Meine Aufgaben (1 offen)" in html
    assert "Herbsttreffen finden" in html and poll.get_absolute_url() in html

    # Answered, or no longer in the workspace: the poll leaves the list.
    actions.answer(actions.participant_for(member, poll), {slot.pk: "yes" for slot in poll.slots.all()})
    assert "Herbsttreffen finden" not in _dashboard(client_for)
    other = make_poll(team_workspace, title="Zweite Abstimmung")
    assert "Zweite Abstimmung" in _dashboard(client_for)
    WorkspaceMember.objects.filter(workspace=team_workspace, user=member).delete()
    html = _dashboard(client_for)
    assert "Zweite Abstimmung" not in html and other.get_absolute_url() not in html
    assert "Workshop Praktika" not in html


def test_an_empty_dashboard_says_so(client_for):
    html = _dashboard(client_for, "guest")
    assert "In den nächsten 60 Tagen steht nichts an." in html
    assert "Ihnen ist keine offene Aufgabe zugewiesen." in html
    assert "Keine Terminabstimmung wartet auf Sie." in html
