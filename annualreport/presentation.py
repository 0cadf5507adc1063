"""What every output of a report shows (page, PDF/A, ODT): built from the live figures of a draft or
from the snapshot of a frozen report, never from anything else, so a frozen report's outputs cannot change."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from lib.markdown import render_markdown

from .charts import paired_bars
from .content import PARTNER_TITLES, SECTION_TITLES, SECTION_UNITS, TEXT_KEYS, text_title
from .figures import compute
from .models import AnnualReport, TextBlock


@dataclass
class Section:
    key: str
    title: str
    unit: str
    rows: list[dict]
    total: dict | None
    commentary: str
    chart: SafeString | str = ""
    extra: dict = field(default_factory=dict)

    @property
    def commentary_html(self) -> SafeString:
        return render_markdown(self.commentary, shift_headings=True)


@dataclass
class PartnerField:
    key: str
    title: str
    current: int
    previous: int
    examples: list[str]
    text: str

    @property
    def text_html(self) -> SafeString:
        return render_markdown(self.text, shift_headings=True)


@dataclass
class Presentation:
    report: AnnualReport
    year: int
    previous: int
    k: int
    frozen: bool
    sections: list[Section]
    partner: list[PartnerField]
    texts: dict[str, str]

    def text_html(self, key: str) -> SafeString:
        return render_markdown(self.texts.get(key, ""), shift_headings=True)

    @property
    def foreword_html(self) -> SafeString:
        return self.text_html("foreword")

    @property
    def outlook_html(self) -> SafeString:
        return self.text_html("outlook")


def live_texts(report: AnnualReport) -> dict[str, str]:
    stored = dict(TextBlock.objects.filter(report=report).values_list("key", "text"))
    return {key: stored.get(key, "") for key in TEXT_KEYS}


def snapshot_of(report: AnnualReport) -> dict:
    """What freezing stores: the figures as they are now and the texts as they read now."""
    return {"figures": compute(report.year), "texts": live_texts(report)}


def _chart_rows(section: dict) -> list[dict]:
    """Survey rows without a value are "not released" (–), not suppressed."""
    if section["key"] != "survey":
        return section["rows"]
    return [
        {
            **row,
            "current_note": "" if row.get("current_released") else "–",
            "previous_note": "" if row.get("previous_released") else "–",
        }
        for row in section["rows"]
    ]


def build(report: AnnualReport, *, with_charts: bool = True) -> Presentation:
    data = report.snapshot if report.is_frozen and report.snapshot else None
    if data is None:
        data = {"figures": compute(report.year), "texts": live_texts(report)}
    figures, texts = data["figures"], data["texts"]
    year = figures["year"]
    sections = []
    for raw in figures["sections"]:
        key = raw["key"]
        title = str(SECTION_TITLES[key])
        chart: SafeString | str = ""
        if with_charts and raw.get("chart") and raw["rows"]:
            chart = paired_bars(f"chart-{key}", title, _chart_rows(raw), year)
        extra = {name: value for name, value in raw.items() if name not in {"key", "rows", "total", "chart"}}
        sections.append(
            Section(
                key=key,
                title=title,
                unit=str(SECTION_UNITS.get(key, "")),
                rows=raw["rows"],
                total=raw.get("total"),
                commentary=texts.get(f"commentary-{key}", ""),
                chart=chart,
                extra=extra,
            )
        )
    partner = [
        PartnerField(
            key=item["key"],
            title=str(PARTNER_TITLES[item["key"]]),
            current=item["current"],
            previous=item["previous"],
            examples=item["examples"],
            text=texts.get(f"partner-{item['key']}", ""),
        )
        for item in figures["partner"]["fields"]
    ]
    return Presentation(
        report=report,
        year=year,
        previous=figures["previous"],
        k=figures["k"],
        frozen=report.is_frozen,
        sections=sections,
        partner=partner,
        texts=texts,
    )


def text_blocks(report: AnnualReport) -> list[tuple[str, str]]:
    """(key, heading) of every text block, in report order."""
    return [(key, text_title(key)) for key in TEXT_KEYS]
