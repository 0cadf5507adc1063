"""allauth hooks: the platform is invitation-only; city logins attach to known people."""

from __future__ import annotations

import ipaddress
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audit.actions import record

from . import mfa_secrets

SIGNED_IN_AT_SESSION_KEY = "accounts.signed_in_at"


class AccountAdapter(DefaultAccountAdapter):
    # allauth's German catalogue says "du"; the platform addresses people formally ("Sie").
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Geschäftsführung."),
        "cannot_remove_primary_email": _("Die Hauptadresse kann nicht entfernt werden."),
        "email_password_mismatch": _("E-Mail-Adresse oder Passwort sind nicht richtig."),
        "enter_current_password": _("Bitte geben Sie Ihr aktuelles Passwort ein."),
        "max_email_addresses": _("Sie können höchstens %d E-Mail-Adressen hinterlegen."),
        "too_many_login_attempts": _(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut."
        ),
        "unverified_primary_email": _("Ihre Hauptadresse muss bestätigt sein."),
        "select_only_one": _("Bitte wählen Sie nur eine Adresse aus."),
        "same_as_current": _("Der neue Wert muss sich vom bisherigen unterscheiden."),
        "rate_limited": _("Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment."),
    }

    def is_open_for_signup(self, request) -> bool:
        # Accounts come from invitations (accounts.actions.accept_invitation), never from open sign-up.
        return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed sign-ins are counted per client address *and* account, never per account alone.

        allauth counts them per account, so five wrong passwords from anywhere lock the owner out
        everywhere — a stranger could keep the managing office out for good. With the client in
        the key a stranger only throttles themselves; ACCOUNT_RATE_LIMITS adds a limit per
        client address across all accounts. A password reset clears the count of the client it
        was done from (allauth calls this method with that request).
        """
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        return f"{client_network(self.get_client_ip(request))}|{login}"

    def login(self, request, user) -> None:
        super().login(request, user)
        request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A full sign-in a few minutes ago counts as having confirmed the password.

        allauth asks for the password again before a second factor can be added. Office and
        admin accounts are sent to that setup right after signing in, where asking again
        would only confuse; after REAUTHENTICATION_TIMEOUT the question comes back.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        session = getattr(self.request, "session", None)
        signed_in_at = session.get(SIGNED_IN_AT_SESSION_KEY) if session is not None else None
        return not (signed_in_at and time.time() - signed_in_at < account_settings.REAUTHENTICATION_TIMEOUT)


def client_network(ip: str) -> str:
    """The client's address; for IPv6 its /64 network, as one household or phone gets a whole prefix."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    error_messages = {
        **DefaultSocialAccountAdapter.error_messages,
        "email_taken": _(
            "Zu dieser E-Mail-Adresse gibt es bereits ein Konto. Bitte melden Sie sich zuerst damit an und verbinden Sie dann %s."
        ),
        "no_password": _("Für Ihr Konto ist noch kein Passwort festgelegt."),
        "no_verified_email": _("Ihr Konto hat keine bestätigte E-Mail-Adresse."),
    }

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """A city login may create an account only for a person the directory already knows.

        With OIDC_AUTO_SIGNUP on, an address that the identity provider vouches for
        (email_verified) and that belongs to a person without an account gets an
        account linked to that person. Anybody else is told that accounts come by invitation.
        """
        return bool(settings.SOCIALACCOUNT_AUTO_SIGNUP) and _unclaimed_person(sociallogin) is not None

    def save_user(self, request, sociallogin, form=None):
        person = _unclaimed_person(sociallogin)
        user = super().save_user(request, sociallogin, form)
        if person is not None:
            from members.models import Person

            # Claim the person only if nobody else did in the meantime.
            if Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user):
                record(
                    user,
                    "account.created_by_city_login",
                    person,
                    after={"email": user.email, "provider": sociallogin.account.provider},
                )
        return user


def _unclaimed_person(sociallogin):
    """The active person without an account whose address the identity provider has verified."""
    from members.models import Person

    email = (sociallogin.user.email or "").strip().lower()
    verified = any(address.verified and address.email.strip().lower() == email for address in sociallogin.email_addresses)
    if not (email and verified):
        return None
    return Person.objects.filter(email__iexact=email, user__isnull=True, is_active=True).order_by("pk").first()


class MFAAdapter(DefaultMFAAdapter):
    """Stores TOTP keys and recovery-code seeds encrypted (see accounts/mfa_secrets.py)."""

    def encrypt(self, text: str) -> str:
        return mfa_secrets.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secrets.unseal(encrypted_text)
