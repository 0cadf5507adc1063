"""Exports of published aggregates: CSV, XLSX, JSON (the API), the PDF report and DCAT-AP.de metadata.

All of them are built from the same disclosure-controlled rows as the dashboards
(:func:`monitoring.reports.export_rows`); a suppressed count is "." (CSV, XLSX) or null (JSON),
one neutral mark explained once per file, never with a per-cell reason. Spreadsheet cells are neutralised against formula injection by
:mod:`lib.spreadsheet`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import login_required
from audit.actions import record
from lib.spreadsheet import to_csv, to_xlsx
from members.models import Cooperation

from .. import pdf
from ..access import PUBLIC, city_scope, comparison_scope, public_scope
from ..models import Concept, SurveyRound, Wave
from ..questionnaire import FACETS
from ..reports import EXPORT_COLUMNS, SUPPRESSION_LEGEND, SUPPRESSION_MARK, city_report, comparison_report, export_rows

FORMATS = {"csv", "xlsx", "json"}
LICENSE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
COUNT_COLUMNS = {"antworten_klassifiziert", "mit_merkmal", "ohne_merkmal", "antworten_gesamt"}


def _metadata(scope) -> dict:
    survey_round = scope.round
    return {
        "runde": {
            "kuerzel": survey_round.slug,
            "name": survey_round.name,
            "fragebogen": survey_round.questionnaire.version,
            "ausgewertet_am": survey_round.finalised_on.isoformat(),
            "mindestzahl_antworten_k": survey_round.min_cell_size,
        },
        "staedte": [c.short_name for c in scope.cities],
        "konzepte": {c.value: str(c.label) for c in Concept},
        "zeichenerklaerung": {SUPPRESSION_MARK: str(SUPPRESSION_LEGEND), "null": str(SUPPRESSION_LEGEND)},
        "hinweise": [
            _(
                "Anteile als Dezimalbruch unter den klassifizierbaren Antworten; 95-%-Konfidenzintervall nach Wilson mit Endlichkeitskorrektur."
            ),
        ],
        "lizenz": LICENSE,
    }


def _cell(key: str, value, *, text: bool):
    """Spreadsheet value: the neutral mark for a suppressed count, German decimal comma in CSV."""
    if value is None and key in COUNT_COLUMNS:
        return SUPPRESSION_MARK
    if isinstance(value, bool):
        return _("ja") if value else ""
    if text and isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")
    return value


def _respond(scope, fmt: str, filename: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    rows = export_rows(scope)
    if fmt == "json":
        response = JsonResponse({**_metadata(scope), "zeilen": rows}, json_dumps_params={"ensure_ascii": False, "indent": 1})
        if scope.audience == PUBLIC:
            response["Access-Control-Allow-Origin"] = "*"
        return response
    keys = [key for key, _label in EXPORT_COLUMNS]
    header = [str(label) for _key, label in EXPORT_COLUMNS]
    table = [[_cell(key, row[key], text=fmt == "csv") for key in keys] for row in rows]
    if fmt == "csv":
        response = HttpResponse(to_csv(header, table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(header, table, title=_("Monitoring")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    if scope.audience == PUBLIC:
        response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def comparison_export(request, round_slug: str, fmt: str):
    scope = comparison_scope(request.user, round_slug)
    record(request.user, f"monitoring.exported.{fmt}", scope.round, after={"scope": "comparison"})
    return _respond(scope, fmt, f"monitoring-{round_slug}-vergleich")


@login_required
def city_export(request, round_slug: str, city_slug: str, fmt: str):
    scope = city_scope(request.user, round_slug, city_slug)
    record(request.user, f"monitoring.exported.{fmt}", scope.round, after={"scope": city_slug})
    return _respond(scope, fmt, f"monitoring-{round_slug}-{city_slug}")


def public_export(request, round_slug: str, fmt: str):
    return _respond(public_scope(round_slug), fmt, f"monitoring-{round_slug}")


def public_city_export(request, round_slug: str, city_slug: str, fmt: str):
    return _respond(public_scope(round_slug, city_slug), fmt, f"monitoring-{round_slug}-{city_slug}")


@login_required
def report_pdf(request, round_slug: str):
    """The annual monitoring report for the Regiegruppe: the comparison with the same charts."""
    scope = comparison_scope(request.user, round_slug)
    if not pdf.available():
        raise Http404
    sections = []
    for concept in Concept:
        facets = [comparison_report(scope, concept, facet.key) for facet in FACETS]
        sections.append({"concept": concept, "main": facets[0], "facets": facets})
    cities = [city_report(scope.for_city(city), Concept.MIGRATION_BACKGROUND) for city in scope.cities]
    context = {
        "round": scope.round,
        "sections": sections,
        "cities": cities,
        "cooperation": Cooperation.objects.first(),
        "generated": timezone.localdate(),
    }
    record(request.user, "monitoring.exported.pdf", scope.round, after={"scope": "report"})
    response = HttpResponse(pdf.render_pdf("monitoring/report_pdf.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="monitoringbericht-{round_slug}.pdf"'
    return response


# --- Open data: DCAT-AP.de ---------------------------------------------------------------------------------


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _distribution(path_csv: str, path_json: str, title: str, modified: str) -> list[dict]:
    formats = (("CSV", path_csv, "text/csv"), ("JSON", path_json, "application/json"))
    return [
        {
            "@type": "dcat:Distribution",
            "@id": _url(path) + "#distribution",
            "dct:title": f"{title} ({label})",
            "dcat:accessURL": {"@id": _url(path)},
            "dcat:downloadURL": {"@id": _url(path)},
            "dct:format": {"@id": f"http://publications.europa.eu/resource/authority/file-type/{label}"},
            "dcat:mediaType": media,
            "dct:license": {"@id": LICENSE},
            "dcatde:licenseAttributionByText": "Städtekooperation Integration.Interkommunal",
            "dct:modified": modified,
            "dcatap:availability": {"@id": "http://data.europa.eu/r5r/availability/stable"},
        }
        for label, path, media in formats
    ]


def catalog(request):
    """DCAT-AP.de 3.0 catalogue of released results: one dataset per city and round, plus the cooperation."""
    cooperation = Cooperation.objects.first()
    publisher = {"@type": "foaf:Organization", "foaf:name": cooperation.name if cooperation else "Integration.Interkommunal"}
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": publisher["foaf:name"],
        "vcard:hasEmail": {"@id": f"mailto:{settings.MANAGING_OFFICE_EMAIL}"},
    }
    datasets = []
    rounds = SurveyRound.objects.filter(finalised_on__isnull=False).prefetch_related("waves__municipality").order_by("-slug")
    for survey_round in rounds:
        waves = list(survey_round.waves.all())
        released = [w for w in waves if w.status == Wave.Status.RELEASED]
        common = {
            "dcat:keyword": [
                "Beschäftigte",
                "Migrationshintergrund",
                "Einwanderungsgeschichte",
                "Vielfalt",
                "Verwaltung",
                "Monitoring",
            ],
            "dct:publisher": publisher,
            "dcat:contactPoint": contact,
            "dcat:theme": [
                {"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"},
                {"@id": "http://publications.europa.eu/resource/authority/data-theme/SOCI"},
            ],
            "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/BIENNIAL"},
            "dcatap:availability": {"@id": "http://data.europa.eu/r5r/availability/stable"},
            "dct:license": {"@id": LICENSE},
        }
        for wave in released:
            city = wave.municipality
            csv_path = reverse("monitoring:public_city_export", args=[survey_round.slug, city.slug, "csv"])
            json_path = reverse("monitoring:public_city_export", args=[survey_round.slug, city.slug, "json"])
            title = f"{survey_round.name}: {city.name}"
            modified = (wave.released_on or survey_round.finalised_on).isoformat()
            datasets.append(
                {
                    "@type": "dcat:Dataset",
                    "@id": _url(reverse("monitoring:public_city", args=[survey_round.slug, city.slug])),
                    "dct:identifier": f"interkommunal-monitoring-{survey_round.slug}-{city.ags}",
                    "dct:title": title,
                    "dct:description": _(
                        "Anteil der Beschäftigten der Stadtverwaltung mit Migrationshintergrund und mit Einwanderungsgeschichte "
                        "aus einer anonymen Beschäftigtenbefragung, nach Gruppen, mit Konfidenzintervallen und Repräsentationsindex. "
                        "Nur aggregierte, gegen Rückschlüsse geschützte Werte (Mindestzahl %(k)s Antworten, Sekundärsperrung)."
                    )
                    % {"k": survey_round.min_cell_size},
                    "dct:issued": modified,
                    "dct:modified": modified,
                    "dct:temporal": {
                        "@type": "dct:PeriodOfTime",
                        "dcat:startDate": wave.fielding_start.isoformat(),
                        "dcat:endDate": wave.fielding_end.isoformat(),
                    },
                    "dcatde:politicalGeocodingLevelURI": {"@id": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"},
                    "dcatde:politicalGeocodingURI": {
                        "@id": f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{city.ags}"
                    },
                    "dct:spatial": {"@id": f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{city.ags}"},
                    "dcat:distribution": _distribution(csv_path, json_path, title, modified),
                    **common,
                }
            )
        if released and len(released) == len(waves):
            csv_path = reverse("monitoring:public_export", args=[survey_round.slug, "csv"])
            json_path = reverse("monitoring:public_export", args=[survey_round.slug, "json"])
            modified = max(w.released_on or survey_round.finalised_on for w in released).isoformat()
            datasets.append(
                {
                    "@type": "dcat:Dataset",
                    "@id": _url(reverse("monitoring:public_round", args=[survey_round.slug])),
                    "dct:identifier": f"interkommunal-monitoring-{survey_round.slug}",
                    "dct:title": f"{survey_round.name}: {_('alle Städte der Kooperation')}",
                    "dct:description": _(
                        "Städtevergleich der Beschäftigtenbefragung aller Mitgliedsstädte, nur aggregierte und geschützte Werte."
                    ),
                    "dct:issued": modified,
                    "dct:modified": modified,
                    "dcatde:politicalGeocodingLevelURI": {
                        "@id": "http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict"
                    },
                    "dcat:distribution": _distribution(csv_path, json_path, survey_round.name, modified),
                    **common,
                }
            )
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatde": "http://dcat-ap.de/def/dcatde/",
            "dcatap": "http://data.europa.eu/r5r/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@type": "dcat:Catalog",
        "@id": _url(reverse("monitoring:catalog")),
        "dct:title": _("Offene Daten des Monitorings der Städtekooperation Integration.Interkommunal"),
        "dct:description": _(
            "Veröffentlichte, gegen Rückschlüsse auf Personen geschützte Ergebnisse der Beschäftigtenbefragung."
        ),
        "dct:publisher": publisher,
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/DEU"},
        "dct:license": {"@id": LICENSE},
        "dcat:dataset": datasets,
    }
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
