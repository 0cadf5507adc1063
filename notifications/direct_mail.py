"""The mail log lists every mail: those of the outbox and those sent at once with ``lib.mail.send_templated_mail``
(meeting invitations, the notice of accessibility feedback to the office, account invitations).

Only the subject is recorded for a mail sent at once: its text may carry a personal link (an invitation's
token) that must not sit readable in the database.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Outbox, OutboxState

log = logging.getLogger(__name__)


def record_direct_mail(sender, *, message, error, **kwargs) -> None:
    """Receiver of ``lib.mail.mail_sent``: one sent (or failed) row per address. Never raises: the mail is out."""
    from accounts.models import User

    try:
        subject = message.subject
        prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        if prefix and subject.startswith(prefix):
            subject = subject[len(prefix) :]
        addresses = list(message.to)
        users = {u.email.lower(): u for u in User.objects.filter(email__in=addresses)}
        message_id = message.extra_headers.get("Message-ID", "")
        now = timezone.now()
        for index, address in enumerate(addresses):
            row = Outbox(
                direct=True,
                recipient=users.get(address.lower()),
                to_email=address,
                subject=subject[:250],
                reply_to=", ".join(message.reply_to)[:254],
                state=OutboxState.FAILED if error else OutboxState.SENT,
                attempts=1,
                sent_at=None if error else now,
                last_error=f"{error.__class__.__name__}: {error}"[:2000] if error else "",
            )
            if message_id and index == 0:
                row.message_id = message_id
            with transaction.atomic():  # a savepoint: a failed insert must not break the caller's transaction
                row.save()
    except Exception:
        log.exception("mail log: could not record a mail sent at once")
