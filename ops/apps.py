from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Betrieb"

    def ready(self) -> None:
        from .logredact import install_record_factory

        install_record_factory()
