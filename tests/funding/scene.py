"""A small funded project for the tests: lead Essen, partners Herne and Hagen; a notice, a condition, a tranche."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from funding import actions
from funding.actions import LineInput
from funding.demo import ensure_project
from funding.models import FundingType, GeneralConditions
from members.models import Municipality

START = dt.date(2025, 1, 1)
END = dt.date(2026, 12, 31)  # fixed-date: the approval period; compared only with the tests' own expense and payment dates


def plan(*, personnel="80000.00", material="20000.00", grant="80000.00"):
    essen, herne, hagen = (Municipality.objects.get(slug=s) for s in ("essen", "herne", "hagen"))
    own = (Decimal(personnel) + Decimal(material) - Decimal(grant)) / 4
    return [
        LineInput("expense", "personal", "Personalausgaben", Decimal(personnel)),
        LineInput("expense", "sach", "Sachausgaben", Decimal(material)),
        LineInput("income", "zuwendung", "Zuwendung", Decimal(grant), "grant"),
        LineInput("income", "eigen-essen", "Eigenanteil Essen", own * 2, "own_share", essen),
        LineInput("income", "eigen-herne", "Eigenanteil Herne", own, "own_share", herne),
        LineInput("income", "eigen-hagen", "Eigenanteil Hagen", own, "own_share", hagen),
    ]


def funded_project(office, *, slug="testprojekt", final_on=START, expected=True):
    project = ensure_project(office, slug=slug, title="Testprojekt", lead="essen", partners=["herne", "hagen"], status="running")
    programme = actions.create_programme(
        office, name="KOMM-AN NRW", funder="Land NRW", guideline="KOMM-AN NRW", authority="Bezirksregierung Arnsberg",
        funding_type=FundingType.SHARE,
    )  # fmt: skip
    application = actions.create_application(
        office, project=project, programme=programme, title="Testantrag", lines=plan(), submitted_on=dt.date(2024, 10, 1)
    )
    actions.record_notice(
        office,
        application,
        date=dt.date(2024, 12, 1),
        reference="AZ-1",
        period_start=START,
        period_end=END,
        amount=Decimal("80000.00"),
        funding_type=FundingType.SHARE,
        final_on=final_on,
        general_conditions=GeneralConditions.ANBEST_G,
        interim_proof_months=4,
        final_proof_months=6,
        conditions=[{"title": "Beginn anzeigen", "due_date": dt.date(2025, 2, 1), "owner": office}],
    )
    if expected:
        for month in range(1, 13):
            actions.add_expected_payment(
                office, application, due_on=dt.date(2025, month, 15), amount=Decimal("5000.00"), description="Monat"
            )
    application.refresh_from_db()
    return application
