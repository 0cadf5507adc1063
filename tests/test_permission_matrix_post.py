"""Every URL that takes a POST, every persona: a POST from somebody who may not write there changes nothing.

The GET matrix (tests/test_permission_matrix.py) says who may see a page. Whoever may not see it
(404/403, or anonymous sent to the login) may not write through it either: their POST must answer
404/403 (anonymous: the login redirect) and leave every table as it was (tests/support/database_state.py).
For URLs that only take POST the GET matrix answers 405 to everybody signed in, so WRITERS names who
may post there; everybody else is held to the same rule. Allowed writers are not tested here (the
apps' own tests do that). The POST carries the fields the view reads (PAYLOADS), so a view that checks
permission only after validating its form is caught too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.support.database_state import changed_tables, database_state
from tests.test_permission_matrix import MATRIX, PERSONAS, ids  # noqa: F401 - ids is the shared scene fixture

SIGNED_IN = frozenset({"outsider", "guest", "member", "office", "admin", "contributor"})
OFFICE = frozenset({"office", "admin"})

MEMBERS = frozenset({"member", "office", "admin"})
CONTRIBUTORS = frozenset({"member", "office"})  # the Regiegruppe's workspace: member is editor, office manager

# POST-only route → personas that may write there (the GET matrix shows 405 for them all)
WRITERS: dict[str, frozenset[str]] = {
    "konto/sicherheit/ueberall-abmelden/": SIGNED_IN,  # one's own sessions
    "konto/einladungen/<int:pk>/zurueckziehen/": OFFICE,
    "verwaltung/mitgliedschaften/<int:pk>/beenden/": OFFICE,
    "arbeitsbereiche/<slug:slug>/archivieren/": OFFICE,
    "arbeitsbereiche/<slug:slug>/beitreten/": MEMBERS,
    "arbeitsbereiche/<slug:slug>/verlassen/": MEMBERS,
    "arbeitsbereiche/<slug:slug>/anfragen/<int:pk>/entscheiden/": frozenset({"office"}),
    "monitoring/verwaltung/runden/<slug:round_slug>/auswerten/": OFFICE,
    "jahresberichte/<int:pk>/einfrieren/": OFFICE,
    "jahresberichte/<int:pk>/freigeben/": OFFICE,
    "jahresberichte/<int:pk>/landesinitiative/zuordnen/": OFFICE,
    "monitoring/verwaltung/wellen/<int:pk>/status/": OFFICE,
    "monitoring/verwaltung/zugriffe/<int:pk>/entfernen/": OFFICE,
    "benachrichtigungen/gelesen/": SIGNED_IN,  # one's own notifications
    "aufgaben/<int:pk>/status/": CONTRIBUTORS,
    "aufgaben/<int:pk>/loeschen/": CONTRIBUTORS,
    "aufgaben/<int:pk>/staedte/<int:row_pk>/": CONTRIBUTORS,  # member: editor and of the city; office: manager
    "aufgaben/<int:pk>/kommentieren/": CONTRIBUTORS,
    "aufgaben/<int:pk>/anhaenge/": CONTRIBUTORS,
    "barrierefreiheit/rueckmeldungen/<int:pk>/antworten/": OFFICE,
    "barrierefreiheit/rueckmeldungen/<int:pk>/status/": OFFICE,
    "neuigkeiten/<int:pk>/loeschen/": MEMBERS,  # member: the author; admin: moderation
    "neuigkeiten/<int:pk>/kommentieren/": MEMBERS,
    "neuigkeiten/kommentare/<int:pk>/loeschen/": MEMBERS,  # member: the comment's author
    "mein-kalender/abonnement/": SIGNED_IN,
    "mein-kalender/abonnement/widerrufen/": SIGNED_IN,
    "terminabstimmungen/<int:pk>/einladen/": OFFICE,  # the organiser; admins for support
    "terminabstimmungen/<int:pk>/bestaetigen/": OFFICE,
    "arbeitsbereiche/<slug:slug>/dokumente/hochladen/": CONTRIBUTORS,
    # Knowledge base: the contributor persona wrote the example; office and admin review and confirm it
    "wissen/<int:pk>/einreichen/": frozenset({"contributor"}),
    "wissen/<int:pk>/geprueft/": frozenset({"contributor", "office", "admin"}),
    "wissen/<int:pk>/material/hinzufuegen/": frozenset({"contributor"}),
    "wissen/<int:pk>/material/<int:material_pk>/entfernen/": frozenset({"contributor"}),
    "wissen/<int:pk>/pruefung/zuweisen/": OFFICE,
    "wissen/<int:pk>/meldungen/<int:report_pk>/erledigt/": OFFICE,
    "arbeitsbereiche/<slug:slug>/dokumente/ordner/neu/": CONTRIBUTORS,
    "dokumente/<int:pk>/neue-fassung/": CONTRIBUTORS,
    "dokumente/<int:pk>/fassungen/<int:number>/wiederherstellen/": CONTRIBUTORS,
    "dokumente/<int:pk>/veroeffentlichen/": OFFICE,  # manager or platform admin
    "dokumente/<int:pk>/papierkorb/": CONTRIBUTORS,
    "dokumente/<int:pk>/wiederherstellen/": CONTRIBUTORS,
    "dokumente/<int:pk>/loeschen/": OFFICE,  # for good: manager or platform admin
    "sitzungen/<int:pk>/ort/": OFFICE,
    "sitzungen/<int:pk>/gastgeber-absage/": OFFICE,
    "sitzungen/<int:pk>/absagen/": OFFICE,
    "sitzungen/<int:pk>/einladung/vorschau.pdf": OFFICE,
    "sitzungen/<int:pk>/einladung/senden/": OFFICE,
    "sitzungen/<int:pk>/einladung/gaeste/": OFFICE,
    "sitzungen/<int:pk>/einladung/gaeste/<int:guest>/entfernen/": OFFICE,
    "sitzungen/<int:pk>/tagesordnung/<int:item>/dateien/<int:file>/entfernen/": OFFICE,  # and the body's speaker
    "sitzungen/<int:pk>/rueckmeldungen/erinnern/": OFFICE,
    "sitzungen/<int:pk>/rueckmeldung/": MEMBERS,
    "sitzungen/aufgaben/<int:pk>/erledigt/": MEMBERS,
    "selbstcheck/runden/<int:pk>/aufgaben/": OFFICE,
    "selbstcheck/runden/<int:pk>/tagesordnung/": OFFICE,
    "selbstcheck/runden/<int:pk>/abschliessen/": OFFICE,
    "selbstcheck/runden/<int:pk>/veroeffentlichen/": OFFICE,
    "selbstcheck/verwaltung/<slug:slug>/runde-eroeffnen/": OFFICE,
    "selbstcheck/verwaltung/pruffragen/<int:pk>/ausmustern/": OFFICE,
    "kostenverteilung/anteil/<int:pk>/zahlung/": OFFICE,
    "projekte/<slug:slug>/stand/": OFFICE,
    "projekte/<slug:slug>/freigabe/": OFFICE,
    "projekte/<slug:slug>/partner/": OFFICE,
    "projekte/<slug:slug>/partner/<int:pk>/entfernen/": OFFICE,
    "projekte/<slug:slug>/meilensteine/": OFFICE,  # and the project team's managers and editors
    "projekte/<slug:slug>/meilensteine/<int:pk>/erreicht/": OFFICE,
    "projekte/<slug:slug>/meilensteine/<int:pk>/loeschen/": OFFICE,
    "projekte/<slug:slug>/beschluesse/": OFFICE,
    "projekte/<slug:slug>/beschluesse/<int:pk>/entfernen/": OFFICE,
    "projekte/<slug:slug>/foerderung/mittelabruf/<int:pk>/eingang/": OFFICE,
    "projekte/<slug:slug>/foerderung/ausgaben/<int:pk>/pruefen/": OFFICE,  # and the lead city's people in the workspace
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/stand/": OFFICE,  # and the lead city's people in the workspace
    "verwaltung/datenschutz/archiv/<int:pk>/antwort/": OFFICE,
    "verwaltung/quarantaene/<int:pk>/loeschen/": OFFICE,
    # Events: the organisers (the office; admins as office); the link routes are listed with a wrong link: nobody
    "veranstaltungen/<slug:slug>/verwaltung/kontingente/": OFFICE,
    "veranstaltungen/<slug:slug>/verwaltung/einladen/": OFFICE,
    "veranstaltungen/<slug:slug>/verwaltung/anmeldungen/<int:pk>/entscheiden/": OFFICE,
    "veranstaltungen/<slug:slug>/verwaltung/einlass/vor-ort/": OFFICE,
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/": OFFICE,
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/<int:pk>/freigeben/": OFFICE,
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/<int:pk>/entfernen/": OFFICE,
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/veroeffentlichen/": OFFICE,
    "veranstaltungen/anmeldung/<str:token>/stornieren/": frozenset(),
    "veranstaltungen/anmeldung/<str:token>/platz-annehmen/": frozenset(),
    "veranstaltungen/anmeldung/<str:token>/rueckmeldung/": frozenset(),
    "veranstaltungen/kontingent/<str:token>/absagen/<int:pk>/": frozenset(),
}

NEXT_YEAR = (dt.date.today() + dt.timedelta(days=365)).isoformat()  # form dates ahead on any day

FUNDING_EXPENSE = {
    "line_key": "personal",
    "municipality": "{essen_pk}",
    "paid_on": "2025-03-03",
    "payee": "Fremd",
    "description": "Fremde Ausgabe",
    "net": "1.000,00",
}

# route → what the form on the page would post (the scene's ids are filled in)
PAYLOADS: dict[str, dict[str, object]] = {
    "jahresberichte/": {"year": 2024},
    "jahresberichte/<int:pk>/texte/<slug:block_key>/": {"text": "Fremder Text", "version": 1},
    "jahresberichte/<int:pk>/einfrieren/": {"version": 1},
    "jahresberichte/<int:pk>/berichtigen/": {"note": "Fremde Berichtigung"},
    "jahresberichte/<int:pk>/beschluss/": {"agenda_item": "", "version": 1},
    "jahresberichte/<int:pk>/freigeben/": {"version": 1},
    "jahresberichte/<int:pk>/landesinitiative/zuordnen/": {"row": "post:1"},
    "verwaltung/kommunen/neu/": {"name": "Neustadt", "short_name": "Neustadt", "ags": "05999999", "join_date": NEXT_YEAR},
    "verwaltung/personen/neu/": {"given_name": "Nora", "family_name": "Neu", "email": "nora.neu@test.example"},
    "konto/einladungen/neu/": {"person": "{member_person}", "email": "eingeladen@test.example"},
    "arbeitsbereiche/neu/": {"name": "Neuer Bereich", "kind": "project", "visibility": "private", "join_policy": "invitation"},
    "neuigkeiten/neu/": {"title": "Neu", "body": "Text"},
    "sitzungen/vorlagen/neu/": {"reference": "0001/2030", "name": "Neue Vorlage", "date": NEXT_YEAR, "public": "on"},
    "verwaltung/mitgliedschaften/<int:pk>/beenden/": {"end_date": NEXT_YEAR},
    "neuigkeiten/<int:pk>/kommentieren/": {"text": "Ein Kommentar"},
    "aufgaben/<int:pk>/kommentieren/": {"text": "Ein Kommentar"},
    "barrierefreiheit/rueckmeldungen/<int:pk>/antworten/": {"antwort-answer": "Danke", "antwort-version": 1},
    "barrierefreiheit/rueckmeldungen/<int:pk>/status/": {"status-status": "closed", "status-version": 1},
    "sitzungen/<int:pk>/rueckmeldung/": {"answer": "attending"},
    "sitzungen/<int:pk>/einladung/": {"covering_text": "Anschreiben"},
    "sitzungen/<int:pk>/einladung/senden/": {"covering_text": "Anschreiben"},
    "sitzungen/<int:pk>/einladung/gaeste/": {"name": "Gerda Gast", "email": "gerda@partner.example"},
    "sitzungen/<int:pk>/tagesordnung/<int:item>/dateien/<int:file>/entfernen/": {"version": 2},
    "sitzungen/antwort/<str:token>/": {"answer": "attending", "comment": "x"},
    "sitzungen/<int:pk>/ort/": {"ort-name": "Kulturzentrum", "ort-locality": "Herne"},
    "arbeitsbereiche/<slug:slug>/dokumente/ordner/neu/": {"name": "Neuer Ordner"},
    "kostenverteilung/neu/": {
        "year": 2030,
        "budget": "20.000",
        "equal_percent": "100",
        "population_percent": "0",
        "staff_percent": "0",
        "key_date": "2029-12-31",  # fixed-date: a refused post's payload, never compared with today
        "due_date": NEXT_YEAR,
    },
    "kostenverteilung/anteil/<int:pk>/zahlung/": {"amount": "2.000,00", "received_on": NEXT_YEAR},
    "projekte/neu/": {"title": "Fremdes Projekt", "lead_municipality": "1"},
    "projekte/<slug:slug>/bearbeiten/": {"title": "Fremder Titel", "version": 1},
    "projekte/<slug:slug>/stand/": {"stand-status": "application", "stand-version": 1},
    "projekte/<slug:slug>/freigabe/": {"op": "withdraw", "freigabe-version": 2},
    "projekte/<slug:slug>/partner/": {"partner-municipality": "{project_partner}", "partner-role": "partner"},
    "projekte/<slug:slug>/meilensteine/": {"meilenstein-title": "Fremd", "meilenstein-due_on": NEXT_YEAR},
    "projekte/<slug:slug>/beschluesse/": {"beschluss-decision": "1", "beschluss-effect": "changed"},
    "projekte/<slug:slug>/foerderung/ausgaben/": FUNDING_EXPENSE,
    "projekte/<slug:slug>/foerderung/mittelabruf/": {"requested_on": "2025-01-10", "amount": "100,00"},
    "projekte/<slug:slug>/foerderung/mittelabruf/<int:pk>/eingang/": {"received_on": "2025-01-20"},
    "projekte/<slug:slug>/foerderung/ausgaben/<int:pk>/pruefen/": {"status": "rejected", "note": "Fremd"},
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/": {"narrative": "Fremder Bericht", "version": 1},
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/stand/": {"status": "reviewed", "on": "2025-01-10", "version": 1},
    "projekte/<slug:slug>/foerderung/weiterleitung/": {"amount": "1,00", "forwarded_on": "2025-01-20"},
    "projekte/<slug:slug>/foerderung/zahlungsplan/": {"due_on": "2025-02-01", "amount": "1,00", "description": "x"},
    "verwaltung/datenschutz/personen/<int:pk>/": {"form": "erase", "confirm": "on", "remove_content": "on"},
    "verwaltung/datenschutz/archiv/<int:pk>/antwort/": {"status": "taken"},
    "kostenverteilung/staedte/<slug:slug>/": {
        "form": "budget",
        "b-year": 2030,
        "b-amount": "2.000",
        "b-decision_reference": "1/2030",
    },
}

# Pages where a persona may read (GET 200) but not every operation of the page's form is theirs.
OPERATIONS: dict[str, dict[str, list[dict[str, object]]]] = {
    # the Regiegruppe reads the funding of every project but writes none of it
    "projekte/<slug:slug>/foerderung/ausgaben/": {"member": [FUNDING_EXPENSE]},
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/": {"member": [{"narrative": "Fremder Bericht", "version": 1}]},
    "jahresberichte/": {"member": [{"year": 2024}]},  # the Regiegruppe reads reports; the office creates them
    "sitzungen/<int:pk>/protokoll/": {
        "member": [
            {"op": "attendance", "attendees": []},
            {"op": "item", "item": "{held_item}", "top{held_item}-summary": "Geändert"},
            {"op": "resolve", "objection": "{objection}"},
            {"op": "circulate"},
            {"op": "approve"},
            {"op": "publish"},
            {"op": "correct", "reason": "Grund", "change": "Änderung"},
        ],
    },
}


def _routes_with_views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes_with_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def accepts_post(view) -> bool:
    """Whether the view would run for a POST (class views: a post method; functions: no method decorator without POST)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function = view
    while function is not None:
        if function.__closure__:
            for name, cell in zip(function.__code__.co_freevars, function.__closure__, strict=True):
                if name == "request_method_list":
                    return "POST" in cell.cell_contents
        function = getattr(function, "__wrapped__", None)
    return True


