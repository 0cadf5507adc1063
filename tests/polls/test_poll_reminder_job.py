"""Reminders for open date polls through the worker's daily job, over real SMTP (issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from notifications.delivery import deliver
from notifications.models import Event
from notifications.scheduler import run_due
from polls import actions
from tests.notifications.helpers import use_smtp
from tests.support.smtp import LocalSMTPServer

pytestmark = pytest.mark.django_db


def test_the_daily_job_reminds_the_silent_once_and_the_reminder_reads_in_english_too(
    team_workspace, make_poll, lead, personas, settings, client_for
):
    poll = make_poll(team_workspace, deadline=timezone.now() + dt.timedelta(hours=30))
    actions.answer(actions.participant_for(lead, poll), {s.pk: "yes" for s in poll.slots.all()})
    today = timezone.localdate()
    at_eight = timezone.make_aware(dt.datetime.combine(today, dt.time(settings.NOTIFICATIONS_DIGEST_HOUR, 5)))
    assert "polls-housekeeping" in run_due(at_eight)
    run_due(at_eight + dt.timedelta(hours=20))  # the next day's run
    assert Event.objects.filter(verb="polls.reminder").count() == 1  # once, also when the job runs again
    with LocalSMTPServer() as smtp:
        use_smtp(settings, smtp)
        deliver()
        messages = smtp.wait_for(1)
    reminded = {address for message in messages for address in message.envelope_to}
    assert reminded == {personas["member"].email}  # the lead answered already
    client = client_for("member")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/benachrichtigungen/").content.decode()
    assert "Erinnerung: Terminabstimmung" not in page
