"""The database down or restarting: requests fail fast with a German 503 page and recover by themselves.

Django turns an exception anywhere in a request into the 500 handler's response. A lost database is not a
bug but an outage the client should retry, so :class:`DatabaseUnavailableMiddleware` answers exceptions of
views with 503 and ``Retry-After``, and :func:`server_error` (``handler500``) does the same for exceptions
raised in middleware (sessions, authentication). The page is rendered without the request's context
processors, which would ask the database again. The next request reconnects (``CONN_HEALTH_CHECKS``, or the
pool's check), so neither gunicorn nor the workers need a restart.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("ops/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        log.error("database unavailable for %s %s: %s", request.method, request.path, exception.__class__.__name__)
        return unavailable_response()


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage raised outside a view is a 503 too; everything else the site's 500 page."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable_response()
    from website.views import server_error as site_server_error

    return site_server_error(request)
