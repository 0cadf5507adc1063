from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsharesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "costshares"
    verbose_name = _("Kostenverteilung")
