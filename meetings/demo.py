"""Demo of the meeting cycle: host rotation history over the ten cities, a past meeting with approved and
published minutes, an upcoming one with agenda and invitations sent, open actions, and Hagen's accession
paper with its consultation sequence. Invented people only (those of members.demo). Idempotent."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from meetings.agenda.actions import apply_template, decide_item, propose_item
from meetings.core.actions import create_meeting, own_title, propose_host, series_for
from meetings.invitations.actions import reply, send_invitation
from meetings.minutes.actions import (
    add_action,
    add_decision,
    approve_minutes,
    circulate_minutes,
    mark_held,
    minutes_for,
    publish_minutes,
    record_attendance,
    save_item_minutes,
)
from meetings.models import Consultation, ExternalCommittee, Location, Meeting, Paper, Reply
from meetings.papers.actions import add_consultation, create_paper
from members.models import Body, Membership, Municipality

BERLIN = ZoneInfo("Europe/Berlin")
ROTATION = ["essen", "bochum", "dortmund", "duisburg", "gelsenkirchen", "oberhausen", "muelheim-an-der-ruhr", "bottrop", "herne"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


# Fixed public holidays in NRW (month, day); the moving ones are rare enough for a demo to ignore.
HOLIDAYS = {(1, 1), (5, 1), (10, 3), (11, 1), (12, 24), (12, 25), (12, 26), (12, 31)}


def _working_day(day: dt.date) -> dt.date:
    """The day itself or the next working day: bodies of city administrations meet Monday to Friday."""
    while day.weekday() >= 5 or (day.month, day.day) in HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def _venue(city: Municipality) -> Location:
    venue, _ = Location.objects.get_or_create(
        municipality=city,
        name=f"Rathaus {city.short_name}",
        defaults={
            "locality": city.short_name,
            "room": "Sitzungsraum",
            "accessibility": "Stufenloser Zugang über den Haupteingang, Aufzug, barrierefreies WC.",
            "travel_notes": "Vom Hauptbahnhof mit Bus oder Straßenbahn; Parkplätze für Menschen mit Behinderung am Eingang.",
        },
    )
    return venue


# The latest held meeting's main topic per body: title, description, presenting city, summary, decision.
TOPICS = {
    "regiegruppe": (
        "Jahresbericht 2025 an die Landesinitiative",
        "Entwurf der Geschäftsführung mit den Kennzahlen der Städte.",
        "herne",
        "Die Geschäftsführung stellt den Entwurf vor; die Städte ergänzen ihre Ausbildungszahlen.",
        "decision",
        "Die Regiegruppe beschließt den Jahresbericht 2025 mit den besprochenen Ergänzungen.",
    ),
    "projektteam": (
        "Gewinnung junger Talente mit Zuwanderungsgeschichte",
        "Erfahrungen der Städte mit Ausbildungsmessen und Praktika.",
        "dortmund",
        "Die Städte berichten über ihre Ausbildungsmessen; Dortmund stellt das Patenprogramm vor.",
        "agreement",
        "Die Städte erarbeiten bis zum nächsten Treffen gemeinsame Kriterien für Praktika in den Verwaltungen.",
    ),
}


# The open actions from each body's latest meeting (title, responsible city).
ACTIONS = {
    "regiegruppe": [
        ("Ergänzungen zum Jahresbericht 2025 an die Geschäftsführung senden", "herne"),
        ("Termine für den Fachtag „Vielfalt in der Verwaltung“ vorschlagen", "bochum"),
    ],
    "projektteam": [
        ("Entwurf der gemeinsamen Praktikumskriterien vorlegen", "dortmund"),
        ("Zahlen der Ausbildungsmessen 2025 zusammenstellen", "essen"),
    ],
}


def load_demo_meetings() -> None:
    if Meeting.objects.exists() or not Body.objects.filter(slug="regiegruppe").exists():
        return
    cities = {c.slug: c for c in Municipality.objects.all()}
    today = timezone.localdate()
    for slug, per_year, hour in (("regiegruppe", 2, 10), ("projektteam", 3, 13)):
        body = Body.objects.get(slug=slug)
        series_for(body)
        _history(body, cities, today, per_year, hour)
        past = _past_meeting(body, cities, today, hour)
        _upcoming_meeting(body, past, today, hour)
    _paper(cities)
    _cooperation_papers(cities, today)


@transaction.atomic
def _history(body: Body, cities: dict, today: dt.date, per_year: int, hour: int) -> None:
    """Held meetings since 2021, one city after another; Hagen joined late and has not hosted yet."""
    step = 365 // per_year
    day = today - dt.timedelta(days=step * (len(ROTATION) + 1))
    for index, slug in enumerate(ROTATION):
        city = cities[slug]
        meeting, _ = create_meeting(
            None,
            body,
            start=_at(_working_day(day), hour),
            end=_at(_working_day(day), hour + 3),
            host=city,
            location=_venue(city),
            status="held",
            title=f"{body.short_name or body.name}-Treffen in {city.short_name}",
        )
        # Who came (the minutes' attendance list; the minutes of these older meetings are not in the demo):
        # most seats, a different one or two missing each time, so the yearly report has figures per city.
        seats = [s.person for s in Membership.objects.current().filter(body=body).exclude(role="guest").select_related("person")]
        missing = {index % max(len(seats), 1), (index * 7 + 3) % max(len(seats), 1)} if index % 3 else set()
        record_attendance(None, minutes_for(meeting), [p for n, p in enumerate(seats) if n not in missing])
        day += dt.timedelta(days=step)


def _past_meeting(body: Body, cities: dict, today: dt.date, hour: int) -> Meeting:
    """The latest held meeting, with minutes through to publication; its actions stay open."""
    day = _working_day(today - dt.timedelta(days=45))
    host = propose_host(body)
    meeting, _ = create_meeting(
        None,
        body,
        start=_at(day, hour),
        end=_at(day, hour + 3),
        host=host,
        location=_venue(host),
        status="scheduled",
        title=f"{body.short_name or body.name}-Treffen in {host.short_name}",
    )
    apply_template(None, meeting)
    topic_title, topic_text, presenter_city, summary, decision_kind, decision_text = TOPICS[body.slug]
    topic = propose_item(
        None,
        body,
        title=topic_title,
        description=topic_text,
        municipality=cities[presenter_city],
        duration_minutes=40,
    )
    internal = propose_item(None, body, title="Personalsituation in der Geschäftsführung", public=False, duration_minutes=20)
    for item in (topic, internal):
        decide_item(None, item, "accept", meeting=meeting)
    mark_held(None, meeting)
    minutes = minutes_for(meeting)
    present = [
        m.person
        for m in Membership.objects.current().filter(body=body, role__in=["speaker", "member"]).select_related("person")[:8]
    ]
    record_attendance(None, minutes, present)
    previous = Meeting.objects.filter(body=body, start__lt=meeting.start).exclude(pk=meeting.pk).order_by("-start").first()
    standing = {item.kind: item for item in meeting.agenda_items.alive().exclude(kind="regular")}
    save_item_minutes(
        None,
        standing["welcome"],
        summary=(
            f"Die Stadt {host.short_name} begrüßt die Teilnehmenden und stellt ihr Integrationskonzept vor: "
            "Schwerpunkte sind die interkulturelle Öffnung der Verwaltung und die Ausbildung."
        ),
    )
    if previous is not None:
        save_item_minutes(
            None,
            standing["minutes"],
            summary=f"Zum Protokoll der Sitzung vom {previous.start:%d.%m.%Y} gibt es keine Einwände.",
            result="einstimmig",
        )
        add_decision(None, standing["minutes"], f"Das Protokoll der Sitzung vom {previous.start:%d.%m.%Y} wird genehmigt.")
    save_item_minutes(None, standing["open_actions"], summary="Alle Aufgaben aus der letzten Sitzung sind erledigt.")
    save_item_minutes(None, topic, summary=summary, result="einvernehmlich")
    add_decision(None, topic, decision_text, kind=decision_kind)
    due = today + dt.timedelta(days=30)
    for title, city in ACTIONS[body.slug]:  # each body its own actions: the demo has no task twice
        add_action(None, topic, title, municipality=cities[city], due_date=due)
    save_item_minutes(None, internal, summary="Die Vertretung der Geschäftsführung ist bis Jahresende geregelt.")
    save_item_minutes(
        None,
        standing["aob"],
        summary="Hinweis auf den Fachtag „Vielfalt in der Verwaltung“ im Frühjahr; die Einladung folgt.",
    )
    circulate_minutes(None, minutes, at=meeting.end + dt.timedelta(days=1))  # the window is long over
    approve_minutes(None, minutes)
    publish_minutes(None, minutes)
    return meeting


def _upcoming_meeting(body: Body, past: Meeting, today: dt.date, hour: int) -> None:
    day = _working_day(today + dt.timedelta(days=30))
    host = propose_host(body)
    meeting, _ = create_meeting(
        None,
        body,
        start=_at(day, hour),
        end=_at(day, hour + 3),
        host=host,
        location=_venue(host),
        status="scheduled",
        title=f"{body.short_name or body.name}-Treffen in {host.short_name}",
    )
    apply_template(None, meeting)
    forum = propose_item(None, body, title="Vorbereitung des Interkommunalen Forums", duration_minutes=45, municipality=host)
    decide_item(None, forum, "accept", meeting=meeting)
    propose_item(
        None,
        body,
        title="Erfahrungsaustausch Willkommenskultur",
        description="Vorschlag für eine der nächsten Sitzungen.",
        duration_minutes=30,
    )
    send_invitation(None, meeting)
    for seat in Membership.objects.current().filter(body=body, role__in=["speaker", "member"]).select_related("person")[:4]:
        reply(seat.person, meeting, Reply.Answer.ATTENDING)


@transaction.atomic
def _paper(cities: dict) -> None:
    hagen = cities["hagen"]
    rg = Body.objects.get(slug="regiegruppe")
    paper = Paper.objects.create(
        reference="0569/2023",
        name="Beitritt der Stadt Hagen zur Städtekooperation Integration.Interkommunal",
        paper_type="Beschlussvorlage",
        date=dt.date(2023, 8, 15),
        municipality=hagen,
        lead_body=rg,
        description="Die Stadt Hagen tritt der Kooperation bei; der Eigenanteil beträgt 2.000 EUR jährlich (2024 und 2025).",
    )
    steps = [
        ("Integrationsrat", "Beirat", "Vorberatung", dt.date(2023, 8, 29), False),
        ("Ausschuss für Soziales, Integration und Demographie", "Ausschuss", "Vorberatung", dt.date(2023, 9, 19), False),
        ("Rat der Stadt Hagen", "Parlament", "Entscheidung", dt.date(2023, 9, 21), True),
    ]
    for order, (name, classification, role, day, authoritative) in enumerate(steps):
        committee = ExternalCommittee.objects.create(municipality=hagen, name=name, classification=classification)
        Consultation.objects.create(
            paper=paper, order=order, committee=committee, role=role, date=day, authoritative=authoritative
        )
    Consultation.objects.create(paper=paper, order=len(steps), body=rg, role="Kenntnisnahme", date=dt.date(2023, 11, 27))


@transaction.atomic
def _cooperation_papers(cities: dict, today: dt.date) -> None:
    """A paper on the Regiegruppe's next agenda (prepared in the Projektteam) and an internal one."""
    rg = Body.objects.get(slug="regiegruppe")
    pt = Body.objects.get(slug="projektteam")
    upcoming = Meeting.objects.alive().filter(body=rg, start__date__gt=today).order_by("start").first()
    forum_item = upcoming.agenda_items.alive().filter(title="Vorbereitung des Interkommunalen Forums").first()
    prepared = Meeting.objects.alive().filter(body=pt, start__date__lt=today).order_by("-start").first()
    forum = create_paper(
        None,
        reference="RG-03/" + str(upcoming.start.year),
        name="Konzept für das nächste Interkommunale Forum",
        paper_type=Paper.Type.DECISION,
        date=today - dt.timedelta(days=20),
        municipality=upcoming.host_municipality,
        lead_body=rg,
        description="Ziel, Zielgruppen und Ablauf des Forums mit Wirtschaft, Wissenschaft und Zivilgesellschaft; "
        "Kostenrahmen und Aufteilung der Vorbereitung zwischen den Städten.",
        public=True,
    )
    add_consultation(
        None,
        forum,
        forum.sequence_version,
        body=pt,
        role=Consultation.Role.PRELIMINARY,
        meeting=prepared,
    )
    add_consultation(
        None,
        forum,
        forum.sequence_version,
        body=rg,
        role=Consultation.Role.DECISION,
        authoritative=True,
        meeting=upcoming,
        agenda_item=forum_item,
    )
    shares = create_paper(
        None,
        reference="GF-01/" + str(today.year),
        name="Kostenverteilung: Anteile der Mitgliedsstädte",
        paper_type=Paper.Type.NOTICE,
        date=today - dt.timedelta(days=10),
        municipality=cities["essen"],
        lead_body=rg,
        description="Die Geschäftsführung teilt die Anteile der zehn Städte an den gemeinsamen Kosten mit.",
        public=False,
    )
    add_consultation(None, shares, shares.sequence_version, body=rg, role=Consultation.Role.NOTICE, meeting=upcoming)