def post_routes() -> list[str]:
    routes = set()
    for route, view in _routes_with_views(get_resolver().url_patterns):
        if accepts_post(view):
            routes.add("admin/" if route.startswith("admin/") else route)
    return sorted(routes)


def test_every_post_only_route_names_its_writers():
    post_only = [route for route in post_routes() if 405 in MATRIX[route][1].values()]
    missing = [route for route in post_only if route not in WRITERS]
    assert not missing, f"POST routes without an entry in WRITERS: {missing}"
    stale = [route for route in WRITERS if route not in post_only]
    assert not stale, f"WRITERS entries for routes that are not POST-only: {stale}"


def _fill(value, scene_ids):
    if isinstance(value, str):
        return value.format(**scene_ids)
    if isinstance(value, list):
        return [_fill(item, scene_ids) for item in value]
    return value


def _client(personas, persona: str) -> Client:
    client = Client()
    if personas[persona] is not None:
        client.force_login(personas[persona], backend="django.contrib.auth.backends.ModelBackend")
    return client


def _to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def _forbidden(route: str, persona: str, url: str) -> bool:
    seen = MATRIX[route][1][persona]
    if seen == 405:
        return persona not in WRITERS.get(route, frozenset())
    if persona == "anonymous" and seen == 302:
        return _to_login(Client().get(url))
    return seen in (403, 404)


