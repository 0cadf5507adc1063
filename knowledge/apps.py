from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Wissensbasis")

    def ready(self) -> None:
        from search.registry import register

        from .search import ExampleProvider

        register(ExampleProvider())
