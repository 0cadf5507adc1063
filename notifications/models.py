"""Notifications: what happened (Event), who was told in the platform (Notification), which mails
must go out (Outbox), and the settings people choose.

One event is one row, however many people it reaches: the fan-out to recipients writes small rows
that point at it, so the text of a news post is stored once, not 2,000 times.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("bei jedem Ereignis eine E-Mail")
    DAILY = "daily", _("eine tägliche Zusammenfassung")
    WEEKLY = "weekly", _("eine wöchentliche Zusammenfassung")
    OFF = "off", _("keine E-Mails, nur in der Plattform")


class Level(models.TextChoices):
    MUTE = "mute", _("stumm (nur Erwähnungen und Zuweisungen)")
    NORMAL = "normal", _("normal (neue Beiträge, Aufgaben)")
    ALL = "all", _("alles (auch Kommentare und Statusänderungen)")


class NotificationSettings(models.Model):
    """How one person wants to hear about events by mail. No row means the defaults."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings")
    email_mode = models.CharField(_("E-Mails"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Benachrichtigungseinstellung")
        verbose_name_plural = _("Benachrichtigungseinstellungen")
        constraints = [models.CheckConstraint(condition=Q(email_mode__in=EmailMode.values), name="notification_email_mode_valid")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_mode_display()}"


class WorkspaceNotificationSetting(models.Model):
    """A person's level for one workspace, overriding "normal"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_notification_settings")
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("Benachrichtigungen"), max_length=10, choices=Level.choices, default=Level.NORMAL)

    class Meta:
        verbose_name = _("Benachrichtigungsstufe eines Arbeitsbereichs")
        verbose_name_plural = _("Benachrichtigungsstufen der Arbeitsbereiche")
        constraints = [
            models.UniqueConstraint(fields=["user", "workspace"], name="one_notification_level_per_workspace"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="notification_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.workspace}: {self.get_level_display()}"


class EventState(models.TextChoices):
    PENDING = "pending", _("wartet auf Verteilung")
    DONE = "done", _("verteilt")


class Event(models.Model):
    """Something happened that people should hear about. Written in the transaction of the change."""

    State = EventState

    created = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    verb = models.CharField(_("Art"), max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, null=True, blank=True, related_name="notification_events"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    subject = models.CharField(_("Betreff"), max_length=250)
    # The subject's message id and parameters (notifications.messages), to show it in the reader's language.
    subject_message = models.JSONField(default=dict, blank=True)
    text = models.TextField(_("Text"))
    html = models.TextField(_("HTML"), blank=True)
    # Subject, text and HTML in the further languages ({"en": {"subject": …, "text": …, "html": …}}), written
    # with the event (notify(compose=…)) so each recipient gets the mail in the language of their profile.
    translations = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("Adresse"), max_length=500, blank=True)
    always = models.BooleanField(_("immer zustellen"), default=False)
    detail = models.BooleanField(_("nur für „alles“"), default=False)
    audience = models.JSONField(_("Empfängerkreis"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["state"], condition=Q(state="pending"), name="notification_event_pending"),
            models.Index(fields=["workspace", "-created"], name="notification_event_workspace"),
            models.Index(fields=["target_type", "target_id"], name="notification_event_target"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def display_subject(self) -> str:
        """The subject in the active language where the event stored its message, else as written."""
        if not self.subject_message:
            return self.subject
        from .messages import render

        try:
            return render(self.subject_message)[:250]
        except (KeyError, TypeError, ValueError):
            return self.subject


class EventAttachment(models.Model):
    """A file sent with every mail of the event (e.g. an .ics invitation)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class MailState(models.TextChoices):
    NONE = "none", _("keine E-Mail")
    IMMEDIATE = "immediate", _("einzeln per E-Mail")
    DIGEST = "digest", _("wartet auf Zusammenfassung")
    DIGESTED = "digested", _("in einer Zusammenfassung verschickt")


class Notification(models.Model):
    """One person's copy of an event in the in-app notification centre."""

    Mail = MailState

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("gelesen"), null=True, blank=True)
    mail = models.CharField(max_length=10, choices=MailState.choices, default=MailState.NONE)
    digest = models.ForeignKey("Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="one_notification_per_event_and_recipient"),
            models.CheckConstraint(condition=Q(mail__in=MailState.values), name="notification_mail_state_valid"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_recipient"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["recipient"], condition=Q(mail="digest"), name="notification_awaiting_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.event}"


class DigestKind(models.TextChoices):
    DAILY = "daily", _("täglich")
    WEEKLY = "weekly", _("wöchentlich")


class Digest(models.Model):
    """One summary mail of one person for one day or week. Unique, so a restart never sends it twice."""

    Kind = DigestKind

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests")
    kind = models.CharField(max_length=10, choices=DigestKind.choices)
    period = models.DateField(_("Tag oder Wochenbeginn"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Zusammenfassung")
        verbose_name_plural = _("Zusammenfassungen")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "period"], name="one_digest_per_user_and_period")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} {self.period:%d.%m.%Y}"


class OutboxState(models.TextChoices):
    PENDING = "pending", _("wartet")
    CLAIMED = "claimed", _("von einem Worker übernommen")
    SENDING = "sending", _("wird gesendet")
    SENT = "sent", _("gesendet")
    FAILED = "failed", _("endgültig gescheitert")


def _message_id() -> str:
    return f"<{uuid.uuid4().hex}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"


class Outbox(models.Model):
    """A mail that must go out. Written in the transaction of the change; sent by the worker.

    ``message_id`` is fixed when the row is written, so a retried mail carries the same Message-ID.
    """

    State = OutboxState

    created = models.DateTimeField(auto_now_add=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    to_email = models.EmailField()
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox")
    digest = models.OneToOneField(Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox")
    subject = models.CharField(max_length=250, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    reply_to = models.CharField(max_length=254, blank=True)
    # A mail sent at once by lib.mail.send_templated_mail (an invitation, a notice to the office), recorded here
    # after the SMTP hand-over so the mail log shows it too; the worker never sends such a row.
    direct = models.BooleanField(default=False)
    unsubscribe_scope = models.CharField(max_length=40, default="all")
    message_id = models.CharField(max_length=200, unique=True, default=_message_id)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    uncertain = models.BooleanField(
        default=False, help_text="A worker died while this mail was being handed to the SMTP server; it was sent again."
    )
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient"], condition=Q(event__isnull=False), name="one_mail_per_event_and_recipient"
            ),
            models.CheckConstraint(condition=Q(state__in=OutboxState.values), name="outbox_state_valid"),
        ]
        indexes = [
            models.Index(fields=["state", "id"], condition=Q(state__in=["pending", "claimed", "sending"]), name="outbox_open"),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject or self.event}"


class ScheduledRun(models.Model):
    """A periodic job that finished for a period (a day, a week), so a restart does not repeat it."""

    job = models.CharField(max_length=60)
    period = models.CharField(max_length=20)
    finished = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="one_run_per_job_and_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
