"""Secret links (the link is the permission) must not be readable from any log.

The attacker here is anybody who reads logs: an operator, a log shipper, a support ticket
with a pasted excerpt. The tests open each kind of secret link like its owner would and then
search everything that logging produced — every record of every logger and the lines the
configured console handler writes — for the secret.
"""

from __future__ import annotations

import io
import logging
import re
import secrets

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts import actions as account_actions
from calendar_events.actions import create_feed
from members.models import Municipality, Person
from notifications.tokens import make_token
from ops.logredact import redact

pytestmark = [pytest.mark.django_db]

NOISY_LOGGERS = ("interkommunal.request", "django.request", "django.server", "django.security")


@pytest.fixture
def all_logs(caplog):
    """Every record at DEBUG and up, plus the text the real console handler writes.

    Of a record we read what handlers write out: the message, text attributes (extras) and the
    rendered traceback. (``django.request`` also attaches the live request object; our
    formatters redact its rendering, which the console output below covers.)
    """
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = console.setStream(stream)
    levels = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)

    def text() -> str:
        parts = [stream.getvalue()]
        for record in caplog.records:
            parts.append(record.getMessage())
            parts.extend(value for key, value in vars(record).items() if isinstance(value, str) and key != "msg")
        return "\n".join(parts)

    yield text
    console.setStream(previous)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _assert_secret_absent(logs: str, secret: str, *, path_logged: bool = True) -> None:
    assert secret not in logs
    if path_logged:
        assert "[redacted]" in logs  # the request was logged, only without the secret


def test_calendar_feed_token_is_not_logged(client, personas, all_logs):
    token = create_feed(personas["member"])
    assert client.get(f"/kalender/{token}.ics").status_code == 200
    assert client.get(f"/kalender/{token}x.ics").status_code == 404
    _assert_secret_absent(all_logs(), token)


def test_unsubscribe_token_is_not_logged(client, personas, all_logs):
    token = make_token(personas["member"].pk, "all")
    assert client.get(f"/benachrichtigungen/abbestellen/{token}/").status_code == 200
    assert client.post(f"/benachrichtigungen/abbestellen/{token}/", {"List-Unsubscribe": "One-Click"}).status_code in {200, 302}
    _assert_secret_absent(all_logs(), token.split(":")[0])


def test_invitation_token_is_not_logged(client, personas, cooperation, all_logs, django_capture_on_commit_callbacks):
    invitee = Person.objects.create(
        given_name="Ina", family_name="Neu", email="ina.neu@test.example", municipality=Municipality.objects.get(slug="essen")
    )
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = account_actions.invite_person(personas["office"], invitee)
    assert client.get(f"/konto/einladung/{token}/").status_code == 200
    _assert_secret_absent(all_logs(), token)


def test_password_reset_key_is_not_logged(client, personas, all_logs):
    client.post("/konto/password/reset/", {"email": personas["member"].email})
    [message] = mail.outbox
    path = re.search(r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)", message.body).group(1)
    key = path.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(path).status_code == 302
    _assert_secret_absent(all_logs(), key.split("-", 1)[1])


@pytest.mark.parametrize(
    "template",
    [
        "/terminabstimmung/{}/",
        "/veranstaltungen/anmeldung/{}/",
        "/veranstaltungen/anmeldung/{}/bescheinigung.pdf",
        "/veranstaltungen/kontingent/{}/",
        "/konto/confirm-email/{}/",
        "/kalender/{}.ics",
        "/benachrichtigungen/abbestellen/{}/",
        "/konto/einladung/{}/",
        "/konto/oidc/stadt/login/callback/?code={}&state=abc",
    ],
)
def test_guessed_or_stale_secret_links_are_not_logged_either(template, all_logs):
    secret = secrets.token_urlsafe(24)
    Client().get(template.format(secret))
    Client().post(template.format(secret), {})
    _assert_secret_absent(all_logs(), secret, path_logged="?" not in template)  # query strings are never logged


def test_server_errors_and_development_server_lines_are_redacted(rf, all_logs):
    secret = secrets.token_urlsafe(24)
    request = rf.get(f"/kalender/{secret}.ics")
    try:
        raise RuntimeError(f"broken feed {request.path}")
    except RuntimeError:
        logging.getLogger("django.request").exception("Internal Server Error: %s", request.path, extra={"request": request})
    logging.getLogger("django.server").warning('"%s" %s %s', f"GET /terminabstimmung/{secret}/ HTTP/1.1", "404", "0")
    logging.getLogger("gunicorn.access").info("%(r)s %(s)s", {"r": f"GET /kalender/{secret}.ics?token={secret}", "s": "200"})
    _assert_secret_absent(all_logs(), secret)


def test_redaction_keeps_ordinary_paths_readable():
    assert redact("GET /terminabstimmungen/12/ 200") == "GET /terminabstimmungen/12/ 200"
    assert redact("/kalender/abc.ics") == "/kalender/[redacted]"
    assert redact("/konto/einladung/abc/?next=/x") == "/konto/einladung/[redacted]/?next=/x"
    assert redact("/cb/?state=s1&code=c1&x=1") == "/cb/?state=[redacted]&code=[redacted]&x=1"


SECRET_PARAMETERS = {"token", "key", "uidb36", "secret", "code"}
NOT_SECRET = {
    # OParl organisation keys are public identifiers, e.g. "body-3".
    "oparl/v1.1/organization/<str:key>",
    "oparl/v1.1/organization/<str:key>/meetings",
    "oparl/v1.1/organization/<str:key>/consultations",
}


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.pattern.regex.groupindex


def test_every_url_with_a_secret_parameter_is_redacted():
    """A new capability link fails here until ops.logredact knows it."""
    checked = 0
    for route, groups in _patterns(get_resolver()):
        if route in NOT_SECRET or not SECRET_PARAMETERS & set(groups):
            continue
        sample = "/" + re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)", "Geheim0Geheim", route).replace("^", "").replace("$", "")
        assert "Geheim0Geheim" not in redact(sample), f"{route} carries a secret that ops/logredact.py does not redact"
        checked += 1
    assert checked >= 6
