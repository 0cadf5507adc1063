"""What only the development server uses (settings add it when DEBUG is on)."""

from __future__ import annotations

from django.http import Http404
from django.urls import get_resolver


class StyledNotFoundMiddleware:
    """A dead link shows the site's German 404 page, as in production, instead of Django's English debug page that
    lists every URL pattern. Errors (500) keep the debug page with its traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return self._styled(request, None)  # no URL pattern matched
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self._styled(request, exception)
        return None

    @staticmethod
    def _styled(request, exception):
        return get_resolver().resolve_error_handler(404)(request, exception)
