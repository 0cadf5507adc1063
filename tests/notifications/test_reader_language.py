"""Stored German texts shown in the reader's language: notification subjects, survey categories (issue 10)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from monitoring.models import AggregateCell
from notifications.models import Event
from tasks.actions import create_task
from tests.workspaces.conftest import lead, make_workspace  # noqa: F401 - fixtures
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def test_a_notification_subject_is_shown_in_the_reader_s_language(personas, client_for, make_workspace, lead):  # noqa: F811
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Messe 2027")
    create_task(lead, workspace, title="Stände planen", assignees=[personas["member"]])
    event = Event.objects.get(verb="task.assigned")
    assert event.subject == "Neue Aufgabe für Sie: Stände planen"  # mails and the record stay German
    client = client_for("member")
    assert "Neue Aufgabe für Sie: Stände planen" in client.get("/benachrichtigungen/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/benachrichtigungen/").content.decode()
    assert "New task for you: Stände planen" in page and "Neue Aufgabe für Sie" not in page


def test_a_stored_subject_without_its_message_stays_as_written(db):
    event = Event(subject="Altes Ereignis", subject_message={})
    with translation.override("en"):
        assert event.display_subject == "Altes Ereignis"


def test_survey_category_labels_follow_the_reader_s_language():
    cell = AggregateCell(facet="department_group", category="education", label="Bildung, Kultur, Sport")
    with translation.override("en"):
        assert cell.display_label == "Education, culture, sport"
    with translation.override("de"):
        assert cell.display_label == "Bildung, Kultur, Sport"
    own = AggregateCell(facet="local_q1@herne", category="a", label="Eigene Antwort")
    with translation.override("en"):
        assert own.display_label == "Eigene Antwort"  # a city's own item has no translation
