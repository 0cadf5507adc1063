"""Showing dates with their time zone, and the upcoming events of a workspace for its page."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from ..ical import BERLIN

register = template.Library()


def zone_label(moment: dt.datetime) -> str:
    """MEZ or MESZ (CET/CEST in English): people in other zones see which time is meant."""
    return _("MESZ") if moment.dst() else _("MEZ")


@register.filter
def when(start: dt.datetime, end: dt.datetime | None = None) -> str:
    """„Do., 12.06.2025, 10:00–12:00 Uhr (MESZ)“; spans over midnight show both dates."""
    if not start:
        return ""
    start = start.astimezone(BERLIN)
    day_pattern = "D, " + get_format("SHORT_DATE_FORMAT")  # d.m.Y in German, d/m/Y in English
    day = date_format(start, day_pattern)
    if end is None:
        return _("%(day)s, %(start)s Uhr (%(zone)s)") % {
            "day": day,
            "start": date_format(start, "H:i"),
            "zone": zone_label(start),
        }
    end = end.astimezone(BERLIN)
    if end.date() == start.date():
        return _("%(day)s, %(start)s–%(end)s Uhr (%(zone)s)") % {
            "day": day,
            "start": date_format(start, "H:i"),
            "end": date_format(end, "H:i"),
            "zone": zone_label(start),
        }
    return _("%(day)s, %(start)s Uhr – %(end_day)s, %(end)s Uhr (%(zone)s)") % {
        "day": day,
        "start": date_format(start, "H:i"),
        "end_day": date_format(end, day_pattern),
        "end": date_format(end, "H:i"),
        "zone": zone_label(end),
    }


@register.simple_tag
def upcoming_events(workspace, limit: int = 5):
    """The next events of a workspace (the caller has checked that the viewer may read the workspace)."""
    return list(workspace.events.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")[:limit])


@register.simple_tag(takes_context=True)
def my_upcoming(context, limit: int = 5, days: int = 60):
    """The next dates that concern the signed-in person, from every source of the personal calendar."""
    from ..personal import entries_for

    now = timezone.now()
    return entries_for(context["user"], now, now + dt.timedelta(days=days))[:limit]
