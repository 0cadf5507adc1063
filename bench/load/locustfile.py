"""Locust load mix for bench/load_test.py: members, the office and anonymous visitors, as on a working day.

Started by ``bench/load_test.py`` (which prepares sessions, polls and the setup file); by hand::

    LOADTEST_SETUP=setup.json locust -f bench/load/locustfile.py --host https://localhost:PORT

``LOADTEST_SETUP`` names a JSON file: ``{"session_cookie": name, "members": [{"cookie", "workspaces",
"editor_workspaces", "polls"}], "office": {"cookie", "workspace"}, "ca": certificate path}``.
Every request is named by its page type; locust's statistics per name give the percentiles.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

SETUP = json.loads(open(os.environ["LOADTEST_SETUP"]).read()) if os.environ.get("LOADTEST_SETUP") else {}  # noqa: SIM115
SEARCH_TERMS = ["Personalgewinnung", "Sprachförderung", "Verwaltung", "Ausbildung Schule", '"interkulturelle Kompetenz"']
SEARCH_TERMS += ["Willkommenskultur", "Protokoll Monitoring", "Elternarbeit Kita", "Haushalt", "Mentoring"]
DOCUMENT_LINK = re.compile(r'href="(/dokumente/\d+/)"')
POST_LINK = re.compile(r'href="(/neuigkeiten/\d+/)"')
_members = itertools.cycle(SETUP.get("members") or [{}])


class FormParser(HTMLParser):
    """The fields of the form on ``page`` posting to ``action`` (hidden values, a random option of each radio group).

    A form without an action attribute posts to its own page."""

    def __init__(self, page: str, action: str) -> None:
        super().__init__()
        self.page = page
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = (
                attributes.get("method", "get").lower() == "post" and (attributes.get("action") or self.page) == self.action
            )
        elif tag == "input" and self.inside and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind == "radio":
                self.radios.setdefault(attributes["name"], []).append(attributes.get("value", ""))
            elif kind not in ("file", "submit", "checkbox"):
                self.fields[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(html: str, page: str, action: str) -> dict[str, str]:
    parser = FormParser(page, action)
    parser.feed(html)
    fields = dict(parser.fields)
    for name, values in parser.radios.items():
        fields[name] = random.choice(values)
    return fields


class Visitor(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        if SETUP.get("ca"):
            self.client.verify = SETUP["ca"]

    def sign_in(self, cookie: str) -> None:
        self.client.cookies.set(SETUP["session_cookie"], cookie)

    def post_form(self, page: str, action: str, name: str, data: dict, files=None) -> None:
        """GET the form's page, POST the form as a browser would (CSRF token, Referer); a redirect means success."""
        response = self.client.get(page, name=name + "_form")
        if response.status_code != 200:
            return
        fields = form_fields(response.text, page, action)
        fields.update(data)
        headers = {"Referer": self.host + page}
        with self.client.post(
            action, data=fields, files=files, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code in (302, 303):
                answer.success()
            else:
                answer.failure(f"{name}: {answer.status_code}")


class Member(Visitor):
    """Somebody working in three generated workspaces: reads, searches, opens documents, uploads, answers polls."""

    weight = 6

    def on_start(self) -> None:
        super().on_start()
        self.me = next(_members)
        if self.me:
            self.sign_in(self.me["cookie"])

    def workspace(self) -> str:
        return random.choice(self.me["workspaces"])

    @task(3)
    def browse_workspace(self) -> None:
        self.client.get(f"/arbeitsbereiche/{self.workspace()}/", name="workspace")

    @task(3)
    def open_document(self) -> None:
        listing = self.client.get(f"/arbeitsbereiche/{self.workspace()}/dokumente/", name="documents")
        links = DOCUMENT_LINK.findall(listing.text) if listing.status_code == 200 else []
        if links:
            self.client.get(random.choice(links), name="document")

    @task(3)
    def search(self) -> None:
        self.client.get("/suche/", params={"q": random.choice(SEARCH_TERMS)}, name="search")

    @task(2)
    def read_news(self) -> None:
        listing = self.client.get(f"/arbeitsbereiche/{self.workspace()}/neuigkeiten/", name="news")
        links = POST_LINK.findall(listing.text) if listing.status_code == 200 else []
        if links:
            self.client.get(random.choice(links), name="news_post")

    @task(1)
    def upload(self) -> None:
        if not self.me.get("editor_workspaces"):
            return
        slug = random.choice(self.me["editor_workspaces"])
        page, action = f"/arbeitsbereiche/{slug}/dokumente/", f"/arbeitsbereiche/{slug}/dokumente/hochladen/"
        text = f"Notiz {random.randrange(10**9)}: Ergebnisse der Arbeitsgruppe Personalgewinnung.\n".encode()
        files = {"files": (f"notiz-{random.randrange(10**6)}.txt", text, "text/plain")}
        self.post_form(page, action, "upload", {"folder": ""}, files=files)

    @task(1)
    def answer_poll(self) -> None:
        if not self.me.get("polls"):
            return
        page = f"/terminabstimmungen/{random.choice(self.me['polls'])}/"
        self.post_form(page, page, "poll_answer", {"comment": ""})


class Office(Visitor):
    """The managing office: now and then an invitation to the 2,000 people of the invitation workspace."""

    weight = 1
    fixed_count = 1
    wait_time = between(8, 12)

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(SETUP["office"]["cookie"])

    @task
    def invite(self) -> None:
        page = f"/arbeitsbereiche/{SETUP['office']['workspace']}/neuigkeiten/neu/"
        data = {
            "title": f"Einladung zum Fachtag {random.randrange(1000)}",
            "body": "Wir laden Sie herzlich ein.",
            "publish": "on",
        }
        self.post_form(page, page, "invitation", data)


class Anonymous(Visitor):
    """A citizen or a council-information client: public pages and OParl."""

    weight = 3

    @task(2)
    def start_page(self) -> None:
        self.client.get("/", name="start")

    @task(2)
    def public_news(self) -> None:
        self.client.get("/aktuelles/", name="public_news")

    @task(1)
    def municipalities(self) -> None:
        self.client.get("/mitgliedsstaedte/", name="municipalities")

    @task(1)
    def publications(self) -> None:
        self.client.get("/veroeffentlichungen/", name="publications")

    @task(3)
    def oparl(self) -> None:
        bodies = self.client.get("/oparl/v1.1/bodies", name="oparl")
        if bodies.status_code != 200:
            return
        body = random.choice(bodies.json()["data"])
        meetings = self.client.get(_path(body["meeting"]), name="oparl")
        if meetings.status_code == 200 and meetings.json().get("data"):
            self.client.get(_path(random.choice(meetings.json()["data"])["id"]), name="oparl")


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3] if url.startswith("http") else url
