"""Fixtures for the Django layer of the monitoring: a questionnaire, a round, waves and codes.

The statistics-core tests in this folder use none of these (no fixture here is autouse).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client
from django.utils import timezone

from members.models import Municipality
from monitoring import actions
from monitoring.demo import load_headcounts, synthetic_responses
from monitoring.imports import import_population
from monitoring.models import PendingResponse, Questionnaire, Response, SurveyRound, Wave
from monitoring.survey import generate_codes

NO_MIGRATION = {"q1": "yes", "q3": "german_only", "q4": "birth", "q5m": "yes", "q7m": "yes", "q5f": "yes", "q7f": "yes"}
SECOND_GENERATION = {
    "q1": "yes",
    "q3": "german_only",
    "q4": "naturalisation",
    "q5m": "no",
    "q6m": "yes",
    "q7m": "no",
    "q5f": "no",
    "q6f": "yes",
    "q7f": "no",
}
EMPLOYMENT = {
    "department_group": "social",
    "pay_band": "middle",
    "trainee": "no",
    "age_band": "30_39",
    "gender": "female",
    "working_time": "full_time",
}


@pytest.fixture(autouse=True)
def _fresh_wave_cache():
    """Test databases reuse ids after a rollback; the survey's per-process wave cache must not carry over."""
    from monitoring.survey import forget_wave

    forget_wave()
    yield
    forget_wave()


@pytest.fixture
def questionnaire(db):
    return Questionnaire.objects.create(
        version="2026-1", core="1", title="Beschäftigtenbefragung 2026", introduction="Freiwillig und anonym."
    )


@pytest.fixture
def survey_round(questionnaire):
    return SurveyRound.objects.create(slug="2026", name="Beschäftigtenbefragung 2026", questionnaire=questionnaire)


def make_wave(survey_round, slug: str, *, status=Wave.Status.FIELDING, start_offset=-1, end_offset=10, **fields) -> Wave:
    today = timezone.localdate()
    return Wave.objects.create(
        round=survey_round,
        municipality=Municipality.objects.get(slug=slug),
        fielding_start=today + dt.timedelta(days=start_offset),
        fielding_end=today + dt.timedelta(days=end_offset),
        status=status,
        **fields,
    )


@pytest.fixture
def wave(cooperation, survey_round):
    return make_wave(survey_round, "essen")


@pytest.fixture
def codes(wave):
    return generate_codes(wave, 5)


@pytest.fixture
def anonymous():
    return Client()


POPULATION = b"""kommune;stichtag;konzept;anteil_gesamt_prozent;anteil_18_64_prozent;quelle
essen;31.12.2007;mh_microcensus;18,2;;IT.NRW
bochum;31.12.2010;mh_microcensus;24,0;20,0;Testwert
"""


@pytest.fixture
def final_round(cooperation, survey_round, personas):
    """Round 2026 finalised: Essen (420 answers), Bochum (260), Herne (140), with headcounts and benchmarks."""
    rng = random.Random(5)
    load_headcounts(dt.date(2025, 12, 31), rng)  # fixed-date: a key date in the past
    import_population(POPULATION, personas["office"])
    for slug, count, share in (("essen", 420, 0.1), ("bochum", 260, 0.14), ("herne", 140, 0.2)):
        wave = make_wave(survey_round, slug)
        Response.objects.bulk_create(synthetic_responses(wave, count, share, rng))
        actions.set_wave_status(personas["office"], wave, Wave.Status.CLOSED)
    return actions.finalise_round(personas["office"], survey_round)


def answer_all(client: Client, code: str, own: dict[str, str] | None = None, employment: dict[str, str] | None = None):
    """Submit a complete questionnaire in one request, as the last page does (earlier answers ride along)."""
    data = {"code": code, "page": "employment", "action": "submit", **(own or NO_MIGRATION), **(employment or EMPLOYMENT)}
    return client.post("/umfrage/fragebogen/", data)


def stored_responses(wave: Wave) -> list[Response]:
    """Close the wave as the office does (which empties its mixing pool) and return its responses."""
    actions.set_wave_status(None, wave, Wave.Status.CLOSED)
    return list(Response.objects.filter(wave=wave))


def submitted_count(wave: Wave | None = None) -> int:
    """Answers accepted so far: moved into the responses or still waiting in the mixing pool."""
    responses, pooled = Response.objects.all(), PendingResponse.objects.all()
    if wave is not None:
        responses, pooled = responses.filter(wave=wave), pooled.filter(wave=wave)
    return responses.count() + pooled.count()