def _refused(response, persona: str) -> bool:
    """404/403, the login for anonymous, or 405 from a read-only interface (OParl takes GET, HEAD and OPTIONS only)."""
    return response.status_code in (403, 404, 405) or (persona == "anonymous" and _to_login(response))


class _Watch:
    """Posts and reports a change in any table since the previous post."""

    def __init__(self):
        self.state = database_state()
        self.failures: list[str] = []

    def post(self, client, url: str, data: dict, persona: str, label: str, *, refused: bool) -> None:
        response = client.post(url, data)
        state = database_state()
        changed = changed_tables(self.state, state)
        self.state = state
        if changed:
            self.failures.append(f"{persona} {label} ({response.status_code}) changed {changed}")
        elif refused and not _refused(response, persona):
            self.failures.append(f"{persona} {label}: {response.status_code}")


@pytest.mark.django_db
def test_forbidden_posts_change_nothing(personas, ids):  # noqa: F811 - ids is the imported fixture
    """One scene and one signed-in client per persona: nothing may change, so the scene stays as it was."""
    clients = {persona: _client(personas, persona) for persona in PERSONAS}
    routes = [(route, MATRIX[route][0].format(**ids)) for route in post_routes()]
    forbidden = [(persona, route, url) for persona in PERSONAS for route, url in routes if _forbidden(route, persona, url)]
    watch = _Watch()
    for persona, route, url in forbidden:
        data = {key: _fill(value, ids) for key, value in PAYLOADS.get(route, {}).items()}
        watch.post(clients[persona], url, data, persona, route, refused=True)
    assert not watch.failures, "\n".join(watch.failures)


