"""Django's admin is for platform admins with a second factor only; for everybody else it does not exist."""

from __future__ import annotations

from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .middleware import has_mfa
from .roles import PLATFORM_ADMIN, roles_of


def _has_permission(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and PLATFORM_ADMIN in roles_of(user) and has_mfa(user))


def secure_admin(site: AdminSite) -> None:
    """Harden ``site`` before its URLs are built (call it in the root URLconf, before ``site.urls``)."""
    site.has_permission = _has_permission
    site.site_header = "Interkommunal – Administration"
    site.site_title = "Interkommunal"
    site.index_title = "Plattform-Administration"
    original_admin_view = site.admin_view

    def admin_view(view, cacheable=False):
        wrapped = original_admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not _has_permission(request):
                raise Http404
            return wrapped(request, *args, **kwargs)

        return update_wrapper(guarded, view)

    site.admin_view = admin_view
    # The admin's own login form would bypass allauth's MFA; send people to the platform login.
    site.login = _login


def _login(request, extra_context=None):
    if request.user.is_authenticated:
        raise Http404
    return redirect_to_login(request.GET.get("next", "/admin/"), "account_login")
