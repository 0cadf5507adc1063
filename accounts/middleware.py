"""Enforce a second factor for the roles that need one."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .roles import roles_of

# Paths a person without a second factor may still use: setting one up (allauth's MFA pages under
# /konto/2fa/, including WebAuthn and recovery codes), confirming the password first (allauth asks for
# it before adding a factor), logging out, static files, the language switch and the health check.
ALLOWED_PREFIXES = ("/konto/2fa/", "/konto/reauthenticate/", "/konto/logout/", "/static/", "/i18n/", "/healthz")


def has_mfa(user) -> bool:
    cached = getattr(user, "_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]).exists()
        user._has_mfa = cached
    return cached


def needs_mfa_setup(user) -> bool:
    """True for a signed-in admin or managing-office person who has neither TOTP nor a security key."""
    return bool(user.is_authenticated and roles_of(user) & settings.MFA_REQUIRED_ROLES and not has_mfa(user))


class RequireMFAMiddleware:
    """Send people whose role requires a second factor to its setup until they have one.

    Recovery codes alone do not count: they are a fallback for a lost device, not a factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(ALLOWED_PREFIXES) and needs_mfa_setup(user):
            messages.warning(
                request,
                _(
                    "Für Ihre Rolle ist eine Zwei-Faktor-Anmeldung vorgeschrieben. Bitte richten Sie jetzt eine Authenticator-App ein."
                ),
            )
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(reverse("mfa_activate_totp"))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
