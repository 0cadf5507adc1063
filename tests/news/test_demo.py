"""The demo's news, tasks and notifications: idempotent and as described in the brief."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from news.models import Comment, Post
from notifications.models import Notification
from tasks.models import Task

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_news_tasks_and_notifications_once(cooperation):
    call_command("seed_demo", "--quiet-logins")
    counts = (Post.objects.count(), Comment.objects.count(), Task.objects.count(), Notification.objects.count())
    call_command("seed_demo", "--quiet-logins")
    assert (Post.objects.count(), Comment.objects.count(), Task.objects.count(), Notification.objects.count()) == counts
    assert Post.objects.filter(is_public=True).count() == 2
    assert Comment.objects.exists()
    assert Notification.objects.filter(
        event__verb="news.mentioned", recipient__email="projektteam@interkommunal.example"
    ).exists()
    assert Task.objects.overdue().exists()
    assert Task.objects.filter(assigned_municipalities__slug="herne").exists()
