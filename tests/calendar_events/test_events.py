"""Events: validation in German, edit conflicts, audit of deletions, the workspace panel."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from calendar_events.models import Event
from tests.support.clock import FROZEN_NOW  # the dates below stay in the future on any day
from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role
from .conftest import berlin

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN_NOW)]


@pytest.fixture
def workspace(make_workspace, personas):
    workspace = make_workspace(Workspace.Visibility.PLATFORM)
    give_role(workspace, personas["member"], WorkspaceMember.Role.EDITOR)
    return workspace


def _form(**overrides):
    data = {
        "title": "Regietreffen",
        "starts_at": "2031-03-30T10:00",
        "ends_at": "2031-03-30T12:30",
        "location": "Rathaus Bottrop",
        "online_url": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_editor_adds_an_event_read_in_berlin_time(client_for, workspace):
    response = client_for("member").post(f"/arbeitsbereiche/{workspace.slug}/termine/neu/", _form())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/termine/{event.pk}/"
    assert event.starts_at == berlin(2031, 3, 30, 10, 0)  # summer time began at 02:00 that morning
    assert event.starts_at.astimezone(dt.UTC).hour == 8
    page = client_for("member").get(f"/termine/{event.pk}/").content.decode()
    assert "10:00–12:30 Uhr (MESZ)" in page


def test_end_before_start_is_refused_in_german(client_for, workspace):
    response = client_for("member").post(f"/arbeitsbereiche/{workspace.slug}/termine/neu/", _form(ends_at="2031-03-30T09:00"))
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert not Event.objects.exists()


def test_place_or_online_link_is_required(client_for, workspace):
    response = client_for("member").post(f"/arbeitsbereiche/{workspace.slug}/termine/neu/", _form(location=""))
    assert "Bitte geben Sie einen Ort oder einen Link zur Online-Teilnahme an." in response.content.decode()
    response = client_for("member").post(
        f"/arbeitsbereiche/{workspace.slug}/termine/neu/", _form(location="", online_url="https://konferenz.example/r/1")
    )
    assert response.status_code == 302


def test_garbage_dates_get_a_clear_message(client_for, workspace):
    response = client_for("member").post(f"/arbeitsbereiche/{workspace.slug}/termine/neu/", _form(starts_at="morgen"))
    assert "Bitte geben Sie Datum und Uhrzeit im Format TT.MM.JJJJ HH:MM an." in response.content.decode()


def test_two_people_editing_the_same_event_the_second_gets_the_conflict(client_for, workspace, make_event, personas):
    event = make_event(workspace)
    give_role(workspace, personas["office"], WorkspaceMember.Role.EDITOR)
    first = client_for("member").post(f"/termine/{event.pk}/bearbeiten/", _form(title="Erste Fassung", version=event.version))
    assert first.status_code == 302
    second = client_for("office").post(f"/termine/{event.pk}/bearbeiten/", _form(title="Zweite Fassung", version=event.version))
    assert second.status_code == 409
    assert "inzwischen von jemand anderem geändert" in second.content.decode()
    assert Event.objects.get(pk=event.pk).title == "Erste Fassung"


def test_sequence_rises_only_when_something_visible_changes(client_for, workspace, make_event):
    event = make_event(workspace)
    uid = event.uid
    client_for("member").post(
        f"/termine/{event.pk}/bearbeiten/",
        _form(
            title=event.title,
            starts_at="2031-06-12T10:00",
            ends_at="2031-06-12T12:00",
            location=event.location,
            version=event.version,
        ),
    )
    event.refresh_from_db()
    assert event.sequence == 0  # saved unchanged
    client_for("member").post(f"/termine/{event.pk}/bearbeiten/", _form(version=event.version))
    event.refresh_from_db()
    assert event.sequence == 1 and event.uid == uid


def test_deleting_an_event_is_audited(client_for, workspace, make_event):
    event = make_event(workspace)
    response = client_for("member").post(f"/termine/{event.pk}/loeschen/")
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    entry = AuditEvent.objects.get(action="event.deleted")
    assert entry.before["title"] == "Projekttreffen" and entry.object_id == str(event.pk)


def test_workspace_page_shows_upcoming_events(client_for, workspace, make_event):
    make_event(workspace, title="Forum vorbereiten")
    make_event(workspace, title="Längst vorbei", starts_at=berlin(2020, 1, 1, 10), ends_at=berlin(2020, 1, 1, 11))
    html = client_for("member").get(f"/arbeitsbereiche/{workspace.slug}/").content.decode()
    assert "Anstehende Termine" in html and "Forum vorbereiten" in html
    assert "Längst vorbei" not in html
    past = client_for("member").get(f"/arbeitsbereiche/{workspace.slug}/termine/?vergangen=1").content.decode()
    assert "Längst vorbei" in past and "Forum vorbereiten" not in past
