"""The funding cockpit through its actions and pages: plans, notices, tranches, expenses, forwarding, proofs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEvent
from funding import actions
from funding.models import Application, Expense, PaymentRequest, PlanVersion, ProofOfUse
from members.models import Membership, Municipality
from tasks.models import Task
from tests.conftest import make_user, seat
from tests.funding.scene import END, START, funded_project, plan
from workspaces.actions import add_member

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _city_person(office, application, email: str, city: str):
    user = make_user(email)
    seat(user, "projektteam", Membership.Role.MEMBER, city)
    add_member(office, application.project.workspace, user)
    return user


@pytest.fixture
def application(personas):
    return funded_project(personas["office"])


def _url(application, tail: str = "") -> str:
    return f"/projekte/{application.project.slug}/foerderung/{tail}"


# --- Financing plan ---------------------------------------------------------------------------------------------


def test_an_unbalanced_plan_is_refused_and_nothing_is_saved(personas):
    application = funded_project(personas["office"])
    before = Application.objects.count()
    lines = plan()
    lines[2] = dataclasses.replace(lines[2], amount=Decimal("79999.99"))
    with pytest.raises(ValidationError, match="nicht ausgeglichen"):
        actions.create_application(
            personas["office"], project=application.project, programme=application.programme, title="Schief", lines=lines
        )
    lines[2] = dataclasses.replace(lines[2], amount=Decimal("79999.995"))
    with pytest.raises(ValidationError, match="volle Cent"):
        actions.create_application(
            personas["office"], project=application.project, programme=application.programme, title="Schief", lines=lines
        )
    assert Application.objects.count() == before


def test_the_application_form_reads_german_amounts_and_refuses_an_unbalanced_plan(personas, client_for):
    from funding.demo import ensure_project
    from funding.models import Programme

    project = ensure_project(personas["office"], slug="neu", title="Neu", lead="essen", partners=["herne"], status="idea")
    programme = Programme.objects.create(name="P", funder="Land", guideline="RL", authority="BR", funding_type="share")
    data = {
        "programme": programme.pk,
        "title": "Antrag",
        "plan": "Ausgabe; personal; Personal; 1.234,56\nZuwendung; z; Zuwendung; 1.000,00\nEigenanteil; e; Eigenanteil Herne; 234,55; Herne",
    }
    response = client_for("office").post(f"/projekte/{project.slug}/foerderung/antrag/", data)
    assert response.status_code == 400
    assert "nicht ausgeglichen" in response.content.decode() and "0,01 €" in response.content.decode()
    assert not Application.objects.filter(project=project).exists()
    data["plan"] = data["plan"].replace("234,55", "234,56")
    response = client_for("office").post(f"/projekte/{project.slug}/foerderung/antrag/", data)
    assert response.status_code == 302
    line = Application.objects.get(project=project).plan_versions.get().lines.get(key="personal")
    assert line.amount == Decimal("1234.56")


def test_a_new_plan_version_keeps_the_old_one(application, personas):
    actions.new_plan_version(
        personas["office"], application, plan(personnel="85000.00", material="15000.00"), reason="Änderungsantrag"
    )
    versions = list(PlanVersion.objects.filter(application=application).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].lines.get(key="personal").amount == Decimal("80000.00")
    assert versions[1].lines.get(key="personal").amount == Decimal("85000.00")


# --- Notice, conditions, deadlines ------------------------------------------------------------------------------


def test_the_notice_turns_conditions_and_deadlines_into_tasks_of_the_workspace(application):
    notice = application.notice
    obligation = notice.obligations.get()
    assert obligation.task.workspace == application.project.workspace
    assert obligation.task.due_date == dt.date(2025, 2, 1)
    proofs = list(application.proofs.order_by("due_on"))
    assert [(p.kind, p.due_on) for p in proofs] == [
        ("interim", dt.date(2026, 4, 30)),
        ("final", dt.date(2027, 6, 30)),
    ]  # fixed-date: deadlines computed from the notice's fields, never compared with today
    assert all(p.task.due_date == p.due_on for p in proofs)
    assert AuditEvent.objects.filter(action="funding.notice_recorded").exists()


def test_changing_the_notices_deadline_fields_moves_the_open_proofs(application, personas):
    notice = application.notice
    actions.update_notice(personas["office"], notice, notice.version, final_proof_months=3)
    assert application.proofs.get(kind="final").due_on == dt.date(
        2027, 3, 31
    )  # fixed-date: deadlines computed from the notice's fields, never compared with today


def test_a_condition_is_met_with_evidence_and_its_task_is_done(application, personas):
    obligation = application.notice.obligations.get()
    actions.fulfil_obligation(personas["office"], obligation, done_on=dt.date(2025, 1, 20))
    obligation.refresh_from_db()
    assert obligation.done_on == dt.date(2025, 1, 20)
    assert Task.objects.get(pk=obligation.task_id).status == Task.Status.DONE


# --- Payment requests --------------------------------------------------------------------------------------------


def test_no_payment_before_the_notice_is_final(personas):
    application = funded_project(personas["office"], final_on=None)
    with pytest.raises(ValidationError, match="bestandskräftig"):
        actions.request_payment(personas["office"], application, requested_on=dt.date(2025, 1, 10), amount=Decimal("100.00"))


def test_the_tranche_covers_two_months_of_expected_payments_at_the_grant_rate(application):
    plan_ = actions.tranche_plan(application, dt.date(2025, 1, 15))
    assert plan_.covers_until == dt.date(2025, 3, 15)
    assert plan_.due_in_window == Decimal("15000.00")  # 15 Jan, 15 Feb, 15 Mar
    assert plan_.allowed == Decimal("12000.00")  # 80 %


def test_a_request_beyond_the_rule_is_refused_over_http_and_allowed_with_a_justification(application, client_for):
    url = _url(application, "mittelabruf/")
    response = client_for("office").post(url, {"requested_on": "2025-01-15", "amount": "12.000,01"})
    assert response.status_code == 400
    assert "VVG zu § 44 LHO NRW Nr. 7.2" in response.content.decode()
    assert not PaymentRequest.objects.exists()
    response = client_for("office").post(
        url, {"requested_on": "2025-01-15", "amount": "12.000,01", "override_reason": "Vorauszahlung laut Vertrag"}
    )
    assert response.status_code == 302
    request = PaymentRequest.objects.get()
    assert request.amount == Decimal("12000.01") and request.allowed == Decimal("12000.00")
    assert request.override_reason == "Vorauszahlung laut Vertrag" and request.is_override
    assert request.rule.source == "VVG zu § 44 LHO NRW Nr. 7.2"


def test_unspent_money_lowers_the_next_tranche(application, personas):
    office = personas["office"]
    actions.request_payment(office, application, requested_on=dt.date(2025, 1, 15), amount=Decimal("12000.00"))
    plan_ = actions.tranche_plan(application, dt.date(2025, 2, 1))
    assert plan_.unspent == Decimal("12000.00")
    assert plan_.allowed == Decimal("0.00")
    with pytest.raises(ValidationError):
        actions.request_payment(office, application, requested_on=dt.date(2025, 2, 1), amount=Decimal("1.00"))


# --- Expenses ----------------------------------------------------------------------------------------------------


def _expense(application, office, **fields):
    values = {
        "line_key": "personal",
        "municipality": Municipality.objects.get(slug="herne"),
        "paid_on": dt.date(2025, 3, 1),
        "payee": "Lieferant",
        "description": "Leistung",
        "net": Decimal("100.00"),
    }
    values.update(fields)
    return actions.record_expense(office, application, **values)


def test_expenses_outside_the_approval_period_are_refused(application, personas):
    for day in (START - dt.timedelta(days=1), END + dt.timedelta(days=1)):
        with pytest.raises(ValidationError, match="Bewilligungszeitraums"):
            _expense(application, personas["office"], paid_on=day)
    assert _expense(application, personas["office"], paid_on=START).receipt_number == 1
    assert _expense(application, personas["office"], paid_on=END).receipt_number == 2


def test_the_net_amount_counts_where_input_tax_is_deductible(application, personas):
    office = personas["office"]
    gross = _expense(application, office, net=Decimal("100.00"), vat=Decimal("19.00"))
    net = _expense(application, office, net=Decimal("100.00"), vat=Decimal("19.00"), input_tax_deductible=True)
    assert (gross.eligible, net.eligible) == (Decimal("119.00"), Decimal("100.00"))


def test_a_line_that_is_not_in_the_plan_is_refused(application, personas):
    with pytest.raises(ValidationError):
        _expense(application, personas["office"], line_key="erfunden")


def test_the_overview_warns_when_a_line_needs_a_change_request(application, personas, client_for):
    _expense(application, personas["office"], net=Decimal("96000.00"))  # 80,000 × 1.2 exactly
    page = client_for("office").get(_url(application)).content.decode()
    assert "Änderungsantrag nötig" not in page
    _expense(application, personas["office"], net=Decimal("0.01"))
    page = client_for("office").get(_url(application)).content.decode()
    assert "Änderungsantrag nötig" in page and "ANBest-P/ANBest-G NRW Nr. 1.2" in page


# --- Partner cities, lead city, Regiegruppe ---------------------------------------------------------------------


def test_a_partner_city_enters_its_own_expenses_and_sees_only_its_own_figures(application, personas):
    office = personas["office"]
    _expense(application, office, municipality=Municipality.objects.get(slug="hagen"), payee="Hagener Lieferant")
    herne = _city_person(office, application, "herne@test.example", "herne")
    client = _client(herne)
    essen = Municipality.objects.get(slug="essen")
    response = client.post(
        _url(application, "ausgaben/"),
        {
            "line_key": "personal",
            "municipality": essen.pk,
            "paid_on": "2025-03-03",
            "payee": "X",
            "description": "Y",
            "net": "10,00",
        },
    )
    assert response.status_code == 400  # Essen is not the partner's to enter
    response = client.post(
        _url(application, "ausgaben/"),
        {
            "line_key": "sach", "municipality": Municipality.objects.get(slug="herne").pk, "paid_on": "2025-03-03",
            "payee": "Herner Druckerei", "description": "Flyer", "net": "1.000,00", "vat": "190,00",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert Expense.objects.get(payee="Herner Druckerei").eligible == Decimal("1190.00")
    listing = client.get(_url(application, "ausgaben/")).content.decode()
    assert "Herner Druckerei" in listing and "Hagener Lieferant" not in listing
    overview = client.get(_url(application)).content.decode()
    assert "Hagen" not in overview.split("Je Stadt")[1].split("</table>")[0]
    assert client.get(_url(application, "mittelabruf/")).status_code == 404
    assert client.get(_url(application, "weiterleitung/")).status_code == 404
    proof = application.proofs.first()
    assert client.get(_url(application, f"nachweise/{proof.pk}/belegliste.xlsx")).status_code == 404


def test_the_lead_city_checks_partner_expenses_and_forwards_what_it_received(application, personas):
    office = personas["office"]
    expense = _expense(application, office)
    lead = _city_person(office, application, "essen@test.example", "essen")
    client = _client(lead)
    response = client.post(_url(application, f"ausgaben/{expense.pk}/pruefen/"), {"status": "rejected", "note": ""})
    assert response.status_code == 302
    assert Expense.objects.get(pk=expense.pk).status == Expense.Status.REPORTED  # a refusal needs its reason
    client.post(_url(application, f"ausgaben/{expense.pk}/pruefen/"), {"status": "checked"})
    assert Expense.objects.get(pk=expense.pk).status == Expense.Status.CHECKED
    herne = Municipality.objects.get(slug="herne")
    data = {"municipality": herne.pk, "amount": "1.000,00", "forwarded_on": "2025-02-01"}
    response = client.post(_url(application, "weiterleitung/"), data)
    assert response.status_code == 400 and "eingegangen" in response.content.decode()
    outcome = actions.request_payment(office, application, requested_on=dt.date(2025, 1, 15), amount=Decimal("5000.00"))
    actions.mark_payment_received(office, outcome.request, received_on=dt.date(2025, 1, 30))
    assert client.post(_url(application, "weiterleitung/"), data).status_code == 302
    assert application.forwardings.get().amount == Decimal("1000.00")
    assert client.get(_url(application, "mittelabruf/")).status_code == 404  # tranches are the office's


def test_the_regiegruppe_reads_everything_and_writes_nothing(application, personas, client_for):
    _expense(application, personas["office"])
    client = client_for("member")
    assert "Herne" in client.get(_url(application)).content.decode()
    for tail in ("antrag/", "finanzierungsplan/", "zahlungsplan/", "mittelabruf/", "weiterleitung/"):
        assert client.get(_url(application, tail)).status_code == 404, tail
    assert "Ausgabe erfassen" not in client.get(_url(application, "ausgaben/")).content.decode()


def test_nobody_outside_sees_funding_and_unknown_projects_look_the_same(application, client_for):
    for persona in ("outsider", "guest"):
        assert client_for(persona).get(_url(application)).status_code == 404
    assert client_for("office").get("/projekte/gibt-es-nicht/foerderung/").status_code == 404
    assert client_for("anonymous").get(_url(application)).status_code == 302


# --- Proof of use -------------------------------------------------------------------------------------------------


def test_a_proof_is_drafted_reviewed_submitted_late_and_flagged(application, personas, client_for):
    office = personas["office"]
    _expense(application, office)
    proof = application.proofs.get(kind=ProofOfUse.Kind.INTERIM)
    client = client_for("office")
    page = client.get(_url(application, f"nachweise/{proof.pk}/")).content.decode()
    assert "Ziele und Verlauf" in page  # the draft from platform data
    response = client.post(
        _url(application, f"nachweise/{proof.pk}/"), {"narrative": "Bericht über 2025.", "version": proof.version}
    )
    assert response.status_code == 302
    proof.refresh_from_db()
    response = client.post(_url(application, f"nachweise/{proof.pk}/"), {"narrative": "Veraltet", "version": proof.version - 1})
    assert response.status_code == 409
    for status, on in (
        ("reviewed", "2026-04-01"),
        ("submitted", "2026-05-04"),
    ):  # fixed-date: dates of the proof's steps, compared only with its own deadline
        proof.refresh_from_db()
        client.post(_url(application, f"nachweise/{proof.pk}/stand/"), {"status": status, "on": on, "version": proof.version})
    proof.refresh_from_db()
    assert proof.status == ProofOfUse.Status.SUBMITTED and proof.is_late
    assert proof.retention_until == dt.date(2031, 5, 4)  # fixed-date: five years after the submission date above
    assert "nach der Frist" in client.get(_url(application, f"nachweise/{proof.pk}/")).content.decode()
    assert Task.objects.get(pk=proof.task_id).status == Task.Status.DONE


def test_the_receipts_list_is_an_xlsx_with_every_receipt(application, personas, client_for):
    from openpyxl import load_workbook

    for _ in range(3):
        _expense(application, personas["office"])
    proof = application.proofs.get(kind=ProofOfUse.Kind.FINAL)
    response = client_for("office").get(_url(application, f"nachweise/{proof.pk}/belegliste.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Beleg-Nr." and [r[0] for r in rows[1:]] == [1, 2, 3]


def test_the_proof_pdf_is_a_pdf(application, client_for):
    from monitoring.pdf import available

    if not available():
        pytest.skip("WeasyPrint is not installed")
    proof = application.proofs.get(kind=ProofOfUse.Kind.FINAL)
    response = client_for("office").get(_url(application, f"nachweise/{proof.pk}/nachweis.pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_narrative_draft_names_the_bodies_decisions_and_the_partners_survey_waves(application, personas):
    from members.models import Body
    from monitoring.models import Questionnaire, SurveyRound, Wave
    from projects import actions as project_actions
    from tests.annualreport import activity as a

    proof = application.proofs.get(kind=ProofOfUse.Kind.INTERIM)
    meeting = a.held_meeting(Body.objects.get(slug="regiegruppe"), a.at(proof.period_start.year, 3, 12))
    decision = a.decision(a.item(meeting, "Projekt"), text="Die Regiegruppe unterstützt den Projektstart.")
    outside = a.decision(a.item(a.held_meeting(Body.objects.get(slug="regiegruppe"), a.at(2019, 3, 12)), "Alt"), text="Alt.")
    for linked in (decision, outside):
        project_actions.link_decision(personas["office"], application.project, linked)
    questionnaire = Questionnaire.objects.create(version="p-1", core="1", title="Befragung", introduction="Anonym.")
    survey_round = SurveyRound.objects.create(name="Befragung Projekt", slug="befragung-projekt", questionnaire=questionnaire)
    Wave.objects.create(
        round=survey_round, municipality=Municipality.objects.get(slug="herne"), status=Wave.Status.RELEASED,
        fielding_start=dt.date(proof.period_start.year, 5, 1), fielding_end=dt.date(proof.period_start.year, 5, 31),
    )  # fmt: skip
    text = actions.draft_narrative(proof)
    assert "Regiegruppe: Die Regiegruppe unterstützt den Projektstart." in text and "Alt." not in text
    assert "Herne: Befragung Projekt" in text
