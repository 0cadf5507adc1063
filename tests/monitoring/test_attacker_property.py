"""Property test: the independent attacker fails on many random small rounds.

Each seed builds one or two rounds of two or three cities with tiny, skewed waves (1-40
respondents, shares from 2 % to 90 %, so groups of 1-15 are the rule), evaluates and releases
them through the actions, and lets the attacker (``tests/monitoring/attacker``) loose on what
the public and the Regiegruppe download. No hidden count may be narrowed below k.

Each round takes seconds (an integer programme per audit); the default number of seeds keeps
the file short, ``MONITORING_PROPERTY_SEEDS=40`` runs the long version.
"""

from __future__ import annotations

import os
import random

import pytest
from django.test import Client

from members.models import Municipality
from monitoring.models import SurveyRound

from . import attacker
from .test_attacker_integer_ranges import run_round, summary

pytestmark = pytest.mark.django_db
SEEDS = range(int(os.environ.get("MONITORING_PROPERTY_SEEDS", "4")))
CITY_POOL = ("essen", "bochum", "herne", "hagen", "bottrop")


def random_rounds(rng: random.Random, questionnaire, office) -> list[SurveyRound]:
    cities = rng.sample(CITY_POOL, rng.choice((2, 3)))
    rounds, previous = [], None
    for number in range(rng.choice((1, 2))):
        waves = [(slug, rng.randint(1, 40), rng.choice((0.02, 0.1, 0.3, 0.6, 0.9))) for slug in cities]
        survey_round = SurveyRound.objects.create(
            slug=f"r{number}",
            name=f"Runde {number}",
            questionnaire=questionnaire,
            previous=previous,
            min_cell_size=rng.choice((5, 10)),
        )
        rounds.append(run_round(survey_round, office, waves, rng))
        previous = survey_round
    return rounds


@pytest.mark.parametrize("seed", SEEDS)
def test_random_small_rounds_withstand_the_attacker(seed, cooperation, questionnaire, personas, client_for):
    rng = random.Random(1000 + seed)
    rounds = random_rounds(rng, questionnaire, personas["office"])
    slugs = list(Municipality.objects.filter(monitoring_waves__round__in=rounds).values_list("slug", flat=True).distinct())
    for audience, client in (("public", Client()), ("regiegruppe", client_for("member"))):
        urls = attacker.public_urls(client)
        if audience == "regiegruppe":
            for survey_round in rounds:
                base = f"/monitoring/runden/{survey_round.slug}"
                urls += [f"{base}/vergleich/daten.json"] + [f"{base}/{city}/daten.json" for city in slugs]
        rows, k = attacker.collect(client, urls)
        results = attacker.attack(rows, k)
        for result in results.values():
            assert result.narrowed == [], f"seed {seed}, {audience}: {summary(results)}"
            assert result.derived_from_hidden == []
