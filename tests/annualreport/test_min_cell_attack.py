"""An outsider reads the released report (page and ODT) and tries to learn what the minimum-cell rule hides.

Written from the outside: the attacker knows only what the public gets and the rule's promise (no per-city
count about people below k, and no suppressed count pinned down to less than k by the others and the
total); and for the survey, that only released, protected aggregates appear.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test.utils import override_settings

from annualreport import actions
from meetings.models import Decision
from members.models import Body, Municipality
from monitoring.models import AggregateCell, Questionnaire, SurveyRound, Wave

from . import activity as a

YEAR = 2025
K = 5


def _numbers(cells: list[str]) -> list[int | None]:
    """A shown number, or None for anything that is not one (a suppression mark)."""
    return [int(c) if re.fullmatch(r"\d+", c.strip()) else None for c in cells]


def _page_table(html: str, section: str) -> list[tuple[str, list[int | None]]]:
    part = html.split(f'id="section-{section}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', part, flags=re.S)
    return [(label.strip(), _numbers(re.findall(r"<td[^>]*>(.*?)</td>", cells, flags=re.S))) for label, cells in rows]


def _odt_table(data: bytes, name: str) -> list[tuple[str, list[int | None]]]:
    content = zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()
    table = content.split(f'table:name="{name}"', 1)[1].split("</table:table>", 1)[0]
    rows = re.findall(r"<table:table-row>(.*?)</table:table-row>", table.split("</table:table-header-rows>", 1)[1])
    out = []
    for row in rows:
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<table:table-cell[^>]*>(.*?)</table:table-cell>", row)]
        out.append((cells[0], _numbers(cells[1:])))
    return out


def _assert_nothing_narrower_than_k(rows: list[tuple[str, list[int | None]]], total_label: str) -> None:
    cities = [(label, values) for label, values in rows if label != total_label]
    totals = [values for label, values in rows if label == total_label]
    assert cities and totals, "the attendance table was not found"
    for column in range(2):
        shown = [values[column] for _label, values in cities if values[column] is not None]
        assert all(n == 0 or n >= K for n in shown), f"a count below {K} is readable: {shown}"
        if totals and totals[0][column] is not None:
            remainder = totals[0][column] - sum(shown)
            assert remainder == 0 or remainder >= K, f"total minus the shown counts leaves {remainder} for the hidden cities"


@pytest.fixture
def released_report(personas):
    a.workspaces()
    steering = Body.objects.get(slug="regiegruppe")
    essen, bochum, hagen = (Municipality.objects.get(slug=s) for s in ("essen", "bochum", "hagen"))
    many, one, two = a.people(essen, 6, "E"), a.people(bochum, 1, "B"), a.people(hagen, 2, "H")
    for month in (2, 6, 10):
        a.minutes_for(a.held_meeting(steering, a.at(YEAR, month, 5)), many, [essen])
    a.minutes_for(a.held_meeting(steering, a.at(YEAR, 11, 5)), one + two, [bochum, hagen])
    a.minutes_for(a.held_meeting(steering, a.at(YEAR - 1, 11, 5)), many + one, [essen, bochum])

    # Survey: a released city (Essen) and one the monitoring has not released (Bochum).
    questionnaire = Questionnaire.objects.create(version="t-1", title="Befragung", introduction="Freiwillig.")
    survey = SurveyRound.objects.create(
        slug="r2025", name="Befragung 2025", questionnaire=questionnaire, finalised_on=a.at(YEAR, 6, 1).date()
    )
    for city, status, share in ((essen, Wave.Status.RELEASED, 0.25), (bochum, Wave.Status.FINAL, 0.4321)):
        Wave.objects.create(
            round=survey,
            municipality=city,
            fielding_start=a.at(YEAR, 3, 1).date(),
            fielding_end=a.at(YEAR, 4, 1).date(),
            status=status,
        )
        AggregateCell.objects.create(
            round=survey,
            municipality=city,
            concept="eg",
            facet="total",
            label=city.short_name,
            positives=50,
            negatives=150,
            classified=200,
            share=share,
            respondents=200,
        )

    office = personas["office"]
    approval = a.item(a.held_meeting(steering, a.at(YEAR + 1, 2, 2)), "Jahresbericht")
    a.decision(approval, status=Decision.Status.VALID)
    with override_settings(ANNUAL_REPORT_MIN_CELL_SIZE=K):
        report = actions.create_draft(office, YEAR)
        report = actions.freeze(office, report, report.version)
    report = actions.link_approval(office, report, report.version, approval)
    return actions.release(office, report, report.version)


@pytest.mark.django_db
def test_an_outsider_cannot_narrow_a_small_city_count_from_the_released_report(released_report, client_for):
    client = client_for("outsider")
    html = client.get(f"/jahresbericht/{YEAR}/").content.decode()
    _assert_nothing_narrower_than_k(_page_table(html, "attendance"), "Alle Teilnahmen")
    odt = client.get(f"/jahresbericht/{YEAR}/bericht.odt").content
    _assert_nothing_narrower_than_k(_odt_table(odt, "attendance"), "Alle Teilnahmen")


@pytest.mark.django_db
def test_the_report_shows_no_survey_figure_the_monitoring_has_not_released(released_report, client_for):
    html = client_for("anonymous").get(f"/jahresbericht/{YEAR}/").content.decode()
    survey = html.split('id="section-survey"', 1)[1].split("</section>", 1)[0]
    assert "25,0" in survey  # Essen, released
    assert "43,2" not in survey and "Bochum" not in survey  # not released: not there at all
