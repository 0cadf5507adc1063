from __future__ import annotations

from django.db import transaction

from audit.actions import record, snapshot
from lib.concurrency import save_versioned

from .models import AccessibilityFeedback, Page
from .tasks import notify_office_of_feedback


@transaction.atomic
def update_page(actor, page: Page, expected_version: int, **fields) -> Page:
    """Legal pages are accountable content (BSI): each change is audited."""
    before = snapshot(Page.objects.get(pk=page.pk))
    for name, value in fields.items():
        setattr(page, name, value)
    page.last_editor = actor
    page.full_clean()
    save_versioned(page, expected_version)
    record(actor, "page.changed", page, before=before, after=snapshot(page))
    return page


@transaction.atomic
def submit_accessibility_feedback(**fields) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback(**fields)
    feedback.full_clean()
    feedback.save()
    transaction.on_commit(lambda: notify_office_of_feedback.enqueue(feedback.pk))
    return feedback
