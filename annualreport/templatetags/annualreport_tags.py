from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value) -> str:
    """A number of the report: German decimal comma; None is a suppressed (or unreleased) value."""
    if value is None:
        return _("gesperrt")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


@register.filter
def survey_value(row: dict, which: str) -> str:
    if not row.get(f"{which}_released"):
        return "–"
    value = row.get(which)
    if value is None:
        return _("gesperrt")
    interval = row.get(f"{which}_interval") or [None, None]
    text = f"{value:.1f} %".replace(".", ",")
    if interval[0] is not None and interval[1] is not None:
        text += f" ({interval[0]:.1f}–{interval[1]:.1f})".replace(".", ",")
    return text


@register.simple_tag
def released_annual_reports():
    """The public index's list, for the publications page."""
    from annualreport.access import released_reports

    return released_reports()
