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
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.mail import recipient_language

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
        items = _still_readable(items)
        if not items:
            return False
        try:
            with transaction.atomic():
                digest = Digest.objects.create(user_id=user_id, kind=kind, period=period)
        except IntegrityError:  # another worker wrote it a moment ago
            return False
        subject, text, html = render_digest(kind, period, items, language=recipient_language(items[0].recipient.email))
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


def _still_readable(items: list[Notification]) -> list[Notification]:
    """The notifications whose object the person may still open. A summary goes out up to a week after the
    events, and in between the person may have left the workspace or the workspace closed: what they may no
    longer read is not mailed (it stays unmailed, ``mail="none"``). The rule is the object kind's access
    function, as the search names it (``search.registry.Provider.visible_to``); a kind without one, or an
    object that is gone (a cancellation is about it), is kept."""
    from search.registry import providers

    if not items:
        return items
    recipient = items[0].recipient
    by_model = {provider.model: provider for provider in providers()}
    targets: dict[int, set[str]] = {}
    for note in items:
        if note.event.target_type_id:
            targets.setdefault(note.event.target_type_id, set()).add(note.event.target_id)
    hidden: set[tuple[int, str]] = set()
    for type_id, ids in targets.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        provider = by_model.get(model)
        visible = provider.visible_to(recipient) if provider is not None else None
        if visible is None:
            continue
        keys = [int(pk) for pk in ids if pk.isdigit()]
        existing = {str(pk) for pk in model._default_manager.filter(pk__in=keys).values_list("pk", flat=True)}
        readable = {str(pk) for pk in visible.filter(pk__in=keys).values_list("pk", flat=True)}
        hidden |= {(type_id, pk) for pk in existing - readable}
    if not hidden:
        return items
    dropped = [n.pk for n in items if (n.event.target_type_id, n.event.target_id) in hidden]
    Notification.objects.filter(pk__in=dropped).update(mail=Notification.Mail.NONE)
    return [n for n in items if n.pk not in dropped]


def render_digest(kind: str, period: dt.date, items: list[Notification], *, language: str = "de") -> tuple[str, str, str]:
    """The digest in ``language`` (the recipient's); each entry's subject as its event stored it for translation."""
    with translation.override(language):
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
