from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "funding"
    verbose_name = _("Förderung")

    def ready(self) -> None:
        from . import panels  # noqa: F401 - registers the funding panel on the project page
