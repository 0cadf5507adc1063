"""Settings, versions, payments, budget lines and reminders, through the HTTP interface and the actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from costshares import actions
from costshares.models import BudgetLine, Payment, ReminderSent, Setting, Share
from members.models import Municipality, PopulationFigure
from notifications.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bottrop_census(cooperation):
    """The members' demo has no figure for Bottrop; the monitoring keeps its Zensus 2011 total (as its demo does)."""
    from monitoring.models import PopulationReference

    PopulationReference.objects.create(
        municipality=Municipality.objects.get(slug="bottrop"),
        reference_date=dt.date(2011, 5, 9),
        concept="mh_census_2011",
        population_total=117_311,
        source="Zensus 2011, Ergebnis der Stadt Bottrop",
    )


def _post_setting(client, **fields):
    data = {
        "year": 2025,
        "budget": "20.000,00",
        "equal_percent": "50",
        "population_percent": "50",
        "staff_percent": "0",
        "key_date": "2024-12-31",
        "due_date": "2025-03-31",
        "cap": "",
        "floor": "",
        "reason": "",
    }
    data.update(fields)
    return client.post("/kostenverteilung/neu/", data)


def test_office_sets_a_mixed_key_with_german_amounts(client_for, personas):
    response = _post_setting(client_for("office"), budget="20.000,00", cap="3.000", floor="1.500,50")
    assert response.status_code == 302, response.content.decode()[:2000]
    setting = Setting.objects.get(year=2025)
    assert (setting.budget, setting.cap, setting.floor) == (Decimal("20000.00"), Decimal("3000.00"), Decimal("1500.50"))
    shares = list(setting.shares.select_related("municipality"))
    assert len(shares) == 10
    assert sum(s.amount for s in shares) == Decimal("20000.00")
    assert all(Decimal("1500.50") <= s.amount <= Decimal("3000.00") for s in shares)
    # Provenance: the population figure with its date and source is stored with the share.
    dortmund = next(s for s in shares if s.municipality.slug == "dortmund")
    figure = PopulationFigure.objects.filter(municipality__slug="dortmund", reference_date__lte=dt.date(2024, 12, 31)).latest(
        "reference_date"
    )
    assert (dortmund.population, dortmund.population_date, dortmund.population_source) == (
        figure.total,
        figure.reference_date,
        figure.source,
    )
    assert AuditEvent.objects.filter(action="costshares.setting_created", object_id=str(setting.pk)).exists()
    sheet = client_for("member").get("/kostenverteilung/2025/")
    assert sheet.status_code == 200
    assert figure.source in sheet.content.decode()


def test_a_new_setting_is_a_new_version_and_the_old_one_stays(client_for, personas):
    office = client_for("office")
    assert _post_setting(office, equal_percent="100", population_percent="0").status_code == 302
    first = Setting.objects.get(year=2025)
    first_amounts = list(first.shares.values_list("amount", flat=True))
    assert _post_setting(office, budget="22.000").status_code == 302
    assert list(Setting.objects.filter(year=2025).values_list("number", flat=True).order_by("number")) == [1, 2]
    first.refresh_from_db()
    assert first.budget == Decimal("20000.00")
    assert list(first.shares.values_list("amount", flat=True)) == first_amounts
    page = client_for("member").get("/kostenverteilung/2025/?fassung=1").content.decode()
    assert "nicht mehr gültig" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"equal_percent": "40", "population_percent": "50"}, "90 % statt 100 %"),
        ({"budget": "20.000,005"}, "höchstens zwei Nachkommastellen"),
        ({"budget": "zwanzigtausend"}, "kein Betrag"),
        ({"cap": "1.000"}, "Höchstgrenzen"),
        ({"key_date": "2019-12-31"}, "Es fehlt die Kennzahl"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client_for, personas, fields, message):
    before = (Setting.objects.count(), Share.objects.count(), AuditEvent.objects.count())
    response = _post_setting(client_for("office"), **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Setting.objects.count(), Share.objects.count(), AuditEvent.objects.count()) == before


