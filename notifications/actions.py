"""Telling people what happened: in the platform and by mail.

Call :func:`notify` **inside the transaction of the change** (news post saved, task assigned …)::

    with transaction.atomic():
        post = Post.objects.create(...)
        notify(
            recipients=Audience.workspace(post.workspace, exclude=[author]),  # or a list of users
            verb="news.posted",
            target=post,
            actor=author,
            workspace=post.workspace,
            subject="Neuer Beitrag: …",
            text="…plain text…",
            html="<p>…</p>",                      # optional; otherwise made from text
            attachments=[("termin.ics", data, "text/calendar")],
            url=post.get_absolute_url(),
        )

What it writes, in the caller's transaction (so a rolled-back change tells nobody, and a committed
one can never be lost):

- always one :class:`~notifications.models.Event` row (and its attachments);
- for a short list of users (at most ``INLINE_LIMIT``): one Notification per recipient and one Outbox
  row per mail, right away, so a mentioned person sees it at once;
- for an :class:`~notifications.audience.Audience` of a workspace, a city or all members, or a long
  list: nothing more. The worker fans the event out (:func:`fan_out`) in its own transaction,
  so posting to 2,000 people costs the request the same as posting to two.

Who is told: recipients' workspace level decides (mute: nothing; normal: everything except
``detail`` events such as comments; all: everything). ``always=True`` (mentions, assignments)
ignores the level. How they are told by mail follows their e-mail mode: each event at once, a daily
or weekly digest, or no mail. The actor never notifies themself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks

from .audience import Audience
from .messages import Translatable, render
from .models import (
    EmailMode,
    Event,
    EventAttachment,
    Level,
    Notification,
    NotificationSettings,
    Outbox,
    WorkspaceNotificationSetting,
)

INLINE_LIMIT = 50


def notify(
    *,
    recipients: Iterable | Audience,
    verb: str,
    subject: str,
    text: str,
    target: models.Model | None = None,
    actor=None,
    workspace=None,
    always: bool = False,
    detail: bool = False,
    html: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    url: str = "",
    compose: Callable[[], str | tuple[str, str]] | None = None,
) -> Event:
    """Record an event for ``recipients`` (see the module docstring). Returns the event.

    ``compose`` writes the text (or text and HTML) in the active language; it is called once per further
    language of the site, so a recipient who reads English gets the mail in English (``text`` is the German).
    """
    actor_list = [actor] if actor is not None else []
    if isinstance(recipients, Audience):
        audience = Audience(recipients.kind, recipients.ids, tuple(sorted({*recipients.exclude, *(u.pk for u in actor_list)})))
    else:
        audience = Audience.users(list(recipients), exclude=actor_list)
    with transaction.atomic():
        event = Event.objects.create(
            verb=verb,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            workspace=workspace,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
            subject=subject[:250],
            subject_message=subject.as_json() if isinstance(subject, Translatable) else {},
            text=text,
            html=html or linebreaks(escape(text)),
            translations=_translations(subject, compose),
            url=url,
            always=always,
            detail=detail,
            audience=audience.as_json(),
        )
        EventAttachment.objects.bulk_create(
            EventAttachment(event=event, filename=name, content=content, mimetype=mimetype)
            for name, content, mimetype in attachments
        )
        if audience.kind == "users" and len(audience.ids) <= INLINE_LIMIT:
            fan_out(event)
    return event


def _translations(subject: str, compose: Callable[[], str | tuple[str, str]] | None) -> dict:
    result = {}
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        entry = {}
        with translation.override(code):
            if isinstance(subject, Translatable):
                entry["subject"] = render(subject.as_json())[:250]
            if compose is not None:
                composed = compose()
                text, html = composed if isinstance(composed, tuple) else (composed, "")
                entry |= {"text": text, "html": html or linebreaks(escape(text))}
        if entry:
            result[code] = entry
    return result


def fan_out(event: Event) -> int:
    """Write the notifications and mails of ``event``; safe to repeat (unique per event and person)."""
    users = list(Audience.from_json(event.audience).resolve().only("pk", "email"))
    ids = [u.pk for u in users]
    modes = dict(NotificationSettings.objects.filter(user_id__in=ids).values_list("user_id", "email_mode"))
    levels = {}
    if event.workspace_id:
        levels = dict(
            WorkspaceNotificationSetting.objects.filter(workspace_id=event.workspace_id, user_id__in=ids).values_list(
                "user_id", "level"
            )
        )
    notifications, mails = [], []
    scope = f"ws:{event.workspace_id}" if event.workspace_id and not event.always else "all"
    for user in users:
        level = levels.get(user.pk, Level.NORMAL)
        if not event.always and (level == Level.MUTE or (event.detail and level != Level.ALL)):
            continue
        mode = modes.get(user.pk, EmailMode.IMMEDIATE)
        if mode == EmailMode.IMMEDIATE:
            mail = Notification.Mail.IMMEDIATE
            mails.append(Outbox(recipient_id=user.pk, to_email=user.email, event=event, unsubscribe_scope=scope))
        elif mode in (EmailMode.DAILY, EmailMode.WEEKLY):
            mail = Notification.Mail.DIGEST
        else:
            mail = Notification.Mail.NONE
        notifications.append(Notification(event=event, recipient_id=user.pk, mail=mail))
    with transaction.atomic():
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=1000)
        Outbox.objects.bulk_create(mails, ignore_conflicts=True, batch_size=1000)
        Event.objects.filter(pk=event.pk).update(state=Event.State.DONE, fanned_out_at=timezone.now())
    event.state = Event.State.DONE
    return len(notifications)


def fan_out_pending(limit: int = 20) -> int:
    """Fan out waiting events, one per transaction; several workers share the work (SKIP LOCKED)."""
    done = 0
    for _ in range(limit):
        with transaction.atomic():
            event = Event.objects.select_for_update(skip_locked=True).filter(state=Event.State.PENDING).order_by("id").first()
            if event is None:
                break
            fan_out(event)
            done += 1
    return done


def queue_mail(*, to_email: str, subject: str, text: str, reply_to: str = "") -> Outbox:
    """A mail to an address without an account (the sender of a public form), through the outbox.

    Call it inside the transaction of the change: the worker sends it with retries, and the mail
    log shows whether it was delivered.
    """
    return Outbox.objects.create(
        recipient=None, to_email=to_email, subject=subject[:250], text=text, html=linebreaks(escape(text)), reply_to=reply_to
    )


# --- Reading -------------------------------------------------------------------------------------
def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all when ``notification_ids`` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


# --- Settings ------------------------------------------------------------------------------------
def email_mode_of(user) -> str:
    row = NotificationSettings.objects.filter(user=user).values_list("email_mode", flat=True).first()
    return row or EmailMode.IMMEDIATE


def set_email_mode(user, mode: str) -> None:
    if mode not in EmailMode.values:
        raise ValueError(mode)
    NotificationSettings.objects.update_or_create(user=user, defaults={"email_mode": mode})


def set_workspace_level(user, workspace, level: str) -> None:
    if level not in Level.values:
        raise ValueError(level)
    if level == Level.NORMAL:
        WorkspaceNotificationSetting.objects.filter(user=user, workspace=workspace).delete()
    else:
        WorkspaceNotificationSetting.objects.update_or_create(user=user, workspace=workspace, defaults={"level": level})


def unsubscribe(user_id: int, scope: str) -> str | None:
    """Apply a one-click unsubscribe; returns what was switched off (``all`` or the workspace name)."""
    from accounts.models import User
    from workspaces.models import Workspace

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    if scope.startswith("ws:"):
        workspace = Workspace.objects.filter(pk=int(scope[3:])).first()
        if workspace is None:
            return None
        set_workspace_level(user, workspace, Level.MUTE)
        return workspace.name
    set_email_mode(user, EmailMode.OFF)
    return "all"


def site_url(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") else path
