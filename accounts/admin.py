"""The admin pages that the libraries bring (groups, e-mail addresses, second factors, sessions, sign-in
providers) are read-only here like the domain models: e-mail addresses change through allauth's
verification, sessions end on /konto/sessions/, the city login is configured from the environment.

One write stays, with its audit entry: removing a person's second factor when they lost it and all
recovery codes. Nothing else on the platform can do that, and it only lets the person set up a new one.
"""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.socialaccount.admin import SocialAccountAdmin, SocialAppAdmin, SocialTokenAdmin
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions.admin import UserSessionAdmin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group

from audit.actions import record
from lib.admin import ReadOnlyAdminMixin


class ReadOnlyGroupAdmin(ReadOnlyAdminMixin, GroupAdmin):
    pass


class ReadOnlyEmailAddressAdmin(ReadOnlyAdminMixin, EmailAddressAdmin):
    pass


class ReadOnlyUserSessionAdmin(ReadOnlyAdminMixin, UserSessionAdmin):
    exclude = ["session_key", "data"]


class ReadOnlySocialAppAdmin(ReadOnlyAdminMixin, SocialAppAdmin):
    exclude = ["secret", "key"]


class ReadOnlySocialAccountAdmin(ReadOnlyAdminMixin, SocialAccountAdmin):
    exclude = ["extra_data"]


class ReadOnlySocialTokenAdmin(ReadOnlyAdminMixin, SocialTokenAdmin):
    exclude = ["token", "token_secret"]


class SecondFactorAdmin(ReadOnlyAdminMixin, AuthenticatorAdmin):
    """Shows who has which second factor (never its secret) and lets an admin remove one, audited."""

    exclude = ["data"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return True

    def delete_model(self, request, obj):
        record(
            request.user,
            "accounts.second_factor_removed.admin",
            obj,
            before={"user": obj.user_id, "type": obj.type},
        )
        super().delete_model(request, obj)


for model, model_admin in [
    (Group, ReadOnlyGroupAdmin),
    (EmailAddress, ReadOnlyEmailAddressAdmin),
    (UserSession, ReadOnlyUserSessionAdmin),
    (SocialApp, ReadOnlySocialAppAdmin),
    (SocialAccount, ReadOnlySocialAccountAdmin),
    (SocialToken, ReadOnlySocialTokenAdmin),
    (Authenticator, SecondFactorAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
