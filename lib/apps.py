from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "lib"
    verbose_name = "Hilfsfunktionen"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .dbsession import tune_session

        connection_created.connect(tune_session, dispatch_uid="lib.dbsession.tune_session")