INTEGRATION_POLL = "Projektteam: Termin für das Herbsttreffen"


@transaction.atomic
def load_demo_integration() -> None:
    """A date poll "für eine Sitzung" in the Projektteam's workspace, confirmed: it made a draft meeting.

    (The Regiegruppe's running poll in calendar_events.demo is one "für eine Sitzung" too.) The demo's
    action items are tasks already: ``add_action`` creates them. Idempotent.
    """
    from accounts.models import User
    from notifications.actions import fan_out_pending
    from polls.actions import confirm, create_poll
    from workspaces.models import Workspace

    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    workspace = Workspace.objects.filter(body__slug="projektteam").first()
    if office is None or workspace is None:
        return
    if Meeting.objects.filter(body=workspace.body, title=own_title(workspace.body, INTEGRATION_POLL)).exists():
        return
    today = timezone.localdate()
    days = sorted({_working_day(today + dt.timedelta(days=n)) for n in (60, 63, 67)})
    poll = create_poll(
        office,
        workspace,
        title=INTEGRATION_POLL,
        description="Welcher Termin passt für das nächste Treffen des Projektteams?",
        location="Rathaus Bottrop",
        deadline=_at(today + dt.timedelta(days=20), 18),
        slots=[(_at(day, 13), _at(day, 16)) for day in days],
        purpose="meeting",
    )
    confirm(office, poll, poll.slots.order_by("starts_at")[1])
    fan_out_pending(limit=100)
