"""Re-encrypt every stored second-factor secret with the current SECRET_KEY (after a key rotation)."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError

from accounts import mfa_secrets


class Command(BaseCommand):
    help = "Re-encrypt stored TOTP keys and recovery-code seeds with the current DJANGO_SECRET_KEY."

    def handle(self, *args, **options):
        try:
            count = mfa_secrets.reseal_all(Authenticator)
        except mfa_secrets.UnreadableSecret as exc:
            raise CommandError(
                "A stored second-factor secret cannot be opened with DJANGO_SECRET_KEY or "
                "DJANGO_SECRET_KEY_FALLBACKS; add the previous key to the fallbacks and run again."
            ) from exc
        self.stdout.write(f"{count} second-factor secrets sealed with the current key.")
