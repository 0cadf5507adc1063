from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfcheckConfig(AppConfig):
    name = "selfcheck"
    verbose_name = _("Selbstcheck")
    default_auto_field = "django.db.models.BigAutoField"
