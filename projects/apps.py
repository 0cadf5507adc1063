from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("Gemeinschaftsprojekte")

    def ready(self) -> None:
        from search.registry import register

        from .search import ProjectProvider

        register(ProjectProvider())
