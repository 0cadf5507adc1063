"""Objects the permission matrix needs: the member's own ready access export, an offer to the archive, a quarantined upload."""

from __future__ import annotations

from annualreport.models import AnnualReport
from privacy.actions import finish_export, request_export
from privacy.retention import RULES, offer_to_archive
from scanning.models import FileScan


def privacy_ids(personas) -> dict[str, object]:
    member = personas["member"]
    export = request_export(member, member.person)
    finish_export(export.pk)  # the worker's half (its enqueue waits for a commit that a test never makes)
    report = AnnualReport.objects.filter(frozen_at__isnull=False).first()
    offer = offer_to_archive(RULES["annual-reports"], report, personas["office"])
    quarantined = FileScan.objects.create(
        name="dokumente/matrix/rechnung.txt",
        status=FileScan.Status.INFECTED,
        signature="Eicar-Test-Signature",
        quarantined_as="quarantine/dokumente/matrix/rechnung.txt",
        uploaded_by=member,
    )
    return {"own_export": export.pk, "archive_offer": offer.pk, "quarantined_file": quarantined.pk}
