"""Sending mail from templates: every mail in German (or the recipient's language), HTML and plain text."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(
    template: str,
    to: list[str],
    context: dict,
    *,
    language: str = "de",
    reply_to: list[str] | None = None,
    attachments: list | None = None,
) -> None:
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html`` and send one message.

    ``attachments``: ``(filename, content, mimetype)`` tuples or ready MIME parts (e.g. an iCalendar
    part that carries its ``method`` parameter).
    """
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"mail/{template}.subject.txt", ctx).split())
        text = render_to_string(f"mail/{template}.txt", ctx)
        html = render_to_string(f"mail/{template}.html", ctx)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments or []:
        if isinstance(attachment, tuple):
            message.attach(*attachment)
        else:
            message.attach(attachment)
    message.send()
