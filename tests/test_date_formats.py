"""Dates follow the page's language: 22.12.2026 in German, 22/12/2026 in English (never the American order)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from calendar_events.templatetags.calendar_tags import when

# fixed-dates: formatting of given moments only; nothing here is compared with today
pytestmark = pytest.mark.sqlite_fast

ROOT = Path(__file__).resolve().parent.parent
MOMENT = dt.datetime(2026, 12, 22, 9, 0, tzinfo=dt.UTC)  # 10:00 in Berlin


@pytest.mark.parametrize(
    "language,short,short_time,long,span",
    [
        ("de", "22.12.2026", "22.12.2026, 10:00", "22. Dezember 2026", "Di, 22.12.2026, 10:00–12:00 Uhr (MEZ)"),
        ("en", "22/12/2026", "22/12/2026, 10:00", "22 December 2026", "Tue, 22/12/2026, 10:00–12:00 (CET)"),
    ],
)
def test_dates_follow_the_language(language, short, short_time, long, span, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"SHORT_DATETIME_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"d": MOMENT})).split("|") == [short, short_time, long]
        assert when(MOMENT, MOMENT + dt.timedelta(hours=2)) == span


def test_templates_use_format_names_not_fixed_german_patterns():
    fixed = re.compile(r'\|date:"[^"]*d\.m\.Y')
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.html")
        if ".venv" not in path.parts and "var" not in path.parts and fixed.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