def test_a_city_leaving_mid_year_pays_pro_rata(personas):
    oberhausen = Municipality.objects.get(slug="oberhausen")
    Municipality.objects.filter(pk=oberhausen.pk).update(status="left", left_on=dt.date(2025, 7, 1))
    setting = actions.create_setting(
        personas["office"], year=2025, budget=Decimal("20000.00"), key_date=dt.date(2024, 12, 31), due_date=dt.date(2025, 3, 31)
    )
    share = setting.shares.get(municipality=oberhausen)
    assert (share.member_days, share.year_days, share.pro_rata) == (181, 365, True)
    assert sum(setting.shares.values_list("amount", flat=True)) == Decimal("20000.00")
    assert share.amount < setting.shares.get(municipality__slug="essen").amount
    # The year after it left, it is not in the distribution.
    later = actions.create_setting(
        personas["office"],
        year=2026,
        budget=Decimal("20000.00"),
        key_date=dt.date(2025, 12, 31),  # fixed-date: budget-year data, never compared with today
        due_date=dt.date(2026, 3, 31),  # fixed-date: budget-year data, never compared with today
    )
    assert not later.shares.filter(municipality=oberhausen).exists()
    assert later.shares.count() == 9


def test_payments_and_reminders(client_for, personas):
    setting = actions.create_setting(
        personas["office"], year=2025, budget=Decimal("20000.00"), key_date=dt.date(2024, 12, 31), due_date=dt.date(2025, 3, 31)
    )
    bochum = setting.shares.get(municipality__slug="bochum")
    response = client_for("office").post(
        f"/kostenverteilung/anteil/{bochum.pk}/zahlung/", {"amount": "1.500,00", "received_on": "2025-03-20", "reference": "KV"}
    )
    assert response.status_code == 302
    assert Payment.objects.get(municipality__slug="bochum").amount == Decimal("1500.00")
    bad = client_for("office").post(
        f"/kostenverteilung/anteil/{bochum.pk}/zahlung/", {"amount": "-5", "received_on": "2025-03-20"}
    )
    assert bad.status_code == 400
    assert Payment.objects.count() == 1
    # The member (of Bochum) sees the open rest on the city's notice.
    page = client_for("member").get(f"/kostenverteilung/anteil/{bochum.pk}/").content.decode()
    assert "500,00" in page
    for share in setting.shares.exclude(municipality__slug__in=["bochum", "essen"]):
        actions.record_payment(
            personas["office"], municipality=share.municipality, year=2025, amount=share.amount, received_on=dt.date(2025, 3, 1)
        )
    assert actions.send_payment_reminders(dt.date(2025, 3, 31)) == 0  # not yet overdue
    assert actions.send_payment_reminders(dt.date(2025, 4, 1)) == 2
    assert set(ReminderSent.objects.values_list("municipality__slug", flat=True)) == {"bochum", "essen"}
    assert actions.send_payment_reminders(dt.date(2025, 4, 2)) == 0  # once per city and year
    assert Event.objects.filter(verb="costshares.reminder").count() == 2


def test_the_daily_job_is_registered(settings):
    assert settings.NOTIFICATIONS_DAILY_JOBS["costshare-reminders"] == "costshares.reminders.send_reminders"


def test_budget_line_with_the_council_decision_and_a_bad_leitweg_id(client_for, personas):
    office = client_for("office")
    response = office.post(
        "/kostenverteilung/staedte/hagen/",
        {
            "form": "budget",
            "b-year": 2024,
            "b-amount": "2.000",
            "b-decision_reference": "0569/2023",
            "b-decision_date": "2023-09-21",
        },
    )
    assert response.status_code == 302
    assert BudgetLine.objects.get(municipality__slug="hagen", year=2024).amount == Decimal("2000.00")
    bad = office.post(
        "/kostenverteilung/staedte/hagen/",
        {
            "form": "recipient",
            "r-leitweg_id": "05914000-1-78",
            "r-street": "Rathausstraße 11",
            "r-postcode": "58095",
            "r-city": "Hagen",
        },
    )
    assert bad.status_code == 400
    assert "Prüfziffer" in bad.content.decode()
    good = office.post(
        "/kostenverteilung/staedte/hagen/",
        {
            "form": "recipient",
            "r-leitweg_id": "05914000-1-79",
            "r-street": "Rathausstraße 11",
            "r-postcode": "58095",
            "r-city": "Hagen",
        },
    )
    assert good.status_code == 302