@pytest.mark.django_db
def test_operations_beyond_a_persona_s_role_change_nothing(personas, ids):  # noqa: F811
    from meetings.minutes import actions as minutes_actions
    from meetings.models import Meeting, Minutes
    from members.models import Person

    minutes = minutes_actions.minutes_for(Meeting.objects.get(pk=ids["held_meeting"]))
    minutes_actions.circulate_minutes(personas["office"], minutes)
    objection = minutes_actions.object_to_minutes(Person.objects.get(user=personas["member"]), minutes, "Bitte ergänzen.")
    ids = {**ids, "objection": objection.pk}
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.CIRCULATED
    clients = {persona: _client(personas, persona) for persona in PERSONAS}
    watch = _Watch()
    for route, by_persona in OPERATIONS.items():
        url = MATRIX[route][0].format(**ids)
        for persona, payloads in by_persona.items():
            for payload in payloads:
                data = {_fill(key, ids): _fill(value, ids) for key, value in payload.items()}
                watch.post(clients[persona], url, data, persona, f"{route} {payload}", refused=False)
    assert not watch.failures, "\n".join(watch.failures)


@pytest.mark.django_db
def test_the_fingerprint_sees_a_write():
    from members.models import Organisation

    before = database_state()
    Organisation.objects.create(name="Neu")
    assert "members_organisation" in changed_tables(before, database_state())
