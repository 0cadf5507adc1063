"""The run command's demo, visited like a person would: every persona follows the links it sees.

``bin/run`` serves the demo from SQLite, so this test belongs to the SQLite subset (and runs on
PostgreSQL too). It loads the full demo (``seed_demo``), then walks from the start page and the
member area through every internal link a persona's pages offer, and fails on any server error.
"""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]

HREF = re.compile(r'href="([^"]+)"')
# Links that end the session or only answer to POST; downloads are fetched but not parsed.
SKIP = ("/konto/logout/", "/static/", "/media/", "mailto:", "tel:", "/admin/")
MAX_PAGES = 150


def _crawl(client: Client, starts: list[str]) -> tuple[int, list[str]]:
    seen: set[str] = set()
    queue = deque(starts)
    errors: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{url} → {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            if href not in seen:
                queue.append(href)
    return len(seen), errors


PERSONAS = [
    None,
    "sprecherin@interkommunal.example",
    "projektteam@interkommunal.example",
    "gast@interkommunal.example",
    "geschaeftsstelle@interkommunal.example",
    "aylin.demir@brueckenbauer.example",  # an outside contributor of practice examples
]


def test_every_page_a_persona_can_reach_in_the_demo_answers_without_error():
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    problems = []
    for email in PERSONAS:
        client = Client()
        starts = ["/", "/monitoring/", "/aktuelles/", "/veroeffentlichungen/", "/wissen/", "/wissen/meine/", "/wissen/pruefung/"]
        if email:
            client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
            starts += ["/mein-bereich/", "/arbeitsbereiche/", "/suche/?q=Protokoll"]
        visited, errors = _crawl(client, starts)
        problems += [f"{email or 'anonymous'}: {error}" for error in errors]
        assert visited > 20, f"{email}: only {visited} pages reached"
    assert not problems, "\n".join(problems)
