"""The report's figures equal a recount by hand of a year of activity built here, with the year before beside it."""

from __future__ import annotations

import pytest
from django.test.utils import override_settings

from annualreport import actions
from meetings.models import Decision, MeetingStatus
from members.models import Body, Municipality
from tasks.models import TaskStatus

from . import activity as a

YEAR = 2025


def _section(data: dict, key: str) -> dict:
    return next(s for s in data["sections"] if s["key"] == key)


def _rows(section: dict) -> dict[str, tuple]:
    return {row["label"]: (row["current"], row["previous"]) for row in section["rows"]}


@pytest.fixture
def year_of_activity(personas):
    """Two bodies, meetings in 2025 and 2024 (and some that must not count), minutes, decisions, actions, …"""
    workspace = a.workspaces()
    steering = Body.objects.get(slug="regiegruppe")
    team = Body.objects.get(slug="projektteam")
    essen, bochum, hagen = (Municipality.objects.get(slug=s) for s in ("essen", "bochum", "hagen"))
    essen_people = a.people(essen, 6, "E")
    bochum_people = a.people(bochum, 2, "B")
    hagen_people = a.people(hagen, 1, "H")

    # 2025: three Regiegruppe meetings, one Projektteam meeting held; one cancelled, one draft (not counted).
    held = []
    for month in (2, 6, 11):
        meeting = a.held_meeting(steering, a.at(YEAR, month, 10))
        a.minutes_for(meeting, essen_people + bochum_people, [essen, bochum])
        held.append(meeting)
    team_meeting = a.held_meeting(team, a.at(YEAR, 9, 3))
    a.minutes_for(team_meeting, essen_people[:4] + hagen_people, [essen, hagen])
    a.held_meeting(steering, a.at(YEAR, 3, 3), status=MeetingStatus.CANCELLED)
    a.held_meeting(team, a.at(YEAR, 4, 3), status=MeetingStatus.DRAFT)
    # New Year's Eve late evening in Berlin is still 2025 (UTC would say 2025 too; 1 January 00:30 Berlin is 2026).
    late = a.held_meeting(team, a.at(YEAR, 12, 31, 22))
    a.minutes_for(late, [], [])
    a.held_meeting(team, a.at(YEAR + 1, 1, 1, 0))  # 31 Dec 23:00 UTC: belongs to 2026

    # 2024: one Regiegruppe meeting with Essen's six.
    before = a.held_meeting(steering, a.at(YEAR - 1, 5, 5))
    a.minutes_for(before, essen_people, [essen])

    # Decisions: 2025 three decisions (valid, done, superseded) and one agreement; 2024 one decision.
    first = a.item(held[0], "Fortbildung Interkulturelle Kompetenz")
    a.decision(first, text="Die Regiegruppe beschließt eine Fortbildung für Personalverantwortliche.")
    a.decision(first, status=Decision.Status.DONE)
    a.decision(a.item(held[1]), status=Decision.Status.SUPERSEDED)
    second = a.item(held[2])
    a.decision(second, kind=Decision.Kind.AGREEMENT)
    a.decision(a.item(before))

    # Actions from the minutes: 2025 two done, one open, one in progress, one cancelled, one without task.
    for status in (TaskStatus.DONE, TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED, None):
        a.action(second, essen, status)
    a.action(a.item(before), bochum, TaskStatus.OPEN)

    # Events, news, documents.
    a.event(workspace, a.at(YEAR, 3, 1), "Schulung Sensibilisierung")
    a.event(workspace, a.at(YEAR, 4, 1), "Austausch online", online=True)
    a.event(workspace, a.at(YEAR - 1, 4, 1), "Treffen")
    a.post("Newsletter für Beschäftigte", a.at(YEAR, 5, 1), public=True)
    a.post("Intern", a.at(YEAR, 5, 2), public=False)
    a.post("Alt", a.at(YEAR - 1, 5, 2), public=True)
    a.document(workspace, "Handreichung Gewinnung junger Talente", a.at(YEAR, 1, 5), published=a.at(YEAR, 2, 1))
    a.document(workspace, "Entwurf", a.at(YEAR, 1, 6))
    a.document(workspace, "Alt", a.at(YEAR - 1, 1, 6))

    # Cost shares: 2025 set twice (the second version counts), Essen paid in full in two parts, Bochum in part;
    # 2024 one city, paid; a payment for 2023 must not count.
    import datetime as dt
    from decimal import Decimal

    from costshares.models import Payment, Setting, Share

    def setting(year: int, number: int, shares: dict) -> None:
        row = Setting.objects.create(
            year=year,
            number=number,
            budget=sum(shares.values()),
            key_date=dt.date(year - 1, 12, 31),
            due_date=dt.date(year, 6, 30),
        )
        for city, amount in shares.items():
            Share.objects.create(setting=row, municipality=city, member_days=365, year_days=365, amount=amount)

    setting(YEAR, 1, {essen: Decimal("1000.00"), bochum: Decimal("1000.00")})
    setting(YEAR, 2, {essen: Decimal("1200.50"), bochum: Decimal("999.50")})
    setting(YEAR - 1, 1, {essen: Decimal("2000.00")})
    for city, year, amount in (
        (essen, YEAR, "1000.00"),
        (essen, YEAR, "200.50"),
        (bochum, YEAR, "500.00"),
        (essen, YEAR - 1, "2000.00"),
        (essen, YEAR - 2, "77.00"),
    ):
        Payment.objects.create(municipality=city, year=year, amount=Decimal(amount), received_on=dt.date(year, 7, 1))

    # Joint projects, counted from the approval on by their dates: running since 2024, closed mid-2025, an idea
    # (not counted), approved from September 2025; milestones reached in either year (due next year: their
    # calendar entries stay out of this report's events).
    from projects import actions as project_actions

    office = personas["office"]
    spans = (
        ("running", dt.date(YEAR - 1, 3, 1), dt.date(YEAR + 1, 12, 31)),
        ("closed", dt.date(YEAR - 3, 1, 1), dt.date(YEAR, 6, 30)),
        ("idea", dt.date(YEAR, 2, 1), None),
        ("approved", dt.date(YEAR, 9, 1), None),
    )
    for n, (status, starts_on, ends_on) in enumerate(spans):
        project = project_actions.create_project(
            office, title=f"Projekt {n}", lead_municipality=essen, starts_on=starts_on, ends_on=ends_on, status=status
        )
        if n == 0:
            for done_on in (dt.date(YEAR, 5, 5), dt.date(YEAR - 1, 2, 2), None):
                milestone = project_actions.add_milestone(
                    office, project, title=f"Meilenstein {done_on}", due_on=dt.date(YEAR + 1, 3, 3)
                )
                if done_on:
                    project_actions.mark_milestone_done(office, milestone, done_on)
    return {"held": held}


