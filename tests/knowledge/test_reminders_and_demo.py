"""Review-by reminders become tasks for the office (daily job, once per date); the demo loads and is idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from knowledge import actions
from knowledge.demo import load_demo_knowledge
from knowledge.models import PracticeExample, Revision
from knowledge.reminders import create_reminders
from tasks.models import Task
from tests.knowledge.scene import approve_twice, submitted

pytestmark = pytest.mark.django_db


def test_a_task_for_the_office_when_the_review_by_date_nears_once(personas, settings, client_for):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    example = submitted(contributor)
    actions.assign_reviewer(office, example, member)
    approve_twice(example, office, member)
    today = timezone.localdate()
    assert create_reminders(today) == 0  # the review-by date is two years ahead
    soon = example.review_by - dt.timedelta(days=settings.KNOWLEDGE_REVIEW_REMINDER_DAYS)
    assert create_reminders(soon) == 1
    assert create_reminders(soon + dt.timedelta(days=1)) == 0  # a second run, or the next day: nothing twice
    task = Task.objects.get(title__startswith="Praxisbeispiel prüfen")
    assert task.workspace.body.kind == "managing_office"
    assert task.due_date == example.review_by

    # "Still current": a new last-checked date and the next review-by date; a later reminder again
    example.refresh_from_db()
    response = client_for("office").post(f"/wissen/{example.pk}/geprueft/", {"version": example.version})
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.last_checked == today and example.reminder_task_for is None


def test_the_demo_has_published_and_pending_examples_from_outside(personas):
    from members.demo import load_demo_accounts

    load_demo_accounts()
    assert load_demo_knowledge() == 4
    assert load_demo_knowledge() == 0
    examples = PracticeExample.objects.all()
    assert examples.filter(published__isnull=False).count() == 2
    assert examples.filter(latest__state=Revision.State.IN_REVIEW).count() == 2  # one of them published before
    assert examples.filter(latest__state=Revision.State.CHANGES_REQUESTED).count() == 1
    assert all(hasattr(e.author.person, "contributor") for e in examples)


def test_the_demo_example_cites_a_released_monitoring_figure_when_there_is_one(personas):
    from members.demo import load_demo_accounts
    from monitoring.demo import load_demo_monitoring

    load_demo_accounts()
    load_demo_monitoring(scale=0.2)
    load_demo_knowledge()
    example = PracticeExample.objects.get(published__title__startswith="Anonymisierte Bewerbungsverfahren")
    assert example.published.evidence_indicator_id is not None
    response = Client().get(example.get_absolute_url())
    assert response.status_code == 200
    assert "/monitoring/ergebnisse/" in response.content.decode()
