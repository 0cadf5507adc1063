"""Django's admin is for platform admins with a second factor only."""

from __future__ import annotations

from django.contrib.admin import AdminSite

from .middleware import has_mfa
from .roles import PLATFORM_ADMIN, roles_of


def _has_permission(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and PLATFORM_ADMIN in roles_of(user) and has_mfa(user))


def secure_admin(site: AdminSite) -> None:
    site.has_permission = _has_permission
    site.site_header = "Interkommunal – Administration"
    site.site_title = "Interkommunal"
    site.index_title = "Plattform-Administration"
    # The admin's own login form would bypass allauth's MFA; send people to the platform login.
    site.login = _redirect_to_platform_login


def _redirect_to_platform_login(request, extra_context=None):
    from django.contrib.auth.views import redirect_to_login
    from django.http import Http404

    if request.user.is_authenticated:
        # Signed in, but not an admin with MFA: the admin does not exist for them.
        raise Http404
    return redirect_to_login(request.get_full_path(), "account_login")
