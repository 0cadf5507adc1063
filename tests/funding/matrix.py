"""Objects the permission matrix needs: a funded project (lead Essen), an expense, a tranche and a proof."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from funding import actions
from members.models import Municipality
from tests.funding.scene import funded_project


def funding_ids(personas) -> dict[str, object]:
    office = personas["office"]
    application = funded_project(office, slug="foerderprojekt")
    expense = actions.record_expense(
        office, application, line_key="personal", municipality=Municipality.objects.get(slug="herne"),
        paid_on=dt.date(2025, 2, 3), payee="Personal", description="Februar", net=Decimal("1000.00"),
    )  # fmt: skip
    request = actions.request_payment(office, application, requested_on=dt.date(2025, 1, 10), amount=Decimal("1000.00")).request
    return {
        "funding_project": application.project.slug,
        "essen_pk": Municipality.objects.get(slug="essen").pk,
        "funding_obligation": application.notice.obligations.get().pk,
        "funding_request": request.pk,
        "funding_expense": expense.pk,
        "funding_proof": application.proofs.order_by("due_on").first().pk,
    }
