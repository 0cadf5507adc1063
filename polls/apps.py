from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    """Date polls (Terminabstimmung): proposed slots, answers from members and external guests, confirmation."""

    name = "polls"
    verbose_name = _("Terminabstimmungen")
