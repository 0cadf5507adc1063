"""The NRW funding rules as first seeded (wording of the VV/VVG zu § 44 LHO vom 6. Juni 2022, MBl. NRW. S. 445).

A later wording is a new migration adding rows with a new ``version`` and ``valid_from``; these rows stay.
"""

import datetime as dt

from django.db import migrations

VV_2022 = "VV/VVG zu § 44 LHO NRW vom 6. Juni 2022 (MBl. NRW. S. 445)"
ANBEST_2022 = "ANBest-G/ANBest-P NRW (Anlagen zu VVG Nr. 5.1 / VV Nr. 5.1, Fassung 2022)"
VALID_FROM = dt.date(2022, 6, 6)

RULES = [
    {
        "code": "two-month-payment",
        "version": VV_2022,
        "title": "Mittelabruf nur für Zahlungen binnen zwei Monaten",
        "source": "VVG zu § 44 LHO NRW Nr. 7.2",
        "explanation": (
            "Zuwendungen dürfen nur soweit und nicht eher ausgezahlt werden, als sie voraussichtlich innerhalb von "
            "zwei Monaten nach der Auszahlung für fällige Zahlungen benötigt werden. Früher abgerufene, noch nicht "
            "verausgabte Mittel mindern den Abruf; zu früh abgerufene Mittel sind zu verzinsen."
        ),
        "parameters": {"months": 2},
    },
    {
        "code": "payment-after-final",
        "version": VV_2022,
        "title": "Auszahlung erst nach Bestandskraft",
        "source": "VVG zu § 44 LHO NRW Nr. 7.1",
        "explanation": (
            "Ausgezahlt wird erst, wenn der Zuwendungsbescheid bestandskräftig ist; ein Rechtsbehelfsverzicht "
            "macht ihn früher bestandskräftig."
        ),
        "parameters": {},
    },
    {
        "code": "line-deviation",
        "version": ANBEST_2022,
        "title": "Überschreitung einzelner Ausgabenpositionen um bis zu 20 %",
        "source": "ANBest-P/ANBest-G NRW Nr. 1.2",
        "explanation": (
            "Der Finanzierungsplan ist im Gesamtergebnis verbindlich. Einzelne Ausgabenansätze dürfen um bis zu "
            "20 % überschritten werden, soweit die Überschreitung durch Einsparungen bei anderen Ansätzen "
            "ausgeglichen wird. Darüber hinaus ist ein Änderungsantrag nötig."
        ),
        "parameters": {"percent": "20"},
    },
    {
        "code": "approval-period",
        "version": VV_2022,
        "title": "Ausgaben nur im Bewilligungszeitraum",
        "source": "Zuwendungsbescheid (Bewilligungszeitraum), § 44 LHO NRW",
        "explanation": "Zuwendungsfähig sind nur Ausgaben, die im Bewilligungszeitraum des Bescheids geleistet werden.",
        "parameters": {},
    },
    {
        "code": "plan-balanced",
        "version": ANBEST_2022,
        "title": "Ausgeglichener Finanzierungsplan",
        "source": "ANBest-P/ANBest-G NRW Nr. 1.2 (Finanzierungsplan als Deckungsplan)",
        "explanation": (
            "Im Finanzierungsplan decken die Einnahmen (Zuwendung, Eigenanteile der Städte, Leistungen Dritter) "
            "die Ausgaben auf den Cent."
        ),
        "parameters": {},
    },
    {
        "code": "input-tax",
        "version": ANBEST_2022,
        "title": "Nettobeträge bei Vorsteuerabzug",
        "source": "ANBest-G NRW Nr. 7.4",
        "explanation": "Wer zum Vorsteuerabzug berechtigt ist, weist die Ausgaben netto, ohne Umsatzsteuer, nach.",
        "parameters": {},
    },
    {
        "code": "proof-deadline",
        "version": ANBEST_2022,
        "title": "Frist des Verwendungsnachweises",
        "source": "ANBest-G NRW Nr. 7.1 und Zuwendungsbescheid",
        "explanation": (
            "Der Verwendungsnachweis ist spätestens mit Ablauf des sechsten Monats nach dem Bewilligungszeitraum "
            "vorzulegen, soweit der Bescheid nichts anderes bestimmt; maßgeblich sind die Fristen im Bescheid. "
            "Ein verspäteter Nachweis wird angenommen und vermerkt."
        ),
        "parameters": {"default_final_months": 6},
    },
    {
        "code": "receipt-retention",
        "version": ANBEST_2022,
        "title": "Aufbewahrung der Belege",
        "source": "ANBest-G NRW Nr. 7.5",
        "explanation": "Die Belege sind fünf Jahre nach Vorlage des Verwendungsnachweises aufzubewahren.",
        "parameters": {"years": 5},
    },
]


def seed(apps, schema_editor):
    Rule = apps.get_model("funding", "Rule")
    for row in RULES:
        Rule.objects.update_or_create(code=row["code"], version=row["version"], defaults={**row, "valid_from": VALID_FROM})


def unseed(apps, schema_editor):
    Rule = apps.get_model("funding", "Rule")
    for row in RULES:
        Rule.objects.filter(code=row["code"], version=row["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_funding_programmes_applications_notices_money")]

    operations = [migrations.RunPython(seed, unseed)]
