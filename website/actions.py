from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.actions import record, snapshot
from lib.concurrency import save_versioned
from notifications.actions import notify, queue_mail
from notifications.messages import Translatable

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


def _feedback_audit(feedback: AccessibilityFeedback) -> dict:
    # The sender's name and address stay out of the audit log (data minimisation); the row has them.
    return snapshot(feedback, exclude=("version", "modified", "created", "name", "email", "description", "reminder_sent_on"))


@transaction.atomic
def set_feedback_status(actor, feedback: AccessibilityFeedback, expected_version: int, status: str) -> AccessibilityFeedback:
    if status not in AccessibilityFeedback.Status.values:
        raise ValidationError({"status": _("Bitte wählen Sie einen gültigen Status.")})
    before = _feedback_audit(feedback)
    feedback.status = status
    save_versioned(feedback, expected_version, fields=["status"])
    record(actor, "accessibility_feedback.status", feedback, before=before, after=_feedback_audit(feedback))
    return feedback


@transaction.atomic
def answer_feedback(actor, feedback: AccessibilityFeedback, expected_version: int, text: str) -> AccessibilityFeedback:
    """Send the office's answer to the sender (through the outbox) and mark the feedback answered."""
    text = text.strip()
    if not feedback.email:
        raise ValidationError(
            _("Die meldende Person hat keine E-Mail-Adresse angegeben. Setzen Sie den Status, wenn Sie anders geantwortet haben.")
        )
    if not text:
        raise ValidationError({"answer": _("Bitte schreiben Sie eine Antwort.")})
    before = _feedback_audit(feedback)
    feedback.answer = text
    feedback.answered_at = timezone.now()
    feedback.answered_by = actor
    feedback.status = AccessibilityFeedback.Status.ANSWERED
    feedback.full_clean(exclude=["answered_by"])
    save_versioned(feedback, expected_version, fields=["answer", "answered_at", "answered_by", "status"])
    with translation.override("de"):
        subject = _("Ihre Rückmeldung zur Barrierefreiheit vom %(date)s") % {
            "date": f"{timezone.localtime(feedback.created):%d.%m.%Y}"
        }
        quoted = "\n".join("> " + line for line in feedback.description.splitlines())
        body = (
            text
            + "\n\n"
            + _("Ihre Rückmeldung vom %(date)s:") % {"date": f"{timezone.localtime(feedback.created):%d.%m.%Y}"}
            + "\n"
            + quoted
        )
    queue_mail(to_email=feedback.email, subject=subject, text=body, reply_to=settings.FEEDBACK_REPLY_TO_EMAIL)
    record(actor, "accessibility_feedback.answered", feedback, before=before, after=_feedback_audit(feedback))
    return feedback


def _office_users():
    from accounts.models import User
    from members.models import Body, Membership

    seated = (
        Membership.objects.current()
        .filter(person__is_active=True, person__user__isnull=False)
        .filter(Q(role=Membership.Role.MANAGING_OFFICE) | Q(body__kind=Body.Kind.MANAGING_OFFICE))
        .values("person__user_id")
    )
    return list(User.objects.filter(is_active=True, pk__in=seated))


def send_feedback_deadline_reminders(today: dt.date) -> int:
    """Remind the office of open feedback whose answer is due within a week; each feedback once.

    Run daily by the worker's scheduler; a restarted run skips what ``reminder_sent_on`` marks done.
    """
    horizon = today + dt.timedelta(days=settings.ACCESSIBILITY_FEEDBACK_REMINDER_DAYS)
    sent = 0
    while True:
        with transaction.atomic():
            feedback = (
                AccessibilityFeedback.objects.select_for_update(skip_locked=True)
                .filter(status__in=AccessibilityFeedback.OPEN_STATUSES, due_on__lte=horizon, reminder_sent_on__isnull=True)
                .order_by("due_on", "pk")
                .first()
            )
            if feedback is None:
                return sent
            with translation.override("de"):
                subject = Translatable(
                    gettext_noop("Frist: Rückmeldung zur Barrierefreiheit bis %(date)s beantworten"),
                    {"date": f"{feedback.due_on:%d.%m.%Y}"},
                )
                text = (
                    _("Eine Rückmeldung zur Barrierefreiheit ist noch offen; die Antwort ist bis %(date)s fällig.")
                    % {"date": f"{feedback.due_on:%d.%m.%Y}"}
                    + "\n\n"
                    + feedback.description[:500]
                )
            office = _office_users()
            if office:
                notify(
                    recipients=office,
                    verb="accessibility_feedback.reminder",
                    target=feedback,
                    always=True,
                    subject=subject,
                    text=text,
                    url=feedback.get_absolute_url(),
                )
            else:
                queue_mail(to_email=settings.MANAGING_OFFICE_EMAIL, subject=subject, text=text)
            AccessibilityFeedback.objects.filter(pk=feedback.pk).update(reminder_sent_on=today)
            sent += 1
