"""Enforce a second factor for the roles that need one."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .roles import roles_of

# Paths a person without a second factor may still use: setting one up, logging out, static files.
_ALLOWED_PREFIXES = ("/konto/2fa/", "/konto/logout/", "/konto/reauthenticate/", "/static/", "/i18n/", "/healthz")


def has_mfa(user) -> bool:
    cached = getattr(user, "_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]).exists()
        user._has_mfa = cached
    return cached


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and roles_of(user) & settings.MFA_REQUIRED_ROLES
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not has_mfa(user)
        ):
            messages.warning(
                request,
                _(
                    "Für Ihre Rolle ist eine Zwei-Faktor-Anmeldung vorgeschrieben. Bitte richten Sie jetzt eine Authenticator-App ein."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
