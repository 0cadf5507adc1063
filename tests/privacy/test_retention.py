"""Retention rules: due rows go, records of lasting value are offered to the archive first, every run is logged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from annualreport.models import AnnualReport
from notifications.models import Outbox, OutboxState
from privacy import retention
from privacy.models import ArchiveOffer, DeletionLogEntry, RetentionRun
from tests.annualreport.matrix import annual_report_ids

pytestmark = pytest.mark.django_db


def test_the_daily_scheduler_runs_the_retention_rules():
    assert settings.NOTIFICATIONS_DAILY_JOBS["privacy-retention"] == "privacy.retention.run_daily"
    assert {
        "mails",
        "polls",
        "survey-raw",
        "ended-memberships",
        "minutes",
        "decisions",
        "annual-reports",
        "project-files",
    } <= set(retention.RULES)


def test_old_mail_copies_go_and_the_run_is_logged(settings):
    settings.PRIVACY_RETENTION_DAYS = {"mails": 30}
    old = Outbox.objects.create(to_email="a@example.org", subject="Alt", text="x", state=OutboxState.SENT)
    recent = Outbox.objects.create(to_email="b@example.org", subject="Neu", text="y", state=OutboxState.SENT)
    waiting = Outbox.objects.create(to_email="c@example.org", subject="Wartet", text="z", state=OutboxState.PENDING)
    Outbox.objects.filter(pk__in=[old.pk, waiting.pk]).update(created=timezone.now() - dt.timedelta(days=31))

    result = retention.run_daily()

    assert result["mails"] == 1
    assert set(Outbox.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    run = RetentionRun.objects.get(rule="mails")
    assert run.deleted == 1 and run.error == ""
    entry = DeletionLogEntry.objects.get(kind="retention", subject_type="notifications.Outbox")
    assert entry.deleted == [["notifications.Outbox", old.pk]] and "a@example.org" not in json.dumps(entry.deleted)


def test_a_record_of_lasting_value_is_offered_to_the_archive_before_it_is_deleted(personas, client_for):
    ids = annual_report_ids(personas)
    report = AnnualReport.objects.get(pk=ids["annual_frozen"])
    rule = retention.RULES["annual-reports"]
    later = timezone.now() + dt.timedelta(days=rule.days + 400)

    first = retention.run_rule(rule, now=later)
    assert (first.offered, first.deleted) == (1, 0)
    offer = ArchiveOffer.objects.get(object_type="annualreport.AnnualReport", object_id=str(report.pk))
    assert offer.status == ArchiveOffer.Status.OFFERED and offer.archive == settings.PRIVACY_ARCHIVE_NAME
    with default_storage.open(offer.file, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == offer.sha256
    handle_zip = zipfile.ZipFile(default_storage.open(offer.file, "rb"))
    record = json.loads(handle_zip.read("unterlage.json"))
    assert record["rechtsgrundlage"] == "§ 4 und § 10 ArchivG NRW" and record["datensaetze"][0]["id"] == report.pk

    # no answer from the archive yet: the record stays
    second = retention.run_rule(rule, now=later)
    assert (second.offered, second.waiting, second.deleted) == (0, 1, 0)
    assert AnnualReport.objects.filter(pk=report.pk).exists()

    # the office enters the archive's answer; only members of the office may
    assert (
        client_for("member").post(f"/verwaltung/datenschutz/archiv/{offer.pk}/antwort/", {"status": "taken"}).status_code == 404
    )
    assert (
        client_for("office").post(f"/verwaltung/datenschutz/archiv/{offer.pk}/antwort/", {"status": "taken"}).status_code == 302
    )
    third = retention.run_rule(rule, now=later)
    assert third.deleted == 1
    assert not AnnualReport.objects.filter(pk=report.pk).exists()
    offer.refresh_from_db()
    assert offer.status == ArchiveOffer.Status.TAKEN and offer.deleted_at is not None
    assert DeletionLogEntry.objects.filter(kind="retention", subject_type="annualreport.AnnualReport").exists()


def test_other_apps_add_rules_to_the_registry(personas, settings):
    from members.models import Organisation

    rule = retention.register(
        retention.RetentionRule(
            "test-organisations", "Testregel", 1, lambda cutoff: Organisation.objects.filter(created__lt=cutoff)
        )
    )
    try:
        settings.PRIVACY_RETENTION_DAYS = {"test-organisations": 5}
        Organisation.objects.create(name="Vergangene Partnerin")
        run = retention.run_rule(rule, now=timezone.now() + dt.timedelta(days=6))
        assert run.deleted >= 1 and not Organisation.objects.filter(name="Vergangene Partnerin").exists()
    finally:
        retention.RULES.pop("test-organisations")


def test_office_sees_the_rules_runs_and_offers(client_for):
    retention.run_daily()
    page = client_for("office").get("/verwaltung/datenschutz/").content.decode()
    assert "Aufbewahrungsregeln" in page and "Niederschriften" in page and "Letzte Läufe" in page
