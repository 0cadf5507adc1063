"""One structured log line per request, with a request id for tracing; capability tokens redacted."""

from __future__ import annotations

import logging
import re
import time
import uuid

from .logredact import redact

logger = logging.getLogger("interkommunal.request")

# Paths that must never appear in logs (the anonymous survey keeps no traces).
_UNLOGGED = re.compile(r"^/(static/|umfrage/)")
_VALID_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if not _UNLOGGED.match(request.path):
            user = getattr(request, "user", None)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = redact(request.path)
            logger.info(
                "%s %s %s %sms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
        return response
