"""allauth hooks: the platform is invitation-only; city logins attach to known people."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts come from invitations (accounts.actions.accept_invitation), never from open sign-up.
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        """A city login may create an account only for a person the directory already knows.

        With OIDC_AUTO_SIGNUP on, every verified address from the identity provider
        that matches a person's e-mail gets an account linked to that person.
        """
        if not settings.SOCIALACCOUNT_AUTO_SIGNUP:
            return False
        from members.models import Person

        email = (sociallogin.user.email or "").strip().lower()
        return bool(email) and Person.objects.filter(email=email, user__isnull=True, is_active=True).exists()

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        from members.models import Person

        Person.objects.filter(email=user.email.lower(), user__isnull=True).update(user=user)
        return user
