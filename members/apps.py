from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Mitglieder"

    def ready(self) -> None:
        from lib.mail import register_language_lookup

        from .language import language_of_address

        register_language_lookup(language_of_address)
