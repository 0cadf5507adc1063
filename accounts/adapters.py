"""allauth hooks: the platform is invitation-only; city logins attach to known people."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from audit.actions import record

from . import mfa_secrets

SIGNED_IN_AT_SESSION_KEY = "accounts.signed_in_at"
KNOWN_DEVICE_COOKIE = "interkommunal_geraet"
_KNOWN_DEVICE_SALT = "accounts.known-device"
_UNKNOWN_CLIENTS = "login_failed_unknown_clients"


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

    # Failed sign-ins (see docs/architecture.md, "Login throttling"). allauth counts them per
    # account, so five wrong passwords from anywhere would lock the owner out everywhere and a
    # stranger could keep the managing office out for good. Here they count
    # * per client address over all accounts (ACCOUNT_RATE_LIMITS["login_failed"], "ip");
    # * per client and account ("key" below): a browser the account signed in from before (a
    #   signed known-device cookie) is its own client, others go by their address;
    # * per account for clients it has never signed in from (LOGIN_FAILED_UNKNOWN_CLIENTS_RATE),
    #   against guessing from many addresses — which never slows down the owner's own browsers.
    # A successful sign-in takes its attempt back; a password reset clears the counts.

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        login = _login_of(credentials)
        device = known_device(request, login)
        if device:
            return f"device:{device}|{login}"
        return f"{client_network(self.get_client_ip(request))}|{login}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)
        login = _login_of(credentials)
        if known_device(request, login):
            return
        usage = ratelimit.consume(
            request, app="accounts", action=_UNKNOWN_CLIENTS, config=_unknown_client_rates(), key=f"account|{login}"
        )
        if usage is None:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        if self._login_failed_rl_usage:
            self._login_failed_rl_usage.usage.extend(usage.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="accounts",
            action=_UNKNOWN_CLIENTS,
            config=_unknown_client_rates(),
            key=f"account|{_login_of(credentials)}",
        )

    def post_login(self, request, user, **kwargs):
        """Remember this browser as one the account signs in from (see known_device)."""
        response = super().post_login(request, user, **kwargs)
        email = (getattr(user, "email", "") or "").strip().lower()
        if email and hasattr(response, "set_cookie"):
            value = signing.dumps({"a": _account_hash(email), "d": secrets.token_urlsafe(12)}, salt=_KNOWN_DEVICE_SALT)
            response.set_cookie(
                KNOWN_DEVICE_COOKIE,
                value,
                max_age=settings.KNOWN_DEVICE_DAYS * 86400,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

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


def _login_of(credentials: dict) -> str:
    return str(credentials.get("email", credentials.get("username", ""))).strip().lower()


def _account_hash(login: str) -> str:
    return hashlib.sha256(login.encode()).hexdigest()[:32]


def _unknown_client_rates() -> dict[str, str]:
    return {_UNKNOWN_CLIENTS: settings.LOGIN_FAILED_UNKNOWN_CLIENTS_RATE}


def known_device(request, login: str) -> str | None:
    """The id of this browser if ``login`` has signed in from it before (signed cookie), else None."""
    raw = request.COOKIES.get(KNOWN_DEVICE_COOKIE)
    if not raw or not login:
        return None
    try:
        data = signing.loads(raw, salt=_KNOWN_DEVICE_SALT, max_age=settings.KNOWN_DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _account_hash(login) or not isinstance(data.get("d"), str):
        return None
    return data["d"]


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
