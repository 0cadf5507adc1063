"""Date polls end to end through the HTTP client and the actions: bad input, external links, confirmation, mails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from icalendar import Calendar

from audit.models import AuditEvent
from calendar_events.actions import delete_event
from calendar_events.models import Event
from notifications.models import Outbox
from polls import actions
from polls.models import Answer, Participant, Poll, hash_token
from polls.signals import slot_confirmed

from ..calendar_events.conftest import soon
from .conftest import past

pytestmark = pytest.mark.django_db


def _answers(poll, choice="yes", **extra) -> dict:
    return {f"slot_{slot.pk}": choice for slot in poll.slots.all()} | {"comment": ""} | extra


def _form(**overrides) -> dict:
    day = soon(14).strftime("%Y-%m-%d")
    data = {
        "title": "Projekttreffen",
        "location": "Rathaus Essen",
        "online_url": "",
        "description": "",
        "deadline": soon(5).strftime("%Y-%m-%dT%H:%M"),
        "invite_members": "on",
        "slot_1_start": f"{day}T10:00",
        "slot_1_end": f"{day}T12:00",
        "slot_2_start": f"{day}T14:00",
        "slot_2_end": f"{day}T16:00",
    }
    data.update(overrides)
    return data


def test_editor_starts_a_poll_and_members_are_told(client_for, team_workspace, personas, lead):
    response = client_for("member").post(f"/arbeitsbereiche/{team_workspace.slug}/terminabstimmungen/neu/", _form())
    poll = Poll.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/terminabstimmungen/{poll.pk}/"
    assert poll.slots.count() == 2 and poll.organiser == personas["member"]
    assert set(poll.participants.values_list("user__email", flat=True)) == {"member@test.example", "lead@test.example"}
    assert Outbox.objects.filter(to_email="lead@test.example", event__verb="polls.opened").exists()
    assert AuditEvent.objects.filter(action="poll.created", object_id=str(poll.pk)).exists()
    page = client_for("member").get(f"/terminabstimmungen/{poll.pk}/").content.decode()
    assert "Uhr (MEZ)" in page or "Uhr (MESZ)" in page  # slots are shown with their time zone


def test_bad_poll_input_is_refused_in_german(client_for, team_workspace):
    url = f"/arbeitsbereiche/{team_workspace.slug}/terminabstimmungen/neu/"
    day = soon(14).strftime("%Y-%m-%d")
    cases = {
        "Das Ende muss nach dem Beginn liegen.": _form(slot_1_end=f"{day}T09:00"),
        "Die Frist für Antworten muss in der Zukunft liegen.": _form(deadline="2020-01-01T10:00"),
        "Bitte schlagen Sie mindestens einen Termin vor.": _form(slot_1_start="", slot_1_end="", slot_2_start="", slot_2_end=""),
        "Bitte geben Sie auch das Ende an.": _form(slot_2_end=""),
    }
    for message, data in cases.items():
        html = client_for("member").post(url, data).content.decode()
        assert message in html, message
    assert not Poll.objects.exists()


def test_members_answer_and_change_their_answer(client_for, team_workspace, make_poll):
    poll = make_poll(team_workspace)
    client = client_for("member")
    assert client.post(f"/terminabstimmungen/{poll.pk}/", _answers(poll, "maybe", comment="Ab 11 Uhr")).status_code == 302
    assert client.post(f"/terminabstimmungen/{poll.pk}/", _answers(poll, "yes")).status_code == 302
    participant = Participant.objects.get(poll=poll, user__email="member@test.example")
    assert set(participant.answers.values_list("choice", flat=True)) == {"yes"}
    assert participant.answered_at is not None


def test_tampered_slot_ids_are_refused_and_nothing_is_saved(client_for, team_workspace, make_poll):
    poll = make_poll(team_workspace)
    other = make_poll(team_workspace, title="Andere Abstimmung")
    foreign = other.slots.first().pk
    data = _answers(poll) | {f"slot_{foreign}": "yes"}
    html = client_for("member").post(f"/terminabstimmungen/{poll.pk}/", data).content.decode()
    assert "Terminvorschlag, der nicht zu dieser Abstimmung gehört" in html
    bad_choice = _answers(poll) | {f"slot_{poll.slots.first().pk}": "vielleicht"}
    assert (
        "Bitte wählen Sie Ja, Wenn nötig oder Nein."
        in client_for("member").post(f"/terminabstimmungen/{poll.pk}/", bad_choice).content.decode()
    )
    assert not Answer.objects.exists()
    # Confirming a slot of another poll: refused, nothing confirmed.
    client_for("member")  # the member is not the organiser; the lead is
    with pytest.raises(Exception):  # noqa: B017 - ValidationError from the action
        actions.confirm(poll.organiser, poll, other.slots.first())
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN


def test_answers_after_the_deadline_are_refused_clearly(client_for, team_workspace, make_poll):
    poll = make_poll(team_workspace)
    Poll.objects.filter(pk=poll.pk).update(deadline=past(2))
    response = client_for("member").post(f"/terminabstimmungen/{poll.pk}/", _answers(poll))
    assert response.status_code == 200
    assert "beendet; Antworten sind nicht mehr möglich." in response.content.decode()
    assert not Answer.objects.exists()


def test_external_participant_answers_only_their_own_row_through_the_personal_link(
    client, client_for, team_workspace, make_poll, lead
):
    poll = make_poll(team_workspace)
    participant, token = actions.add_external(lead, poll, name="Erika Extern", email="Erika@Partner.example")
    other, other_token = actions.add_external(lead, poll, name="Karl Kollege", email="karl@partner.example")
    assert participant.token_hash == hash_token(token) and not Participant.objects.filter(token_hash=token).exists()
    mail = Outbox.objects.get(to_email="erika@partner.example", recipient__isnull=True)
    assert f"/terminabstimmung/{token}/" in mail.text
    page = client.get(f"/terminabstimmung/{token}/")
    assert page.status_code == 200 and "Terminabstimmung für Erika Extern" in page.content.decode()
    assert "Karl Kollege" not in page.content.decode()  # externals see counts, not names
    assert client.post(f"/terminabstimmung/{token}/", _answers(poll, "no", comment="Leider verreist")).status_code == 302
    assert set(Answer.objects.filter(participant=participant).values_list("choice", flat=True)) == {"no"}
    assert not Answer.objects.filter(participant=other).exists()
    # Guessed, tampered and members' links: 404.
    for bad in ("geraten", token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 200):
        assert client.get(f"/terminabstimmung/{bad}/").status_code == 404
    # Duplicate invitations are refused.
    with pytest.raises(Exception):  # noqa: B017
        actions.add_external(lead, poll, name="Erika", email="erika@partner.example")


def test_external_answers_after_the_deadline_are_refused_in_german(client, team_workspace, make_poll, lead):
    poll = make_poll(team_workspace)
    _participant, token = actions.add_external(lead, poll, name="Erika Extern", email="erika@partner.example")
    Poll.objects.filter(pk=poll.pk).update(deadline=past())
    html = client.get(f"/terminabstimmung/{token}/").content.decode()
    assert "beendet; Antworten sind nicht mehr möglich." in html
    response = client.post(f"/terminabstimmung/{token}/", _answers(poll))
    assert "beendet; Antworten sind nicht mehr möglich." in response.content.decode()
    assert not Answer.objects.exists()


def test_confirmation_creates_the_event_sends_ics_and_calls_the_hook(client_for, team_workspace, make_poll, lead, personas):
    poll = make_poll(team_workspace)
    _participant, _token = actions.add_external(lead, poll, name="Erika Extern", email="erika@partner.example")
    slot = poll.slots.last()
    received = []
    slot_confirmed.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-hook")
    try:
        client = client_for("anonymous")
        client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post(f"/terminabstimmungen/{poll.pk}/bestaetigen/", {"slot": slot.pk})
    finally:
        slot_confirmed.disconnect(dispatch_uid="test-hook")
    event = Event.objects.get(workspace=team_workspace)
    assert response.status_code == 302 and response["Location"] == f"/termine/{event.pk}/"
    assert (event.starts_at, event.ends_at, event.title) == (slot.starts_at, slot.ends_at, poll.title)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CONFIRMED and poll.event == event and poll.closed_at
    assert received and received[0]["poll"] == poll and received[0]["event"] == event
    assert AuditEvent.objects.filter(action="poll.confirmed", object_id=str(poll.pk)).exists()
    mails = Outbox.objects.filter(event__verb="polls.confirmed")
    assert set(mails.values_list("to_email", flat=True)) == {"member@test.example", "erika@partner.example"}
    for mail in mails:
        [attachment] = mail.event.attachments.all()
        cal = Calendar.from_ical(bytes(attachment.content))
        [vevent] = cal.walk("VEVENT")
        assert cal["METHOD"] == "REQUEST" and vevent["UID"] == event.uid
        assert vevent.decoded("DTSTART") == slot.starts_at
    # A second confirmation is refused.
    again = client_for("member").post(f"/terminabstimmungen/{poll.pk}/bestaetigen/", {"slot": slot.pk})
    assert again.status_code == 404  # the member does not run this poll
    with pytest.raises(Exception):  # noqa: B017
        actions.confirm(lead, poll, slot)


def test_deleting_the_confirmed_event_sends_a_cancel(team_workspace, make_poll, lead):
    poll = make_poll(team_workspace)
    actions.add_external(lead, poll, name="Erika Extern", email="erika@partner.example")
    event = actions.confirm(lead, poll, poll.slots.first())
    delete_event(lead, event)
    mail = Outbox.objects.get(event__verb="polls.cancelled", to_email="erika@partner.example")
    cal = Calendar.from_ical(bytes(mail.event.attachments.get().content))
    [vevent] = cal.walk("VEVENT")
    assert cal["METHOD"] == "CANCEL" and vevent["UID"] == event.uid and vevent["SEQUENCE"] == 1


def test_deleting_a_poll_is_audited(client_for, team_workspace, make_poll, lead):
    poll = make_poll(team_workspace)
    client = client_for("anonymous")
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(f"/terminabstimmungen/{poll.pk}/loeschen/").status_code == 302
    assert not Poll.objects.exists()
    entry = AuditEvent.objects.get(action="poll.deleted")
    assert entry.before["title"] == "Regietreffen Herbst" and entry.before["participants"] == 2


def test_reminders_go_once_to_those_who_have_not_answered(team_workspace, make_poll, lead, personas):
    poll = make_poll(team_workspace, deadline=dt.datetime.now(dt.UTC) + dt.timedelta(hours=20))
    actions.answer(actions.participant_for(lead, poll), {s.pk: "yes" for s in poll.slots.all()})
    actions.add_external(lead, poll, name="Erika Extern", email="erika@partner.example")
    assert actions.send_reminders() == 2
    assert actions.send_reminders() == 0
    reminded = set(Outbox.objects.filter(event__verb="polls.reminder").values_list("to_email", flat=True))
    assert reminded == {"member@test.example", "erika@partner.example"}


@override_settings(POLL_RETENTION_DAYS=30)
def test_closed_polls_are_deleted_after_the_retention_period_and_logged(team_workspace, make_poll, lead, caplog):
    from django.core.management import call_command

    old = make_poll(team_workspace, title="Alt")
    unconfirmed = make_poll(team_workspace, title="Nie bestätigt")
    recent = make_poll(team_workspace, title="Neu")
    actions.confirm(lead, old, old.slots.first())
    actions.confirm(lead, recent, recent.slots.first())
    Poll.objects.filter(pk=old.pk).update(closed_at=past(31 * 24))
    Poll.objects.filter(pk=unconfirmed.pk).update(deadline=past(31 * 24))
    with caplog.at_level("INFO", logger="polls.actions"):
        call_command("polls_housekeeping")
        call_command("polls_housekeeping")  # idempotent
    assert list(Poll.objects.values_list("title", flat=True)) == ["Neu"]
    assert AuditEvent.objects.filter(action="poll.deleted", actor__isnull=True).count() == 2
    assert "retention 30 days" in caplog.text
    assert Event.objects.count() == 2  # the calendar keeps the confirmed dates


def test_the_scheduler_runs_the_housekeeping_daily(team_workspace, make_poll):
    from notifications.scheduler import run_due

    poll = make_poll(team_workspace)
    Poll.objects.filter(pk=poll.pk).update(deadline=past(100 * 24))
    ran = run_due(dt.datetime.now(dt.UTC).replace(hour=20))
    assert "polls-housekeeping" in ran and not Poll.objects.exists()


def test_a_deleted_poll_takes_the_external_participants_personal_links_out_of_the_mail_store(team_workspace, make_poll, lead):
    from notifications import models as notification_models

    poll = make_poll(team_workspace)
    _participant, token = actions.add_external(lead, poll, name="Erika Extern", email="erika@partner.example")
    mail = Outbox.objects.get(to_email="erika@partner.example")
    # Still on its way: the daily sweep takes it once it went out, the deletion does not drop it.
    actions.delete_poll(lead, poll)
    assert Outbox.objects.filter(pk=mail.pk).exists()
    Outbox.objects.filter(pk=mail.pk).update(state=Outbox.State.SENT)
    from notifications.housekeeping import run_daily

    assert run_daily(dt.date.today())["orphaned_events"] >= 1
    assert not Outbox.objects.filter(text__contains=token).exists()
    assert not notification_models.Event.objects.filter(text__contains=token).exists()


def test_deleting_a_poll_whose_mails_went_out_forgets_them_at_once(team_workspace, make_poll, lead):
    from notifications import models as notification_models

    poll = make_poll(team_workspace)
    _participant, token = actions.add_external(lead, poll, name="Erika Extern", email="erika@partner.example")
    Outbox.objects.update(state=Outbox.State.SENT)
    actions.delete_poll(lead, poll)
    assert not Outbox.objects.filter(text__contains=token).exists()
    assert not notification_models.Event.objects.filter(text__contains=token).exists()
