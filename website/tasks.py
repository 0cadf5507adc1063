from django.conf import settings
from django_tasks import task

from lib.mail import send_templated_mail

from .models import AccessibilityFeedback


@task()
def notify_office_of_feedback(feedback_id: int) -> None:
    feedback = AccessibilityFeedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        return
    send_templated_mail(
        "accessibility_feedback",
        [settings.MANAGING_OFFICE_EMAIL],
        {"feedback": feedback},
        reply_to=[feedback.email] if feedback.email else None,
    )
