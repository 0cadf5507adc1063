"""Invitations over real SMTP (PDF and iCalendar REQUEST/CANCEL), replies, minutes lifecycle, digest."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from meetings.agenda import actions as agenda_actions
from meetings.agenda.numbering import numbered_agenda, open_actions
from meetings.core import actions as meeting_actions
from meetings.digest import send_due_digests
from meetings.invitations import actions as invitation_actions
from meetings.invitations.recipients import recipients
from meetings.minutes import actions as minutes_actions
from meetings.models import ActionItem, AgendaItem, Meeting, MeetingFile, Minutes, Reply
from members.models import Municipality, Person
from tests.support.smtp import LocalSMTPServer

from .conftest import at, days_ago, held

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server


def ical_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part, Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar part")


def with_agenda(meeting, office_user):
    item = agenda_actions.propose_item(office_user, meeting.body, title="Interkulturelle Öffnung")
    agenda_actions.decide_item(office_user, item, "accept", meeting=meeting)
    return item


@time_machine.travel(dt.datetime(2030, 1, 10, 9, tzinfo=dt.UTC), tick=False)
def test_invitation_goes_out_with_pdf_and_request_then_update_then_cancel(
    meeting, office_user, smtp, django_capture_on_commit_callbacks
):
    with_agenda(meeting, office_user)
    people = recipients(meeting)
    assert people
    with django_capture_on_commit_callbacks(execute=True):
        dispatch, warnings = invitation_actions.send_invitation(office_user, meeting)
    assert not warnings and dispatch.sequence == 0
    received = smtp.wait_for(len(people))
    assert {m.envelope_to[0] for m in received} == {p.email for p in people}
    first = received[0]
    part, cal = ical_of(first)
    assert part.get_param("method") == "REQUEST" and str(cal["METHOD"]) == "REQUEST"
    event = cal.walk("VEVENT")[0]
    uid = str(event["UID"])
    assert int(event["SEQUENCE"]) == 0
    assert any(p.get_content_type() == "application/pdf" for p in first.walk())
    stored = MeetingFile.objects.filter(meeting=meeting, role="invitation")
    assert sorted(stored.values_list("public", flat=True)) == [False, True]  # for the body, and the public one

    smtp.clear()
    meeting.refresh_from_db()
    meeting_actions.update_meeting(office_user, meeting, meeting.version, start=at(2030, 3, 12, 11), end=at(2030, 3, 12, 14))
    with django_capture_on_commit_callbacks(execute=True):
        update, _ = invitation_actions.send_invitation(office_user, meeting)
    msg = smtp.wait_for(len(people))[0]
    _part, cal = ical_of(msg)
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1 == update.sequence
    assert "Aktualisierte Einladung" in msg["Subject"]
    stored = MeetingFile.objects.filter(meeting=meeting, role="invitation")
    assert sorted(stored.values_list("public", flat=True)) == [False, True]  # for the body, and the public one

    smtp.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_actions.cancel_meeting(office_user, meeting)
    msg = smtp.wait_for(len(people))[0]
    part, cal = ical_of(msg)
    assert part.get_param("method") == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CANCELLED"


@time_machine.travel(dt.datetime(2030, 3, 5, 9, tzinfo=dt.UTC), tick=False)
def test_short_notice_gives_a_warning(meeting, office_user):
    with_agenda(meeting, office_user)
    _dispatch, warnings = invitation_actions.send_invitation(office_user, meeting)
    assert warnings and "Ladungsfrist" in warnings[0]


def test_empty_agenda_is_not_sent(meeting, office_user):
    with pytest.raises(ValidationError):
        invitation_actions.send_invitation(office_user, meeting)


def test_replies_give_the_representation_overview(meeting, office_user, member_person):
    invitation_actions.reply(member_person, meeting, Reply.Answer.DEPUTY)
    rows = {row["city"].slug: row for row in invitation_actions.representation(meeting)}
    assert rows["bochum"]["represented"] and not rows["essen"]["answered"]
    invitation_actions.reply(member_person, meeting, Reply.Answer.NOT_ATTENDING)
    assert not {row["city"].slug: row for row in invitation_actions.representation(meeting)}["bochum"]["represented"]
    assert Reply.objects.filter(meeting=meeting).count() == 1


def test_minutes_lifecycle_and_open_actions_on_the_next_agenda(
    office_user, member_person, regiegruppe, settings, django_capture_on_commit_callbacks
):
    meeting = held(office_user, regiegruppe, days=30, items=["Interkulturelle Öffnung"])
    item = meeting.agenda_items.get()
    minutes = minutes_actions.minutes_for(meeting)
    minutes_actions.record_attendance(office_user, minutes, [member_person])
    assert list(minutes.cities.all()) == [Municipality.objects.get(slug="bochum")]
    minutes_actions.save_item_minutes(office_user, item, summary="Diskutiert.", result="einstimmig")
    minutes_actions.add_decision(office_user, item, "Wir starten eine gemeinsame Kampagne.")
    action = minutes_actions.add_action(
        office_user, item, "Entwurf der Kampagne vorlegen", municipality=Municipality.objects.get(slug="bochum")
    )
    with django_capture_on_commit_callbacks(execute=True):
        minutes_actions.circulate_minutes(office_user, minutes)
    assert len(mail.outbox) == 1 and "Protokollentwurf" in mail.outbox[0].subject
    objection = minutes_actions.object_to_minutes(member_person, minutes, "Bitte Ergebnis präzisieren.")
    with pytest.raises(ValidationError):
        minutes_actions.approve_minutes(office_user, minutes)
    minutes_actions.resolve_objection(office_user, minutes, objection.pk)
    following, _ = meeting_actions.create_meeting(
        office_user, regiegruppe, start=days_ago(-10), end=days_ago(-10, 13), status="scheduled"
    )
    agenda_actions.apply_template(office_user, following)
    rows = numbered_agenda(following, following.agenda_items.filter(status="accepted").order_by("position"))
    open_row = next(r for r in rows if r.item.kind == AgendaItem.Kind.OPEN_ACTIONS)
    assert action in open_row.open_actions
    with pytest.raises(ValidationError, match="Frist für Einwände"):
        minutes_actions.approve_minutes(office_user, minutes, at_meeting=following)
    with time_machine.travel(following.start + dt.timedelta(days=5)):  # the deadline is over, the next meeting held
        minutes_actions.approve_minutes(office_user, minutes, at_meeting=following)
        minutes.refresh_from_db()
        assert minutes.status == Minutes.Status.APPROVED and minutes.approved_in == following
        with pytest.raises(ValidationError):
            minutes_actions.add_decision(office_user, item, "Nachträglich")
        with django_capture_on_commit_callbacks(execute=True):
            minutes_actions.publish_minutes(office_user, minutes)
        assert MeetingFile.objects.filter(meeting=meeting, role="minutes", public=True).exists()
        revision = minutes_actions.correct_minutes(office_user, minutes, reason="Tippfehler", change="Kampagne statt Kampange")
        assert revision.number == 1 and Minutes.objects.get(pk=minutes.pk).revision == 1
        minutes_actions.complete_action(office_user, action)
    assert ActionItem.objects.get(pk=action.pk).status == "done"
    assert action not in open_actions(regiegruppe)


def test_window_mode_approves_after_the_objection_days(held_meeting, office_user, settings):
    settings.MEETING_MINUTES_APPROVAL = "window"
    minutes = minutes_actions.minutes_for(held_meeting)
    minutes_actions.circulate_minutes(office_user, minutes)
    assert minutes_actions.approve_due_minutes() == 0
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.MEETING_OBJECTION_DAYS + 1)):
        assert minutes_actions.approve_due_minutes() == 1


@time_machine.travel(dt.datetime(2030, 3, 1, 8, tzinfo=dt.UTC), tick=False)
def test_digest_is_sent_once_per_person_with_deadline_documents_and_actions(meeting, office_user, member_person):
    item = with_agenda(meeting, office_user)
    MeetingFile.objects.create(agenda_item=item, name="Papier", file_name="papier.pdf", content="x.pdf")
    earlier, _ = meeting_actions.create_meeting(
        office_user, meeting.body, start=at(2029, 11, 1), end=at(2029, 11, 1, 13), status="scheduled"
    )
    old_item = with_agenda(earlier, office_user)
    minutes_actions.mark_held(office_user, earlier)
    minutes_actions.add_action(office_user, old_item, "Bericht schreiben", municipality=member_person.municipality)
    minutes_actions.add_action(office_user, old_item, "Zahlen liefern", assignee=member_person)
    Meeting.objects.filter(pk=meeting.pk).update(agenda_deadline=dt.date(2030, 3, 6))
    sent = send_due_digests()
    assert sent == len(recipients(meeting))
    mine = next(m for m in mail.outbox if m.to == [member_person.email])
    assert "Regiegruppe am 12. März in Herne" in mine.body
    assert "Frist für Tagesordnungsvorschläge in 5 Tagen" in mine.body
    assert "1 Unterlage zu lesen" in mine.body
    assert "2 offene Aufgaben für Ihre Stadt" in mine.body
    assert send_due_digests() == 0


def test_digest_command_runs(meeting, capsys):
    from django.core.management import call_command

    call_command("meeting_digest")
    assert "Übersicht" in capsys.readouterr().out
    assert Person.objects.exists()
