from django.core.management.base import BaseCommand, CommandError

from members.demo import DEMO_TOTP_SECRETS


class Command(BaseCommand):
    help = "Zeigt den aktuellen Zwei-Faktor-Code eines Demo-Kontos (nur Demo-Konten mit festem Schlüssel)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        import time

        from allauth.mfa import app_settings
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        secret = DEMO_TOTP_SECRETS.get(email)
        if secret is None:
            raise CommandError("Kein Demo-Konto mit festem Zwei-Faktor-Schlüssel: " + email)
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
