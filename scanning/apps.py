from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScanningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scanning"
    verbose_name = _("Virenprüfung")
