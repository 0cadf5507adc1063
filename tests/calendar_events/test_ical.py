"""iCalendar output parsed back with icalendar: UID stability, SEQUENCE, time zones, feed, revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from calendar_events import ical
from calendar_events.actions import create_feed, revoke_feed, update_event
from calendar_events.models import CalendarFeed, hash_token
from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role
from .conftest import BERLIN, berlin, soon

pytestmark = pytest.mark.django_db


def _events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


@pytest.fixture
def workspace(make_workspace, personas):
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Forum 2031")
    give_role(workspace, personas["member"], WorkspaceMember.Role.READER)
    return workspace


def test_event_file_has_berlin_times_with_a_vtimezone(client_for, workspace, make_event):
    event = make_event(workspace, starts_at=berlin(2031, 1, 15, 9, 30), ends_at=berlin(2031, 1, 15, 11, 0))
    response = client_for("member").get(f"/termine/{event.pk}/termin.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    [tz] = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    [vevent] = _events(response.content)
    start = vevent.decoded("DTSTART")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert start == berlin(2031, 1, 15, 9, 30) and start.astimezone(dt.UTC).hour == 8
    assert vevent.decoded("DTEND") == berlin(2031, 1, 15, 11, 0)
    assert str(vevent["SUMMARY"]) == "Projekttreffen"
    assert str(vevent["LOCATION"]) == "Rathaus Herne, Raum 215"
    assert vevent["UID"] == event.uid and vevent["SEQUENCE"] == 0
    assert vevent.decoded("DTSTAMP").tzinfo is not None


def test_vtimezone_resolves_summer_and_winter_time_like_a_calendar_app(workspace, make_event):
    """A reader that only knows the VTIMEZONE (as Outlook does) must get the same instant as zoneinfo."""
    summer = make_event(workspace, starts_at=berlin(2032, 7, 1, 18, 0), ends_at=berlin(2032, 7, 1, 19, 0))
    [vevent] = _events(ical.event_ics(summer))
    text = vevent["DTSTART"].to_ical().decode()
    assert text == "20320701T180000"
    [tz] = Calendar.from_ical(ical.event_ics(summer)).walk("VTIMEZONE")
    own = tz.to_tz()
    naive = dt.datetime(2032, 7, 1, 18, 0)  # fixed-date: floating local time, as a calendar app reads it
    assert naive.replace(tzinfo=own).utcoffset() == dt.timedelta(hours=2)
    assert dt.datetime(2032, 12, 1, 18, 0, tzinfo=own).utcoffset() == dt.timedelta(hours=1)  # fixed-date: time-zone arithmetic
    assert naive.replace(tzinfo=BERLIN).utcoffset() == dt.timedelta(hours=2)


def test_uid_stays_and_sequence_rises_on_change(workspace, make_event, lead):
    event = make_event(workspace)
    first = _events(ical.event_ics(event))[0]
    update_event(lead, event, event.version, starts_at=berlin(2031, 6, 13, 10), ends_at=berlin(2031, 6, 13, 12))
    second = _events(ical.event_ics(event))[0]
    assert first["UID"] == second["UID"] == event.uid
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    update_event(lead, event, event.version, location="Rathaus Hagen")
    assert _events(ical.event_ics(event))[0]["SEQUENCE"] == 2


def test_request_and_cancel_carry_method_uid_and_attendees(workspace, make_event):
    event = make_event(workspace)
    request = Calendar.from_ical(ical.invitation_ics(event, [("Erika Extern", "erika@partner.example")]))
    assert request["METHOD"] == "REQUEST"
    [vevent] = request.walk("VEVENT")
    assert str(vevent["ATTENDEE"]) == "mailto:erika@partner.example"
    assert vevent["ORGANIZER"]
    event.sequence += 1
    cancel = Calendar.from_ical(ical.cancellation_ics(event))
    [vevent] = cancel.walk("VEVENT")
    assert cancel["METHOD"] == "CANCEL" and vevent["STATUS"] == "CANCELLED"
    assert vevent["UID"] == event.uid and vevent["SEQUENCE"] == 1


def test_personal_feed_lists_the_events_of_my_workspaces_only(client, workspace, make_event, make_workspace, personas):
    mine = make_event(workspace, title="Mein Termin", starts_at=soon(7), ends_at=soon(7, 12))
    make_event(make_workspace(Workspace.Visibility.PLATFORM, name="Fremd"), title="Fremder Termin", starts_at=soon(8))
    token = create_feed(personas["member"])
    assert CalendarFeed.objects.get(user=personas["member"]).token_hash == hash_token(token)
    assert not CalendarFeed.objects.filter(token_hash=token).exists()  # only the hash is stored
    response = client.get(f"/kalender/{token}.ics")  # no session: calendar apps do not log in
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Mein Termin"]
    assert cal.walk("VEVENT")[0]["UID"] == mine.uid
    assert cal.walk("VTIMEZONE")


def test_revoked_or_replaced_feed_answers_404(client, personas):
    old = create_feed(personas["member"])
    new = create_feed(personas["member"])
    assert client.get(f"/kalender/{old}.ics").status_code == 404
    assert client.get(f"/kalender/{new}.ics").status_code == 200
    assert revoke_feed(personas["member"])
    assert client.get(f"/kalender/{new}.ics").status_code == 404
    assert client.get("/kalender/geraten.ics").status_code == 404


def test_my_calendar_page_shows_the_feed_url_once_and_revokes_it(client_for, workspace, make_event):
    from audit.models import AuditEvent

    make_event(workspace, title="Regietreffen im Juni", starts_at=soon(20), ends_at=soon(20, 12))
    client = client_for("member")
    page = client.get("/mein-kalender/").content.decode()
    assert "Regietreffen im Juni" in page and "Abonnement-Adresse erzeugen" in page
    created = client.post("/mein-kalender/abonnement/").content.decode()
    assert "http://testserver/kalender/" in created
    url = created.split('value="http://testserver', 1)[1].split('"', 1)[0]
    assert client.get(url).status_code == 200
    again = client.get("/mein-kalender/").content.decode()
    assert url not in again and "Adresse widerrufen" in again
    client.post("/mein-kalender/abonnement/widerrufen/")
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="calendar.feed.revoked").exists()
