"""Sending the outbox: at most one worker per mail, nothing lost when a worker dies.

Each mail moves ``pending → claimed → sending → sent``:

1. *claim*: one transaction takes a batch of rows with ``SELECT … FOR UPDATE SKIP LOCKED`` (so
   several workers never take the same row) and gives them a lease;
2. *sending*: just before the SMTP hand-over the row is marked ``sending`` (committed);
3. *sent*: as soon as the SMTP server has accepted the message (``250``) the row is marked sent.

A worker killed at any point leaves its rows ``claimed`` or ``sending``; when the lease runs out
another worker takes them again. A ``claimed`` row was never handed to SMTP, so sending it again
sends it once. At most the one ``sending`` row per dead worker is uncertain: the server may have
accepted it just before the kill. It is sent again (no mail is lost), marked ``uncertain`` and
logged; it carries the same Message-ID both times, so the duplicate is detectable. See
docs/architecture.md, "Notifications".
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from lib.mail import header_text, recipient_language

from .models import Outbox
from .tokens import make_token

log = logging.getLogger(__name__)
State = Outbox.State


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATIONS_OUTBOX_LEASE_SECONDS)


def claim(batch: int) -> list[Outbox]:
    """Take up to ``batch`` due rows for this worker (pending ones and those whose lease ran out)."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Outbox.objects.select_for_update(skip_locked=True)
            .filter(
                Q(state=State.PENDING, next_attempt_at__isnull=True)
                | Q(state=State.PENDING, next_attempt_at__lte=now)
                | Q(state__in=[State.CLAIMED, State.SENDING], lease_until__lt=now)
            )
            .order_by("id")[:batch]
        )
        if not rows:
            return []
        uncertain = [row.pk for row in rows if row.state == State.SENDING]
        if uncertain:
            log.warning("outbox: mails %s were being sent when a worker stopped; sending again", uncertain)
            Outbox.objects.filter(pk__in=uncertain).update(uncertain=True)
        Outbox.objects.filter(pk__in=[row.pk for row in rows]).update(state=State.CLAIMED, lease_until=now + _lease())
    return rows


def unsubscribe_url(user_id: int, scope: str) -> str:
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[make_token(user_id, scope)])


def build_message(row: Outbox, connection=None) -> EmailMultiAlternatives:
    """The mail of one outbox row in the recipient's language (their profile's; German by default), plain text and
    HTML, with one-click unsubscribe headers."""
    event = row.event
    language = recipient_language(row.to_email)
    version = (event.translations or {}).get(language, {}) if event is not None else {}
    with translation.override(language):
        subject = header_text(row.subject or version.get("subject") or event.display_subject)
    unsubscribe = unsubscribe_url(row.recipient_id, row.unsubscribe_scope) if row.recipient_id else ""
    context = {
        "site_url": settings.SITE_URL,
        "subject": subject,
        "text": row.text or version.get("text") or event.text,
        "html": row.html or version.get("html") or event.html,
        "url": event.url if event and event.url else "",
        "unsubscribe_url": unsubscribe,
        "workspace_scope": row.unsubscribe_scope.startswith("ws:"),
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
        "has_account": row.recipient_id is not None or event is not None,
    }
    if context["url"].startswith("/"):
        context["url"] = settings.SITE_URL + context["url"]
    with translation.override(language):
        text = render_to_string("notifications/mail/message.txt", context)
        html = render_to_string("notifications/mail/message.html", context)
    headers = {"Message-ID": row.message_id, "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers=headers,
        reply_to=[row.reply_to] if row.reply_to else None,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    if event is not None:
        for attachment in event.attachments.all():
            message.attach(header_text(attachment.filename), bytes(attachment.content), attachment.mimetype)
    return message


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 30 * 2**attempts))


def _send(connection, row: Outbox) -> bool:
    """Hand one claimed row to SMTP. Returns False when the connection should be reopened.

    Whatever goes wrong with this one mail (a refused recipient, a header the mail library rejects,
    a broken connection, a bug) is recorded on its row; the batch goes on with the next mail.
    """
    now = timezone.now()
    taken = Outbox.objects.filter(pk=row.pk, state=State.CLAIMED).update(
        state=State.SENDING, attempts=F("attempts") + 1, lease_until=now + _lease()
    )
    if not taken:  # our lease ran out and another worker has it now
        return True
    try:
        message = build_message(row, connection)
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("The mail backend did not send the message.")
    except Exception as exc:
        _record_failure(row, exc)
        return False  # the connection's state is unknown after an error
    Outbox.objects.filter(pk=row.pk).update(state=State.SENT, sent_at=timezone.now(), lease_until=None)
    return True


def _record_failure(row: Outbox, exc: Exception) -> None:
    """Failed for good (a permanent SMTP answer, or the last attempt), or pending again after a back-off."""
    attempts = row.attempts + 1
    reason = f"{exc.__class__.__name__}: {exc}"[:2000]
    if _permanent(exc) or attempts >= settings.NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS:
        Outbox.objects.filter(pk=row.pk).update(state=State.FAILED, last_error=reason, lease_until=None)
        log.error("outbox: mail %s failed for good after %s attempts: %s", row.pk, attempts, reason)
    else:
        delay = _retry_delay(attempts)
        Outbox.objects.filter(pk=row.pk).update(
            state=State.PENDING, last_error=reason, next_attempt_at=timezone.now() + delay, lease_until=None
        )
        log.warning("outbox: mail %s not sent (%s); next try in %s", row.pk, reason, delay)


def deliver(batch: int | None = None, *, max_batches: int = 100) -> int:
    """Send due mails until none is left (or ``max_batches`` batches); returns how many were handled."""
    batch = batch or settings.NOTIFICATIONS_OUTBOX_BATCH
    handled = 0
    connection = None
    try:
        for _ in range(max_batches):
            rows = claim(batch)
            if not rows:
                break
            for row in (
                Outbox.objects.filter(pk__in=[r.pk for r in rows])
                .select_related("event")
                .prefetch_related("event__attachments")
                .order_by("id")
            ):
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                if not _send(connection, row):
                    connection.close()
                    connection = None
                handled += 1
    finally:
        if connection is not None:
            connection.close()
    return handled
