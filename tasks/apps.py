from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Aufgaben")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search.registry import register

        from .search import TaskProvider

        register(TaskProvider())
