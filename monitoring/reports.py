"""What dashboards, exports, the API and the PDF report show: built from AggregateCell rows only.

Each function takes a :class:`~monitoring.access.Scope` (who may see which cities of which
round) and runs a fixed number of queries, however many responses or cities there are.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import PUBLIC, Scope
from .charts import Bar, Point, bar_chart, index_chart, trend_chart
from .models import AggregateCell, Concept, Wave
from .questionnaire import FACETS, local_item

SUPPRESSION_MARK = "."
SUPPRESSION_LEGEND = gettext_lazy(
    "„.“ bzw. null: gesperrt, zum Schutz der Antwortenden. Der Grund wird bewusst nicht angegeben; keine gesperrte Zahl "
    "lässt sich aus allem Veröffentlichten genauer als auf eine Spanne von k eingrenzen. Aus gesperrten Zahlen wird nichts berechnet."
)
CONCEPT_SHORT = {
    Concept.MIGRATION_BACKGROUND: gettext_lazy("Migrationshintergrund"),
    Concept.IMMIGRATION_HISTORY: gettext_lazy("Einwanderungsgeschichte"),
}


def concept_from(value: str | None) -> str:
    return value if value in Concept.values else Concept.MIGRATION_BACKGROUND


def note_of(cell: AggregateCell) -> str:
    """Short text for a chart row: one neutral word for every suppressed cell, whatever the reason."""
    if cell.suppressed:
        return _("gesperrt")
    if cell.low_precision:
        return _("unter 30 Antworten")
    return ""


def bar_of(cell: AggregateCell, label: str | None = None, markers: bool = False) -> Bar:
    marks: list[tuple[float, str]] = []
    if markers and cell.share is not None:
        if cell.population_share_total is not None:
            marks.append((cell.population_share_total, "population"))
        if cell.population_share_working_age is not None:
            marks.append((cell.population_share_working_age, "working_age"))
    return Bar(label or cell.display_label, cell.share, cell.lower, cell.upper, note_of(cell), tuple(marks))


@dataclass
class FacetBlock:
    key: str
    label: str
    cells: list[AggregateCell]
    chart: str = ""


@dataclass
class TrendRow:
    label: str
    cell: AggregateCell
    change_pp: tuple[float, float, float] | None = None
    p_value: float | None = None


@dataclass
class CityReport:
    scope: Scope
    concept: str
    city: object
    total: AggregateCell | None
    facets: list[FacetBlock]
    local: list[FacetBlock]
    trend: list[TrendRow]
    charts: dict[str, str] = field(default_factory=dict)


def _cells(scope: Scope, concept: str | None = None) -> list[AggregateCell]:
    where = Q(municipality__in=[c.pk for c in scope.cities])
    if scope.include_total:
        where |= Q(municipality__isnull=True)
    cells = AggregateCell.objects.filter(where, round=scope.round).select_related("municipality")
    if concept is not None:
        cells = cells.filter(concept=concept)
    return list(cells.order_by("concept", "facet", "sort_order"))


def _facet_blocks(cells: Sequence[AggregateCell]) -> list[FacetBlock]:
    by_facet = defaultdict(list)
    for cell in cells:
        by_facet[cell.facet].append(cell)
    return [FacetBlock(f.key, str(f.label), by_facet.get(f.key, [])) for f in FACETS if by_facet.get(f.key)]


def _local_blocks(cells: Sequence[AggregateCell], waves: Sequence[Wave]) -> list[FacetBlock]:
    blocks = []
    for wave in waves:
        for spec in wave.local_items:
            key = f"{local_item(spec).key}@{wave.municipality.slug}"
            rows = [c for c in cells if c.facet == key]
            if rows:
                blocks.append(FacetBlock(key, str(spec["text"]), rows))
    return blocks


def _trend(rows: list[AggregateCell]) -> list[TrendRow]:
    """Per round of the same concept: share, interval and the change against the previous round."""
    from .stats.indicators import WaveEstimate, trend  # numpy/scipy only where a trend is computed

    result = [TrendRow(row.round.name, row) for row in rows]
    usable = [r for r in result if r.cell.positives is not None and r.cell.classified and r.cell.headcount]
    estimates = [
        WaveEstimate(r.label, r.cell.concept, r.cell.positives, r.cell.classified, max(r.cell.headcount, r.cell.classified))
        for r in usable
    ]
    for row, point in zip(usable, trend(estimates), strict=True):
        if point.change_pp is not None:
            row.change_pp = (point.change_pp.estimate, point.change_pp.lower, point.change_pp.upper)
            row.p_value = point.p_value
    return result


def trend_cells(scope: Scope, concept: str, city) -> list[AggregateCell]:
    """The city's (or all cities') totals in every final round this audience may see."""
    cells = AggregateCell.objects.filter(round__finalised_on__isnull=False, concept=concept, facet="total").select_related(
        "round"
    )
    cells = cells.filter(municipality__isnull=True) if city is None else cells.filter(municipality=city)
    if scope.audience == PUBLIC:
        released = Wave.objects.filter(status=Wave.Status.RELEASED)
        if city is not None:
            released = released.filter(municipality=city)
        cells = cells.filter(round__in=released.values("round"))
    return list(cells.order_by("round__slug"))


def city_report(scope: Scope, concept: str) -> CityReport:
    city = scope.cities[0]
    cells = _cells(scope, concept)
    total = next((c for c in cells if c.facet == "total"), None)
    report = CityReport(
        scope,
        concept,
        city,
        total,
        _facet_blocks(cells),
        _local_blocks(cells, scope.waves),
        _trend(trend_cells(scope, concept, city)),
    )
    name = CONCEPT_SHORT[concept]
    for block in report.facets + report.local:
        block.chart = bar_chart(
            [bar_of(c) for c in block.cells],
            ident=f"chart-{block.key.replace('@', '-')}",
            title=_("%(concept)s nach %(facet)s") % {"concept": name, "facet": block.label},
            description=_(
                "Anteil mit %(concept)s je Gruppe mit 95-%%-Konfidenzintervall; die Zahlen stehen in der Tabelle darunter."
            )
            % {"concept": name},
        )
    report.charts["trend"] = trend_chart(
        [Point(r.cell.round.slug, r.cell.share, r.cell.lower, r.cell.upper) for r in report.trend],
        ident="chart-trend",
        title=_("%(concept)s im Zeitverlauf") % {"concept": name},
        description=_("Anteil je Erhebungsrunde mit 95-%-Konfidenzintervall; die Zahlen stehen in der Tabelle darunter."),
    )
    return report


@dataclass
class ComparisonReport:
    scope: Scope
    concept: str
    totals: list[AggregateCell]
    ruhr: AggregateCell | None
    facet: FacetBlock | None
    facet_matrix: list[tuple[str, list[AggregateCell]]]
    trend: list[TrendRow]
    charts: dict[str, str] = field(default_factory=dict)


def comparison_report(scope: Scope, concept: str, facet_key: str) -> ComparisonReport:
    cells = _cells(scope, concept)
    totals = sorted((c for c in cells if c.facet == "total" and c.municipality_id), key=lambda c: c.municipality.short_name)
    ruhr = next((c for c in cells if c.facet == "total" and c.municipality_id is None), None)
    facet = next((f for f in FACETS if f.key == facet_key), FACETS[0])
    ruhr_rows = [c for c in cells if c.facet == facet.key and c.municipality_id is None]
    matrix = defaultdict(list)
    for cell in cells:
        if cell.facet == facet.key and cell.municipality_id:
            matrix[cell.municipality.short_name].append(cell)
    report = ComparisonReport(
        scope,
        concept,
        totals,
        ruhr,
        FacetBlock(facet.key, str(facet.label), ruhr_rows) if ruhr_rows else None,
        sorted(matrix.items()),
        _trend(trend_cells(scope, concept, None)) if scope.include_total and scope.audience != PUBLIC else [],
    )
    name = CONCEPT_SHORT[concept]
    rows = totals + ([ruhr] if ruhr else [])
    report.charts["cities"] = bar_chart(
        [bar_of(c, c.municipality.short_name if c.municipality_id else _("Alle Städte"), markers=True) for c in rows],
        ident=f"chart-cities-{concept}",
        title=_("%(concept)s: Anteil unter den Beschäftigten je Stadt") % {"concept": name},
        description=_(
            "Balken: Anteil mit 95-%-Konfidenzintervall; gestrichelte Marke: Anteil in der Bevölkerung, "
            "gepunktete Marke: Anteil der 18- bis 64-Jährigen, soweit bekannt. Die Zahlen stehen in der Tabelle darunter."
        ),
    )
    with_index = [c for c in rows if c.index_total is not None or c.index_working_age is not None]
    report.charts["index"] = index_chart(
        [
            Bar(
                c.municipality.short_name if c.municipality_id else _("Alle Städte"),
                c.index_total,
                c.index_total_lower,
                c.index_total_upper,
            )
            for c in with_index
        ],
        ident=f"chart-index-{concept}",
        title=_("Repräsentationsindex (Anteil Beschäftigte ÷ Anteil Bevölkerung)"),
        description=_(
            "1 bedeutet: so hoch wie in der Bevölkerung. Balken mit 95-%-Intervall; die Zahlen stehen in der Tabelle darunter."
        ),
    )
    if report.facet:
        report.charts["facet"] = bar_chart(
            [bar_of(c) for c in report.facet.cells],
            ident=f"chart-facet-{concept}-{report.facet.key}",
            title=_("Alle Städte: %(concept)s nach %(facet)s") % {"concept": name, "facet": report.facet.label},
            description=_("Anteil je Gruppe mit 95-%-Konfidenzintervall; die Zahlen stehen in der Tabelle darunter."),
        )
    if report.trend:
        report.charts["trend"] = trend_chart(
            [Point(r.cell.round.slug, r.cell.share, r.cell.lower, r.cell.upper) for r in report.trend],
            ident=f"chart-trend-{concept}",
            title=_("Alle Städte: %(concept)s im Zeitverlauf") % {"concept": name},
            description=_("Anteil je Erhebungsrunde mit 95-%-Konfidenzintervall; die Zahlen stehen in der Tabelle darunter."),
        )
    return report


# --- Flat rows for CSV, XLSX and JSON -----------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("runde", gettext_lazy("Erhebungsrunde")),
    ("stadt", gettext_lazy("Stadt")),
    ("ags", gettext_lazy("AGS")),
    ("konzept", gettext_lazy("Konzept")),
    ("merkmal", gettext_lazy("Merkmal")),
    ("gruppe", gettext_lazy("Gruppe")),
    ("antworten_klassifiziert", gettext_lazy("Antworten (klassifiziert)")),
    ("mit_merkmal", gettext_lazy("mit Merkmal")),
    ("ohne_merkmal", gettext_lazy("ohne Merkmal")),
    ("anteil", gettext_lazy("Anteil")),
    ("ki_unten", gettext_lazy("95-%-KI unten")),
    ("ki_oben", gettext_lazy("95-%-KI oben")),
    ("geringe_fallzahl", gettext_lazy("unter 30 Antworten")),
    ("antworten_gesamt", gettext_lazy("Antworten insgesamt")),
    ("beschaeftigte", gettext_lazy("Beschäftigte")),
    ("ruecklaufquote", gettext_lazy("Rücklaufquote")),
    ("anteil_gewichtet", gettext_lazy("Anteil gewichtet")),
    ("gewichtet_ki_unten", gettext_lazy("gewichtet 95-%-KI unten")),
    ("gewichtet_ki_oben", gettext_lazy("gewichtet 95-%-KI oben")),
    ("designeffekt", gettext_lazy("Designeffekt")),
    ("anteil_bevoelkerung", gettext_lazy("Anteil Bevölkerung")),
    ("anteil_bevoelkerung_18_64", gettext_lazy("Anteil Bevölkerung 18–64")),
    ("repraesentationsindex", gettext_lazy("Repräsentationsindex")),
    ("repraesentationsindex_18_64", gettext_lazy("Repräsentationsindex 18–64")),
    ("quelle_bevoelkerung", gettext_lazy("Quelle Bevölkerung")),
]


def _round4(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 4)


def _group_label(cell: AggregateCell, local_labels: dict[str, str]) -> tuple[str, str]:
    if cell.facet == "total":
        return str(_("insgesamt")), ""
    facet = next((f for f in FACETS if f.key == cell.facet), None)
    return (str(facet.label) if facet else local_labels.get(cell.facet, cell.facet)), cell.display_label


def export_rows(scope: Scope) -> list[dict[str, object]]:
    """Every published cell of the scope as a flat record (a suppressed count is None; no reason per cell)."""
    local_labels = {f"{local_item(s).key}@{w.municipality.slug}": str(s["text"]) for w in scope.waves for s in w.local_items}
    records = []
    for cell in _cells(scope):
        facet_label, group = _group_label(cell, local_labels)
        records.append(
            {
                "runde": scope.round.slug,
                "stadt": cell.municipality.short_name if cell.municipality_id else str(_("Alle Städte")),
                "ags": cell.municipality.ags if cell.municipality_id else "",
                "konzept": cell.concept,
                "merkmal": facet_label,
                "gruppe": group,
                "antworten_klassifiziert": cell.classified,
                "mit_merkmal": cell.positives,
                "ohne_merkmal": cell.negatives,
                "anteil": _round4(cell.share),
                "ki_unten": _round4(cell.lower),
                "ki_oben": _round4(cell.upper),
                "geringe_fallzahl": cell.low_precision,
                "antworten_gesamt": cell.respondents,
                "beschaeftigte": cell.headcount,
                "ruecklaufquote": _round4(cell.response_rate),
                "anteil_gewichtet": _round4(cell.weighted_share),
                "gewichtet_ki_unten": _round4(cell.weighted_lower),
                "gewichtet_ki_oben": _round4(cell.weighted_upper),
                "designeffekt": _round4(cell.design_effect),
                "anteil_bevoelkerung": _round4(cell.population_share_total),
                "anteil_bevoelkerung_18_64": _round4(cell.population_share_working_age),
                "repraesentationsindex": _round4(cell.index_total),
                "repraesentationsindex_18_64": _round4(cell.index_working_age),
                "quelle_bevoelkerung": cell.population_source,
            }
        )
    return records
