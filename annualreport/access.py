"""Who sees which annual report. Forbidden and missing both answer 404.

* The managing office (and platform admins) create, edit, freeze, correct and release reports.
* The Regiegruppe reads every version: it approves the report as an agenda item.
* The public sees a year's report only once the office released a frozen, approved version.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import is_office
from monitoring.access import in_steering_group

from .models import AnnualReport


def can_read(user) -> bool:
    return is_office(user) or in_steering_group(user)


def reports_for_user(user) -> QuerySet[AnnualReport]:
    if not can_read(user):
        raise Http404
    return AnnualReport.objects.defer("pdf", "odt", "snapshot").order_by("-year", "-number")


def get_report_for_user(user, pk, *, write: bool = False) -> AnnualReport:
    """The report ``pk`` if ``user`` may read it (``write``: manage it); 404 otherwise."""
    if not (is_office(user) if write else can_read(user)):
        raise Http404
    report = AnnualReport.objects.select_related("approval_item__meeting", "corrects").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def released_reports() -> list[AnnualReport]:
    """For everybody: each year's newest released version, newest year first (the public index)."""
    newest: dict[int, AnnualReport] = {}
    rows = (
        AnnualReport.objects.defer("pdf", "odt", "snapshot")
        .select_related("approval_item__meeting")
        .filter(status=AnnualReport.Status.FROZEN, released_at__isnull=False)
        .order_by("-year", "-number")
    )
    for report in rows:
        newest.setdefault(report.year, report)
    return list(newest.values())


def get_released_report(year) -> AnnualReport:
    """The newest released version of ``year``'s report, for everybody; 404 while none is released."""
    report = (
        AnnualReport.objects.select_related("approval_item__meeting", "corrects")
        .filter(year=year, status=AnnualReport.Status.FROZEN, released_at__isnull=False)
        .order_by("-number")
        .first()
    )
    if report is None:
        raise Http404
    return report
