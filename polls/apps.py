from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    """Date polls (Terminabstimmung): proposed slots, answers from members and external guests, confirmation."""

    name = "polls"
    verbose_name = _("Terminabstimmungen")

    def ready(self) -> None:
        from calendar_events.signals import event_deleting

        from .receivers import cancel_confirmed_event

        event_deleting.connect(cancel_confirmed_event, dispatch_uid="polls.cancel_confirmed_event")
