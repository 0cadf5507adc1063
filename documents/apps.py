from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Dokumente")

    def ready(self) -> None:
        from search.registry import register

        from .search import DocumentProvider

        register(DocumentProvider())
