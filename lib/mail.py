"""Sending mail from templates: every mail in German (or the recipient's language), HTML and plain text."""

from __future__ import annotations

from collections.abc import Callable
from email.mime.base import MIMEBase
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import translation

HEADER_TEXT_LIMIT = 200

# Sent after each send_templated_mail with ``message`` and ``error`` (None when the mail server took it), so the
# mail log (notifications) can list mails that did not go through the outbox.
mail_sent = Signal()

_language_lookups: list[Callable[[str], str | None]] = []


def register_language_lookup(lookup: Callable[[str], str | None]) -> None:
    """Let an app say which language the person at an address reads mails in (members: the profile setting)."""
    if lookup not in _language_lookups:
        _language_lookups.append(lookup)


def recipient_language(address: str) -> str:
    """The language for mails to ``address``: the first lookup that knows it, else the site's (German)."""
    known = {code for code, _name in settings.LANGUAGES}
    for lookup in _language_lookups:
        language = lookup(address)
        if language in known:
            return language
    return settings.LANGUAGE_CODE


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
    language: str | None = None,
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, bytes, str] | MIMEBase] | None = None,
) -> None:
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html`` and send one message.

    ``language``: by default the recipient's (:func:`recipient_language`; German for several recipients).
    ``attachments``: ``(filename, content, mimetype)`` tuples or ready MIME parts (e.g. an iCalendar
    part that carries its ``method`` parameter).
    """
    if language is None:
        language = recipient_language(to[0]) if len(to) == 1 else settings.LANGUAGE_CODE
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
        headers={"Message-ID": make_msgid(domain=getattr(settings, "NOTIFICATIONS_MESSAGE_ID_DOMAIN", None))},
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments or []:
        if isinstance(attachment, tuple):
            message.attach(*attachment)
        else:
            message.attach(attachment)
    try:
        message.send()
    except Exception as exc:
        mail_sent.send(sender=send_templated_mail, message=message, error=exc)
        raise
    mail_sent.send(sender=send_templated_mail, message=message, error=None)
