from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Neuigkeiten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search.registry import register

        from .search import CommentProvider, PostProvider

        register(PostProvider())
        register(CommentProvider())