def test_overview_for_the_regiegruppe_shows_open_amounts(client_for, personas):
    actions.create_setting(
        personas["office"], year=2025, budget=Decimal("20000.00"), key_date=dt.date(2024, 12, 31), due_date=dt.date(2025, 3, 31)
    )
    page = client_for("member").get("/kostenverteilung/uebersicht/").content.decode()
    assert "2.000,00" in page and "nicht erfasst" in page


def test_a_city_sees_only_its_own_notice(client_for, personas):
    setting = actions.create_setting(
        personas["office"], year=2025, budget=Decimal("20000.00"), key_date=dt.date(2024, 12, 31), due_date=dt.date(2025, 3, 31)
    )
    member = client_for("member")  # Bochum
    own = setting.shares.get(municipality__slug="bochum")
    other = setting.shares.get(municipality__slug="essen")
    assert member.get(f"/kostenverteilung/anteil/{own.pk}/").status_code == 200
    for suffix in ("", "bescheid.pdf", "xrechnung.xml"):
        assert member.get(f"/kostenverteilung/anteil/{other.pk}/{suffix}").status_code == 404
        assert member.get(f"/kostenverteilung/anteil/999999/{suffix}").status_code == 404
    pdf = member.get(f"/kostenverteilung/anteil/{own.pk}/bescheid.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with pytest.raises(ValidationError):
        actions.create_setting(
            personas["office"], year=2025, budget=Decimal("0.00"), key_date=dt.date(2024, 12, 31), due_date=dt.date(2025, 3, 31)
        )


def test_sheet_exports(client_for, personas):
    actions.create_setting(
        personas["office"], year=2025, budget=Decimal("20000.00"), key_date=dt.date(2024, 12, 31), due_date=dt.date(2025, 3, 31)
    )
    csv = client_for("member").get("/kostenverteilung/2025/rechenblatt.csv")
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "Bochum" in text and "20000.00" in text
    xlsx = client_for("member").get("/kostenverteilung/2025/rechenblatt.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_bottrop_s_figure_comes_from_the_monitoring_with_its_source(personas):
    setting = actions.create_setting(
        personas["office"],
        year=2025,
        budget=Decimal("20000.00"),
        key_date=dt.date(2024, 12, 31),
        due_date=dt.date(2025, 3, 31),
        equal_percent=Decimal(0),
        population_percent=Decimal(100),
    )
    bottrop = setting.shares.get(municipality__slug="bottrop")
    assert (bottrop.population, bottrop.population_date) == (117_311, dt.date(2011, 5, 9))
    assert bottrop.population_source.startswith("Zensus 2011")


def test_demo_has_three_years_and_hagens_budget_lines(personas):
    from django.utils import timezone

    from costshares.demo import load_demo_costshares

    load_demo_costshares()
    year = timezone.localdate().year
    assert sorted(Setting.objects.values_list("year", flat=True)) == [year - 2, year - 1, year]
    for setting in Setting.objects.all():
        assert sum(setting.shares.values_list("amount", flat=True)) == setting.budget
    hagen = BudgetLine.objects.filter(municipality__slug="hagen")
    assert sorted(hagen.values_list("year", "amount")) == [(2024, Decimal("2000.00")), (2025, Decimal("2000.00"))]
    load_demo_costshares()  # idempotent
    assert Setting.objects.count() == 3
