"""Demo data: the funding of the two demo joint projects.

- „Interkulturelle Personalgewinnung“ (lead Essen, 2022–2024, closed): KOMM-AN NRW, approved, three tranches,
  expenses of all partner cities, forwarded shares, and an accepted proof of use.
- „Vielfalt in Ausbildung“ (lead Dortmund, running since 2025): approved, one tranche requested, first expenses.

The figures are invented but realistic; the programme, the guideline and the rules are real. The projects
themselves belong to the ``projects`` app: they are fetched by slug and only created with minimal fields if
that app's demo has not run (``get_or_create`` on the slug, so the order of the demos does not matter).
Idempotent: nothing happens once a project has an application.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from members.models import Municipality

from . import actions, rules
from .actions import LineInput
from .models import Application, FundingType, GeneralConditions, Programme, ProofOfUse

CLOSED = "interkulturelle-personalgewinnung"
RUNNING = "vielfalt-in-ausbildung"


def ensure_project(actor, *, slug: str, title: str, lead: str, partners: list[str], status: str):
    """The joint project with this slug, created with a workspace and its partner cities if missing."""
    from projects.models import JointProject, ProjectPartner
    from workspaces.actions import create_workspace

    project = JointProject.objects.filter(slug=slug).first()
    if project is not None:
        return project  # the projects demo made it, with its own partner cities
    workspace = create_workspace(actor, name=title)
    project, _created = JointProject.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "workspace": workspace,
            "lead_municipality": Municipality.objects.get(slug=lead),
            "status": status,
        },
    )
    for city in [lead, *partners]:
        ProjectPartner.objects.get_or_create(
            project=project,
            municipality=Municipality.objects.get(slug=city),
            defaults={"role": ProjectPartner.Role.LEAD if city == lead else ProjectPartner.Role.PARTNER},
        )
    return project


def programme(actor) -> Programme:
    found = Programme.objects.filter(name="KOMM-AN NRW").first()
    return found or actions.create_programme(
        actor,
        name="KOMM-AN NRW",
        funder="Land Nordrhein-Westfalen (MKJFGFI)",
        guideline="Richtlinie über die Gewährung von Zuwendungen zur Förderung der Integration (KOMM-AN NRW)",
        guideline_version="RdErl. vom 10. März 2023 (MBl. NRW. 2023 S. 225)",
        guideline_date=dt.date(2023, 3, 10),
        authority="Bezirksregierung Arnsberg, Kompetenzzentrum für Integration",
        funding_type=FundingType.SHARE,
    )


def plan_lines(lead: Municipality, partners: list[Municipality], *, personnel: Decimal, material: Decimal, events: Decimal):
    """Expenses in three lines; 80 % grant, the rest as own shares of the cities (split to the cent)."""
    total = personnel + material + events
    grant = rules.part_of(total, Fraction(4, 5))
    cities = [lead, *partners]
    shares = rules.split_by_weights(total - grant, {c.slug: Decimal(2 if c == lead else 1) for c in cities})
    return [
        LineInput("expense", "personal", "Personalausgaben Projektkoordination", personnel),
        LineInput("expense", "sachausgaben", "Sachausgaben (Material, Übersetzungen)", material),
        LineInput("expense", "veranstaltungen", "Veranstaltungen und Fortbildungen", events),
        LineInput("income", "zuwendung", "Zuwendung KOMM-AN NRW", grant, "grant"),
        *[
            LineInput("income", f"eigenanteil-{c.slug}", f"Eigenanteil {c.short_name}", shares[c.slug], "own_share", c)
            for c in cities
        ],
    ]


@transaction.atomic
def load_demo_funding() -> None:
    if not Municipality.objects.filter(slug="essen").exists():
        return
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    closed = ensure_project(
        office,
        slug=CLOSED,
        title="Interkulturelle Personalgewinnung",
        lead="essen",
        partners=["bochum", "herne", "hagen"],
        status="closed",
    )
    running = ensure_project(
        office,
        slug=RUNNING,
        title="Vielfalt in Ausbildung",
        lead="dortmund",
        partners=["essen", "gelsenkirchen", "herne"],
        status="running",
    )
    if Application.objects.filter(project__in=[closed, running]).exists():
        return
    komm_an = programme(office)
    _closed_project(office, closed, komm_an)
    _running_project(office, running, komm_an)


def _cities(project):
    partners = [
        p.municipality
        for p in project.partners.select_related("municipality")
        if p.municipality_id != project.lead_municipality_id
    ]
    return project.lead_municipality, partners


def _closed_project(office, project, komm_an) -> None:
    lead, partners = _cities(project)
    application = actions.create_application(
        office,
        project=project,
        programme=komm_an,
        title="Interkulturelle Personalgewinnung in vier Ruhrgebietsstädten",
        lines=plan_lines(lead, partners, personnel=Decimal("96000.00"), material=Decimal("18000.00"), events=Decimal("26000.00")),
        submitted_on=dt.date(2021, 11, 15),
        reference="KI-2021-0147",
    )
    notice = actions.record_notice(
        office,
        application,
        date=dt.date(2022, 2, 21),
        reference="36.04.01-KOMM-AN-2022-0112",
        period_start=dt.date(2022, 3, 1),
        period_end=dt.date(2024, 12, 31),
        amount=Decimal("112000.00"),
        funding_type=FundingType.SHARE,
        funding_rate=Decimal("80.00"),
        final_on=dt.date(2022, 3, 1),
        appeal_waived=True,
        general_conditions=GeneralConditions.ANBEST_G,
        exclusions="Die Nrn. 1.3 und 1.4 ANBest-G finden keine Anwendung.",
        interim_proof_months=4,
        final_proof_months=6,
        conditions=[
            {"title": "Weiterleitungsverträge mit den Partnerstädten vorlegen", "due_date": dt.date(2022, 5, 31)},
            {"title": "Öffentlichkeitsarbeit mit Hinweis auf die Landesförderung", "due_date": dt.date(2022, 12, 31)},
        ],
    )
    for obligation in notice.obligations.all():
        actions.fulfil_obligation(office, obligation, done_on=obligation.due_date)
    for year in (2022, 2023, 2024):
        for month in (3, 6, 9, 12):
            if dt.date(year, month, 1) < notice.period_start:
                continue
            actions.add_expected_payment(
                office,
                application,
                due_on=dt.date(year, month, 15),
                amount=Decimal("11666.66"),
                description=f"Quartal {month // 3}/{year}",
            )
    receipt = 0
    for year in (2022, 2023, 2024):
        for city in [lead, *partners]:
            for key, net, vat, payee in (
                ("personal", Decimal("7600.00"), Decimal("0.00"), "Personalkosten laut Abrechnung"),
                ("sachausgaben", Decimal("1200.00"), Decimal("228.00"), "Übersetzungsbüro Ruhr"),
                ("veranstaltungen", Decimal("1800.00"), Decimal("342.00"), "Tagungshaus Zeche"),
            ):
                receipt += 1
                expense = actions.record_expense(
                    office,
                    application,
                    line_key=key,
                    municipality=city,
                    paid_on=dt.date(year, 4 + receipt % 6, 10),
                    payee=payee,
                    description=f"{payee} {year}",
                    net=net,
                    vat=vat,
                )
                actions.check_expense(office, expense, status="checked")
    requested_on = [dt.date(2022, 3, 10), dt.date(2023, 3, 10), dt.date(2024, 3, 10)]
    for day in requested_on:
        plan = actions.tranche_plan(application, day)
        amount = plan.allowed
        if amount <= 0:
            continue
        outcome = actions.request_payment(office, application, requested_on=day, amount=amount)
        actions.mark_payment_received(office, outcome.request, received_on=day + dt.timedelta(days=14))
        for city in partners:
            actions.forward(
                office,
                application,
                municipality=city,
                amount=(amount / 5).quantize(Decimal("0.01")),
                forwarded_on=day + dt.timedelta(days=21),
            )
    for proof in application.proofs.order_by("due_on"):
        proof.narrative = actions.draft_narrative(proof)
        proof.save(update_fields=["narrative"])
        proof.refresh_from_db()
        actions.set_proof_status(office, proof, proof.version, status=ProofOfUse.Status.REVIEWED, on=proof.due_on)
        actions.set_proof_status(office, proof, proof.version, status=ProofOfUse.Status.SUBMITTED, on=proof.due_on)
        actions.set_proof_status(
            office, proof, proof.version, status=ProofOfUse.Status.ACCEPTED, on=proof.due_on + dt.timedelta(days=60)
        )


def _running_project(office, project, komm_an) -> None:
    lead, partners = _cities(project)
    application = actions.create_application(
        office,
        project=project,
        programme=komm_an,
        title="Vielfalt in Ausbildung – gemeinsame Nachwuchsgewinnung",
        lines=plan_lines(
            lead, partners, personnel=Decimal("120000.00"), material=Decimal("24000.00"), events=Decimal("36000.00")
        ),
        submitted_on=dt.date(2024, 10, 1),
        reference="KI-2024-0388",
    )
    today = timezone.localdate()
    start = dt.date(2025, 1, 1)
    actions.record_notice(
        office,
        application,
        date=dt.date(2024, 12, 12),
        reference="36.04.01-KOMM-AN-2024-0291",
        period_start=start,
        period_end=dt.date(max(today.year + 1, 2026), 12, 31),
        amount=Decimal("144000.00"),
        funding_type=FundingType.SHARE,
        funding_rate=Decimal("80.00"),
        final_on=dt.date(2025, 1, 13),
        general_conditions=GeneralConditions.ANBEST_G,
        exclusions="",
        interim_proof_months=4,
        final_proof_months=6,
        conditions=[
            {"title": "Beginn der Maßnahme anzeigen", "due_date": dt.date(2025, 2, 28)},
            {"title": "Zwischenbericht der Steuerungsgruppe vorlegen", "due_date": today + dt.timedelta(days=45)},
        ],
    )
    day = start + dt.timedelta(days=14)
    while day <= today + dt.timedelta(days=120):  # monthly payments up to a few months ahead, whatever today is
        actions.add_expected_payment(
            office, application, due_on=day, amount=Decimal("7500.00"), description="Monatliche Ausgaben"
        )
        day += dt.timedelta(days=30)
    for number, city in enumerate([lead, *partners], start=1):
        paid_on = max(start, min(today, dt.date(2025, 3, number)))
        actions.record_expense(
            office,
            application,
            line_key="personal",
            municipality=city,
            paid_on=paid_on,
            payee="Personalkosten laut Abrechnung",
            description="Koordination März",
            net=Decimal("4200.00"),
        )
    day = max(start, today - dt.timedelta(days=3))
    plan = actions.tranche_plan(application, day)
    if plan.allowed > 0:
        actions.request_payment(office, application, requested_on=day, amount=plan.allowed)
