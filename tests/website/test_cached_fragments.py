"""The start page, the member cities and the directory's filter choices come from a per-process copy
(lib/fragments.py). These tests read only what a visitor gets: every change shows on the next
request, whoever made it and however, and a member's visit leaves nothing behind for the public."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from lib import fragments
from members import actions as member_actions
from members.models import Body, Municipality
from website import actions
from website.models import Page

pytestmark = [pytest.mark.django_db]


def _text(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    # The CSRF token is masked anew on every response; everything else must be the same.
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1…", html)


@pytest.fixture
def start_page(cooperation):
    return Page.objects.update_or_create(
        slug="start", defaults={"title_de": "Start", "body_de": "Erster Absatz vom Frühjahr.\n\nZweiter Absatz."}
    )[0]


def test_an_edited_start_text_shows_on_the_next_request(client_for, personas, start_page):
    anonymous = client_for("anonymous")
    assert "Erster Absatz vom Frühjahr." in _text(anonymous.get("/"))
    actions.update_page(personas["office"], start_page, start_page.version, body_de="Neuer Absatz vom Herbst.\n\nZweiter Absatz.")
    html = _text(anonymous.get("/"))
    assert "Neuer Absatz vom Herbst." in html
    assert "Frühjahr" not in html


def test_a_renamed_city_shows_on_the_start_page_the_city_list_and_the_directory_filter(client_for, personas, start_page):
    anonymous, member = client_for("anonymous"), client_for("member")
    for client, path in ((anonymous, "/"), (anonymous, "/mitgliedsstaedte/"), (member, "/verzeichnis/")):
        assert "Herne" in _text(client.get(path))
    herne = Municipality.objects.get(slug="herne")
    member_actions.update_municipality(
        personas["office"], herne, herne.version, short_name="Herne (Westf.)", name="Stadt Herne (Westf.)"
    )
    assert "<h3>Herne (Westf.)</h3>" in _text(anonymous.get("/"))
    assert "Stadt Herne (Westf.)</a>" in _text(anonymous.get("/mitgliedsstaedte/"))
    assert '<option value="herne">Herne (Westf.)</option>' in _text(member.get("/verzeichnis/"))


def test_writes_outside_the_actions_show_too(client_for, start_page):
    """The admin, a loader or a migration write without an action; the stamp sees every write."""
    anonymous = client_for("anonymous")
    assert "Zusammenarbeit im Projekt" not in _text(anonymous.get("/"))
    Body.objects.filter(slug="projektteam").update(purpose="Zusammenarbeit im Projekt, neu beschrieben.")
    assert "Zusammenarbeit im Projekt, neu beschrieben." in _text(anonymous.get("/"))
    witten = Municipality.objects.create(
        name="Stadt Witten", short_name="Witten", slug="witten", ags="05954036", join_date=timezone.localdate()
    )
    assert "11 Städte arbeiten" in _text(anonymous.get("/mitgliedsstaedte/"))
    witten.delete()
    html = _text(anonymous.get("/mitgliedsstaedte/"))
    assert "Witten" not in html
    assert "10 Städte arbeiten" in html


def test_a_city_joining_tomorrow_is_listed_as_a_member_from_that_day(client_for, personas, start_page):
    anonymous = client_for("anonymous")
    today = timezone.localdate()
    member_actions.create_municipality(
        personas["office"], name="Stadt Witten", short_name="Witten", ags="05954036", join_date=today + dt.timedelta(days=1)
    )
    html = _text(anonymous.get("/mitgliedsstaedte/"))
    assert "Künftige Mitglieder" in html
    assert "10 Städte arbeiten" in html
    assert "<h3>Witten</h3>" not in _text(anonymous.get("/"))
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        html = _text(anonymous.get("/mitgliedsstaedte/"))
        assert "11 Städte arbeiten" in html
        assert "Künftige Mitglieder" not in html
        assert "<h3>Witten</h3>" in _text(anonymous.get("/"))


def test_each_language_has_its_own_copy(client_for, start_page):
    anonymous = client_for("anonymous")
    german = _text(anonymous.get("/"))
    english = _text(anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="de">' in german
    assert '<html lang="en">' in english
    assert _text(anonymous.get("/")) == german


@pytest.mark.parametrize("path", ["/", "/mitgliedsstaedte/", "/verzeichnis/?city=essen"])
def test_a_members_visit_leaves_nothing_for_the_public(client_for, start_page, path):
    """A visitor after a member gets exactly what a visitor gets from an empty cache."""
    member, office, anonymous = client_for("member"), client_for("office"), client_for("anonymous")
    fragments.clear()
    fresh = _text(anonymous.get(path))
    fragments.clear()
    for client in (member, office, member):
        seen_by_member = _text(client.get(path))
        assert "Abmelden" in seen_by_member
    after_members = _text(anonymous.get(path))
    assert after_members == fresh
    for member_only in ("Abmelden", "Mein Bereich", "Mara", "Olivia", "Benachrichtigungen"):
        assert member_only not in after_members


def test_the_directory_filter_offers_a_new_body_and_a_new_city_at_once(client_for, personas):
    member = client_for("member")
    assert "Lenkungskreis" not in _text(member.get("/verzeichnis/"))
    Body.objects.create(
        cooperation=Body.objects.first().cooperation, name="Lenkungskreis", slug="lenkungskreis", kind=Body.objects.first().kind
    )
    member_actions.create_municipality(
        personas["office"], name="Stadt Witten", short_name="Witten", ags="05954036", join_date=timezone.localdate()
    )
    html = _text(member.get("/verzeichnis/?body=lenkungskreis&city=witten"))
    assert '<option value="lenkungskreis" selected>Lenkungskreis</option>' in html
    assert '<option value="witten" selected>Witten</option>' in html
