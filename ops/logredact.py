"""Capability tokens never reach a log.

Several links work without signing in because the link itself is the permission: the
calendar feed, a poll's personal answer link, invitations, unsubscribe links, password reset
and e-mail confirmation. The database keeps only hashes of them, so a log line with the raw
link would be the one place left to copy them from. Three layers keep them out:

* ``redact`` replaces the secret part of every such path, and secret query parameters, with
  ``[redacted]``;
* a log-record factory (installed in ``OpsConfig.ready``) redacts each message when the record
  is made, so every handler sees the clean text — ours, gunicorn's and any a deployment adds;
* the formatters in ``LOGGING`` redact the finished line once more, which also covers extras
  (``django.request`` attaches the request object), tracebacks and stack traces.

A new URL that carries a token must be added to ``TOKEN_PATH_PREFIXES``;
``tests/ops/test_log_redaction.py`` fails for any URL pattern with a token-like parameter
that is missing here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from pythonjsonlogger.json import JsonFormatter

REDACTED = "[redacted]"

# The path up to and including the slash before the secret part.
TOKEN_PATH_PREFIXES = (
    "/konto/einladung/",  # invitation to create an account
    "/konto/confirm-email/",  # allauth: e-mail confirmation key
    "/konto/password/reset/key/",  # allauth: password reset uid and key
    "/kalender/",  # personal calendar feed: /kalender/<token>.ics
    "/terminabstimmung/",  # a poll's personal answer link for guests
    "/sitzungen/antwort/",  # a meeting invitation's personal reply link (members without account, guests)
    "/veranstaltungen/anmeldung/",  # an event participant's personal link (see, change, cancel, certificate)
    "/benachrichtigungen/abbestellen/",  # one-click unsubscribe
    "/umfrage/offen/",  # the survey's open link (survey paths are not logged at all; belt and braces)
)
# Capability links whose whole rest of the path is redacted (the token, and what follows it, e.g. the guest
# a coordinator cancels: /veranstaltungen/kontingent/<token>/absagen/<id>/).
WHOLE_PATH_PREFIXES = ("/veranstaltungen/kontingent/",)  # a city coordinator's personal link to nominate guests
SECRET_QUERY_PARAMETERS = ("token", "key", "code", "state", "secret", "password", "signature", "sig", "session_state")

# Everything up to the next path, query or fragment separator, white space, quote or escape.
_UP_TO_SEPARATOR = r"[^/?#&\s\"'<>\\]+"
_PATH_TOKEN = re.compile("(" + "|".join(re.escape(prefix) for prefix in TOKEN_PATH_PREFIXES) + ")" + _UP_TO_SEPARATOR)
_WHOLE_PATH = re.compile("(" + "|".join(re.escape(prefix) for prefix in WHOLE_PATH_PREFIXES) + r")[^?#&\s\"'<>\\]+")
_QUERY_TOKEN = re.compile(r"([?&;](?:" + "|".join(SECRET_QUERY_PARAMETERS) + r")=)[^&#\s\"'<>\\]*", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with the secret part of every capability link replaced by ``[redacted]``."""
    if "/" not in text and "=" not in text:
        return text
    text = _PATH_TOKEN.sub(lambda m: m.group(1) + REDACTED, text)
    text = _WHOLE_PATH.sub(lambda m: m.group(1) + REDACTED, text)
    return _QUERY_TOKEN.sub(lambda m: m.group(1) + REDACTED, text)


_TRACEBACKS = logging.Formatter()


def _redacting_factory(make_record: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: leave it to the handler to report
            return record
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse a rendered traceback; render it now, without secrets in exception messages.
            record.exc_text = redact(_TRACEBACKS.formatException(record.exc_info))
        return record

    factory.redacts_capability_tokens = True  # type: ignore[attr-defined]
    return factory


def install_record_factory() -> None:
    """Make every log record of this process redact its message (idempotent)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacts_capability_tokens", False):
        logging.setLogRecordFactory(_redacting_factory(current))


class RedactingFormatter(logging.Formatter):
    """Plain text lines, redacted after formatting (extras, tracebacks and all)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object per line, redacted after serialising."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
