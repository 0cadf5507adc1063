"""One iCalendar serialiser for calendar events and meetings.

A meeting from a date poll takes over the poll event's UID: the poll's confirmation, the meeting's invitation
and the personal feed must then describe the same entry the same way (UID, SEQUENCE that only grows, times in
Europe/Berlin, summary, place, link), or calendar apps show two entries or lose the update. The assertions read
only the .ics that a recipient or a subscribed calendar app receives.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from calendar_events import ical
from calendar_events.actions import create_feed
from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.invitations import actions as invitation_actions
from meetings.models import Meeting
from polls.actions import confirm
from tests.calendar_events.conftest import soon
from tests.support.clock import FROZEN_NOW
from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401 - fixtures

from .test_integration import meeting_poll
from .test_integration import rg_workspace as rg_workspace  # a fixture, requested by name

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast, pytest.mark.time_machine(FROZEN_NOW)]

# What may differ between a feed entry and an invitation: when the file was made and the row's last change
# it saw (storing the invitation PDF touches the meeting after the mail went out), whom it addresses, who
# organises it (an iTIP message only), and the description (the invitation lists the recipient's agenda).
PER_MESSAGE = {"DTSTAMP", "LAST-MODIFIED", "ATTENDEE", "ORGANIZER", "DESCRIPTION"}


def ical_of(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar part")


def vevent(cal: Calendar):
    (event,) = cal.walk("VEVENT")
    return event


def fields(event) -> dict[str, str]:
    return {name: event[name].to_ical().decode() for name in event if name not in PER_MESSAGE}


def test_a_poll_meeting_and_its_poll_event_share_uid_time_zone_and_an_increasing_sequence(
    personas,
    rg_workspace,  # noqa: F811 - the imported fixture, requested by name
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    office = personas["office"]
    poll = meeting_poll(office, rg_workspace)
    event = confirm(office, poll, poll.slots.first())
    from_poll = vevent(Calendar.from_ical(ical.invitation_ics(event)))  # what the poll's confirmation mail attaches
    meeting = Meeting.objects.get(event=event)
    agenda_actions.propose_item(office, meeting.body, title="Haushalt", meeting=meeting)
    item = meeting.agenda_items.get()
    agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    meeting_actions.schedule_meeting(office, meeting)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation_actions.send_invitation(office, meeting)
    invited = vevent(ical_of(mailoutbox[0].message()))

    assert str(invited["UID"]) == str(from_poll["UID"]) == event.uid
    assert int(invited["SEQUENCE"]) > int(from_poll["SEQUENCE"])
    for name in ("DTSTART", "DTEND"):
        assert invited[name].params["TZID"] == from_poll[name].params["TZID"] == "Europe/Berlin"
        assert invited.decoded(name) == from_poll.decoded(name)


def test_the_feed_and_the_invitation_agree_field_by_field(
    personas, client_for, regiegruppe, mailoutbox, django_capture_on_commit_callbacks
):
    office, member = personas["office"], personas["member"]
    meeting, _warnings = meeting_actions.create_meeting(
        office, regiegruppe, start=soon(20, 10), end=soon(20, 13), status="scheduled", title="Sommer; Treffen, mit\nZeilen"
    )
    item = agenda_actions.propose_item(office, regiegruppe, title="Kommunale Integrationszentren")
    agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_actions.send_invitation(office, meeting)
    mail = next(m for m in mailoutbox if m.to == [member.email] or member.email in m.to)
    invited = vevent(ical_of(mail.message()))
    token = create_feed(member)
    feed = Calendar.from_ical(client_for("anonymous").get(reverse("calendar_events:feed", args=[token])).content)
    (in_feed,) = [e for e in feed.walk("VEVENT") if str(e["UID"]) == str(invited["UID"])]

    assert fields(in_feed) == fields(invited)
    assert str(invited["SUMMARY"]) == f"{regiegruppe.name}: Sommer; Treffen, mit\nZeilen"
    assert "Kommunale Integrationszentren" in str(invited["DESCRIPTION"])
