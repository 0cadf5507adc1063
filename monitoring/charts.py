"""Server-rendered SVG charts: bars with confidence whiskers, representation index, trends.

No JavaScript and no inline styles (the CSP forbids them): geometry and colours are SVG
presentation attributes. Each chart is an image with a title and a description; the numbers are
in the data table that every template puts right below it, so screen-reader users read the table
and the chart itself stays a picture. The same markup goes into the PDF report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#0a4f8f"
WEIGHTED = "#6a4c93"
INK = "#1b2430"
GRID = "#d4d9e1"
POPULATION = "#b3261e"
WORKING_AGE = "#5c3a00"
MUTED = "#4a5564"

WIDTH = 720
LABEL_WIDTH = 250
RIGHT = 24
ROW = 30
TOP = 12
AXIS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    lower: float | None = None
    upper: float | None = None
    note: str = ""
    markers: tuple[tuple[float, str], ...] = ()  # (value, "population" | "working_age")


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f}".replace(".", ",") + " %"


def _number(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _nice_max(values: Sequence[float], floor: float) -> float:
    """A round axis maximum a little above the largest value."""
    top = max([floor, *values]) * 1.05
    for candidate in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0):
        if top <= candidate:
            return candidate
    return top


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = INK, size: int = 13, weight: str = "") -> str:
    bold = ' font-weight="700"' if weight else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{size}"{bold}>{escape(content)}</text>'


def _frame(height: float, title: str, description: str, ident: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every dynamic string above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="Fira Sans, Arial, sans-serif">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _axis(scale_max: float, plot_width: float, height: float, fmt) -> list[str]:
    parts = []
    for i in range(6):
        value = scale_max * i / 5
        x = LABEL_WIDTH + plot_width * i / 5
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{height - AXIS + 4}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, height - AXIS + 22, fmt(value), anchor="middle", fill=MUTED, size=12))
    return parts


def bar_chart(
    bars: Sequence[Bar], *, ident: str, title: str, description: str, reference: float | None = None, fmt=percent
) -> SafeString:
    """Horizontal bars with 95 % whiskers; suppressed rows show their note instead of a bar."""
    height = TOP + ROW * max(len(bars), 1) + AXIS
    values = [b.upper if b.upper is not None else b.value for b in bars if b.value is not None]
    values += [m for b in bars for m, _kind in b.markers]
    if reference is not None:
        values.append(reference)
    scale_max = _nice_max([v for v in values if v is not None], 0.1 if fmt is percent else 1.0)
    plot = WIDTH - LABEL_WIDTH - RIGHT

    def x_of(value: float) -> float:
        return LABEL_WIDTH + plot * min(max(value, 0.0), scale_max) / scale_max

    body = _axis(scale_max, plot, height, fmt if fmt is not percent else (lambda v: percent(v, 0)))
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        label = bar.label if len(bar.label) <= 34 else bar.label[:33] + "…"
        body.append(_text(LABEL_WIDTH - 8, y + 19, label, anchor="end"))
        if bar.value is None:
            body.append(_text(LABEL_WIDTH + 6, y + 19, bar.note or _("gesperrt"), fill=MUTED, size=12))
            continue
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 6}" width="{x_of(bar.value) - LABEL_WIDTH:.1f}" height="{ROW - 12}" fill="{BAR}"/>'
        )
        if bar.lower is not None and bar.upper is not None:
            lo, hi, mid = x_of(bar.lower), x_of(bar.upper), y + ROW / 2
            body.append(f'<line x1="{lo:.1f}" y1="{mid}" x2="{hi:.1f}" y2="{mid}" stroke="{INK}" stroke-width="2"/>')
            for x in (lo, hi):
                body.append(f'<line x1="{x:.1f}" y1="{mid - 7}" x2="{x:.1f}" y2="{mid + 7}" stroke="{INK}" stroke-width="2"/>')
        for value, kind in bar.markers:
            colour, dash = (POPULATION, "5 3") if kind == "population" else (WORKING_AGE, "2 2")
            x = x_of(value)
            body.append(
                f'<line x1="{x:.1f}" y1="{y + 2}" x2="{x:.1f}" y2="{y + ROW - 2}" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>'
            )
        if bar.note:
            body.append(_text(WIDTH - 4, y + 19, bar.note, anchor="end", fill=MUTED, size=11))
    if reference is not None:
        x = x_of(reference)
        body.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - AXIS + 6}" stroke="{POPULATION}" stroke-width="2"/>'
        )
    return _frame(height, title, description, ident, body)


def index_chart(bars: Sequence[Bar], *, ident: str, title: str, description: str) -> SafeString:
    """Representation index with whiskers and the goal line at 1 (staff share = population share)."""
    return bar_chart(bars, ident=ident, title=title, description=description, reference=1.0, fmt=lambda v: _number(v, 1))


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    lower: float | None = None
    upper: float | None = None


def trend_chart(points: Sequence[Point], *, ident: str, title: str, description: str) -> SafeString:
    """Shares per round with whiskers, joined where consecutive rounds are both shown."""
    height = 260
    left, right, top, bottom = 90, WIDTH - 60, 16, height - 40
    values = [p.upper if p.upper is not None else p.value for p in points if p.value is not None]
    scale_max = _nice_max(values, 0.1)
    step = (right - left) / max(len(points) - 1, 1)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * min(max(value, 0.0), scale_max) / scale_max

    def x_of(i: int) -> float:
        return left + step * i if len(points) > 1 else (left + right) / 2

    body = []
    for i in range(6):
        value = scale_max * i / 5
        y = y_of(value)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(left - 8, y + 4, percent(value, 0), anchor="end", fill=MUTED, size=12))
    previous = None
    for i, point in enumerate(points):
        x = x_of(i)
        body.append(_text(x, height - 14, point.label, anchor="middle"))
        if point.value is None:
            body.append(_text(x, bottom - 8, _("gesperrt"), anchor="middle", fill=MUTED, size=12))
            previous = None
            continue
        y = y_of(point.value)
        if previous is not None:
            body.append(
                f'<line x1="{previous[0]:.1f}" y1="{previous[1]:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{BAR}" stroke-width="2"/>'
            )
        if point.lower is not None and point.upper is not None:
            body.append(
                f'<line x1="{x:.1f}" y1="{y_of(point.lower):.1f}" x2="{x:.1f}" y2="{y_of(point.upper):.1f}" stroke="{INK}" stroke-width="2"/>'
            )
            for bound in (point.lower, point.upper):
                yy = y_of(bound)
                body.append(
                    f'<line x1="{x - 7:.1f}" y1="{yy:.1f}" x2="{x + 7:.1f}" y2="{yy:.1f}" stroke="{INK}" stroke-width="2"/>'
                )
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{BAR}"/>')
        previous = (x, y)
    return _frame(height, title, description, ident, body)
