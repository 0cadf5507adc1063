"""The independent attacker against the demo's survey rounds (issue 9, section 1: "on the demo waves").

The demo (``monitoring.demo.load_demo_monitoring``, what ``bin/run`` shows) has two evaluated rounds of the
ten cities, 2023 fully released and 2025 released for seven of them; its small groups (e.g. trainees of a
small city) are suppressed. The attacker reads only what each audience downloads and solves its own integer
programmes; nothing here imports the protection code. Tiny cities with groups of 1-15 are the property
test's job (``test_attacker_property.py``); ``MONITORING_DEMO_ATTACK_SCALE`` shrinks the demo for a harder
run (slow: the evaluation of rounds of tiny cities takes many minutes).
"""

from __future__ import annotations

import os

import pytest
from django.test import Client

from members.models import Municipality
from monitoring.demo import load_demo_monitoring
from monitoring.models import SurveyRound

from .test_attacker_integer_ranges import city_client, findings, summary

pytestmark = pytest.mark.django_db
SCALE = float(os.environ.get("MONITORING_DEMO_ATTACK_SCALE", "1.0"))


@pytest.fixture
def demo_rounds(cooperation):
    load_demo_monitoring(scale=SCALE, seed=2026)
    return list(SurveyRound.objects.filter(waves__status="released").distinct().order_by("slug"))


def test_demo_rounds_withstand_the_attacker(demo_rounds, client_for):
    """Every audience: the public, the Regiegruppe, and the HR staff of a small and of a large city."""
    assert [r.slug for r in demo_rounds] == ["2023", "2025"]
    cities = list(Municipality.objects.values_list("slug", flat=True))
    clients = {"public": Client(), "regiegruppe": client_for("member")}
    hidden = 0
    for audience in ("public", "regiegruppe", "city:bottrop", "city:essen"):
        client = clients.get(audience) or city_client(audience[5:])
        results = findings(audience, client, demo_rounds, cities)
        assert results, f"{audience} should see something"
        hidden += sum(r.hidden for r in results.values())
        for result in results.values():
            assert result.derived_from_hidden == [], audience
            assert result.narrowed == [], f"{audience}: {summary(results)}"
    assert hidden > 0, "the demo should exercise suppression"
