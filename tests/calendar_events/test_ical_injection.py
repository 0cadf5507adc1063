"""User text in .ics files cannot add properties: titles, places, descriptions, names.

The files are read back from HTTP (event download and the secret feed) and from the mailed
invitation, with a strict line check and with ``icalendar.Calendar.from_ical``.
"""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from calendar_events import ical
from calendar_events.actions import create_feed
from workspaces.models import Workspace, WorkspaceMember

from ..workspaces.conftest import give_role
from .conftest import soon

pytestmark = pytest.mark.django_db

NASTY = [
    "Treffen\rATTENDEE:mailto:attacker@evil.example",
    "Treffen\nX-INJECTED:1",
    "Treffen\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Fake",
    "Treffen\u2028X-LS:1\x85X-NEL:1\x0bX-VT:1",
    "Treffen; Raum 3, Haus \\B\\",
    "Fachtag " + "Überörtliche Zusammenarbeit " * 6,
]
PROPERTY_LINE = re.compile(r'^[A-Za-z0-9-]+(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*:')


def strict_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    physical = text[:-2].split("\r\n")
    assert text.endswith("\r\n")
    logical: list[str] = []
    for line in physical:
        assert "\r" not in line and "\n" not in line, f"bare line break in {line!r}"
        assert not any(ch in line for ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), f"line separator in {line!r}"
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    for line in logical:
        assert PROPERTY_LINE.match(line), f"not a property line: {line!r}"
    return logical


def property_names(lines: list[str]) -> list[str]:
    return [re.match(r"[A-Za-z0-9-]+", line).group(0) for line in lines]


@pytest.fixture
def workspace(make_workspace, personas):
    workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Forum 2031")
    give_role(workspace, personas["member"], WorkspaceMember.Role.READER)
    return workspace


@pytest.mark.parametrize("nasty", NASTY)
def test_event_text_stays_inside_its_property(client, client_for, make_event, workspace, personas, nasty):
    event = make_event(workspace, title=nasty[:200], location=nasty[:200], description=nasty, starts_at=soon(5))
    downloads = [
        client_for("member").get(f"/termine/{event.pk}/termin.ics").content,
        client.get(f"/kalender/{create_feed(personas['member'])}.ics").content,
        ical.invitation_ics(event, [(nasty, "erika@partner.example")]),
    ]
    for data in downloads:
        lines = strict_lines(data)
        names = property_names(lines)
        assert names.count("BEGIN") == names.count("END") and names.count("SUMMARY") == 1
        assert not {"X-INJECTED", "X-LS", "X-NEL", "X-VT"} & set(names)
        [vevent] = Calendar.from_ical(data).walk("VEVENT")
        summary = str(vevent["SUMMARY"])
        assert "\r" not in summary and "\u2028" not in summary
        assert summary.replace("\n", "") == re.sub(r"[\r\n\x0b\x85\u2028]", "", nasty[:200])
        attendees = vevent.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] in ([], ["mailto:erika@partner.example"])


@pytest.mark.parametrize("nasty", NASTY[:4])
def test_meeting_invitation_text_stays_inside_its_property(client_for, personas, nasty):
    from meetings.calendar import build_ics
    from meetings.core import actions as meeting_actions
    from members.models import Body, Municipality, Person

    meeting, _warnings = meeting_actions.create_meeting(
        personas["office"],
        Body.objects.get(slug="regiegruppe"),
        start=soon(9),
        end=soon(9, 13),
        title=nasty[:200],
        host=Municipality.objects.get(slug="herne"),
        status="scheduled",
    )
    person = Person.objects.get(user=personas["member"])
    Person.objects.filter(pk=person.pk).update(given_name=nasty[:100])
    person.refresh_from_db()
    downloads = [
        client_for("office").get(f"/sitzungen/{meeting.pk}/kalender.ics").content,
        build_ics(meeting, method="REQUEST", sequence=1, attendees=[person]).encode(),
    ]
    for data in downloads:
        names = property_names(strict_lines(data))
        assert names.count("SUMMARY") == 1 and not {"X-INJECTED", "X-LS", "X-NEL", "X-VT"} & set(names)
        assert names.count("ATTENDEE") <= 1
        [vevent] = Calendar.from_ical(data).walk("VEVENT")
        cleaned = re.sub(r"[\r\n\x0b\x85\u2028]", "", nasty[:200])
        assert str(vevent["SUMMARY"]).replace("\n", "").endswith(cleaned)
