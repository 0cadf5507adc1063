"""Small helpers shared by the account tests."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for ``secret`` at ``at`` (default: now)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def text_of(html: str) -> str:
    """Visible text, whitespace collapsed, for assertions on wording."""
    parser = _TextParser()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def password_login(client: Client, email: str, password: str = PASSWORD):
    return client.post("/konto/login/", {"login": email, "password": password})


def link_from_mail(message: mail.EmailMessage, path_part: str) -> str:
    """The first URL in the mail body that contains ``path_part``, without scheme and host."""
    urls = re.findall(r"https?://[^\s<>\"]+", message.body)
    for url in urls:
        if path_part in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"No link containing {path_part!r} in: {message.body}")
