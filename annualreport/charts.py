"""Server-rendered SVG charts of a section: the year and the previous year as paired bars.

No JavaScript, no inline styles (the CSP forbids them): geometry and colours are presentation
attributes. Each chart is an image with a title and a description; the numbers are in the data
table that the page shows right below it. The same markup goes into the PDF. Suppressed values
are drawn as no bar with the word "gesperrt", never as a zero.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

CURRENT = "#0a4f8f"
PREVIOUS = "#8fa9c4"
INK = "#1b2430"
MUTED = "#4a5564"
GRID = "#d4d9e1"

WIDTH = 720
LABEL_WIDTH = 240
RIGHT = 60
BAR = 11
ROW = 2 * BAR + 12
TOP = 30


def _number(value: float) -> str:
    text = f"{value:.1f}" if value != int(value) else str(int(value))
    return text.replace(".", ",")


def paired_bars(chart_id: str, title: str, rows: list[dict], year: int) -> SafeString:
    """One pair of bars per row (``current`` and ``previous``); None means suppressed or not released."""
    values = [v for row in rows for v in (row["current"], row["previous"]) if isinstance(v, (int, float))]
    top = max(values, default=0) or 1
    span = WIDTH - LABEL_WIDTH - RIGHT
    height = TOP + ROW * len(rows) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" font-family="Fira Sans, sans-serif" font-size="12">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_("Balken je Zeile: %(year)s dunkel, %(previous)s hell. Die Zahlen stehen in der Tabelle darunter.") % {"year": year, "previous": year - 1})}</desc>',
        f'<rect x="{LABEL_WIDTH}" y="4" width="12" height="12" fill="{CURRENT}"/>'
        f'<text x="{LABEL_WIDTH + 18}" y="14" fill="{INK}">{year}</text>'
        f'<rect x="{LABEL_WIDTH + 80}" y="4" width="12" height="12" fill="{PREVIOUS}"/>'
        f'<text x="{LABEL_WIDTH + 98}" y="14" fill="{INK}">{year - 1}</text>',
        f'<line x1="{LABEL_WIDTH}" y1="{TOP - 4}" x2="{LABEL_WIDTH}" y2="{height - 4}" stroke="{GRID}"/>',
    ]
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR + 4}" text-anchor="end" fill="{INK}">{escape(str(row["label"])[:38])}</text>'
        )
        for offset, key, colour in ((0, "current", CURRENT), (BAR, "previous", PREVIOUS)):
            value = row[key]
            if isinstance(value, (int, float)):
                width = round(span * value / top, 1)
                out.append(f'<rect x="{LABEL_WIDTH}" y="{y + offset}" width="{width}" height="{BAR}" fill="{colour}"/>')
                label = _number(value)
                out.append(
                    f'<text x="{LABEL_WIDTH + width + 4}" y="{y + offset + BAR - 2}" fill="{INK}" font-size="10">{label}</text>'
                )
            else:
                out.append(
                    f'<text x="{LABEL_WIDTH + 4}" y="{y + offset + BAR - 2}" fill="{MUTED}" font-size="10">{escape(row.get(key + "_note") or _("gesperrt"))}</text>'
                )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text is escaped above)
