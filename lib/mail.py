"""Sending mail from templates: every mail in German (or the recipient's language), HTML and plain text."""

from __future__ import annotations

from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

HEADER_TEXT_LIMIT = 200


def header_text(value: str, limit: int = HEADER_TEXT_LIMIT) -> str:
    """User text made safe for a mail header: one line, no control or format characters, at most ``limit`` characters.

    A line break in a header is refused by the mail library (or, worse, starts a new header), so
    everything that is not printable becomes a space and runs of spaces become one.
    """
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def send_templated_mail(
    template: str,
    to: list[str],
    context: dict[str, Any],
    *,
    language: str = "de",
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, bytes, str] | MIMEBase] | None = None,
) -> None:
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html`` and send one message.

    ``attachments``: ``(filename, content, mimetype)`` tuples or ready MIME parts (e.g. an iCalendar
    part that carries its ``method`` parameter).
    """
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, **context}
        subject = header_text(render_to_string(f"mail/{template}.subject.txt", ctx))
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
