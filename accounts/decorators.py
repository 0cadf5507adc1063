"""View guards. Forbidden answers 404, like missing objects, so nothing can be probed."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from .roles import PLATFORM_ADMIN, is_member, is_office, roles_of


def _guard(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


login_required = _guard(lambda user: True)
member_required = _guard(is_member)
office_required = _guard(is_office)
admin_required = _guard(lambda user: PLATFORM_ADMIN in roles_of(user))