@pytest.mark.django_db
@override_settings(ANNUAL_REPORT_MIN_CELL_SIZE=5)
def test_figures_equal_a_recount_by_hand(year_of_activity):
    from annualreport.figures import compute

    data = compute(YEAR)
    assert data["year"] == YEAR and data["previous"] == YEAR - 1

    meetings = _section(data, "meetings")
    # Regiegruppe: 3 held in 2025 (the cancelled one does not count), 1 in 2024; Projektteam: 9 Sep and 31 Dec.
    assert _rows(meetings) == {"Regiegruppe": (3, 1), "Projektteam": (2, 0)}
    assert (meetings["total"]["current"], meetings["total"]["previous"]) == (5, 1)

    attendance = _rows(_section(data, "attendance"))
    # Essen: 6 people x 3 meetings + 4 at the Projektteam = 22; 2024: 6. Bochum: 2 x 3 = 6. Hagen: 1 (below k=5).
    assert attendance["Essen"] == (22, 6)
    # Hagen's 1 is suppressed; Bochum's 6 is the next smallest and suppressed too, or the total would give Hagen away.
    assert attendance["Hagen"] == (None, 0)
    assert attendance["Bochum"] == (None, 0)
    total = _section(data, "attendance")["total"]
    assert (total["current"], total["previous"]) == (29, 6)

    representation = _section(data, "representation")
    rows = {row["label"]: row for row in representation["rows"]}
    assert (rows["Essen"]["current"], rows["Essen"]["previous"]) == (4, 1)
    assert (rows["Bochum"]["current"], rows["Hagen"]["current"]) == (3, 1)
    assert rows["Essen"]["current_share"] == 80  # 4 of 5 held meetings

    decisions = _rows(_section(data, "decisions"))
    assert decisions == {
        "Beschluss: gültig": (1, 1),
        "Beschluss: umgesetzt": (1, 0),
        "Beschluss: aufgehoben": (1, 0),
        "Verabredung: gültig": (1, 0),
    }

    assert _rows(_section(data, "actions")) == {"erledigt": (2, 0), "offen": (2, 1), "entfallen": (2, 0)}

    events = _section(data, "events")
    assert (events["total"]["current"], events["total"]["previous"]) == (2, 1)
    assert _rows(events) == {"davon mit Ort": (1, 1), "davon online": (1, 0)}

    publications = _rows(_section(data, "publications"))
    assert publications["Neuigkeiten veröffentlicht"] == (2, 1)
    assert publications["davon auf der öffentlichen Website"] == (1, 1)
    assert publications["Dokumente neu in der Wissensbasis"] == (2, 1)
    assert publications["Dokumente öffentlich veröffentlicht"] == (1, 0)

    assert _rows(_section(data, "projects")) == {
        "Gemeinschaftsprojekte in Umsetzung": (3, 2),
        "davon begonnen": (1, 1),
        "davon beendet": (1, 0),
        "Meilensteine erreicht": (1, 1),
        "Zuwendungen bewilligt (Bescheide des Jahres)": ("0,00 €", "0,00 €"),
        "Ausgaben der Projekte (zuwendungsfähig, ohne nicht anerkannte)": ("0,00 €", "0,00 €"),
        "Umlage festgesetzt": ("2.200,00 €", "2.000,00 €"),
        "Umlage eingegangen": ("1.700,50 €", "2.000,00 €"),
        "Städte mit vollständig gezahltem Anteil": ("1 / 2", "1 / 1"),
    }

    partner = {f["key"]: f for f in data["partner"]["fields"]}
    assert partner["training"]["current"] == 2  # the Schulung event and the Fortbildung decision
    assert partner["information"]["current"] == 1  # the newsletter for staff
    assert partner["outreach"]["current"] == 1  # the Talente handbook


