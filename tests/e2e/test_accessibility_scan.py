"""Every page of the demo, for every persona that can open it: axe finds no serious or critical violation,
and at 320 px nothing scrolls sideways (WCAG 1.4.10 reflow)."""

from __future__ import annotations

import pytest

from members.models import Person
from tests.news.scene import news_scene
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll
from tests.workspaces.scene import workspace_scene

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/ueber-uns/",
    "/mitgliedsstaedte/",
    "/mitgliedsstaedte/hagen/",
    "/verzeichnis/",
    "/gremien/",
    "/gremien/regiegruppe/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/gebaerdensprache/",
    "/sicherheit/",
    "/konto/login/",
    "/konto/password/reset/",
    "/gibt-es-nicht/",
    "/monitoring/",
    "/umfrage/",
    "/umfrage/danke/",
    "/aktuelles/",
    "/neuigkeiten/{post}/",
    "/benachrichtigungen/abbestellen/{unsubscribe}/",
    "/veroeffentlichungen/",
    "/suche/?q=Protokoll",
]
MEMBER_PAGES = [
    "/mein-bereich/",
    "/verzeichnis/?city=essen",
    "/verzeichnis/personen/{person}/",
    "/profil/bearbeiten/",
    "/konto/sicherheit/",
    "/konto/2fa/",
    "/konto/email/",
    "/konto/password/change/",
    "/konto/sessions/",
    "/arbeitsbereiche/",
    "/arbeitsbereiche/regiegruppe/",
    "/benachrichtigungen/",
    "/benachrichtigungen/einstellungen/",
    "/neuigkeiten/",
    "/arbeitsbereiche/regiegruppe/neuigkeiten/",
    "/arbeitsbereiche/regiegruppe/neuigkeiten/neu/",
    "/neuigkeiten/{member_post}/",
    "/neuigkeiten/{member_post}/bearbeiten/",
    "/aufgaben/",
    "/aufgaben/{task}/",
    "/aufgaben/{task}/bearbeiten/",
    "/arbeitsbereiche/regiegruppe/aufgaben/",
    "/arbeitsbereiche/regiegruppe/aufgaben/neu/",
    "/mein-kalender/",
    "/arbeitsbereiche/regiegruppe/termine/",
    "/arbeitsbereiche/regiegruppe/termine/neu/",
    "/arbeitsbereiche/regiegruppe/terminabstimmungen/",
    "/arbeitsbereiche/regiegruppe/terminabstimmungen/neu/",
    "/arbeitsbereiche/regiegruppe/dokumente/",
    "/arbeitsbereiche/regiegruppe/dokumente/papierkorb/",
    "/suche/?q=Regiegruppe",
]
OFFICE_PAGES = [
    "/verwaltung/",
    "/verwaltung/kommunen/",
    "/verwaltung/kommunen/neu/",
    "/verwaltung/kommunen/hagen/bearbeiten/",
    "/verwaltung/personen/neu/",
    "/verwaltung/personen/{person}/bearbeiten/",
    "/verwaltung/personen/{person}/mitgliedschaften/neu/",
    "/konto/einladungen/",
    "/konto/einladungen/neu/",
    "/barrierefreiheit/rueckmeldungen/",
    "/seiten/start/bearbeiten/",
    "/monitoring/verwaltung/",
    "/monitoring/verwaltung/runden/neu/",
    "/monitoring/verwaltung/bevoelkerung/",
    "/monitoring/verwaltung/beschaeftigte/",
    "/monitoring/verwaltung/zugriffe/",
    "/arbeitsbereiche/neu/",
    "/arbeitsbereiche/regiegruppe/bearbeiten/",
    "/arbeitsbereiche/regiegruppe/mitglieder/",
    "/aufgaben/ueberfaellig/",
    "/neuigkeiten/neu/",
    "/arbeitsbereiche/regiegruppe/terminabstimmungen/neu/",  # with the choice "Sitzung des Gremiums"
]
ADMIN_PAGES = ["/verwaltung/protokoll/"]


def _scan(page, urls, who):
    workspace_scene()
    person = Person.objects.filter(user__isnull=True, profile_visibility="members").first().pk
    scene = news_scene()
    problems = []
    for url in urls:
        url = url.format(person=person, **scene)
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            try:
                assert_accessible(page, context=f"{who} {url} @{width}px")
                if width == 320:
                    assert_no_horizontal_scroll(page, context=f"{who} {url}")
            except AssertionError as exc:
                problems.append(str(exc))
    assert not problems, "\n\n".join(problems)


def test_public_pages(page, personas):
    _scan(page, PUBLIC_PAGES, "anonymous")


def test_member_pages(page, login_as, personas):
    login_as(personas["member"])
    _scan(page, MEMBER_PAGES + ["/gremien/projektteam/"], "member")


