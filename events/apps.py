from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Forums, workshop series and signing ceremonies with registration, contingents, check-in and certificates."""

    name = "events"
    verbose_name = _("Veranstaltungen mit Anmeldung")

    def ready(self) -> None:
        from search.registry import register

        from .search import DocumentationProvider, EventProvider

        register(EventProvider())
        register(DocumentationProvider())
