"""The independent attacker (``tests/monitoring/attacker``) against every audience's outputs.

Requirement (issue 9, section 1): for every suppressed count, the range of values that an
attacker with everything an audience can download proves (integer solutions) is at least k wide.
The attacker reads only HTTP responses; nothing here imports the protection code.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client

from members.models import Municipality
from monitoring import actions
from monitoring.demo import load_headcounts, synthetic_responses
from monitoring.models import MonitoringAccess, Response, SurveyRound, Wave

from . import attacker
from .conftest import make_wave

pytestmark = pytest.mark.django_db
CITIES = (("essen", 400, 0.10), ("bochum", 150, 0.15), ("herne", 60, 0.25), ("hagen", 9, 0.3))


def run_round(survey_round, office, cities, rng, release=True):
    for slug, count, share in cities:
        wave = make_wave(survey_round, slug)
        Response.objects.bulk_create(synthetic_responses(wave, count, share, rng))
        actions.set_wave_status(office, wave, Wave.Status.CLOSED)
    actions.finalise_round(office, survey_round)
    if release:
        for wave in Wave.objects.filter(round=survey_round):
            actions.set_wave_status(office, wave, Wave.Status.RELEASED)
    return survey_round


@pytest.fixture
def two_rounds(cooperation, questionnaire, personas):
    rng = random.Random(11)
    load_headcounts(dt.date(2024, 12, 31), rng)
    first = SurveyRound.objects.create(slug="2024", name="Befragung 2024", questionnaire=questionnaire)
    run_round(first, personas["office"], CITIES, rng)
    second = SurveyRound.objects.create(slug="2026", name="Befragung 2026", questionnaire=questionnaire, previous=first)
    run_round(second, personas["office"], CITIES, rng)
    return [first, second]


def audience_urls(audience: str, client, rounds, cities) -> list[str]:
    urls = attacker.public_urls(client)
    for survey_round in rounds:
        if audience == "regiegruppe":
            base = f"/monitoring/runden/{survey_round.slug}"
            urls += [f"{base}/vergleich/daten.json", f"{base}/vergleich/daten.csv"]
            urls += [f"{base}/{city}/daten.json" for city in cities]
        elif audience.startswith("city:"):
            base = f"/monitoring/runden/{survey_round.slug}/{audience[5:]}"
            urls += [f"{base}/daten.json", f"{base}/daten.csv"]
    return urls


def city_client(slug: str) -> Client:
    from tests.conftest import make_user

    user = make_user(f"personal@{slug}.example")
    MonitoringAccess.objects.create(user=user, municipality=Municipality.objects.get(slug=slug), function="hr")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def findings(audience: str, client, rounds, cities) -> dict[str, attacker.Attack]:
    rows, k = attacker.collect(client, audience_urls(audience, client, rounds, cities))
    return attacker.attack(rows, k)


def summary(results: dict[str, attacker.Attack]) -> str:
    return "; ".join(
        f"{slug}: {len(r.exact)} exact, {len(r.narrowed) - len(r.exact)} narrowed below k={r.k} of {r.hidden} hidden"
        for slug, r in sorted(results.items())
    )


@pytest.mark.parametrize("audience", ["public", "regiegruppe", "city:herne"])
def test_no_audience_can_narrow_a_suppressed_count_below_k(two_rounds, client_for, audience):
    client = {"public": Client(), "regiegruppe": client_for("member")}.get(audience) or city_client(audience[5:])
    results = findings(audience, client, two_rounds, [c for c, _n, _s in CITIES])
    assert results, "the audience should see something"
    assert sum(r.hidden for r in results.values()) > 0, "the rounds should exercise suppression"
    for result in results.values():
        assert result.derived_from_hidden == []
        assert result.narrowed == [], summary(results)
