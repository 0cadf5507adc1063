"""Releasing a wave runs the integer audit of the public view; its verdict is stored, a failure refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from monitoring import actions
from monitoring.models import SurveyRound, Wave

pytestmark = pytest.mark.django_db


def test_evaluation_stores_the_audit_verdict(final_round):
    verdict = SurveyRound.objects.get(pk=final_round.pk).disclosure_audit
    assert verdict["audience"] == "regiegruppe" and verdict["passed"] is True
    assert verdict["k"] == final_round.min_cell_size
    assert verdict["suppressed_counts"] > 0 and verdict["min_width"] >= verdict["k"]
    assert len(verdict["outputs_sha256"]) == 64 and verdict["checked_at"]


def test_release_stores_the_public_verdict(final_round, personas):
    wave = Wave.objects.get(round=final_round, municipality__slug="herne")
    actions.set_wave_status(personas["office"], wave, Wave.Status.RELEASED)
    wave.refresh_from_db()
    assert wave.status == Wave.Status.RELEASED
    assert wave.release_audit["audience"] == "public" and wave.release_audit["passed"] is True
    assert wave.release_audit["min_width"] is None or wave.release_audit["min_width"] >= final_round.min_cell_size


def test_release_is_refused_while_a_hidden_count_is_narrower_than_k(final_round, personas):
    """With k raised above what the stored pattern protects, the audit fails and nothing is released."""
    SurveyRound.objects.filter(pk=final_round.pk).update(min_cell_size=500)
    wave = Wave.objects.get(round=final_round, municipality__slug="herne")
    with pytest.raises(ValidationError):
        actions.set_wave_status(personas["office"], wave, Wave.Status.RELEASED)
    wave.refresh_from_db()
    assert wave.status == Wave.Status.FINAL and wave.released_on is None and wave.release_audit == {}
