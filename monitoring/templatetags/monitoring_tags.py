"""Number formatting and suppression marks for monitoring tables (German notation)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 100:.{int(digits)}f}".replace(".", ",") + " %"


@register.filter
def num(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{float(value):.{int(digits)}f}".replace(".", ",")


@register.simple_tag
def interval(lower, upper, kind: str = "pct") -> str:
    if lower is None or upper is None:
        return "–"
    fmt = pct if kind == "pct" else num
    return f"{fmt(lower)} – {fmt(upper)}"


@register.simple_tag
def count(cell, field: str):
    """A count, or the one neutral suppression mark "." (explained once below the table, never per cell)."""
    value = getattr(cell, field)
    if value is not None:
        return num(value)
    return format_html('<span class="suppressed">.<span class="kern-sr-only"> {}</span></span>', _("gesperrt"))


@register.simple_tag
def share(cell):
    """The share with its precision mark, or the suppression mark."""
    if cell.share is None:
        return count(cell, "positives")
    text = pct(cell.share)
    if cell.low_precision:
        return format_html(
            '<span class="low-precision">({})<span class="kern-sr-only"> {}</span></span>', text, _("geringe Fallzahl")
        )
    return text