def test_office_pages(page, login_as, personas):
    login_as(personas["office"])
    _scan(page, OFFICE_PAGES, "office")


def test_admin_pages(page, login_as, personas):
    from members.actions import set_platform_admin

    set_platform_admin(personas["admin"], personas["member"], True)  # something in the log
    login_as(personas["admin"])
    _scan(page, ADMIN_PAGES, "admin")


def test_error_summary_and_invalid_fields_are_accessible(page, personas):
    page.goto("/barrierefreiheit/")
    page.get_by_role("button", name="Rückmeldung senden").click()
    assert_accessible(page, context="feedback form with errors")


MEETING_PUBLIC_PAGES = [
    "/sitzungen/",
    "/sitzungen/beschluesse/",
    "/sitzungen/gremium/regiegruppe/",
    "/sitzungen/{meeting}/",
    "/sitzungen/vorlagen/{paper}/",
    "/sitzungen/vorlagen/",
]
MEETING_MEMBER_PAGES = [
    "/sitzungen/gremium/regiegruppe/vorschlagen/",
    "/sitzungen/{meeting}/",
    "/sitzungen/{meeting}/protokoll/",
    "/sitzungen/{held_meeting}/protokoll/",
    "/sitzungen/vorlagen/?q=Hagen&year=2023",
    "/sitzungen/vorlagen/?year=zwanzig",
]
MEETING_OFFICE_PAGES = [
    "/sitzungen/gremium/regiegruppe/",
    "/sitzungen/gremium/regiegruppe/neu/",
    "/sitzungen/{meeting}/",
    "/sitzungen/{meeting}/bearbeiten/",
    "/sitzungen/{meeting}/tagesordnung/",
    "/sitzungen/{meeting}/tagesordnung/neu/",
    "/sitzungen/{meeting}/tagesordnung/{agenda_item}/bearbeiten/",
    "/sitzungen/{meeting}/einladung/",
    "/sitzungen/{meeting}/protokoll/",
    "/sitzungen/{meeting}/durchgefuehrt/",
    "/sitzungen/{held_meeting}/",
    "/sitzungen/{held_meeting}/tagesordnung/",
    "/sitzungen/{held_meeting}/protokoll/",
    "/sitzungen/{held_meeting}/protokoll/schritt/umlauf/",
    "/sitzungen/{held_meeting}/protokoll/berichtigung/",
    "/sitzungen/vorlagen/",
    "/sitzungen/vorlagen/neu/",
    "/sitzungen/vorlagen/{paper}/",
    "/sitzungen/vorlagen/{paper}/bearbeiten/",
    "/sitzungen/vorlagen/{paper}/beratungsfolge/",
    "/sitzungen/vorlagen/{paper}/beratungsfolge/{consultation}/",
    "/sitzungen/vorlagen/{paper}/dateien/",
    "/sitzungen/vorlagen/{paper}/loeschen/",
]


def test_meeting_pages(page, login_as, personas):
    from tests.meetings.matrix import meeting_ids

    ids = meeting_ids(personas)
    _scan(page, [u.format(**ids) for u in MEETING_PUBLIC_PAGES], "anonymous")
    login_as(personas["member"])
    _scan(page, [u.format(**ids) for u in MEETING_MEMBER_PAGES], "member")
    login_as(personas["office"])
    _scan(page, [u.format(**ids) for u in MEETING_OFFICE_PAGES], "office")


KNOWLEDGE_PUBLIC_PAGES = [
    "/wissen/",
    "/wissen/?feld=recruitment&stadt=bochum&zielgruppe=trainees",
    "/wissen/{knowledge_example}/",
    "/wissen/{knowledge_example}/problem-melden/",
    "/wissen/mitwirken/",
]
KNOWLEDGE_CONTRIBUTOR_PAGES = [
    "/wissen/meine/",
    "/wissen/neu/",
    "/wissen/{knowledge_example}/bearbeiten/",
    "/wissen/{knowledge_example}/fassungen/",
    "/wissen/{knowledge_example}/",
]
KNOWLEDGE_OFFICE_PAGES = [
    "/wissen/pruefung/",
    "/wissen/{knowledge_example}/pruefung/",
    "/wissen/mitwirken/einladen/",
    "/wissen/{knowledge_example}/",
]


def test_knowledge_pages(page, login_as, personas):
    from tests.knowledge.matrix import knowledge_ids

    ids = knowledge_ids(personas)
    _scan(page, [u.format(**ids) for u in KNOWLEDGE_PUBLIC_PAGES], "anonymous")
    login_as(personas["contributor"])
    _scan(page, [u.format(**ids) for u in KNOWLEDGE_CONTRIBUTOR_PAGES], "contributor")
    login_as(personas["office"])
    _scan(page, [u.format(**ids) for u in KNOWLEDGE_OFFICE_PAGES], "office")
