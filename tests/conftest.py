"""Shared fixtures: the cooperation's demo structure and one logged-in client per persona.

Personas (see design/style.md): admin, managing office, body member, external guest,
outsider (an account with no seat anywhere) and anonymous.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from accounts.models import User
from members.models import Body, Membership, Municipality, Person
from tests.support.browser import launch_chromium

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# next to it unless told that this is deliberate (the live server has its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "korrekt-pferd-batterie-heftklammer"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _fresh_fragments():
    """Page parts kept per process (lib/fragments.py) start empty in every test."""
    from lib import fragments

    fragments.clear()


@pytest.fixture
def cooperation(db):
    """The ten cities, the three bodies and a few invented people, as in the demo."""
    from members.demo import load_demo

    return load_demo()


def make_user(email: str, *, admin: bool = False, mfa: bool = False) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, is_superuser=admin, is_staff=admin)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def seat(user: User, body_slug: str, role: str, city_slug: str | None = "essen", **person_fields) -> Person:
    city = Municipality.objects.get(slug=city_slug) if city_slug else None
    person = Person.objects.create(
        given_name=person_fields.pop("given_name", "Test"),
        family_name=person_fields.pop("family_name", user.email.split("@")[0].title()),
        municipality=city,
        organisation=person_fields.pop("organisation", None),
        email=user.email,
        user=user,
        **person_fields,
    )
    Membership.objects.create(
        person=person, body=Body.objects.get(slug=body_slug), role=role, municipality=city, start_date=dt.date(2024, 1, 1)
    )
    return person


@pytest.fixture
def personas(cooperation):
    """Users for every persona, each with the seat that gives them their role."""
    from members.models import Organisation

    admin = make_user("admin@test.example", admin=True, mfa=True)
    office = make_user("office@test.example", mfa=True)
    seat(office, "geschaeftsfuehrung", Membership.Role.MANAGING_OFFICE, given_name="Olivia", family_name="Office")
    member = make_user("member@test.example")
    seat(member, "regiegruppe", Membership.Role.MEMBER, "bochum", given_name="Mara", family_name="Member")
    guest = make_user("guest@test.example")
    org = Organisation.objects.create(name="Partnerorganisation (Test)")
    seat(guest, "projektteam", Membership.Role.GUEST, None, given_name="Gustav", family_name="Guest", organisation=org)
    outsider = make_user("outsider@test.example")
    Person.objects.create(given_name="Otto", family_name="Outsider", organisation=org, email=outsider.email, user=outsider)
    from knowledge.models import Contributor

    contributor = make_user("contributor@test.example")
    Contributor.objects.create(
        person=Person.objects.create(
            given_name="Kira", family_name="Contributor", email=contributor.email, user=contributor, profile_visibility="office"
        ),
        organisation="Migrantenverein (Test)",
        kind=Contributor.Kind.MIGRANT_ORGANISATION,
        origin=Contributor.Origin.INVITED,
    )
    return {
        "admin": admin,
        "office": office,
        "member": member,
        "guest": guest,
        "outsider": outsider,
        "contributor": contributor,
        "anonymous": None,
    }


@pytest.fixture
def client_for(personas):
    """client_for("member") returns a Client logged in as that persona (anonymous: not logged in)."""

    def make(name: str) -> Client:
        client = Client()
        user = personas[name]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


def has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# --- Browser (one Playwright instance per test process: a second one cannot start while it runs) ---
@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium, live_server):
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def login_as(browser_context, live_server):
    """Put a session for ``user`` into the browser (the login form itself is tested in tests/accounts)."""

    def login(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return login


# --- A skipped browser test fails the run: the journeys prove the product, so they must have run ---
_skipped_browser_tests: list[str] = []


def pytest_runtest_logreport(report):
    # An expected failure (xfail) ran to its failing step; only a test that never ran counts.
    if report.skipped and "e2e" in report.keywords and not hasattr(report, "wasxfail"):
        _skipped_browser_tests.append(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _skipped_browser_tests:
        terminalreporter.write_line("Übersprungene Browser-Tests (gelten als Fehler):", red=True)
        for nodeid in _skipped_browser_tests:
            terminalreporter.write_line(f"  {nodeid}", red=True)


def pytest_sessionfinish(session, exitstatus):
    if _skipped_browser_tests and exitstatus == 0:
        session.exitstatus = 1
