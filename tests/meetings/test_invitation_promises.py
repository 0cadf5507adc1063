"""Attacks on the invitation promises, written from what an outsider gets: the mails over SMTP and the pages.

Independent of the defending code: it reads no model or action of the reply links, only links in mails,
HTML forms and the public OParl output (see docs/testing.md, "Attack your own promises").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from meetings.agenda import actions as agenda_actions
from meetings.invitations import actions as invitation_actions
from meetings.models import Meeting
from polls.actions import confirm, create_poll
from tests.calendar_events.conftest import soon
from tests.support.clock import FROZEN_NOW
from tests.support.smtp import LocalSMTPServer
from tests.workspaces.conftest import body_workspaces  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN_NOW)]
URL = re.compile(r"https?://testserver(/[^\s\"<>]*)")


@pytest.fixture
def smtp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "http://testserver"
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server


class Forms(HTMLParser):
    """The POST forms of a page with their radio choices."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "radios": {}})
        elif tag == "input" and self.forms and attrs.get("type") == "radio":
            self.forms[-1]["radios"].setdefault(attrs.get("name"), []).append(attrs.get("value"))


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def poll_meeting_invited(personas, body_workspaces, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    office = personas["office"]
    poll = create_poll(
        office,
        body_workspaces["regiegruppe"],
        title="Regiegruppe: Herbsttreffen",
        location="Rathaus Bottrop",
        deadline=soon(3, 18),
        slots=[(soon(40, 10), soon(40, 13))],
        purpose="meeting",
    )
    meeting = Meeting.objects.get(event=confirm(office, poll, poll.slots.get()))
    item = agenda_actions.propose_item(office, meeting.body, title="Bericht aus den Städten")
    agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch, _warnings = invitation_actions.send_invitation(office, meeting)
    return meeting, smtp.wait_for(dispatch.recipients)


def plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_first_mail_about_a_poll_meeting_is_not_an_update(poll_meeting_invited):
    _meeting, received = poll_meeting_invited
    for message in received:
        assert "Aktualisierte" not in message["Subject"]
        assert "geändert" not in plain(message)


def test_the_body_is_named_once_and_the_poll_place_stays(poll_meeting_invited, client):
    meeting, received = poll_meeting_invited
    for text in (plain(received[0]), client.get(f"/sitzungen/{meeting.pk}/").content.decode()):
        assert "Regiegruppe: Regiegruppe" not in text
    assert "Rathaus Bottrop" in plain(received[0])
    assert client.get(f"/oparl/v1.1/meeting/{meeting.pk}").json()["name"].count("Regiegruppe") == 1


def test_a_member_without_an_account_can_answer_from_the_mail_without_signing_in(personas, poll_meeting_invited):
    meeting, received = poll_meeting_invited
    office = Client()
    office.force_login(personas["office"], backend="django.contrib.auth.backends.ModelBackend")
    without_account = [m for m in received if m.envelope_to[0] not in {"member@test.example", "office@test.example"}]
    message = without_account[0]
    answered = False
    for path in URL.findall(plain(message)):
        anonymous = Client()
        page = anonymous.get(path)
        if page.status_code != 200:
            continue
        for form in forms_of(page.content.decode()):
            choices = next((values for values in form["radios"].values() if "not_attending" in values), None)
            if choices:
                name = next(n for n, values in form["radios"].items() if values is choices)
                anonymous.post(form["action"] or path, {name: "not_attending", "comment": "Leider verhindert"})
                answered = True
    assert answered, "no link in the mail leads to a reply form without signing in"
    assert "Leider verhindert" in office.get(f"/sitzungen/{meeting.pk}/").content.decode()


def test_a_guessed_or_altered_link_answers_nothing(personas, poll_meeting_invited):
    meeting, received = poll_meeting_invited
    paths = [p for p in URL.findall(plain(received[0])) if not p.startswith(f"/sitzungen/{meeting.pk}/")]
    office = Client()
    office.force_login(personas["office"], backend="django.contrib.auth.backends.ModelBackend")
    before = office.get(f"/sitzungen/{meeting.pk}/").content.decode().count("Nicht zu erraten")
    for path in paths:
        head, _sep, secret = path.rstrip("/").rpartition("/")
        for forged in (secret[:-2] + "zz", secret[::-1], "0" * len(secret)):
            response = Client().post(f"{head}/{forged}/", {"answer": "attending", "comment": "Nicht zu erraten"})
            assert response.status_code == 404
    assert office.get(f"/sitzungen/{meeting.pk}/").content.decode().count("Nicht zu erraten") == before
