"""The demo shows last year's report frozen, approved and published, and this year's as a draft."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from annualreport.models import AnnualReport


@pytest.mark.django_db
def test_the_demo_has_a_published_report_for_last_year_and_a_draft_for_this_year(client):
    call_command("seed_demo", quiet_logins=True)
    year = timezone.localdate().year
    last = AnnualReport.objects.get(year=year - 1)
    assert last.is_frozen and last.approval_item is not None and last.is_released
    assert bytes(last.pdf).startswith(b"%PDF") and last.snapshot["texts"]["foreword"]
    draft = AnnualReport.objects.get(year=year)
    assert draft.status == AnnualReport.Status.DRAFT and draft.texts.get(key="foreword").text
    page = client.get(f"/jahresbericht/{year - 1}/")
    assert page.status_code == 200
    assert "Sitzungen der Gremien" in page.content.decode()
    call_command("seed_demo", quiet_logins=True)  # a second run adds nothing
    assert AnnualReport.objects.count() == 2
