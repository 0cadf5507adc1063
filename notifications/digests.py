"""Daily and weekly summaries for people who asked for them instead of a mail per event.

A notification waits with ``mail="digest"`` until its person's next summary. The summary, its
outbox row and the marking of its notifications are one transaction, and ``Digest`` is unique per
person and period: a worker that restarts, or a second worker, never sends a summary twice, and a
notification that went out by itself (``mail="immediate"``) never appears in a summary.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Digest, EmailMode, Notification, Outbox

MODE_OF_KIND = {Digest.Kind.DAILY: EmailMode.DAILY, Digest.Kind.WEEKLY: EmailMode.WEEKLY}


def send_digests(kind: str, period: dt.date) -> int:
    """Write the summary mails of ``kind`` for ``period`` (a day, or the Monday of a week)."""
    user_ids = (
        Notification.objects.filter(
            mail=Notification.Mail.DIGEST, recipient__notification_settings__email_mode=MODE_OF_KIND[kind]
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(1 for user_id in list(user_ids) if digest_for(user_id, kind, period))


def digest_for(user_id: int, kind: str, period: dt.date) -> bool:
    with transaction.atomic():
        if Digest.objects.filter(user_id=user_id, kind=kind, period=period).exists():
            return False
        items = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient_id=user_id, mail=Notification.Mail.DIGEST)
            .select_related("event__workspace", "recipient")
            .order_by("event__workspace__name", "created", "id")
        )
        if not items:
            return False
        try:
            with transaction.atomic():
                digest = Digest.objects.create(user_id=user_id, kind=kind, period=period)
        except IntegrityError:  # another worker wrote it a moment ago
            return False
        subject, text, html = render_digest(kind, period, items)
        Outbox.objects.create(
            recipient_id=user_id,
            to_email=items[0].recipient.email,
            digest=digest,
            subject=subject,
            text=text,
            html=html,
            unsubscribe_scope="all",
        )
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(mail=Notification.Mail.DIGESTED, digest=digest)
    return True


def render_digest(kind: str, period: dt.date, items: list[Notification]) -> tuple[str, str, str]:
    with translation.override("de"):
        groups = [
            (workspace.name if workspace else _("Ganze Kooperation"), list(notes))
            for workspace, notes in groupby(items, key=lambda n: n.event.workspace)
        ]
        count = ngettext("%(n)s Neuigkeit", "%(n)s Neuigkeiten", len(items)) % {"n": len(items)}
        if kind == Digest.Kind.DAILY:
            subject = _("Ihre tägliche Zusammenfassung vom %(date)s: %(count)s") % {"date": f"{period:%d.%m.%Y}", "count": count}
        else:
            subject = _("Ihre Wochenzusammenfassung ab %(date)s: %(count)s") % {"date": f"{period:%d.%m.%Y}", "count": count}
        context = {"groups": groups, "site_url": settings.SITE_URL, "count": count}
        text = render_to_string("notifications/mail/digest.txt", context)
        html = render_to_string("notifications/mail/digest.html", context)
    return subject, text, html


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
