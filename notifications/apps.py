from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Benachrichtigungen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lib.mail import mail_sent

        from .direct_mail import record_direct_mail

        mail_sent.connect(record_direct_mail, dispatch_uid="notifications.record_direct_mail")