@pytest.mark.django_db
def test_the_frozen_snapshot_holds_the_same_figures(year_of_activity, personas):
    from annualreport.figures import compute

    office = personas["office"]
    report = actions.create_draft(office, YEAR)
    report = actions.freeze(office, report, report.version)
    assert report.snapshot["figures"] == compute(YEAR)


@pytest.mark.django_db
def test_grants_and_project_expenses_by_year(personas):
    """Grants by the notice's date, eligible expenses by the day paid; an expense not recognised does not count."""
    import datetime as dt
    from decimal import Decimal

    from annualreport.figures import compute
    from funding import actions as funding_actions
    from funding.models import ExpenseStatus
    from tests.funding.scene import funded_project

    office = personas["office"]
    application = funded_project(office)  # notice of 1 Dec 2024 over 80.000,00 €; period 2025–2026
    essen = Municipality.objects.get(slug="essen")
    for day, net, vat, deductible in (
        (dt.date(2025, 3, 3), "1000.00", "190.00", False),
        (dt.date(2025, 4, 4), "500.00", "95.00", True),
    ):
        funding_actions.record_expense(
            office, application, line_key="sach", municipality=essen, paid_on=day, payee="Druckerei",
            description="Flyer", net=Decimal(net), vat=Decimal(vat), input_tax_deductible=deductible,
        )  # fmt: skip
    rejected = funding_actions.record_expense(
        office, application, line_key="sach", municipality=essen, paid_on=dt.date(2025, 5, 5), payee="X",
        description="Nicht förderfähig", net=Decimal("999.00"),
    )  # fmt: skip
    type(rejected).objects.filter(pk=rejected.pk).update(status=ExpenseStatus.REJECTED)

    rows = _rows(_section(compute(YEAR), "projects"))
    assert rows["Zuwendungen bewilligt (Bescheide des Jahres)"] == ("0,00 €", "80.000,00 €")
    # 1.190,00 € (gross: no input-tax deduction) + 500,00 € (net: deductible); the rejected 999,00 € not counted
    assert rows["Ausgaben der Projekte (zuwendungsfähig, ohne nicht anerkannte)"] == ("1.690,00 €", "0,00 €")


