"""axe scans of the monitoring pages with data (dashboards, public results, management), at 1280 and 320 px."""

from __future__ import annotations

import pytest

from monitoring import actions
from monitoring.models import Wave
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _scan(view, urls, who):
    problems = []
    for url in urls:
        for width in (1280, 320):
            view.set_viewport_size({"width": width, "height": 900})
            view.goto(url)
            try:
                assert_accessible(view, context=f"{who} {url} @{width}px")
                if width == 320:
                    assert_no_horizontal_scroll(view, context=f"{who} {url}")
            except AssertionError as exc:
                problems.append(str(exc))
    assert not problems, "\n\n".join(problems)


def test_dashboards_and_management_pages(page, login_as, personas, final_round):
    wave = Wave.objects.get(round=final_round, municipality__slug="essen")
    actions.set_wave_status(personas["office"], wave, Wave.Status.RELEASED)
    _scan(page, ["/monitoring/", "/monitoring/ergebnisse/2026/", "/monitoring/ergebnisse/2026/essen/"], "anonymous")
    login_as(personas["office"])
    _scan(
        page,
        [
            "/monitoring/runden/2026/vergleich/",
            "/monitoring/runden/2026/vergleich/?konzept=eg&merkmal=gender",
            "/monitoring/runden/2026/herne/",
            "/monitoring/verwaltung/runden/2026/",
            f"/monitoring/verwaltung/wellen/{wave.pk}/bearbeiten/",
        ],
        "office",
    )
