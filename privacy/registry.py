"""What the platform processes about people, declared once per model (Art. 30 GDPR).

Every model that holds personal data has an entry in :data:`MODELS`, keyed by its label
(``members.Person``). The entry names the processing activity (purpose, legal basis, recipients:
:data:`ACTIVITIES`), the categories of data, and how the model is linked to a person. The same
declaration drives three tools, so they cannot drift apart:

- the record of processing activities (``privacy.record``) lists activities and models;
- the access export (``privacy.export``) collects the rows linked to a person through
  ``person_fields``, ``user_fields`` and ``email_fields``;
- the erasure (``privacy.erasure``) treats those rows as ``erasure`` says.

A model that another app adds later needs an entry here; ``tests/privacy/test_registry.py`` fails
until it has one. The entries are kept here, not in the other apps' models, so the data-protection
officer reads one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models


class Erasure:
    """What erasing a person does to the rows of a model that are linked to them."""

    DELETE = "delete"  # the rows go (settings, links, copies of mails)
    AUTHORED = "authored"  # content in shared spaces: stays as "ehemaliges Mitglied", or goes where the office decides
    ATTRIBUTED = "attributed"  # an administrative trace (who decided, who sent): stays as "ehemaliges Mitglied"
    KEEP = "keep"  # the public record of the bodies or a legal duty: kept unchanged, with the reason
    SUBJECT = "subject"  # the person or the account itself (see privacy.erasure)
    NONE = "none"  # holds no data linked to one person (anonymous or role addresses)


@dataclass(frozen=True)
class Activity:
    """One processing activity of the record (Art. 30 (1) GDPR)."""

    name: str
    purpose: str
    legal_basis: str
    subjects: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: str


@dataclass(frozen=True)
class ModelPrivacy:
    activity: str
    categories: tuple[str, ...]
    person_fields: tuple[str, ...] = ()
    user_fields: tuple[str, ...] = ()
    email_fields: tuple[str, ...] = ()
    # Links that only record who handled a row for others (answered, added, requested): exported, but an erasure
    # of that person leaves the row alone (it shows "ehemaliges Mitglied").
    trace_fields: tuple[str, ...] = ()
    erasure: str = Erasure.DELETE
    keep_reason: str = ""
    retention: str = ""  # only where it differs from the activity's


MEMBERS = "Mitglieder der Gremien, Beschäftigte der Mitgliedskommunen"
GUESTS = "externe Gäste und Partnerorganisationen"
OFFICE = "Geschäftsstelle (Geschäftsführung der Kooperation)"
OPERATOR = "IT-Betrieb (Rechenzentrum der geschäftsführenden Kommune oder beauftragter Dienstleister, Art. 28 DSGVO)"
PUBLIC_TASK = (
    "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 DSG NRW und der öffentlich-rechtlichen Vereinbarung der Kooperation (GkG NRW)"
)

ACTIVITIES: dict[str, Activity] = {
    "accounts": Activity(
        name="Benutzerkonten und Anmeldung",
        purpose="Zugang zur Plattform, sichere Anmeldung mit zweitem Faktor, Einladung neuer Mitglieder",
        legal_basis=f"{PUBLIC_TASK}; Sicherheit der Verarbeitung nach Art. 32 DSGVO",
        subjects=(MEMBERS, GUESTS),
        recipients=(OFFICE, OPERATOR),
        retention="bis zur Löschung des Kontos; Anmeldesitzungen bis zu ihrem Ablauf",
    ),
    "directory": Activity(
        name="Personen- und Gremienverzeichnis",
        purpose="Zusammensetzung der Gremien, Kontaktdaten für die Zusammenarbeit, Stellvertretungen",
        legal_basis=PUBLIC_TASK,
        subjects=(MEMBERS, GUESTS),
        recipients=(OFFICE, "Mitglieder der Gremien (je nach Sichtbarkeit)", "Öffentlichkeit (nur freigegebene Profile)"),
        retention="Kontaktdaten bis zum Ausscheiden; beendete Mitgliedschaften nach der Aufbewahrungsregel",
    ),
    "meetings": Activity(
        name="Sitzungsdienst der Gremien",
        purpose="Einladungen, Zu- und Absagen, Anwesenheit, Niederschriften und Beschlüsse der Gremien",
        legal_basis=(
            "Art. 6 Abs. 1 lit. c und e DSGVO i. V. m. der Geschäftsordnung der Gremien und der öffentlich-rechtlichen "
            "Vereinbarung; öffentliche Teile nach OParl veröffentlicht"
        ),
        subjects=(MEMBERS, GUESTS),
        recipients=(OFFICE, "Mitglieder des Gremiums", "Öffentlichkeit (öffentliche Tagesordnungspunkte, Niederschriften)"),
        retention="Niederschriften und Beschlüsse dauerhaft bzw. bis zur Anbietung an das Kommunalarchiv (ArchivG NRW § 4, § 10)",
    ),
    "collaboration": Activity(
        name="Zusammenarbeit in Arbeitsbereichen",
        purpose="Neuigkeiten, Aufgaben, Dokumente, Termine und Terminabstimmungen der Arbeitsbereiche, Suche darin",
        legal_basis=PUBLIC_TASK,
        subjects=(MEMBERS, GUESTS),
        recipients=("Mitglieder des jeweiligen Arbeitsbereichs", OFFICE, OPERATOR),
        retention="solange der Arbeitsbereich besteht; Terminabstimmungen nach der Aufbewahrungsregel",
    ),
    "notifications": Activity(
        name="Benachrichtigungen und E-Mail-Versand",
        purpose="Mitglieder über Neues informieren, Zustellung nachweisen",
        legal_basis=PUBLIC_TASK,
        subjects=(MEMBERS, GUESTS),
        recipients=("die jeweiligen Empfängerinnen und Empfänger", OFFICE, OPERATOR, "E-Mail-Dienstleister der Kommune"),
        retention="Kopien versandter E-Mails nach der Aufbewahrungsregel (Voreinstellung 30 Tage)",
    ),
    "survey": Activity(
        name="Anonyme Beschäftigtenbefragung (Monitoring)",
        purpose="Vielfalt in den Verwaltungen messen; veröffentlicht werden nur Zählwerte ab der Mindestzellgröße",
        legal_basis=(
            "Einwilligung durch freiwillige, anonyme Teilnahme (Art. 6 Abs. 1 lit. a, Art. 9 Abs. 2 lit. a DSGVO); "
            "Zugriffsrechte der Kommunen nach Art. 6 Abs. 1 lit. e DSGVO"
        ),
        subjects=("Beschäftigte der Mitgliedskommunen (anonym)", "Auswertende der Kommunen"),
        recipients=(OFFICE, "Auswertende der jeweiligen Kommune (nur Aggregate)"),
        retention="Rohantworten bis zur Auswertung der Welle, höchstens nach der Aufbewahrungsregel",
    ),
    "feedback": Activity(
        name="Rückmeldungen zur Barrierefreiheit und Webseiteninhalte",
        purpose="Barrieren melden und beantworten (§ 10 BITV NRW), Pflege der öffentlichen Seiten",
        legal_basis="Art. 6 Abs. 1 lit. c DSGVO i. V. m. § 10 BITV NRW; Art. 6 Abs. 1 lit. e DSGVO",
        subjects=("Besucherinnen und Besucher der Webseite", MEMBERS),
        recipients=(OFFICE, "Durchsetzungsstelle (auf Anfrage)"),
        retention="drei Jahre nach der Antwort",
    ),
    "administration": Activity(
        name="Verwaltung der Kooperation",
        purpose="Kostenverteilung, Jahresberichte, Selbstcheck, gemeinsame Projekte: wer was erfasst oder entschieden hat",
        legal_basis="Art. 6 Abs. 1 lit. c und e DSGVO i. V. m. dem Haushaltsrecht (GO NRW, KomHVO NRW)",
        subjects=(MEMBERS,),
        recipients=(OFFICE, "Regiegruppe", "Rechnungsprüfung"),
        retention="nach den haushaltsrechtlichen Fristen (zehn Jahre), Jahresberichte bis zur Anbietung an das Archiv",
    ),
    "knowledge": Activity(
        name="Wissensdatenbank mit Praxisbeispielen, auch von externen Mitwirkenden",
        purpose="Praxisbeispiele einreichen, im Vier-Augen-Verfahren prüfen, veröffentlichen und aktuell halten",
        legal_basis=(
            "Art. 6 Abs. 1 lit. e DSGVO (Aufgabe der Kooperation); für externe Mitwirkende Art. 6 Abs. 1 lit. a DSGVO "
            "(freiwillige Registrierung); Namensnennung nach der gewählten Lizenz (CC BY 4.0)"
        ),
        subjects=("externe Mitwirkende", MEMBERS),
        recipients=(OFFICE, "Prüfende", "Öffentlichkeit (veröffentlichte Beispiele mit Namensnennung)"),
        retention="solange das Beispiel veröffentlicht ist; Hinweise von Lesenden nach der Aufbewahrungsregel",
    ),
    "events": Activity(
        name="Veranstaltungen mit Anmeldung (Interkommunales Forum, Workshops)",
        purpose=(
            "Anmeldung, Kontingente der Städte, Warteliste, Einlass, Teilnahmebescheinigungen; Bedarfe zur Barrierefreiheit "
            "nur mit gesonderter Einwilligung"
        ),
        legal_basis=(
            "Art. 6 Abs. 1 lit. e DSGVO (Aufgabe der Kooperation); Bedarfe zur Barrierefreiheit: ausdrückliche Einwilligung "
            "(Art. 9 Abs. 2 lit. a DSGVO)"
        ),
        subjects=("Teilnehmende", "Koordinierende der Städte", MEMBERS, GUESTS),
        recipients=(
            "benannte Organisierende",
            OFFICE,
            "Veranstaltungsort (nur Summen der Bedarfe)",
            "Öffentlichkeit (Dokumentation: nur freigegebene Fotos mit bestätigter Einwilligung)",
        ),
        retention="Bedarfe wenige Tage nach der Veranstaltung, übrige Anmeldedaten nach der Aufbewahrungsregel der Veranstaltung",
    ),
    "operations": Activity(
        name="Betrieb, Sicherheit und Nachvollziehbarkeit",
        purpose="Änderungsprotokoll, Hintergrundaufgaben, Anmeldesitzungen, Nachweis der Datenschutzpflichten",
        legal_basis="Art. 6 Abs. 1 lit. c DSGVO i. V. m. Art. 5 Abs. 2 und Art. 32 DSGVO",
        subjects=(MEMBERS, GUESTS),
        recipients=(OFFICE, OPERATOR),
        retention="Änderungsprotokoll unveränderlich; Aufgabenergebnisse und Sitzungen nach der Aufbewahrungsregel",
    ),
}

KEEP_PUBLIC_RECORD = (
    "Teil der öffentlichen Aufzeichnung des Gremiums (Zusammensetzung, Anwesenheit, Niederschrift); "
    "aufzubewahren nach Art. 17 Abs. 3 lit. b und d DSGVO"
)
KEEP_AUDIT = "unveränderliches Änderungsprotokoll; Nachweispflicht nach Art. 5 Abs. 2 DSGVO (Art. 17 Abs. 3 lit. b)"

MODELS: dict[str, ModelPrivacy] = {
    # Accounts and sign-in
    "accounts.User": ModelPrivacy("accounts", ("E-Mail-Adresse", "Passwort-Hash", "Anmeldezeitpunkte"), erasure=Erasure.SUBJECT),
    "accounts.Invitation": ModelPrivacy(
        "accounts", ("E-Mail-Adresse", "Einladungstext"), person_fields=("person",), email_fields=("email",)
    ),
    "account.EmailAddress": ModelPrivacy("accounts", ("E-Mail-Adresse",), user_fields=("user",)),
    "account.EmailConfirmation": ModelPrivacy("accounts", ("Bestätigungsschlüssel",)),
    "mfa.Authenticator": ModelPrivacy("accounts", ("zweiter Faktor (geheim)",), user_fields=("user",)),
    "usersessions.UserSession": ModelPrivacy(
        "accounts", ("IP-Adresse", "Browserkennung", "Anmeldezeitpunkte"), user_fields=("user",)
    ),
    "socialaccount.SocialAccount": ModelPrivacy("accounts", ("Kennung beim Identitätsanbieter",), user_fields=("user",)),
    "socialaccount.SocialToken": ModelPrivacy("accounts", ("Zugangstoken des Identitätsanbieters",)),
    "sessions.Session": ModelPrivacy("accounts", ("Sitzungsdaten",)),
    # Directory
    "members.Person": ModelPrivacy(
        "directory",
        ("Name, Titel, Anrede, Pronomen", "Kommune oder Organisation, Funktion", "E-Mail, Telefon", "Sichtbarkeit, Sprache"),
        erasure=Erasure.SUBJECT,
    ),
    "members.Membership": ModelPrivacy(
        "directory",
        ("Sitz im Gremium, Rolle, Zeitraum, Stellvertretung",),
        person_fields=("person",),
        erasure=Erasure.KEEP,
        keep_reason=KEEP_PUBLIC_RECORD,
    ),
    "members.Cooperation": ModelPrivacy("directory", ("Funktionspostfach der Geschäftsführung",), erasure=Erasure.NONE),
    "members.Municipality": ModelPrivacy("directory", ("Funktionsadresse des Integrationszentrums",), erasure=Erasure.NONE),
    # Workspaces and their content
    "workspaces.Workspace": ModelPrivacy(
        "collaboration", ("angelegt von",), user_fields=("created_by",), erasure=Erasure.ATTRIBUTED
    ),
    "workspaces.WorkspaceMember": ModelPrivacy(
        "collaboration", ("Mitgliedschaft im Arbeitsbereich, Rolle",), user_fields=("user",)
    ),
    "workspaces.JoinRequest": ModelPrivacy(
        "collaboration", ("Beitrittsanfrage mit Nachricht",), user_fields=("user",), erasure=Erasure.DELETE
    ),
    "news.Post": ModelPrivacy("collaboration", ("Beiträge", "Bilder"), user_fields=("author",), erasure=Erasure.AUTHORED),
    "news.Comment": ModelPrivacy("collaboration", ("Kommentare",), user_fields=("author",), erasure=Erasure.AUTHORED),
    "tasks.Task": ModelPrivacy(
        "collaboration", ("Aufgaben, Zuständigkeit",), user_fields=("created_by", "assignees"), erasure=Erasure.AUTHORED
    ),
    "tasks.TaskCity": ModelPrivacy(
        "collaboration", ("Stand je Stadt, geändert von",), user_fields=("changed_by",), erasure=Erasure.ATTRIBUTED
    ),
    "tasks.TaskComment": ModelPrivacy("collaboration", ("Kommentare",), user_fields=("author",), erasure=Erasure.AUTHORED),
    "tasks.TaskAttachment": ModelPrivacy("collaboration", ("Anhänge",), user_fields=("uploaded_by",), erasure=Erasure.AUTHORED),
    "documents.Document": ModelPrivacy(
        "collaboration", ("Dokumente",), user_fields=("created_by", "trashed_by"), erasure=Erasure.ATTRIBUTED
    ),
    "documents.DocumentVersion": ModelPrivacy(
        "collaboration", ("hochgeladene Dateien und ihr Text",), user_fields=("uploaded_by",), erasure=Erasure.AUTHORED
    ),
    "calendar_events.Event": ModelPrivacy("collaboration", ("Termine",), user_fields=("created_by",), erasure=Erasure.AUTHORED),
    "calendar_events.CalendarFeed": ModelPrivacy("collaboration", ("Kalenderabonnement",), user_fields=("user",)),
    "polls.Poll": ModelPrivacy("collaboration", ("Terminabstimmungen",), user_fields=("organiser",), erasure=Erasure.AUTHORED),
    "polls.Participant": ModelPrivacy(
        "collaboration", ("Name, E-Mail, Antworten in Terminabstimmungen",), user_fields=("user",), email_fields=("email",)
    ),
    "search.SearchGrant": ModelPrivacy("collaboration", ("Leserechte im Suchindex",), user_fields=("user",)),
    "search.SearchEntry": ModelPrivacy(
        "collaboration", ("Suchindex (Kopie der Inhalte)",), erasure=Erasure.NONE, retention="folgt den Inhalten"
    ),
    # Notifications and mail
    "notifications.NotificationSettings": ModelPrivacy("notifications", ("E-Mail-Einstellungen",), user_fields=("user",)),
    "notifications.WorkspaceNotificationSetting": ModelPrivacy(
        "notifications", ("Benachrichtigungsstufe je Arbeitsbereich",), user_fields=("user",)
    ),
    "notifications.Event": ModelPrivacy(
        "notifications", ("Ereignisse mit Auslöser und Text",), user_fields=("actor",), erasure=Erasure.ATTRIBUTED
    ),
    "notifications.Notification": ModelPrivacy("notifications", ("Benachrichtigungen",), user_fields=("recipient",)),
    "notifications.Digest": ModelPrivacy("notifications", ("Sammel-E-Mails",), user_fields=("user",)),
    "notifications.Outbox": ModelPrivacy(
        "notifications",
        ("E-Mail-Adresse, Betreff und Text versandter E-Mails",),
        user_fields=("recipient",),
        email_fields=("to_email",),
    ),
    # Meetings
    "meetings.Meeting": ModelPrivacy("meetings", ("Sitzungen (ohne Personenbezug)",), erasure=Erasure.NONE),
    "meetings.AgendaItem": ModelPrivacy(
        "meetings",
        ("Tagesordnungspunkte, Berichterstattung, Antragstellung",),
        person_fields=("presenter",),
        user_fields=("proposed_by",),
        erasure=Erasure.KEEP,
        keep_reason=KEEP_PUBLIC_RECORD,
    ),
    "meetings.MeetingGuest": ModelPrivacy(
        "meetings",
        ("Name, E-Mail, Organisation von Gästen",),
        user_fields=("added_by",),
        email_fields=("email",),
        trace_fields=("added_by",),
    ),
    "meetings.Reply": ModelPrivacy(
        "meetings",
        ("Zu- und Absagen, Vertretung, Kommentar",),
        person_fields=("person",),
        erasure=Erasure.KEEP,
        keep_reason=KEEP_PUBLIC_RECORD,
    ),
    "meetings.ReplyLink": ModelPrivacy("meetings", ("persönliche Antwortlinks",), person_fields=("person",)),
    "meetings.InvitationDispatch": ModelPrivacy(
        "meetings", ("Empfängerliste der Einladung",), user_fields=("sent_by",), erasure=Erasure.ATTRIBUTED
    ),
    "meetings.Minutes": ModelPrivacy(
        "meetings",
        ("Anwesenheit", "Niederschrift"),
        person_fields=("attendees",),
        erasure=Erasure.KEEP,
        keep_reason=KEEP_PUBLIC_RECORD,
    ),
    "meetings.MinutesRevision": ModelPrivacy(
        "meetings",
        ("Änderungen der Niederschrift",),
        user_fields=("author",),
        erasure=Erasure.KEEP,
        keep_reason=KEEP_PUBLIC_RECORD,
    ),
    "meetings.Objection": ModelPrivacy(
        "meetings",
        ("Einwände gegen die Niederschrift",),
        person_fields=("person",),
        erasure=Erasure.KEEP,
        keep_reason=KEEP_PUBLIC_RECORD,
    ),
    "meetings.ActionItem": ModelPrivacy(
        "meetings",
        ("Arbeitsaufträge mit verantwortlicher Person",),
        person_fields=("assignee",),
        erasure=Erasure.KEEP,
        keep_reason=KEEP_PUBLIC_RECORD,
    ),
    "meetings.DigestSent": ModelPrivacy("meetings", ("Versand der Sitzungsübersicht",), person_fields=("person",)),
    # Survey: anonymous raw answers (retention only) and the cities' evaluators
    "monitoring.Response": ModelPrivacy(
        "survey", ("anonyme Antworten, u. a. Migrationsgeschichte (Art. 9 DSGVO)",), erasure=Erasure.NONE
    ),
    "monitoring.PendingResponse": ModelPrivacy(
        "survey", ("verschlüsselte, noch nicht gezählte Antworten",), erasure=Erasure.NONE
    ),
    "monitoring.PartialAnswers": ModelPrivacy("survey", ("Zwischenstand einer Teilnahme",), erasure=Erasure.NONE),
    "monitoring.MonitoringAccess": ModelPrivacy("survey", ("Zugriffsrecht, Funktion",), user_fields=("user",)),
    # Website
    "website.AccessibilityFeedback": ModelPrivacy(
        "feedback",
        ("Name, E-Mail, Beschreibung der Barriere",),
        user_fields=("answered_by",),
        email_fields=("email",),
        trace_fields=("answered_by",),
    ),
    "website.Page": ModelPrivacy(
        "feedback", ("zuletzt bearbeitet von",), user_fields=("last_editor",), erasure=Erasure.ATTRIBUTED
    ),
    # Administration
    "annualreport.AnnualReport": ModelPrivacy(
        "administration", ("angelegt und eingefroren von",), user_fields=("created_by", "frozen_by"), erasure=Erasure.ATTRIBUTED
    ),
    "annualreport.TextBlock": ModelPrivacy(
        "administration", ("zuletzt bearbeitet von",), user_fields=("last_editor",), erasure=Erasure.ATTRIBUTED
    ),
    "annualreport.TextRevision": ModelPrivacy(
        "administration", ("Fassungen der Texte",), user_fields=("author",), erasure=Erasure.ATTRIBUTED
    ),
    "costshares.Setting": ModelPrivacy(
        "administration", ("angelegt von",), user_fields=("created_by",), erasure=Erasure.ATTRIBUTED
    ),
    "costshares.Payment": ModelPrivacy(
        "administration", ("erfasst von",), user_fields=("recorded_by",), erasure=Erasure.ATTRIBUTED
    ),
    "selfcheck.Answer": ModelPrivacy(
        "administration", ("Einschätzungen im Selbstcheck, Kommentar",), user_fields=("rater",), erasure=Erasure.AUTHORED
    ),
    "annualreport.PartnerAssignment": ModelPrivacy(
        "administration", ("Zuordnung zur Landesinitiative, gesetzt von",), user_fields=("set_by",), erasure=Erasure.ATTRIBUTED
    ),
    "projects.ProjectDecision": ModelPrivacy(
        "administration", ("Beschluss verknüpft von",), user_fields=("linked_by",), erasure=Erasure.ATTRIBUTED
    ),
    "funding.Application": ModelPrivacy(
        "administration", ("Förderantrag angelegt von",), user_fields=("created_by",), erasure=Erasure.ATTRIBUTED
    ),
    "funding.PlanVersion": ModelPrivacy(
        "administration", ("Fassung des Finanzierungsplans von",), user_fields=("created_by",), erasure=Erasure.ATTRIBUTED
    ),
    "funding.Obligation": ModelPrivacy(
        "administration", ("verantwortlich für eine Auflage",), user_fields=("owner",), erasure=Erasure.ATTRIBUTED
    ),
    "funding.PaymentRequest": ModelPrivacy(
        "administration", ("Mittelabruf angelegt von",), user_fields=("created_by",), erasure=Erasure.ATTRIBUTED
    ),
    "funding.Forwarding": ModelPrivacy(
        "administration", ("Weiterleitung erfasst von",), user_fields=("created_by",), erasure=Erasure.ATTRIBUTED
    ),
    "funding.Expense": ModelPrivacy(
        "administration",
        ("Ausgabe erfasst von, Empfänger der Zahlung",),
        user_fields=("recorded_by",),
        erasure=Erasure.ATTRIBUTED,
    ),
    # Knowledge base: contributions stay as "ehemaliges Mitglied" (CC BY attribution) unless the office removes them
    "knowledge.Contributor": ModelPrivacy(
        "knowledge",
        ("Organisation, Art der Mitwirkung (nur für die Geschäftsstelle)",),
        person_fields=("person",),
        erasure=Erasure.DELETE,
    ),
    "knowledge.PracticeExample": ModelPrivacy(
        "knowledge",
        ("Autorin/Autor, zweite Prüferin/zweiter Prüfer",),
        user_fields=("author", "reviewer"),
        trace_fields=("reviewer",),
        erasure=Erasure.AUTHORED,
    ),
    "knowledge.Revision": ModelPrivacy(
        "knowledge",
        ("Fassungen mit Ansprechperson und Kontaktadresse",),
        user_fields=("created_by",),
        email_fields=("contact_email",),
        erasure=Erasure.AUTHORED,
    ),
    "knowledge.ReviewEntry": ModelPrivacy(
        "knowledge", ("Kommentare und Entscheidungen der Prüfung",), user_fields=("reviewer",), erasure=Erasure.ATTRIBUTED
    ),
    "knowledge.Material": ModelPrivacy(
        "knowledge", ("Materialien, hochgeladen von",), user_fields=("uploaded_by",), erasure=Erasure.ATTRIBUTED
    ),
    "knowledge.ProblemReport": ModelPrivacy(
        "knowledge",
        ("Hinweise von Lesenden, E-Mail",),
        user_fields=("reporter",),
        email_fields=("email",),
        erasure=Erasure.DELETE,
    ),
    # Events
    "events.Event": ModelPrivacy("events", ("Organisierende",), user_fields=("organisers",), erasure=Erasure.ATTRIBUTED),
    "events.Contingent": ModelPrivacy(
        # The city's quota stays; the office enters a new coordinator (the erasure does not blank the address itself).
        "events",
        ("Name und E-Mail der Koordination einer Stadt",),
        email_fields=("coordinator_email",),
        erasure=Erasure.ATTRIBUTED,
    ),
    "events.Registration": ModelPrivacy(
        "events",
        ("Name, E-Mail, Organisation, Stadt, Antworten, Fotowunsch, Anwesenheit",),
        email_fields=("email",),
        erasure=Erasure.DELETE,
    ),
    # The documentation holds no person's data of its own; its report text is the organisers' work.
    "events.Documentation": ModelPrivacy("events", ("Bericht über die Veranstaltung",), erasure=Erasure.NONE),
    "events.DocumentationItem": ModelPrivacy(
        # Photos of people: published only released by their uploader and with the consent confirmed by an organiser.
        "events",
        ("Fotos der Veranstaltung, Urheberangabe, wer freigegeben und die Einwilligung bestätigt hat",),
        user_fields=("released_by", "consent_confirmed_by"),
        erasure=Erasure.ATTRIBUTED,
    ),
    "scanning.FileScan": ModelPrivacy(
        "operations",
        ("Virenprüfung hochgeladener Dateien, hochgeladen von",),
        user_fields=("uploaded_by",),
        erasure=Erasure.ATTRIBUTED,
    ),
    # Operations
    "audit.AuditEvent": ModelPrivacy(
        "operations", ("wer was wann geändert hat",), user_fields=("actor",), erasure=Erasure.KEEP, keep_reason=KEEP_AUDIT
    ),
    "admin.LogEntry": ModelPrivacy(
        "operations", ("Änderungen in der Administration",), user_fields=("user",), erasure=Erasure.KEEP, keep_reason=KEEP_AUDIT
    ),
    "django_tasks_database.DBTaskResult": ModelPrivacy(
        "operations", ("Parameter von Hintergrundaufgaben (Kennungen)",), erasure=Erasure.NONE
    ),
    "privacy.DataExport": ModelPrivacy(
        "operations",
        ("Auskunftsersuchen und ihre Dateien",),
        person_fields=("person",),
        user_fields=("requested_by",),
        trace_fields=("requested_by",),
    ),
    "privacy.DeletionLogEntry": ModelPrivacy(
        "operations", ("Kennungen gelöschter Datensätze (ohne die Daten)",), erasure=Erasure.NONE
    ),
    "privacy.ArchiveOffer": ModelPrivacy(
        "operations", ("Anbietungen an das Archiv",), user_fields=("offered_by", "answered_by"), erasure=Erasure.ATTRIBUTED
    ),
}

PERSONAL_FIELD = re.compile(r"(^|_)(email|e_mail|phone|mobile|given_name|family_name|deputy_name|ip|user_agent)($|_)")


def _points_to_people(field) -> bool:
    target = getattr(field, "related_model", None)
    if target is None or not field.concrete and not field.many_to_many:
        return False
    return target._meta.label in {settings.AUTH_USER_MODEL, "members.Person"}


def holds_personal_data(model: type[models.Model]) -> bool:
    """Heuristic the registry test uses: contact or name fields, or a link to a person or an account."""
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue
        if _points_to_people(field):
            return True
        if getattr(field, "concrete", False) and PERSONAL_FIELD.search(field.name):
            return True
    return False


def entry_for(model: type[models.Model]) -> ModelPrivacy | None:
    return MODELS.get(model._meta.label)


def registered_models() -> list[tuple[type[models.Model], ModelPrivacy]]:
    """The installed models with an entry, in the registry's order (models of apps not installed are skipped)."""
    found = []
    for label, meta in MODELS.items():
        try:
            found.append((apps.get_model(label), meta))
        except LookupError:
            continue
    return found
