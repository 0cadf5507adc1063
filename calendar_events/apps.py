from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarEventsConfig(AppConfig):
    """Dates of the workspaces, the personal calendar and its iCal feed (``calendar`` would shadow the stdlib)."""

    name = "calendar_events"
    verbose_name = _("Kalender")

    def ready(self) -> None:
        from search.registry import register

        from .search import EventProvider

        register(EventProvider())
