"""The meeting cycle wired to date polls, tasks, the personal calendar and the daily scheduler."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from calendar_events import personal
from calendar_events.actions import create_feed
from calendar_events.models import Event
from meetings.agenda import actions as agenda_actions
from meetings.agenda.numbering import open_actions
from meetings.calendar import build_ics, ical_uid
from meetings.core import actions as meeting_actions
from meetings.digest import run_daily
from meetings.invitations import actions as invitation_actions
from meetings.invitations.recipients import recipients
from meetings.minutes import actions as minutes_actions
from meetings.models import ActionItem, Meeting, MeetingStatus
from members.models import Membership, Municipality, Person
from notifications import scheduler
from notifications.models import Notification, ScheduledRun
from polls.actions import confirm, create_poll
from tasks.actions import set_status
from tasks.models import Task
from tests.calendar_events.conftest import soon
from tests.conftest import make_user, seat
from tests.support.clock import FROZEN_NOW  # the dates below stay in the future on any day
from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401 - fixtures
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast, pytest.mark.time_machine(FROZEN_NOW)]


@pytest.fixture
def rg_workspace(body_workspaces):  # noqa: F811 - the imported fixture, requested by name
    return body_workspaces["regiegruppe"]


@pytest.fixture
def speaker_user(personas):
    user = make_user("sprecherin@test.example")
    seat(user, "regiegruppe", Membership.Role.SPEAKER, "herne", given_name="Sina", family_name="Sprecherin")
    ensure_body_workspaces()
    return user


def meeting_poll(actor, workspace, *, purpose="meeting", title="Regietreffen Herbst"):
    return create_poll(
        actor,
        workspace,
        title=title,
        location="Rathaus Herne",
        deadline=soon(3, 18),
        slots=[(soon(30, 10), soon(30, 13)), (soon(31, 10), soon(31, 13))],
        purpose=purpose,
    )


# --- 1. Date poll → draft meeting ---------------------------------------------------------------


def test_confirmed_meeting_poll_creates_a_draft_meeting_of_the_body(personas, speaker_user, rg_workspace, regiegruppe):
    office = personas["office"]
    poll = meeting_poll(office, rg_workspace)
    slot = poll.slots.first()
    event = confirm(office, poll, slot)
    meeting = Meeting.objects.get(event=event)
    assert event.outcomes == [meeting]
    assert meeting.body == regiegruppe and meeting.status == MeetingStatus.DRAFT
    assert (meeting.start, meeting.end) == (slot.starts_at, slot.ends_at)
    assert meeting.title == "Regietreffen Herbst"
    assert ical_uid(meeting) == event.uid  # one entry in calendar apps, not two
    # The workspace's other managers (the speaker) hear about the draft, with a link to it.
    told = Notification.objects.get(event__verb="meetings.drafted_from_poll")
    assert told.recipient == speaker_user and told.event.url == meeting.get_absolute_url()


def test_event_poll_in_a_body_workspace_creates_no_meeting(personas, rg_workspace):
    office = personas["office"]
    poll = meeting_poll(office, rg_workspace, purpose="event")
    event = confirm(office, poll, poll.slots.first())
    assert event.outcomes == [] and not Meeting.objects.exists()


def test_only_the_office_and_the_speaker_start_meeting_polls(personas, rg_workspace, speaker_user, make_workspace):  # noqa: F811
    assert meeting_poll(speaker_user, rg_workspace).purpose == "meeting"
    member = personas["member"]  # editor of the Regiegruppe workspace, but no speaker
    with pytest.raises(ValidationError):
        meeting_poll(member, rg_workspace)
    assert meeting_poll(member, rg_workspace, purpose="event").purpose == "event"
    project = make_workspace(Workspace.Visibility.PLATFORM, name="Projekt ohne Gremium")
    with pytest.raises(ValidationError):
        meeting_poll(project.members.get(role="manager").user, project)


def test_meeting_poll_through_the_pages_ends_on_the_draft(client_for, personas, rg_workspace, regiegruppe):
    office = client_for("office")
    url = reverse("polls:create", args=[rg_workspace.slug])
    assert "Sitzung des Gremiums" in office.get(url).content.decode()
    assert "Sitzung des Gremiums" not in client_for("member").get(url).content.decode()
    start = soon(40, 10)
    response = office.post(
        url,
        {
            "title": "Regietreffen Winter",
            "purpose": "meeting",
            "location": "Rathaus Bochum",
            "deadline": soon(3, 18).strftime("%Y-%m-%dT%H:%M"),
            "slot_1_start": start.strftime("%Y-%m-%dT%H:%M"),
            "slot_1_end": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "invite_members": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    poll = rg_workspace.polls.get(title="Regietreffen Winter")
    assert poll.purpose == "meeting"
    response = office.post(reverse("polls:confirm", args=[poll.pk]), {"slot": poll.slots.first().pk}, follow=True)
    meeting = Meeting.objects.get(body=regiegruppe)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "als Entwurf angelegt" in response.content.decode()
    assert meeting.get_absolute_url() in office.get(poll.get_absolute_url()).content.decode()


def test_a_guest_of_the_body_sees_the_confirmed_poll_but_no_link_to_the_draft_meeting(personas, rg_workspace):
    from django.test import Client

    guest = make_user("gast-rg@test.example")
    seat(guest, "regiegruppe", Membership.Role.GUEST, None, given_name="Gerd", family_name="Gast")
    ensure_body_workspaces()
    office = personas["office"]
    poll = meeting_poll(office, rg_workspace)
    meeting = Meeting.objects.get(event=confirm(office, poll, poll.slots.first()))
    client = Client()
    client.force_login(guest)
    page = client.get(poll.get_absolute_url())
    assert page.status_code == 200
    assert "Der Termin ist bestätigt." in page.content.decode()
    assert meeting.get_absolute_url() not in page.content.decode()
    assert client.get(meeting.get_absolute_url()).status_code == 404  # the draft is the body's own business


def test_invitation_of_a_poll_meeting_updates_the_entry_the_poll_mailed(personas, rg_workspace):
    office = personas["office"]
    poll = meeting_poll(office, rg_workspace)
    event = confirm(office, poll, poll.slots.first())
    meeting = Meeting.objects.get(event=event)
    item = agenda_actions.propose_item(office, meeting.body, title="Bericht")
    agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    dispatch, _warnings = invitation_actions.send_invitation(office, meeting)
    assert dispatch.sequence == event.sequence + 1
    vevent = Calendar.from_ical(build_ics(meeting, method="REQUEST", sequence=dispatch.sequence)).walk("VEVENT")[0]
    assert str(vevent["UID"]) == event.uid


def test_moving_and_cancelling_a_poll_meeting_carries_its_event_along(personas, rg_workspace):
    office = personas["office"]
    poll = meeting_poll(office, rg_workspace)
    event = confirm(office, poll, poll.slots.first())
    meeting = Meeting.objects.get(event=event)
    later = meeting.start + dt.timedelta(days=1)
    meeting_actions.update_meeting(office, meeting, meeting.version, start=later, end=later + dt.timedelta(hours=2))
    event.refresh_from_db()
    assert event.starts_at == later and event.sequence == 1
    meeting_actions.cancel_meeting(office, meeting)
    assert not Event.objects.filter(pk=event.pk).exists()
    assert Notification.objects.filter(event__verb="polls.cancelled").exists()  # participants get the CANCEL


# --- 2. Action items are tasks -------------------------------------------------------------------


def recorded_action(office, meeting, **responsible):
    """An action in the minutes of ``meeting`` (held: minutes are written after the meeting)."""
    item = meeting.agenda_items.get(title="Kampagne")
    return minutes_actions.add_action(office, item, "Entwurf der Kampagne vorlegen", due_date=dt.date(2030, 4, 1), **responsible)


def test_recorded_action_is_a_task_in_my_tasks_with_a_link_to_the_meeting(
    client_for, personas, held_meeting, member_person, rg_workspace
):
    meeting = held_meeting
    action = recorded_action(personas["office"], meeting, assignee=member_person)
    task = action.task
    assert task.workspace == rg_workspace and task.due_date == dt.date(2030, 4, 1)
    assert list(task.assignees.all()) == [personas["member"]]
    assert task.source == meeting
    assert Notification.objects.filter(recipient=personas["member"], event__verb="task.assigned").exists()
    member = client_for("member")
    assert task.title in member.get(reverse("tasks:mine")).content.decode()
    assert meeting.get_absolute_url() in member.get(task.get_absolute_url()).content.decode()


def test_action_for_a_city_reaches_everybody_of_that_city(personas, held_meeting, member_person):
    meeting = held_meeting
    bochum = Municipality.objects.get(slug="bochum")
    action = recorded_action(personas["office"], meeting, municipality=bochum)
    assert list(action.task.assigned_municipalities.all()) == [bochum]
    assert Task.objects.assigned_to(personas["member"]).filter(pk=action.task_id).exists()  # Mara works for Bochum


def test_done_task_leaves_the_next_agenda_and_done_action_closes_the_task(personas, held_meeting, member_person, regiegruppe):
    meeting = held_meeting
    office = personas["office"]
    first = recorded_action(office, meeting, assignee=member_person)
    second = recorded_action(office, meeting, assignee=member_person)
    following, _w = meeting_actions.create_meeting(
        office, regiegruppe, start=at(2030, 6, 1), end=at(2030, 6, 1, 13), status="scheduled"
    )
    assert {first, second} <= set(open_actions(regiegruppe, before=following.start))
    # Done in "Meine Aufgaben" → gone from the open actions of the next agenda.
    set_status(personas["member"], first.task, first.task.version, Task.Status.DONE)
    assert first not in open_actions(regiegruppe, before=following.start)
    assert ActionItem.objects.get(pk=first.pk).status == "done"
    # Done in the meeting → the task is done.
    minutes_actions.complete_action(office, second)
    assert Task.objects.get(pk=second.task_id).status == Task.Status.DONE
    assert not Task.objects.assigned_to(personas["member"]).open().exists()
    # Reopened task → open action again: one state, read from the task.
    task = Task.objects.get(pk=first.task_id)
    set_status(office, task, task.version, Task.Status.IN_PROGRESS)
    assert first in open_actions(regiegruppe)


def test_minutes_written_late_keep_their_past_due_date(personas, held_meeting, member_person):
    meeting = held_meeting
    action = recorded_action(personas["office"], meeting, assignee=member_person)
    minutes_actions.add_action(
        personas["office"], action.agenda_item, "Zahlen liefern", assignee=member_person, due_date=dt.date(2020, 1, 1)
    )
    assert Task.objects.filter(title="Zahlen liefern", due_date=dt.date(2020, 1, 1)).exists()


def test_completing_an_action_in_the_meeting_pages_closes_its_task(client_for, personas, held_meeting, member_person):
    meeting = held_meeting
    action = recorded_action(personas["office"], meeting, assignee=member_person)
    response = client_for("member").post(reverse("meetings:action_done", args=[action.pk]))
    assert response.status_code == 302
    assert Task.objects.get(pk=action.task_id).status == Task.Status.DONE


# --- 3. Personal calendar ------------------------------------------------------------------------


def _entries(user):
    return personal.entries_for(user, soon(-1), soon(300))


def test_my_calendar_and_feed_carry_the_meetings_of_my_bodies(client_for, personas, regiegruppe):
    office = personas["office"]
    scheduled, _w = meeting_actions.create_meeting(
        office, regiegruppe, start=soon(20, 10), end=soon(20, 13), status="scheduled", title="Regietreffen Sommer"
    )
    meeting_actions.create_meeting(office, regiegruppe, start=soon(25, 10), end=soon(25, 13), title="Entwurfstreffen")
    cancelled, _w = meeting_actions.create_meeting(office, regiegruppe, start=soon(27, 10), end=soon(27, 13), status="scheduled")
    meeting_actions.cancel_meeting(office, cancelled)
    entries = _entries(personas["member"])
    assert [e.uid for e in entries] == [ical_uid(scheduled)]
    assert _entries(personas["guest"]) == []  # no seat in the Regiegruppe
    page = client_for("member").get(reverse("calendar_events:mine")).content.decode()
    assert "Regietreffen Sommer" in page and scheduled.get_absolute_url() in page and "Entwurfstreffen" not in page
    token = create_feed(personas["member"])
    feed = Calendar.from_ical(client_for("anonymous").get(reverse("calendar_events:feed", args=[token])).content)
    uids = [str(v["UID"]) for v in feed.walk("VEVENT")]
    invitation = Calendar.from_ical(build_ics(scheduled, method="REQUEST", sequence=0)).walk("VEVENT")[0]
    assert uids == [str(invitation["UID"])]


def test_a_poll_meeting_shows_once_in_my_calendar(personas, rg_workspace):
    office, member = personas["office"], personas["member"]
    poll = meeting_poll(office, rg_workspace)
    event = confirm(office, poll, poll.slots.first())
    assert [e.uid for e in _entries(member)] == [event.uid]  # the draft: the poll's event
    meeting = Meeting.objects.get(event=event)
    meeting_actions.schedule_meeting(office, meeting)
    entries = _entries(member)
    assert len(entries) == 1 and entries[0].uid == event.uid
    assert entries[0].get_absolute_url() == meeting.get_absolute_url()  # now the meeting itself


# --- 4. The daily scheduler runs the digest --------------------------------------------------------


def test_daily_scheduler_runs_the_meeting_digest_once(personas, regiegruppe, settings):
    assert settings.NOTIFICATIONS_DAILY_JOBS["meeting-digest"] == "meetings.digest.run_daily"
    office = personas["office"]
    meeting, _w = meeting_actions.create_meeting(office, regiegruppe, start=soon(5, 10), end=soon(5, 13), status="scheduled")
    morning = soon(0, settings.NOTIFICATIONS_DIGEST_HOUR + 1)
    assert "meeting-digest" in scheduler.run_due(morning)
    sent = len([m for m in mail.outbox if "Regiegruppe" in m.subject or "Regiegruppe" in m.body])
    assert sent == len(recipients(meeting)) > 0
    assert ScheduledRun.objects.filter(job="meeting-digest").count() == 1
    assert "meeting-digest" not in scheduler.run_due(morning + dt.timedelta(hours=2))
    before = len(mail.outbox)
    assert run_daily() == {"digests": 0, "approved": 0}  # the command or a second worker: nothing twice
    assert len(mail.outbox) == before


def test_daily_job_approves_minutes_in_window_mode(personas, held_meeting, settings):
    meeting = held_meeting
    settings.MEETING_MINUTES_APPROVAL = "window"
    minutes = minutes_actions.minutes_for(meeting)
    minutes_actions.circulate_minutes(personas["office"], minutes)
    type(minutes).objects.filter(pk=minutes.pk).update(objection_deadline=dt.date(2020, 1, 1))
    assert run_daily()["approved"] == 1
    assert run_daily()["approved"] == 0


# --- 6. Demo --------------------------------------------------------------------------------------


def test_demo_actions_are_tasks_and_a_poll_made_a_draft_meeting(cooperation):
    from meetings.demo import load_demo_integration, load_demo_meetings
    from members.demo import load_demo_accounts
    from workspaces.demo import load_demo_workspaces

    load_demo_accounts()
    load_demo_workspaces()
    load_demo_meetings()
    load_demo_integration()
    open_actions = ActionItem.objects.open()
    assert open_actions.count() >= 4
    assert all(a.task and a.task.workspace.body_id == a.body_id for a in open_actions)
    draft = Meeting.objects.get(status=MeetingStatus.DRAFT, event__isnull=False)
    assert draft.event.polls.get().purpose == "meeting"
    load_demo_integration()
    assert Meeting.objects.filter(event__isnull=False).count() == 1
    assert Person.objects.exists()
