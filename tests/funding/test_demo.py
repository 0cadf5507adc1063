"""The demo: the closed project with an accepted proof of use, the running one with a tranche requested."""

from __future__ import annotations

import pytest

from funding.demo import CLOSED, RUNNING, load_demo_funding
from funding.models import Application, ProofOfUse


@pytest.mark.django_db
def test_the_demo_has_a_closed_and_a_running_project_and_runs_twice(cooperation):
    load_demo_funding()
    load_demo_funding()
    closed = Application.objects.get(project__slug=CLOSED)
    running = Application.objects.get(project__slug=RUNNING)
    final = closed.proofs.get(kind=ProofOfUse.Kind.FINAL)
    assert final.status == ProofOfUse.Status.ACCEPTED
    assert final.retention_until is not None
    assert closed.payment_requests.count() >= 2
    assert closed.forwardings.exists()
    assert running.payment_requests.count() == 1
    assert Application.objects.count() == 2
