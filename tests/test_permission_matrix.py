"""Every URL of the platform, every persona, the expected status.

The test enumerates the URL patterns itself: adding a URL without an entry here fails
the suite, so nobody can add a page without deciding who may see it.
Forbidden and unknown objects answer 404 alike; anonymous visitors to pages that need
an account are sent to the login (302).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Invitation
from members.models import Membership, Person
from tests.annualreport.matrix import annual_report_ids
from tests.calendar_events.matrix import calendar_ids
from tests.costshares.matrix import costshare_ids
from tests.events.matrix import event_ids
from tests.funding.matrix import funding_ids
from tests.knowledge.matrix import knowledge_ids
from tests.meetings.matrix import meeting_ids
from tests.monitoring.matrix import monitoring_ids
from tests.news.matrix import news_ids
from tests.privacy.matrix import privacy_ids
from tests.projects.matrix import project_ids
from tests.selfcheck.matrix import selfcheck_ids
from tests.tasks.matrix import task_ids

PERSONAS = ["anonymous", "outsider", "guest", "member", "office", "admin", "contributor"]
LOGIN = 302  # anonymous → login page


def _row(anonymous, outsider, guest, member, office, admin, contributor=None):
    """``contributor`` (an external author of practice examples, no seat) sees what the outsider sees unless named."""
    row = [anonymous, outsider, guest, member, office, admin, outsider if contributor is None else contributor]
    return dict(zip(PERSONAS, row, strict=True))


PUBLIC = _row(200, 200, 200, 200, 200, 200)
SIGNED_IN = _row(LOGIN, 200, 200, 200, 200, 200)
OFFICE_ONLY = _row(LOGIN, 404, 404, 404, 200, 200)
ADMIN_ONLY = _row(LOGIN, 404, 404, 404, 404, 200)
MEMBERS_SEE = _row(404, 404, 404, 200, 200, 200)
POST_ONLY_SIGNED_IN = _row(LOGIN, 405, 405, 405, 405, 405)
POST_ONLY_OFFICE = _row(LOGIN, 404, 404, 404, 405, 405)
# allauth pages for signed-out people redirect signed-in people away.
TAKES_PART = _row(LOGIN, 404, 404, 200, 200, 200)
ENTRANCE = _row(200, 302, 302, 302, 302, 302)

# route (as in urls.py) → (url to request, expected status per persona)
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "healthz": ("/healthz", _row(503, 503, 503, 503, 503, 503)),  # no worker runs in the test
    "healthz/ready": ("/healthz/ready", _row(503, 503, 503, 503, 503, 503)),
    "healthz/live": ("/healthz/live", _row(200, 200, 200, 200, 200, 200)),
    "metrics": ("/metrics", _row(404, 404, 404, 404, 404, 404)),  # only with METRICS_TOKEN or from an allowed network
    ".well-known/security.txt": ("/.well-known/security.txt", PUBLIC),
    # The development mailbox is off outside development (tests/ops/test_dev_mailbox.py covers it turned on).
    "entwicklung/postfach/": ("/entwicklung/postfach/", _row(404, 404, 404, 404, 404, 404)),
    "entwicklung/postfach/<str:mail_id>/": ("/entwicklung/postfach/x/", _row(404, 404, 404, 404, 404, 404)),
    "entwicklung/postfach/<str:mail_id>/html/": ("/entwicklung/postfach/x/html/", _row(404, 404, 404, 404, 404, 404)),
    "i18n/setlang/": ("/i18n/setlang/", _row(302, 302, 302, 302, 302, 302)),
    # Website
    "": ("/", PUBLIC),
    "mitgliedsstaedte/": ("/mitgliedsstaedte/", PUBLIC),
    "mitgliedsstaedte/<slug:slug>/": ("/mitgliedsstaedte/hagen/", PUBLIC),
    "barrierefreiheit/rueckmeldungen/": ("/barrierefreiheit/rueckmeldungen/", OFFICE_ONLY),
    "barrierefreiheit/rueckmeldungen/<int:pk>/": ("/barrierefreiheit/rueckmeldungen/{feedback}/", OFFICE_ONLY),
    "barrierefreiheit/rueckmeldungen/<int:pk>/antworten/": (
        "/barrierefreiheit/rueckmeldungen/{feedback}/antworten/",
        POST_ONLY_OFFICE,
    ),
    "barrierefreiheit/rueckmeldungen/<int:pk>/status/": ("/barrierefreiheit/rueckmeldungen/{feedback}/status/", POST_ONLY_OFFICE),
    "seiten/<slug:slug>/bearbeiten/": ("/seiten/impressum/bearbeiten/", OFFICE_ONLY),
    "<slug:slug>/": ("/impressum/", PUBLIC),
    # Members
    "verzeichnis/": ("/verzeichnis/", PUBLIC),
    "verzeichnis/export.<str:fmt>": ("/verzeichnis/export.csv", OFFICE_ONLY),
    "verzeichnis/personen/<int:pk>/": ("/verzeichnis/personen/{member_person}/", MEMBERS_SEE),
    "verzeichnis/personen/<int:pk>/vcard/": ("/verzeichnis/personen/{member_person}/vcard/", MEMBERS_SEE),
    "gremien/": ("/gremien/", PUBLIC),
    "gremien/<slug:slug>/": ("/gremien/regiegruppe/", PUBLIC),
    "mein-bereich/": ("/mein-bereich/", SIGNED_IN),
    "profil/": ("/profil/", _row(LOGIN, 302, 302, 302, 302, 200)),  # → own person page; admin has none
    "profil/bearbeiten/": ("/profil/bearbeiten/", _row(LOGIN, 200, 200, 200, 200, 404)),
    "verwaltung/": ("/verwaltung/", OFFICE_ONLY),
    "verwaltung/kommunen/": ("/verwaltung/kommunen/", OFFICE_ONLY),
    "verwaltung/kommunen/neu/": ("/verwaltung/kommunen/neu/", OFFICE_ONLY),
    "verwaltung/kommunen/<slug:slug>/bearbeiten/": ("/verwaltung/kommunen/hagen/bearbeiten/", OFFICE_ONLY),
    "verwaltung/personen/neu/": ("/verwaltung/personen/neu/", OFFICE_ONLY),
    "verwaltung/personen/<int:pk>/bearbeiten/": ("/verwaltung/personen/{member_person}/bearbeiten/", OFFICE_ONLY),
    "verwaltung/personen/<int:pk>/mitgliedschaften/neu/": (
        "/verwaltung/personen/{member_person}/mitgliedschaften/neu/",
        OFFICE_ONLY,
    ),
    "verwaltung/mitgliedschaften/<int:pk>/beenden/": ("/verwaltung/mitgliedschaften/{membership}/beenden/", POST_ONLY_OFFICE),
    "verwaltung/protokoll/": ("/verwaltung/protokoll/", ADMIN_ONLY),
    # Workspaces ("regiegruppe": the body's workspace, visible to all platform members, managed by the office)
    "arbeitsbereiche/": ("/arbeitsbereiche/", SIGNED_IN),
    "arbeitsbereiche/neu/": ("/arbeitsbereiche/neu/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "arbeitsbereiche/<slug:slug>/": ("/arbeitsbereiche/regiegruppe/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "arbeitsbereiche/<slug:slug>/bearbeiten/": ("/arbeitsbereiche/regiegruppe/bearbeiten/", _row(LOGIN, 404, 404, 404, 200, 200)),
    "arbeitsbereiche/<slug:slug>/archivieren/": ("/arbeitsbereiche/regiegruppe/archivieren/", POST_ONLY_SIGNED_IN),
    "arbeitsbereiche/<slug:slug>/mitglieder/": ("/arbeitsbereiche/regiegruppe/mitglieder/", _row(LOGIN, 404, 404, 404, 200, 200)),
    "arbeitsbereiche/<slug:slug>/beitreten/": ("/arbeitsbereiche/regiegruppe/beitreten/", POST_ONLY_SIGNED_IN),
    "arbeitsbereiche/<slug:slug>/verlassen/": ("/arbeitsbereiche/regiegruppe/verlassen/", POST_ONLY_SIGNED_IN),
    "arbeitsbereiche/<slug:slug>/anfragen/<int:pk>/entscheiden/": (
        "/arbeitsbereiche/regiegruppe/anfragen/999999/entscheiden/",
        POST_ONLY_SIGNED_IN,
    ),
    # Notifications: everybody signed in has their own centre; the unsubscribe link is its own authorisation
    "benachrichtigungen/": ("/benachrichtigungen/", SIGNED_IN),
    "benachrichtigungen/<int:pk>/": ("/benachrichtigungen/999999/", _row(LOGIN, 404, 404, 404, 404, 404)),
    "benachrichtigungen/gelesen/": ("/benachrichtigungen/gelesen/", POST_ONLY_SIGNED_IN),
    "benachrichtigungen/einstellungen/": ("/benachrichtigungen/einstellungen/", SIGNED_IN),
    "benachrichtigungen/abbestellen/<str:token>/": (
        "/benachrichtigungen/abbestellen/falsch/",
        _row(404, 404, 404, 404, 404, 404),
    ),
    # News: public page; members' news; a post in the Regiegruppe (member = author and editor, office = manager)
    "aktuelles/": ("/aktuelles/", PUBLIC),
    "neuigkeiten/": ("/neuigkeiten/", SIGNED_IN),
    "neuigkeiten/neu/": ("/neuigkeiten/neu/", OFFICE_ONLY),
    "neuigkeiten/<int:pk>/": ("/neuigkeiten/{post}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "neuigkeiten/<int:pk>/bearbeiten/": ("/neuigkeiten/{post}/bearbeiten/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "neuigkeiten/<int:pk>/loeschen/": ("/neuigkeiten/{post}/loeschen/", POST_ONLY_SIGNED_IN),
    "neuigkeiten/<int:pk>/bild/": ("/neuigkeiten/{post}/bild/", _row(404, 404, 404, 200, 200, 200)),
    "neuigkeiten/<int:pk>/kommentieren/": ("/neuigkeiten/{post}/kommentieren/", POST_ONLY_SIGNED_IN),
    "neuigkeiten/kommentare/<int:pk>/loeschen/": ("/neuigkeiten/kommentare/{comment}/loeschen/", POST_ONLY_SIGNED_IN),
    "arbeitsbereiche/<slug:slug>/neuigkeiten/": (
        "/arbeitsbereiche/regiegruppe/neuigkeiten/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "arbeitsbereiche/<slug:slug>/neuigkeiten/neu/": (
        "/arbeitsbereiche/regiegruppe/neuigkeiten/neu/",
        _row(LOGIN, 404, 404, 200, 200, 404),
    ),
    # Self-check: raters (Regiegruppe and Projektteam of a city), the Regiegruppe and the office; the public only
    # what the office released. The member persona sits in the Regiegruppe for Bochum.
    "selbstcheck/": ("/selbstcheck/", TAKES_PART),
    "selbstcheck/runden/<int:pk>/": ("/selbstcheck/runden/{selfcheck_round}/", TAKES_PART),
    "selbstcheck/runden/<int:pk>/ergebnisse/": ("/selbstcheck/runden/{selfcheck_round}/ergebnisse/", TAKES_PART),
    "selbstcheck/runden/<int:pk>/zusammenfassung.pdf": ("/selbstcheck/runden/{selfcheck_round}/zusammenfassung.pdf", TAKES_PART),
    "selbstcheck/runden/<int:pk>/aufgaben/": ("/selbstcheck/runden/{selfcheck_round}/aufgaben/", POST_ONLY_OFFICE),
    "selbstcheck/runden/<int:pk>/tagesordnung/": ("/selbstcheck/runden/{selfcheck_round}/tagesordnung/", POST_ONLY_OFFICE),
    "selbstcheck/runden/<int:pk>/abschliessen/": ("/selbstcheck/runden/{selfcheck_round}/abschliessen/", POST_ONLY_OFFICE),
    "selbstcheck/runden/<int:pk>/veroeffentlichen/": (
        "/selbstcheck/runden/{selfcheck_round}/veroeffentlichen/",
        POST_ONLY_OFFICE,
    ),
    "selbstcheck/verwaltung/": ("/selbstcheck/verwaltung/", OFFICE_ONLY),
    "selbstcheck/verwaltung/<slug:slug>/": ("/selbstcheck/verwaltung/kooperation/", OFFICE_ONLY),
    "selbstcheck/verwaltung/<slug:slug>/runde-eroeffnen/": (
        "/selbstcheck/verwaltung/kooperation/runde-eroeffnen/",
        POST_ONLY_OFFICE,
    ),
    "selbstcheck/verwaltung/pruffragen/<int:pk>/ausmustern/": (
        "/selbstcheck/verwaltung/pruffragen/{selfcheck_item}/ausmustern/",
        POST_ONLY_OFFICE,
    ),
    "selbstcheck/ergebnisse/<int:pk>/": ("/selbstcheck/ergebnisse/{selfcheck_released}/", PUBLIC),
    # Tasks: never public; "my tasks" for everybody signed in; the overdue list for the managing office
    "aufgaben/": ("/aufgaben/", SIGNED_IN),
    "aufgaben/ueberfaellig/": ("/aufgaben/ueberfaellig/", OFFICE_ONLY),
    "aufgaben/<int:pk>/": ("/aufgaben/{task}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "aufgaben/<int:pk>/bearbeiten/": ("/aufgaben/{task}/bearbeiten/", _row(LOGIN, 404, 404, 200, 200, 404)),
    "aufgaben/<int:pk>/status/": ("/aufgaben/{task}/status/", POST_ONLY_SIGNED_IN),
    "aufgaben/<int:pk>/loeschen/": ("/aufgaben/{task}/loeschen/", POST_ONLY_SIGNED_IN),
    "aufgaben/<int:pk>/staedte/<int:row_pk>/": ("/aufgaben/{city_task}/staedte/{task_city}/", POST_ONLY_SIGNED_IN),
    "aufgaben/<int:pk>/kommentieren/": ("/aufgaben/{city_task}/kommentieren/", POST_ONLY_SIGNED_IN),
    "aufgaben/<int:pk>/anhaenge/": ("/aufgaben/{city_task}/anhaenge/", POST_ONLY_SIGNED_IN),
    "aufgaben/<int:pk>/anhaenge/<int:attachment_pk>/": (
        "/aufgaben/{city_task}/anhaenge/{task_attachment}/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "aufgaben/<int:pk>/anhaenge/<int:attachment_pk>/loeschen/": (
        "/aufgaben/{city_task}/anhaenge/{task_attachment}/loeschen/",
        _row(LOGIN, 404, 404, 404, 200, 200),  # the office uploaded it; the member may read but not delete it
    ),
    "arbeitsbereiche/<slug:slug>/aufgaben/": ("/arbeitsbereiche/regiegruppe/aufgaben/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "arbeitsbereiche/<slug:slug>/aufgaben/neu/": (
        "/arbeitsbereiche/regiegruppe/aufgaben/neu/",
        _row(LOGIN, 404, 404, 200, 200, 404),
    ),
    # Accounts (ours)
    "konto/sicherheit/": ("/konto/sicherheit/", SIGNED_IN),
    "konto/sicherheit/ueberall-abmelden/": ("/konto/sicherheit/ueberall-abmelden/", POST_ONLY_SIGNED_IN),
    "konto/einladungen/": ("/konto/einladungen/", OFFICE_ONLY),
    "konto/einladungen/neu/": ("/konto/einladungen/neu/", OFFICE_ONLY),
    "konto/einladungen/<int:pk>/zurueckziehen/": ("/konto/einladungen/{invitation}/zurueckziehen/", POST_ONLY_OFFICE),
    "konto/einladung/<str:token>/": ("/konto/einladung/ungueltiger-token/", _row(404, 404, 404, 404, 404, 404)),
    # Accounts (allauth)
    "konto/login/": ("/konto/login/", ENTRANCE),
    "konto/logout/": ("/konto/logout/", _row(302, 200, 200, 200, 200, 200)),
    "konto/inactive/": ("/konto/inactive/", PUBLIC),
    "konto/signup/": ("/konto/signup/", ENTRANCE),
    "konto/reauthenticate/": ("/konto/reauthenticate/", SIGNED_IN),
    "konto/email/": ("/konto/email/", SIGNED_IN),
    "konto/confirm-email/": ("/konto/confirm-email/", PUBLIC),
    "konto/password/change/": ("/konto/password/change/", SIGNED_IN),
    "konto/password/set/": ("/konto/password/set/", _row(LOGIN, 302, 302, 302, 302, 302)),
    "konto/password/reset/": ("/konto/password/reset/", _row(200, 200, 200, 200, 200, 200)),
    # Login by code is switched off; without a pending code login allauth sends people back.
    "konto/login/code/confirm/": ("/konto/login/code/confirm/", _row(302, 302, 302, 302, 302, 302)),
    "konto/^confirm-email/(?P<key>[-:\\w]+)/$": ("/konto/confirm-email/falscher-schluessel/", PUBLIC),
    "konto/password/reset/key/done/": ("/konto/password/reset/key/done/", PUBLIC),
    "konto/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": ("/konto/password/reset/key/1-falsch/", PUBLIC),
    "konto/password/reset/done/": ("/konto/password/reset/done/", PUBLIC),
    "konto/2fa/": ("/konto/2fa/", SIGNED_IN),
    "konto/2fa/authenticate/": ("/konto/2fa/authenticate/", _row(302, 302, 302, 302, 302, 302)),
    "konto/2fa/reauthenticate/": ("/konto/2fa/reauthenticate/", _row(LOGIN, 302, 302, 302, 200, 200)),
    # Changing second factors first asks for a fresh login (reauthentication): 302 for signed-in people.
    "konto/2fa/totp/activate/": ("/konto/2fa/totp/activate/", _row(LOGIN, 302, 302, 302, 302, 302)),
    "konto/2fa/totp/deactivate/": ("/konto/2fa/totp/deactivate/", _row(LOGIN, 404, 404, 404, 302, 302)),
    "konto/2fa/recovery-codes/": ("/konto/2fa/recovery-codes/", _row(LOGIN, 404, 404, 404, 404, 404)),
    # Generating codes asks for a fresh login first (reauthentication), so everybody is redirected.
    "konto/2fa/recovery-codes/generate/": ("/konto/2fa/recovery-codes/generate/", _row(LOGIN, 302, 302, 302, 302, 302)),
    "konto/2fa/recovery-codes/download/": ("/konto/2fa/recovery-codes/download/", _row(LOGIN, 404, 404, 404, 404, 404)),
    "konto/2fa/webauthn/": ("/konto/2fa/webauthn/", SIGNED_IN),
    "konto/2fa/webauthn/add/": ("/konto/2fa/webauthn/add/", _row(LOGIN, 302, 302, 302, 302, 302)),
    "konto/2fa/webauthn/reauthenticate/": ("/konto/2fa/webauthn/reauthenticate/", _row(LOGIN, 302, 302, 302, 302, 302)),
    "konto/2fa/webauthn/keys/<int:pk>/remove/": ("/konto/2fa/webauthn/keys/999999/remove/", _row(LOGIN, 302, 302, 302, 302, 302)),
    "konto/2fa/webauthn/keys/<int:pk>/edit/": ("/konto/2fa/webauthn/keys/999999/edit/", _row(LOGIN, 302, 302, 302, 302, 302)),
    "konto/3rdparty/login/cancelled/": ("/konto/3rdparty/login/cancelled/", PUBLIC),
    "konto/3rdparty/login/error/": ("/konto/3rdparty/login/error/", _row(401, 401, 401, 401, 401, 401)),
    "konto/3rdparty/signup/": ("/konto/3rdparty/signup/", _row(302, 302, 302, 302, 302, 302)),
    "konto/3rdparty/": ("/konto/3rdparty/", SIGNED_IN),
    "konto/social/login/cancelled/": ("/konto/social/login/cancelled/", _row(301, 301, 301, 301, 301, 301)),
    "konto/social/login/error/": ("/konto/social/login/error/", _row(301, 301, 301, 301, 301, 301)),
    "konto/social/signup/": ("/konto/social/signup/", _row(301, 301, 301, 301, 301, 301)),
    "konto/social/connections/": ("/konto/social/connections/", _row(301, 301, 301, 301, 301, 301)),
    "konto/oidc/^(?P<provider_id>[^/]+)/login/": ("/konto/oidc/unbekannt/login/", _row(404, 404, 404, 404, 404, 404)),
    "konto/oidc/^(?P<provider_id>[^/]+)/login/callback/": (
        "/konto/oidc/unbekannt/login/callback/",
        _row(404, 404, 404, 404, 404, 404),
    ),
    "konto/sessions/": ("/konto/sessions/", SIGNED_IN),
    # Monitoring: the anonymous survey (open to everybody, answers need a code or an open link)
    "umfrage/": ("/umfrage/", PUBLIC),
    "umfrage/fragebogen/": ("/umfrage/fragebogen/", _row(302, 302, 302, 302, 302, 302)),  # POST only; GET → code entry
    "umfrage/offen/<str:token>/": ("/umfrage/offen/kein-link/", _row(404, 404, 404, 404, 404, 404)),
    "umfrage/danke/": ("/umfrage/danke/", PUBLIC),
    # Monitoring results: public after release; comparison for the Regiegruppe; city detail for the city's staff
    "monitoring/": ("/monitoring/", PUBLIC),
    "monitoring/ergebnisse/<slug:round_slug>/": ("/monitoring/ergebnisse/{round}/", PUBLIC),
    "monitoring/ergebnisse/<slug:round_slug>/daten.<str:fmt>": ("/monitoring/ergebnisse/{round}/daten.csv", PUBLIC),
    "monitoring/ergebnisse/<slug:round_slug>/<slug:city_slug>/": ("/monitoring/ergebnisse/{round}/essen/", PUBLIC),
    "monitoring/ergebnisse/<slug:round_slug>/<slug:city_slug>/daten.<str:fmt>": (
        "/monitoring/ergebnisse/{round}/essen/daten.json",
        PUBLIC,
    ),
    "monitoring/offene-daten/katalog.jsonld": ("/monitoring/offene-daten/katalog.jsonld", PUBLIC),
    "monitoring/runden/<slug:round_slug>/vergleich/": (
        "/monitoring/runden/{round}/vergleich/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "monitoring/runden/<slug:round_slug>/vergleich/daten.<str:fmt>": (
        "/monitoring/runden/{round}/vergleich/daten.xlsx",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "monitoring/runden/<slug:round_slug>/bericht.pdf": (
        "/monitoring/runden/{round}/bericht.pdf",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "monitoring/runden/<slug:round_slug>/<slug:city_slug>/": (
        "/monitoring/runden/{round}/essen/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "monitoring/runden/<slug:round_slug>/<slug:city_slug>/daten.<str:fmt>": (
        "/monitoring/runden/{round}/essen/daten.csv",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "monitoring/verwaltung/": ("/monitoring/verwaltung/", OFFICE_ONLY),
    "monitoring/verwaltung/runden/neu/": ("/monitoring/verwaltung/runden/neu/", OFFICE_ONLY),
    "monitoring/verwaltung/runden/<slug:round_slug>/": ("/monitoring/verwaltung/runden/{round}/", OFFICE_ONLY),
    "monitoring/verwaltung/runden/<slug:round_slug>/auswerten/": (
        "/monitoring/verwaltung/runden/{round}/auswerten/",
        POST_ONLY_OFFICE,
    ),
    "monitoring/verwaltung/runden/<slug:round_slug>/wellen/neu/": (
        "/monitoring/verwaltung/runden/{round}/wellen/neu/",
        OFFICE_ONLY,
    ),
    "monitoring/verwaltung/wellen/<int:pk>/bearbeiten/": ("/monitoring/verwaltung/wellen/{wave}/bearbeiten/", OFFICE_ONLY),
    "monitoring/verwaltung/wellen/<int:pk>/status/": ("/monitoring/verwaltung/wellen/{wave}/status/", POST_ONLY_OFFICE),
    "monitoring/verwaltung/wellen/<int:pk>/codes/": ("/monitoring/verwaltung/wellen/{wave}/codes/", OFFICE_ONLY),
    "monitoring/verwaltung/bevoelkerung/": ("/monitoring/verwaltung/bevoelkerung/", OFFICE_ONLY),
    "monitoring/verwaltung/beschaeftigte/": ("/monitoring/verwaltung/beschaeftigte/", OFFICE_ONLY),  # and a city's HR staff
    "monitoring/verwaltung/zugriffe/": ("/monitoring/verwaltung/zugriffe/", OFFICE_ONLY),
    "monitoring/verwaltung/zugriffe/<int:pk>/entfernen/": (
        "/monitoring/verwaltung/zugriffe/{access}/entfernen/",
        POST_ONLY_OFFICE,
    ),
    # Calendar: events of the Regiegruppe's workspace (member edits, office manages, admins only read)
    "arbeitsbereiche/<slug:slug>/termine/": ("/arbeitsbereiche/regiegruppe/termine/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "arbeitsbereiche/<slug:slug>/termine/neu/": (
        "/arbeitsbereiche/regiegruppe/termine/neu/",
        _row(LOGIN, 404, 404, 200, 200, 404),
    ),
    "termine/<int:pk>/": ("/termine/{event}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "termine/<int:pk>/termin.ics": ("/termine/{event}/termin.ics", _row(LOGIN, 404, 404, 200, 200, 200)),
    "termine/<int:pk>/bearbeiten/": ("/termine/{event}/bearbeiten/", _row(LOGIN, 404, 404, 200, 200, 404)),
    "termine/<int:pk>/loeschen/": ("/termine/{event}/loeschen/", _row(LOGIN, 404, 404, 200, 200, 404)),
    "mein-kalender/": ("/mein-kalender/", SIGNED_IN),
    "mein-kalender/monat/": ("/mein-kalender/monat/", SIGNED_IN),
    "benachrichtigungen/postausgang/": ("/benachrichtigungen/postausgang/", OFFICE_ONLY),
    "arbeitsbereiche/<slug:slug>/termine/monat/": (
        "/arbeitsbereiche/regiegruppe/termine/monat/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "mein-kalender/abonnement/": ("/mein-kalender/abonnement/", POST_ONLY_SIGNED_IN),
    "mein-kalender/abonnement/widerrufen/": ("/mein-kalender/abonnement/widerrufen/", POST_ONLY_SIGNED_IN),
    "kalender/<str:token>.ics": ("/kalender/kein-abo.ics", _row(404, 404, 404, 404, 404, 404)),
    # Date polls: only the workspace's members (and admins, for support) see them; the office organises this one
    "arbeitsbereiche/<slug:slug>/terminabstimmungen/": (
        "/arbeitsbereiche/regiegruppe/terminabstimmungen/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "arbeitsbereiche/<slug:slug>/terminabstimmungen/neu/": (
        "/arbeitsbereiche/regiegruppe/terminabstimmungen/neu/",
        _row(LOGIN, 404, 404, 200, 200, 404),
    ),
    "terminabstimmungen/<int:pk>/": ("/terminabstimmungen/{poll}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "terminabstimmungen/<int:pk>/einladen/": ("/terminabstimmungen/{poll}/einladen/", POST_ONLY_SIGNED_IN),
    "terminabstimmungen/<int:pk>/bestaetigen/": ("/terminabstimmungen/{poll}/bestaetigen/", POST_ONLY_SIGNED_IN),
    "terminabstimmungen/<int:pk>/loeschen/": ("/terminabstimmungen/{poll}/loeschen/", _row(LOGIN, 404, 404, 404, 200, 200)),
    "terminabstimmung/<str:token>/": ("/terminabstimmung/kein-link/", _row(404, 404, 404, 404, 404, 404)),
    # Documents ("regiegruppe" body workspace: platform-visible; the office manages it; {document} lies in it)
    "arbeitsbereiche/<slug:slug>/dokumente/": ("/arbeitsbereiche/regiegruppe/dokumente/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "arbeitsbereiche/<slug:slug>/dokumente/hochladen/": (
        "/arbeitsbereiche/regiegruppe/dokumente/hochladen/",
        POST_ONLY_SIGNED_IN,
    ),
    "arbeitsbereiche/<slug:slug>/dokumente/ordner/neu/": (
        "/arbeitsbereiche/regiegruppe/dokumente/ordner/neu/",
        POST_ONLY_SIGNED_IN,
    ),
    # The trash: contributors only (member: editor via the Regiegruppe seat; office: manager; admin: no role)
    "arbeitsbereiche/<slug:slug>/dokumente/papierkorb/": (
        "/arbeitsbereiche/regiegruppe/dokumente/papierkorb/",
        _row(LOGIN, 404, 404, 200, 200, 404),
    ),
    "dokumente/<int:pk>/": ("/dokumente/{document}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "dokumente/<int:pk>/herunterladen/": ("/dokumente/{document}/herunterladen/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "dokumente/<int:pk>/neue-fassung/": ("/dokumente/{document}/neue-fassung/", POST_ONLY_SIGNED_IN),
    "dokumente/<int:pk>/fassungen/<int:number>/herunterladen/": (
        "/dokumente/{document}/fassungen/1/herunterladen/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "dokumente/<int:pk>/fassungen/<int:number>/wiederherstellen/": (
        "/dokumente/{document}/fassungen/1/wiederherstellen/",
        POST_ONLY_SIGNED_IN,
    ),
    "dokumente/<int:pk>/veroeffentlichen/": ("/dokumente/{document}/veroeffentlichen/", POST_ONLY_SIGNED_IN),
    "dokumente/<int:pk>/papierkorb/": ("/dokumente/{document}/papierkorb/", POST_ONLY_SIGNED_IN),
    "dokumente/<int:pk>/wiederherstellen/": ("/dokumente/{document}/wiederherstellen/", POST_ONLY_SIGNED_IN),
    "dokumente/<int:pk>/loeschen/": ("/dokumente/{document}/loeschen/", POST_ONLY_SIGNED_IN),
    "veroeffentlichungen/": ("/veroeffentlichungen/", PUBLIC),
    # Search: everybody; anonymous visitors find public content only
    "suche/": ("/suche/?q=Protokoll", PUBLIC),
    # Meetings: public meetings, agenda items and documents for everybody; internals for the body's members
    "sitzungen/": ("/sitzungen/", PUBLIC),
    "sitzungen/beschluesse/": ("/sitzungen/beschluesse/", PUBLIC),
    "sitzungen/gremium/<slug:slug>/": ("/sitzungen/gremium/regiegruppe/", PUBLIC),
    "sitzungen/gremium/<slug:slug>/neu/": ("/sitzungen/gremium/regiegruppe/neu/", OFFICE_ONLY),
    "sitzungen/gremium/<slug:slug>/vorschlagen/": (
        "/sitzungen/gremium/regiegruppe/vorschlagen/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "sitzungen/<int:pk>/": ("/sitzungen/{meeting}/", PUBLIC),
    "sitzungen/<int:pk>/bearbeiten/": ("/sitzungen/{meeting}/bearbeiten/", OFFICE_ONLY),
    "sitzungen/<int:pk>/ort/": ("/sitzungen/{meeting}/ort/", POST_ONLY_OFFICE),
    "sitzungen/<int:pk>/gastgeber-absage/": ("/sitzungen/{meeting}/gastgeber-absage/", POST_ONLY_OFFICE),
    "sitzungen/<int:pk>/tagesordnung/": ("/sitzungen/{meeting}/tagesordnung/", OFFICE_ONLY),  # and the body's speaker
    "sitzungen/<int:pk>/tagesordnung/neu/": ("/sitzungen/{meeting}/tagesordnung/neu/", OFFICE_ONLY),  # and the speaker
    "sitzungen/<int:pk>/tagesordnung/<int:item>/bearbeiten/": (
        "/sitzungen/{meeting}/tagesordnung/{agenda_item}/bearbeiten/",
        OFFICE_ONLY,  # and the body's speaker
    ),
    "sitzungen/<int:pk>/tagesordnung/<int:item>/dateien/<int:file>/entfernen/": (
        "/sitzungen/{meeting}/tagesordnung/{agenda_item}/dateien/{meeting_file}/entfernen/",
        POST_ONLY_SIGNED_IN,  # POST by the office and the body's speaker (tests/test_permission_matrix_post.py)
    ),
    "sitzungen/<int:pk>/durchgefuehrt/": ("/sitzungen/{meeting}/durchgefuehrt/", OFFICE_ONLY),  # GET: the question
    "sitzungen/<int:pk>/protokoll/schritt/<slug:step>/": (
        "/sitzungen/{held_meeting}/protokoll/schritt/umlauf/",
        OFFICE_ONLY,  # GET: what will happen
    ),
    "sitzungen/<int:pk>/protokoll/berichtigung/": ("/sitzungen/{held_meeting}/protokoll/berichtigung/", OFFICE_ONLY),
    "sitzungen/<int:pk>/einladung/": ("/sitzungen/{meeting}/einladung/", OFFICE_ONLY),
    "sitzungen/<int:pk>/einladung/vorschau.pdf": ("/sitzungen/{meeting}/einladung/vorschau.pdf", POST_ONLY_OFFICE),
    "sitzungen/<int:pk>/einladung/senden/": ("/sitzungen/{meeting}/einladung/senden/", POST_ONLY_OFFICE),
    "sitzungen/<int:pk>/einladung/gaeste/": ("/sitzungen/{meeting}/einladung/gaeste/", POST_ONLY_OFFICE),
    "sitzungen/<int:pk>/einladung/gaeste/<int:guest>/entfernen/": (
        "/sitzungen/{meeting}/einladung/gaeste/{meeting_guest}/entfernen/",
        POST_ONLY_OFFICE,
    ),
    "sitzungen/<int:pk>/rueckmeldungen/erinnern/": ("/sitzungen/{meeting}/rueckmeldungen/erinnern/", POST_ONLY_OFFICE),
    # A personal reply link: the link is the permission; a wrong one is 404 for everybody, signed in or not.
    "sitzungen/antwort/<str:token>/": ("/sitzungen/antwort/kein-link/", _row(404, 404, 404, 404, 404, 404)),
    "sitzungen/<int:pk>/einladung.pdf": ("/sitzungen/{meeting}/einladung.pdf", _row(LOGIN, 404, 404, 200, 200, 200)),
    "sitzungen/<int:pk>/kalender.ics": ("/sitzungen/{meeting}/kalender.ics", _row(LOGIN, 404, 404, 200, 200, 200)),
    "sitzungen/<int:pk>/absagen/": ("/sitzungen/{meeting}/absagen/", POST_ONLY_OFFICE),
    "sitzungen/<int:pk>/rueckmeldung/": ("/sitzungen/{meeting}/rueckmeldung/", POST_ONLY_SIGNED_IN),
    "sitzungen/<int:pk>/protokoll/": ("/sitzungen/{held_meeting}/protokoll/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "sitzungen/<int:pk>/protokoll.pdf": (
        "/sitzungen/{held_meeting}/protokoll.pdf",
        MEMBERS_SEE,
    ),  # draft minutes; public once published
    "sitzungen/aufgaben/<int:pk>/erledigt/": ("/sitzungen/aufgaben/{action}/erledigt/", POST_ONLY_SIGNED_IN),
    "sitzungen/dokumente/<int:pk>/": ("/sitzungen/dokumente/{meeting_file}/", PUBLIC),
    "sitzungen/vorlagen/<int:pk>/": ("/sitzungen/vorlagen/{paper}/", PUBLIC),
    "sitzungen/vorlagen/": ("/sitzungen/vorlagen/", PUBLIC),
    "sitzungen/vorlagen/neu/": ("/sitzungen/vorlagen/neu/", OFFICE_ONLY),
    "sitzungen/vorlagen/<int:pk>/bearbeiten/": ("/sitzungen/vorlagen/{paper}/bearbeiten/", OFFICE_ONLY),
    "sitzungen/vorlagen/<int:pk>/loeschen/": ("/sitzungen/vorlagen/{paper}/loeschen/", OFFICE_ONLY),  # GET: the question
    "sitzungen/vorlagen/<int:pk>/beratungsfolge/": ("/sitzungen/vorlagen/{paper}/beratungsfolge/", OFFICE_ONLY),
    "sitzungen/vorlagen/<int:pk>/beratungsfolge/<int:step>/": (
        "/sitzungen/vorlagen/{paper}/beratungsfolge/{consultation}/",
        OFFICE_ONLY,
    ),
    "sitzungen/vorlagen/<int:pk>/dateien/": ("/sitzungen/vorlagen/{paper}/dateien/", OFFICE_ONLY),
    # OParl 1.1: public, stateless, the same for everybody
    "oparl/v1.1/system": ("/oparl/v1.1/system", PUBLIC),
    "oparl/v1.1/bodies": ("/oparl/v1.1/bodies", PUBLIC),
    "oparl/v1.1/body/<str:pk>": ("/oparl/v1.1/body/{cooperation}", PUBLIC),
    "oparl/v1.1/body/<str:pk>/organizations": ("/oparl/v1.1/body/{cooperation}/organizations", PUBLIC),
    "oparl/v1.1/body/<str:pk>/persons": ("/oparl/v1.1/body/{cooperation}/persons", PUBLIC),
    "oparl/v1.1/body/<str:pk>/meetings": ("/oparl/v1.1/body/{cooperation}/meetings", PUBLIC),
    "oparl/v1.1/body/<str:pk>/papers": ("/oparl/v1.1/body/{cooperation}/papers", PUBLIC),
    "oparl/v1.1/body/<str:pk>/agenda-items": ("/oparl/v1.1/body/{cooperation}/agenda-items", PUBLIC),
    "oparl/v1.1/body/<str:pk>/consultations": ("/oparl/v1.1/body/{cooperation}/consultations", PUBLIC),
    "oparl/v1.1/body/<str:pk>/files": ("/oparl/v1.1/body/{cooperation}/files", PUBLIC),
    "oparl/v1.1/body/<str:pk>/locations": ("/oparl/v1.1/body/{cooperation}/locations", PUBLIC),
    "oparl/v1.1/body/<str:pk>/legislative-terms": ("/oparl/v1.1/body/{cooperation}/legislative-terms", PUBLIC),
    "oparl/v1.1/body/<str:pk>/memberships": ("/oparl/v1.1/body/{cooperation}/memberships", PUBLIC),
    "oparl/v1.1/organization/<str:key>": ("/oparl/v1.1/organization/{org}", PUBLIC),
    "oparl/v1.1/organization/<str:key>/meetings": ("/oparl/v1.1/organization/{org}/meetings", PUBLIC),
    "oparl/v1.1/organization/<str:key>/consultations": ("/oparl/v1.1/organization/{org}/consultations", PUBLIC),
    "oparl/v1.1/person/<str:pk>": ("/oparl/v1.1/person/{public_person}", PUBLIC),
    "oparl/v1.1/membership/<str:pk>": ("/oparl/v1.1/membership/{public_membership}", PUBLIC),
    "oparl/v1.1/meeting/<str:pk>": ("/oparl/v1.1/meeting/{meeting}", PUBLIC),
    "oparl/v1.1/agenda-item/<str:pk>": ("/oparl/v1.1/agenda-item/{agenda_item}", PUBLIC),
    "oparl/v1.1/paper/<str:pk>": ("/oparl/v1.1/paper/{paper}", PUBLIC),
    "oparl/v1.1/consultation/<str:pk>": ("/oparl/v1.1/consultation/{consultation}", PUBLIC),
    "oparl/v1.1/file/<str:pk>": ("/oparl/v1.1/file/{meeting_file}", PUBLIC),
    "oparl/v1.1/file/<str:pk>/access": ("/oparl/v1.1/file/{meeting_file}/access", PUBLIC),
    "oparl/v1.1/file/<str:pk>/download": ("/oparl/v1.1/file/{meeting_file}/download", PUBLIC),
    "oparl/v1.1/location/<str:pk>": ("/oparl/v1.1/location/{location}", PUBLIC),
    "oparl/v1.1/legislative-term/<str:pk>": ("/oparl/v1.1/legislative-term/1", _row(404, 404, 404, 404, 404, 404)),
    "^oparl/v1\\.1/(?P<rest>.+)/$": ("/oparl/v1.1/system/", _row(301, 301, 301, 301, 301, 301)),
    "^oparl(?:/(?P<rest>.*))?$": ("/oparl/v1.1/unbekannt", _row(404, 404, 404, 404, 404, 404)),
    # Cost shares: members see the sheets, the Regiegruppe (member persona) the overview, a city's people its notices.
    "kostenverteilung/": ("/kostenverteilung/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "kostenverteilung/neu/": ("/kostenverteilung/neu/", OFFICE_ONLY),
    "kostenverteilung/uebersicht/": ("/kostenverteilung/uebersicht/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "kostenverteilung/<int:year>/": ("/kostenverteilung/{costshare_year}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "kostenverteilung/<int:year>/rechenblatt.csv": (
        "/kostenverteilung/{costshare_year}/rechenblatt.csv",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "kostenverteilung/<int:year>/rechenblatt.xlsx": (
        "/kostenverteilung/{costshare_year}/rechenblatt.xlsx",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "kostenverteilung/anteil/<int:pk>/": ("/kostenverteilung/anteil/{own_share}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "kostenverteilung/anteil/<int:pk>/bescheid.pdf": (
        "/kostenverteilung/anteil/{own_share}/bescheid.pdf",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "kostenverteilung/anteil/<int:pk>/xrechnung.xml": (
        "/kostenverteilung/anteil/{own_share}/xrechnung.xml",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "kostenverteilung/anteil/<int:pk>/zahlung/": ("/kostenverteilung/anteil/{own_share}/zahlung/", POST_ONLY_SIGNED_IN),
    "kostenverteilung/staedte/<slug:slug>/": ("/kostenverteilung/staedte/bochum/", OFFICE_ONLY),
    # Joint projects: the office manages, the Regiegruppe (member) reads, project teams (none here) edit
    "projekte/": ("/projekte/", SIGNED_IN),
    "projekte/neu/": ("/projekte/neu/", OFFICE_ONLY),
    "projekte/<slug:slug>/": ("/projekte/{project}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "projekte/<slug:slug>/bearbeiten/": ("/projekte/{project}/bearbeiten/", OFFICE_ONLY),
    "projekte/<slug:slug>/stand/": ("/projekte/{project}/stand/", POST_ONLY_SIGNED_IN),
    "projekte/<slug:slug>/freigabe/": ("/projekte/{project}/freigabe/", POST_ONLY_SIGNED_IN),
    "projekte/<slug:slug>/partner/": ("/projekte/{project}/partner/", POST_ONLY_SIGNED_IN),
    "projekte/<slug:slug>/partner/<int:pk>/entfernen/": (
        "/projekte/{project}/partner/{project_partner}/entfernen/",
        POST_ONLY_SIGNED_IN,
    ),
    "projekte/<slug:slug>/meilensteine/": ("/projekte/{project}/meilensteine/", POST_ONLY_SIGNED_IN),
    "projekte/<slug:slug>/meilensteine/<int:pk>/erreicht/": (
        "/projekte/{project}/meilensteine/{project_milestone}/erreicht/",
        POST_ONLY_SIGNED_IN,
    ),
    "projekte/<slug:slug>/meilensteine/<int:pk>/loeschen/": (
        "/projekte/{project}/meilensteine/{project_milestone}/loeschen/",
        POST_ONLY_SIGNED_IN,
    ),
    "projekte/<slug:slug>/beschluesse/": ("/projekte/{project}/beschluesse/", POST_ONLY_SIGNED_IN),
    "projekte/<slug:slug>/beschluesse/<int:pk>/entfernen/": (
        "/projekte/{project}/beschluesse/{project_decision}/entfernen/",
        POST_ONLY_SIGNED_IN,
    ),
    "gemeinschaftsprojekte/": ("/gemeinschaftsprojekte/", PUBLIC),
    "gemeinschaftsprojekte/<slug:slug>/": ("/gemeinschaftsprojekte/{project}/", PUBLIC),
    # Funding: the office manages; the Regiegruppe (member persona) reads every project; nobody else sees anything
    "foerderung/programme/": ("/foerderung/programme/", OFFICE_ONLY),
    "foerderung/regeln/": ("/foerderung/regeln/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "projekte/<slug:slug>/foerderung/": ("/projekte/{funding_project}/foerderung/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "projekte/<slug:slug>/foerderung/antrag/": ("/projekte/{funding_project}/foerderung/antrag/", OFFICE_ONLY),
    "projekte/<slug:slug>/foerderung/finanzierungsplan/": (
        "/projekte/{funding_project}/foerderung/finanzierungsplan/",
        OFFICE_ONLY,
    ),
    # the scene's project has its notice already: a second one is refused for everybody
    "projekte/<slug:slug>/foerderung/bescheid/": (
        "/projekte/{funding_project}/foerderung/bescheid/",
        _row(LOGIN, 404, 404, 404, 404, 404),
    ),
    "projekte/<slug:slug>/foerderung/auflagen/<int:pk>/erfuellt/": (
        "/projekte/{funding_project}/foerderung/auflagen/{funding_obligation}/erfuellt/",
        OFFICE_ONLY,
    ),
    "projekte/<slug:slug>/foerderung/zahlungsplan/": ("/projekte/{funding_project}/foerderung/zahlungsplan/", OFFICE_ONLY),
    "projekte/<slug:slug>/foerderung/mittelabruf/": ("/projekte/{funding_project}/foerderung/mittelabruf/", OFFICE_ONLY),
    "projekte/<slug:slug>/foerderung/mittelabruf/<int:pk>/eingang/": (
        "/projekte/{funding_project}/foerderung/mittelabruf/{funding_request}/eingang/",
        POST_ONLY_SIGNED_IN,
    ),
    "projekte/<slug:slug>/foerderung/weiterleitung/": ("/projekte/{funding_project}/foerderung/weiterleitung/", OFFICE_ONLY),
    "projekte/<slug:slug>/foerderung/ausgaben/": (
        "/projekte/{funding_project}/foerderung/ausgaben/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "projekte/<slug:slug>/foerderung/ausgaben/<int:pk>/pruefen/": (
        "/projekte/{funding_project}/foerderung/ausgaben/{funding_expense}/pruefen/",
        POST_ONLY_SIGNED_IN,
    ),
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/": (
        "/projekte/{funding_project}/foerderung/nachweise/{funding_proof}/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/stand/": (
        "/projekte/{funding_project}/foerderung/nachweise/{funding_proof}/stand/",
        POST_ONLY_SIGNED_IN,
    ),
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/belegliste.xlsx": (
        "/projekte/{funding_project}/foerderung/nachweise/{funding_proof}/belegliste.xlsx",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "projekte/<slug:slug>/foerderung/nachweise/<int:pk>/nachweis.pdf": (
        "/projekte/{funding_project}/foerderung/nachweise/{funding_proof}/nachweis.pdf",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    # Events with registration: the public programme; the participant's and the coordinator's personal links are
    # the permission (wrong links: 404 for everybody); the office organises (named organiser: accessibility needs).
    "veranstaltungen/": ("/veranstaltungen/", PUBLIC),
    "veranstaltungen/verwaltung/": ("/veranstaltungen/verwaltung/", OFFICE_ONLY),
    "veranstaltungen/verwaltung/neu/": ("/veranstaltungen/verwaltung/neu/", OFFICE_ONLY),
    "veranstaltungen/anmeldung/<str:token>/": ("/veranstaltungen/anmeldung/{registration_link}/", PUBLIC),
    "veranstaltungen/anmeldung/<str:token>/stornieren/": (
        "/veranstaltungen/anmeldung/{wrong_link}/stornieren/",
        _row(405, 405, 405, 405, 405, 405),
    ),
    "veranstaltungen/anmeldung/<str:token>/platz-annehmen/": (
        "/veranstaltungen/anmeldung/{wrong_link}/platz-annehmen/",
        _row(405, 405, 405, 405, 405, 405),
    ),
    "veranstaltungen/anmeldung/<str:token>/rueckmeldung/": (
        "/veranstaltungen/anmeldung/{wrong_link}/rueckmeldung/",
        _row(405, 405, 405, 405, 405, 405),
    ),
    "veranstaltungen/anmeldung/<str:token>/bescheinigung.pdf": (
        "/veranstaltungen/anmeldung/{registration_link}/bescheinigung.pdf",
        PUBLIC,
    ),
    "veranstaltungen/anmeldung/<str:token>/termin.ics": ("/veranstaltungen/anmeldung/{registration_link}/termin.ics", PUBLIC),
    "veranstaltungen/kontingent/<str:token>/": ("/veranstaltungen/kontingent/{contingent_link}/", PUBLIC),
    "veranstaltungen/kontingent/<str:token>/absagen/<int:pk>/": (
        "/veranstaltungen/kontingent/{wrong_link}/absagen/{nominee}/",
        _row(405, 405, 405, 405, 405, 405),
    ),
    "veranstaltungen/<slug:slug>/": ("/veranstaltungen/{event_slug}/", PUBLIC),
    "veranstaltungen/<slug:slug>/verwaltung/": ("/veranstaltungen/{event_slug}/verwaltung/", OFFICE_ONLY),
    # {documented_slug}: a past forum with published documentation (report, presentation, released photo)
    "veranstaltungen/<slug:slug>/dokumentation/": ("/veranstaltungen/{documented_slug}/dokumentation/", PUBLIC),
    "veranstaltungen/<slug:slug>/dokumentation/dateien/<int:pk>/": (
        "/veranstaltungen/{documented_slug}/dokumentation/dateien/{documentation_photo}/",
        PUBLIC,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/": (
        "/veranstaltungen/{documented_slug}/verwaltung/dokumentation/",
        OFFICE_ONLY,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/": (
        "/veranstaltungen/{documented_slug}/verwaltung/dokumentation/dateien/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/<int:pk>/freigeben/": (
        "/veranstaltungen/{documented_slug}/verwaltung/dokumentation/dateien/{documentation_photo}/freigeben/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/dateien/<int:pk>/entfernen/": (
        "/veranstaltungen/{documented_slug}/verwaltung/dokumentation/dateien/{documentation_photo}/entfernen/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/dokumentation/veroeffentlichen/": (
        "/veranstaltungen/{documented_slug}/verwaltung/dokumentation/veroeffentlichen/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/bearbeiten/": ("/veranstaltungen/{event_slug}/verwaltung/bearbeiten/", OFFICE_ONLY),
    "veranstaltungen/<slug:slug>/verwaltung/programm/": ("/veranstaltungen/{event_slug}/verwaltung/programm/", OFFICE_ONLY),
    "veranstaltungen/<slug:slug>/verwaltung/kontingente/": (
        "/veranstaltungen/{event_slug}/verwaltung/kontingente/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/einladen/": (
        "/veranstaltungen/{event_slug}/verwaltung/einladen/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/anmeldungen/<int:pk>/entscheiden/": (
        "/veranstaltungen/{event_slug}/verwaltung/anmeldungen/{event_registration}/entscheiden/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/barrierefreiheit/": (
        "/veranstaltungen/{event_slug}/verwaltung/barrierefreiheit/",
        _row(LOGIN, 404, 404, 404, 200, 404),  # named organisers only, not every admin
    ),
    "veranstaltungen/<slug:slug>/verwaltung/einlass/": ("/veranstaltungen/{event_slug}/verwaltung/einlass/", OFFICE_ONLY),
    "veranstaltungen/<slug:slug>/verwaltung/einlass/vor-ort/": (
        "/veranstaltungen/{event_slug}/verwaltung/einlass/vor-ort/",
        POST_ONLY_SIGNED_IN,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/namensschilder.pdf": (
        "/veranstaltungen/{event_slug}/verwaltung/namensschilder.pdf",
        OFFICE_ONLY,
    ),
    "veranstaltungen/<slug:slug>/verwaltung/unterschriften.pdf": (
        "/veranstaltungen/{event_slug}/verwaltung/unterschriften.pdf",
        OFFICE_ONLY,
    ),
    # Knowledge base: {knowledge_example} is published, written by the contributor, reviewed by office and member
    "wissen/": ("/wissen/", PUBLIC),
    "wissen/feed.atom": ("/wissen/feed.atom", PUBLIC),
    "wissen/neu/": ("/wissen/neu/", _row(LOGIN, 404, 404, 200, 200, 200, 200)),
    "wissen/meine/": ("/wissen/meine/", _row(LOGIN, 404, 404, 200, 200, 200, 200)),
    "wissen/pruefung/": ("/wissen/pruefung/", _row(LOGIN, 404, 404, 200, 200, 200, 404)),
    "wissen/mitwirken/": ("/wissen/mitwirken/", ENTRANCE),
    "wissen/mitwirken/einladen/": ("/wissen/mitwirken/einladen/", OFFICE_ONLY),
    "wissen/<int:pk>/": ("/wissen/{knowledge_example}/", PUBLIC),
    "wissen/<int:pk>/problem-melden/": ("/wissen/{knowledge_example}/problem-melden/", PUBLIC),
    "wissen/<int:pk>/fassungen/": ("/wissen/{knowledge_example}/fassungen/", _row(LOGIN, 404, 404, 200, 200, 200, 200)),
    "wissen/<int:pk>/bearbeiten/": ("/wissen/{knowledge_example}/bearbeiten/", _row(LOGIN, 404, 404, 404, 404, 404, 200)),
    "wissen/<int:pk>/einreichen/": ("/wissen/{knowledge_example}/einreichen/", POST_ONLY_SIGNED_IN),
    "wissen/<int:pk>/geprueft/": ("/wissen/{knowledge_example}/geprueft/", POST_ONLY_SIGNED_IN),
    "wissen/<int:pk>/material/hinzufuegen/": ("/wissen/{knowledge_example}/material/hinzufuegen/", POST_ONLY_SIGNED_IN),
    "wissen/<int:pk>/material/<int:material_pk>/": ("/wissen/{knowledge_example}/material/{knowledge_material}/", PUBLIC),
    "wissen/<int:pk>/material/<int:material_pk>/entfernen/": (
        "/wissen/{knowledge_example}/material/{knowledge_material}/entfernen/",
        POST_ONLY_SIGNED_IN,
    ),
    "wissen/<int:pk>/pruefung/": ("/wissen/{knowledge_example}/pruefung/", _row(LOGIN, 404, 404, 200, 200, 200, 404)),
    "wissen/<int:pk>/pruefung/zuweisen/": ("/wissen/{knowledge_example}/pruefung/zuweisen/", POST_ONLY_OFFICE),
    "wissen/<int:pk>/meldungen/<int:report_pk>/erledigt/": (
        "/wissen/{knowledge_example}/meldungen/{knowledge_report}/erledigt/",
        POST_ONLY_OFFICE,
    ),
    # Django admin: every admin URL is covered by the admin index check below.
    "admin/": ("/admin/", _row(302, 404, 404, 404, 404, 200)),
    # Annual report: the office manages it, the Regiegruppe reads every version, the public the released one
    "jahresberichte/": ("/jahresberichte/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "jahresberichte/<int:pk>/": ("/jahresberichte/{annual_draft}/", _row(LOGIN, 404, 404, 200, 200, 200)),
    "jahresberichte/<int:pk>/texte/<slug:block_key>/": ("/jahresberichte/{annual_draft}/texte/foreword/", OFFICE_ONLY),
    "jahresberichte/<int:pk>/einfrieren/": ("/jahresberichte/{annual_draft}/einfrieren/", POST_ONLY_OFFICE),
    "jahresberichte/<int:pk>/berichtigen/": ("/jahresberichte/{annual_frozen}/berichtigen/", OFFICE_ONLY),
    "jahresberichte/<int:pk>/beschluss/": ("/jahresberichte/{annual_frozen}/beschluss/", OFFICE_ONLY),
    "jahresberichte/<int:pk>/freigeben/": ("/jahresberichte/{annual_frozen}/freigeben/", POST_ONLY_OFFICE),
    "jahresberichte/<int:pk>/bericht.pdf": ("/jahresberichte/{annual_frozen}/bericht.pdf", _row(LOGIN, 404, 404, 200, 200, 200)),
    "jahresberichte/<int:pk>/bericht.odt": ("/jahresberichte/{annual_frozen}/bericht.odt", _row(LOGIN, 404, 404, 200, 200, 200)),
    "jahresberichte/<int:pk>/landesinitiative/": (
        "/jahresberichte/{annual_draft}/landesinitiative/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "jahresberichte/<int:pk>/landesinitiative/zuordnen/": (
        "/jahresberichte/{annual_draft}/landesinitiative/zuordnen/",
        POST_ONLY_OFFICE,
    ),
    "jahresbericht/": ("/jahresbericht/", PUBLIC),
    "jahresbericht/<int:year>/": ("/jahresbericht/2025/", PUBLIC),
    "jahresbericht/<int:year>/bericht.pdf": ("/jahresbericht/2025/bericht.pdf", PUBLIC),
    "jahresbericht/<int:year>/bericht.odt": ("/jahresbericht/2025/bericht.odt", PUBLIC),
    # Data protection: everybody's own data; the office's tools (export on request, erasure, record, retention)
    "meine-daten/": ("/meine-daten/", SIGNED_IN),
    "verwaltung/datenschutz/": ("/verwaltung/datenschutz/", OFFICE_ONLY),
    "verwaltung/datenschutz/verzeichnis/": ("/verwaltung/datenschutz/verzeichnis/", OFFICE_ONLY),
    "verwaltung/datenschutz/verzeichnis.md": ("/verwaltung/datenschutz/verzeichnis.md", OFFICE_ONLY),
    "verwaltung/datenschutz/personen/<int:pk>/": ("/verwaltung/datenschutz/personen/{member_person}/", OFFICE_ONLY),
    # the member persona's own export: theirs and the office's, nobody else's
    "verwaltung/datenschutz/auskuenfte/<int:pk>/datei/": (
        "/verwaltung/datenschutz/auskuenfte/{own_export}/datei/",
        _row(LOGIN, 404, 404, 200, 200, 200),
    ),
    "verwaltung/datenschutz/archiv/<int:pk>/datei/": ("/verwaltung/datenschutz/archiv/{archive_offer}/datei/", OFFICE_ONLY),
    "verwaltung/datenschutz/archiv/<int:pk>/antwort/": (
        "/verwaltung/datenschutz/archiv/{archive_offer}/antwort/",
        POST_ONLY_OFFICE,
    ),
    # Quarantined uploads: the office reviews and deletes them (no release)
    "verwaltung/quarantaene/": ("/verwaltung/quarantaene/", OFFICE_ONLY),
    "verwaltung/quarantaene/<int:pk>/loeschen/": ("/verwaltung/quarantaene/{quarantined_file}/loeschen/", POST_ONLY_OFFICE),
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def all_routes() -> list[str]:
    routes = []
    for route in _walk(get_resolver().url_patterns):
        routes.append("admin/" if route.startswith("admin/") else route)
    return sorted(set(routes))


def test_every_url_has_an_entry_in_the_matrix():
    missing = [route for route in all_routes() if route not in MATRIX]
    assert not missing, f"URL patterns without an entry in the permission matrix: {missing}"
    stale = [route for route in MATRIX if route not in all_routes()]
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def ids(personas):
    person = Person.objects.filter(profile_visibility="members", user__isnull=True).first()
    membership = Membership.objects.filter(person=person).first()
    from accounts.actions import invite_person

    invitee = Person.objects.filter(user__isnull=True).exclude(pk=person.pk).first()
    invitation, _token = invite_person(personas["office"], invitee)
    assert isinstance(invitation, Invitation)
    from workspaces.actions import ensure_body_workspaces

    ensure_body_workspaces()
    from documents.demo import matrix_document

    return {
        "member_person": person.pk,
        "membership": membership.pk,
        "invitation": invitation.pk,
        "document": matrix_document(personas["office"]).pk,
        **monitoring_ids(personas),
        **calendar_ids(personas),
        **news_ids(personas),
        **task_ids(personas),
        **meeting_ids(personas),
        **selfcheck_ids(personas),
        **annual_report_ids(personas),
        **costshare_ids(personas),
        **project_ids(personas),
        **funding_ids(personas),
        **privacy_ids(personas),
        **event_ids(personas),
        **knowledge_ids(personas),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_persona_status(route, client_for, ids):
    url, expected = MATRIX[route]
    url = url.format(**ids)
    failures = []
    for persona in PERSONAS:
        response = client_for(persona).get(url)
        if response.status_code != expected[persona]:
            failures.append(f"{persona}: {response.status_code} (expected {expected[persona]})")
    assert not failures, f"{url}: " + "; ".join(failures)
