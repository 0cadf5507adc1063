from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .models import Wave
        from .survey import forget_wave

        post_save.connect(forget_wave, sender=Wave, dispatch_uid="monitoring.forget_wave.save")
        post_delete.connect(forget_wave, sender=Wave, dispatch_uid="monitoring.forget_wave.delete")
