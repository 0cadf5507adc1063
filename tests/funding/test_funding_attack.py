"""Attacks on the promise „partners see their project and their own city's figures; nobody else sees anything“.

Written from the outside: only URLs, form fields and what a page shows. Each attack first checks that the
attacker does reach what is theirs (so a missing page cannot pass for a defence), then tries the rest.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from funding import actions
from funding.models import Expense, PaymentRequest, ProofOfUse
from members.models import Membership, Municipality
from tests.conftest import make_user, seat
from tests.funding.scene import funded_project
from workspaces.actions import add_member

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def scene(personas):
    office = personas["office"]
    application = funded_project(office)
    hagen_expense = actions.record_expense(
        office, application, line_key="personal", municipality=Municipality.objects.get(slug="hagen"),
        paid_on=dt.date(2025, 3, 1), payee="Geheimer Lieferant Hagen", description="x", net=Decimal("777.77"),
    )  # fmt: skip
    attacker = make_user("angreifer@herne.example")
    seat(attacker, "projektteam", Membership.Role.MEMBER, "herne")
    add_member(office, application.project.workspace, attacker)
    return application, hagen_expense, _login(attacker)


def test_a_partner_cannot_read_other_cities_figures(scene):
    application, hagen_expense, client = scene
    base = f"/projekte/{application.project.slug}/foerderung/"
    assert client.get(base).status_code == 200  # their own project: reachable
    for path in (base, base + "ausgaben/"):
        page = client.get(path).content.decode()
        assert "Geheimer Lieferant Hagen" not in page and "777,77" not in page
    proof = application.proofs.first()
    for path in (f"nachweise/{proof.pk}/belegliste.xlsx", f"nachweise/{proof.pk}/nachweis.pdf"):
        assert client.get(base + path).status_code == 404, path
    assert b"777,77" not in client.get(base + f"nachweise/{proof.pk}/").content


def test_a_partner_cannot_write_what_is_not_theirs(scene):
    application, hagen_expense, client = scene
    base = f"/projekte/{application.project.slug}/foerderung/"
    hagen = Municipality.objects.get(slug="hagen")
    client.post(
        base + "ausgaben/",
        {
            "line_key": "personal",
            "municipality": hagen.pk,
            "paid_on": "2025-03-03",
            "payee": "Untergeschoben",
            "description": "x",
            "net": "1,00",
        },
    )
    assert not Expense.objects.filter(payee="Untergeschoben").exists()
    assert client.post(base + f"ausgaben/{hagen_expense.pk}/pruefen/", {"status": "rejected", "note": "weg"}).status_code == 404
    assert Expense.objects.get(pk=hagen_expense.pk).status == Expense.Status.REPORTED
    assert (
        client.post(base + "mittelabruf/", {"requested_on": "2025-01-10", "amount": "1,00", "override_reason": "x"}).status_code
        == 404
    )
    assert not PaymentRequest.objects.exists()
    proof = application.proofs.first()
    response = client.post(
        base + f"nachweise/{proof.pk}/stand/", {"status": "reviewed", "on": "2025-01-10", "version": proof.version}
    )
    assert response.status_code == 404
    assert ProofOfUse.objects.get(pk=proof.pk).status == ProofOfUse.Status.DRAFT


def test_a_city_employee_outside_the_project_workspace_sees_nothing(scene, personas):
    application, _expense, _client = scene
    stranger = make_user("fremd@hagen.example")
    seat(stranger, "projektteam", Membership.Role.MEMBER, "hagen")
    client = _login(stranger)
    base = f"/projekte/{application.project.slug}/foerderung/"
    for path in ("", "ausgaben/", f"nachweise/{application.proofs.first().pk}/"):
        assert client.get(base + path).status_code == 404, path
