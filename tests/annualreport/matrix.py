"""Objects the permission matrix needs for the annual report's URLs (tests/test_permission_matrix.py).

A draft for 2026 and a frozen, approved and released report for 2025. The frozen one is written
directly (its files are placeholders): the matrix checks who may open a page, not the outputs
(tests/annualreport/test_outputs.py).
"""

from __future__ import annotations

from django.utils import timezone

from annualreport.actions import create_draft
from annualreport.models import AnnualReport
from annualreport.presentation import snapshot_of
from meetings.models import Decision

from . import activity as a


def annual_report_ids(personas) -> dict[str, object]:
    from members.models import Body

    a.workspaces()
    draft = create_draft(personas["office"], 2026)
    meeting = a.held_meeting(Body.objects.get(slug="regiegruppe"), a.at(2026, 3, 3))
    item = a.item(meeting, "Jahresbericht 2025")
    a.decision(item, text="Die Regiegruppe beschließt den Jahresbericht 2025.", status=Decision.Status.VALID)
    frozen = AnnualReport.objects.create(
        year=2025,
        status=AnnualReport.Status.FROZEN,
        frozen_at=timezone.now(),
        pdf=b"%PDF-1.7\n",
        odt=b"PK\x03\x04",
        approval_item=item,
        released_at=timezone.now(),
    )
    frozen.snapshot = snapshot_of(frozen)
    frozen.save(update_fields=["snapshot"])
    return {"annual_draft": draft.pk, "annual_frozen": frozen.pk}
