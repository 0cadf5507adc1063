from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


@register.simple_tag
def score(cell, spread: bool = True):
    """A consolidated cell: median (lowest–highest), the flag for strong disagreement, or the suppressed marker."""
    if cell is None:
        return format_html('<span aria-label="{}">–</span>', _("keine Antworten"))
    if cell.suppressed:
        return format_html(
            '<span class="selfcheck-suppressed" title="{0}">.<span class="kern-sr-only"> {0}</span></span>',
            _("gesperrt: zu wenige Antworten"),
        )
    text = _number(cell.median)
    if spread:
        text += f" ({cell.low}–{cell.high})"
    if cell.flagged:
        return format_html(
            '{} <strong class="selfcheck-flag">⚑<span class="kern-sr-only"> {}</span></strong>', text, _("starke Abweichung")
        )
    return text


@register.filter
def median(cell) -> str:
    if cell is None:
        return "–"
    if cell.suppressed:
        return "."
    return _number(cell.median)


@register.filter
def pct(value) -> str:
    from monitoring.charts import percent

    return percent(value)