@pytest.mark.django_db
def test_event_participants_per_city_are_protected_like_attendance(personas):
    """Checked-in people of the year's events per city; small cells and what would reveal them are withheld."""
    from django.utils import timezone

    from annualreport.figures import compute, min_cell_size
    from events.models import Event, Registration
    from tests.events.conftest import make_forum

    k = min_cell_size()
    forum = make_forum(personas["office"], slug="forum-bericht", capacity=200)
    Event.objects.filter(pk=forum.pk).update(starts_at=a.at(YEAR, 2, 24), ends_at=a.at(YEAR, 2, 24, 18))
    essen, herne = Municipality.objects.get(slug="essen"), Municipality.objects.get(slug="herne")
    arrivals = [(essen, True)] * (k + 2) + [(herne, True)] * 2 + [(herne, False)] * 5  # five registered, not present
    for n, (city, present) in enumerate(arrivals):
        Registration.objects.create(
            event=forum, name=f"Gast {n}", email=f"gast{n}@test.example", municipality=city,
            status=Registration.Status.CONFIRMED, checked_in_at=timezone.now() if present else None,
        )  # fmt: skip

    section = _section(compute(YEAR), "participants")
    rows = _rows(section)
    assert rows["Herne"][0] is None  # 2 people: below the minimum
    shown = sum(value for value, _before in rows.values() if value is not None)
    total = section["total"]["current"]
    assert total is None or total - shown == 0 or total - shown >= k  # the hidden cells cannot be worked out
    assert total in (None, k + 4)


@pytest.mark.django_db
def test_practice_examples_first_published_and_revised_per_year(personas):
    """An example counts as new in the year of its first approved version; later approvals count as revisions."""
    from annualreport.figures import compute
    from knowledge.models import InterculturalField, PracticeExample, Revision, TargetGroup

    def example(*approvals):
        row = PracticeExample.objects.create(author=personas["member"])
        for number, (state, when) in enumerate(approvals, start=1):
            Revision.objects.create(
                example=row, number=number, state=state, decided_at=when, title=f"Beispiel {row.pk}", summary="Kurz",
                field=InterculturalField.choices[0][0], target_group=TargetGroup.choices[0][0], goals="Ziele", approach="Weg",
            )  # fmt: skip
        return row

    approved, asked = Revision.State.APPROVED, Revision.State.CHANGES_REQUESTED
    example((asked, a.at(YEAR - 1, 11, 1)), (approved, a.at(YEAR, 1, 10)), (approved, a.at(YEAR, 6, 1)))  # new, revised
    example((approved, a.at(YEAR - 1, 3, 3)), (approved, a.at(YEAR, 4, 4)))  # new last year, revised this year
    example((approved, a.at(YEAR - 3, 3, 3)))  # long ago
    example((Revision.State.IN_REVIEW, None))  # never published
    rows = _rows(_section(compute(YEAR), "publications"))
    assert rows["Praxisbeispiele in der Wissensdatenbank neu veröffentlicht"] == (1, 1)
    assert rows["Praxisbeispiele überarbeitet und erneut freigegeben"] == (2, 0)
