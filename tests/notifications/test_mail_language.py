"""Mails in the recipient's language: the profile's setting (German by default, English second) decides the
subject and the text of every mail, from the outbox and sent at once (issue 10)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from members.models import Body, Municipality, Person
from news.actions import create_post
from notifications.delivery import deliver
from notifications.dispatch import run_once
from tasks.actions import create_task
from tests.workspaces.conftest import give_role, lead, make_workspace  # noqa: F401 - fixtures
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

PREFIX = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX


@pytest.fixture
def english_member(personas, client_for):
    """The member persona chooses English mails on the profile page."""
    client = client_for("member")
    page = client.get("/profil/bearbeiten/")
    assert 'name="language"' in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    assert client.post("/profil/bearbeiten/", {**data, "language": "en"}).status_code == 302
    assert Person.objects.get(user=personas["member"]).language == "en"
    return personas["member"]


@pytest.fixture
def project(personas, make_workspace, lead):  # noqa: F811
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Messe 2027")
    give_role(workspace, personas["member"], "editor")
    give_role(workspace, personas["office"], "editor")
    return workspace


def _mail_to(user):
    found = [m for m in mail.outbox if m.to == [user.email]]
    assert len(found) == 1, [m.subject for m in mail.outbox]
    message = found[0]
    return message.subject, message.body + message.alternatives[0][0]


def test_a_task_reaches_each_person_in_their_language(project, lead, english_member, personas):  # noqa: F811
    create_task(lead, project, title="Stände planen", assignees=[english_member, personas["office"]])
    run_once()
    deliver()
    subject, body = _mail_to(english_member)
    assert subject == PREFIX + "New task for you: Stände planen"
    assert "has assigned a task to you" in body and "zugewiesen" not in body
    subject, body = _mail_to(personas["office"])
    assert subject == PREFIX + "Neue Aufgabe für Sie: Stände planen"
    assert "hat Ihnen eine Aufgabe zugewiesen" in body


def test_a_news_post_reaches_each_person_in_their_language(project, lead, english_member, personas):  # noqa: F811
    create_post(lead, project, title="Standplan", body="Der Plan steht.")
    run_once()
    deliver()
    subject, body = _mail_to(english_member)
    assert subject == PREFIX + "New post: Standplan"
    assert "wrote in" in body and "Der Plan steht." in body and "hat in" not in body
    subject, body = _mail_to(personas["office"])
    assert subject == PREFIX + "Neuer Beitrag: Standplan" and "hat in" in body


def test_a_meeting_invitation_reaches_each_person_in_their_language(
    english_member, personas, django_capture_on_commit_callbacks, settings, tmp_path
):
    from meetings.agenda import actions as agenda
    from meetings.core import actions as core
    from meetings.invitations import actions as invitations

    settings.MEDIA_ROOT = tmp_path
    office = personas["office"]
    body = Body.objects.get(slug="regiegruppe")
    day = timezone.localdate() + dt.timedelta(days=35)
    day += dt.timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday
    start = dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Europe/Berlin"))
    meeting, _warnings = core.create_meeting(
        office,
        body,
        start=start,
        end=start + dt.timedelta(hours=3),
        title="Regietreffen",
        host=Municipality.objects.get(slug="herne"),
        status="scheduled",
    )
    item = agenda.propose_item(office, body, title="Interkulturelle Öffnung")
    agenda.decide_item(office, item, "accept", meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitation(office, meeting)
    subject, text = _mail_to(english_member)
    assert subject.startswith(PREFIX + "Invitation: ")
    assert "hereby invites you" in text and "Agenda" in text and "hiermit lädt" not in text
    german = [m for m in mail.outbox if m.to != [english_member.email]]
    assert german and all(m.subject.startswith(PREFIX + "Einladung: ") for m in german)
