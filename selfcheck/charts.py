"""The trend chart: each success factor's median (0–4) per round, server-rendered SVG.

Like the monitoring's charts: no JavaScript, no inline styles, an image with title and description;
the numbers stand in the data table below every chart. Rounds differ by colour *and* shape, so the
chart reads without colour too.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import SCALE_MAX

WIDTH = 720
LABEL_WIDTH = 260
RIGHT = 24
ROW = 28
TOP = 40
AXIS = 30
INK = "#1b2430"
GRID = "#d4d9e1"
MUTED = "#4a5564"
SERIES = ("#8a94a6", "#0a4f8f", "#b3261e", "#2e7d32", "#6a4c93")


def _marker(index: int, x: float, y: float) -> str:
    colour = SERIES[index % len(SERIES)]
    shape = index % 3
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11" fill="{colour}"/>'
    return f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y + 5:.1f} L{x - 7:.1f} {y + 5:.1f} Z" fill="{colour}"/>'


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = INK, size: int = 13) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{size}">{escape(content)}</text>'


def trend_chart(
    rows: Sequence[tuple[str, Sequence[float | None]]], rounds: Sequence[str], *, ident: str, title: str
) -> SafeString:
    """``rows``: (factor title, one median or None per round)."""
    height = TOP + ROW * len(rows) + AXIS
    plot = WIDTH - LABEL_WIDTH - RIGHT
    body = []
    x_legend = LABEL_WIDTH
    for index, name in enumerate(rounds):
        body.append(_marker(index, x_legend + 6, 16))
        body.append(_text(x_legend + 18, 21, name, size=12))
        x_legend += 28 + 7 * len(name)
    for step in range(SCALE_MAX + 1):
        x = LABEL_WIDTH + plot * step / SCALE_MAX
        body.append(f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - AXIS + 4}" stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x, height - AXIS + 20, str(step), anchor="middle", fill=MUTED, size=12))
    for r, (label, values) in enumerate(rows):
        y = TOP + ROW * r + ROW / 2
        short = label if len(label) <= 36 else label[:35] + "…"
        body.append(_text(LABEL_WIDTH - 10, y + 4, short, anchor="end"))
        if all(v is None for v in values):
            body.append(_text(LABEL_WIDTH + 6, y + 4, _("gesperrt"), fill=MUTED, size=12))
        for index, value in enumerate(values):
            if value is not None:
                body.append(_marker(index, LABEL_WIDTH + plot * value / SCALE_MAX, y))
    description = _(
        "Median je Erfolgsfaktor auf der Skala 0 bis 4, eine Markierung je Runde; die Zahlen stehen in der Tabelle darunter."
    )
    return mark_safe(  # noqa: S308 - every dynamic string went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="Fira Sans, Arial, sans-serif">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )
