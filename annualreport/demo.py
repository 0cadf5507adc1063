"""Demo reports: last year's frozen, approved and published; this year's as a draft with its first texts."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from members.models import Body, Membership

from . import actions
from .models import AnnualReport

FOREWORD = (
    "Zehn Städte, ein Ziel: Die Verwaltungen des Ruhrgebiets sollen so vielfältig werden wie ihre Bevölkerung. "
    "Dieser Bericht zeigt, was die Städtekooperation im Jahr {year} dafür getan hat – aus den Sitzungen, Beschlüssen, "
    "Aufgaben und Veröffentlichungen der gemeinsamen Plattform.\n\n"
    "Wir danken allen Kolleginnen und Kollegen in den Integrationszentren und Personalabteilungen für ihre Mitarbeit."
)
OUTLOOK = (
    "Im kommenden Jahr will die Kooperation die Fortbildung zur interkulturellen Kompetenz in allen Städten anbieten "
    "und die nächste Beschäftigtenbefragung vorbereiten."
)
COMMENTARY = {
    "meetings": "Regiegruppe und Projektteam haben in der vereinbarten Frequenz getagt; die Gastgeberschaft wechselte reihum.",
    "actions": "Offene Aufgaben werden in jeder Sitzung unter „Offene Aufgaben“ nachgehalten.",
}
PARTNER = {
    "training": "Das Basismodul „Interkulturelle Sensibilisierung“ wurde in mehreren Städten angeboten.",
    "hr": "Die Beschäftigtenbefragung liefert die Zahlen zum zweiten strategischen Ziel des Kontrakts.",
}


def _office_user():
    seat = (
        Membership.objects.current()
        .filter(body__kind=Body.Kind.MANAGING_OFFICE, person__user__isnull=False)
        .select_related("person__user")
        .first()
    )
    return seat.person.user if seat else None


def _write_texts(actor, report: AnnualReport, year: int) -> None:
    texts = {"foreword": FOREWORD.format(year=year), "outlook": OUTLOOK}
    texts |= {f"commentary-{key}": text for key, text in COMMENTARY.items()}
    texts |= {f"partner-{key}": text for key, text in PARTNER.items()}
    for block in report.texts.filter(key__in=texts):
        actions.edit_text(actor, report, block.key, block.version, texts[block.key])


def _approval_item(year: int):
    """The Regiegruppe's decision on the report: an agenda item of its latest held meeting.

    Demo data only: written straight into the meeting's minutes, as if the Regiegruppe had decided it there.
    """
    from meetings.models import AgendaItem, Decision, Meeting, MeetingStatus

    meeting = (
        Meeting.objects.alive()
        .filter(body__kind=Body.Kind.STEERING_GROUP, status=MeetingStatus.HELD, start__year__gt=year)
        .order_by("-start")
        .first()
    )
    if meeting is None:
        return None
    item = AgendaItem.objects.create(
        body=meeting.body,
        meeting=meeting,
        title=f"Jahresbericht {year} an die Landesinitiative",
        status=AgendaItem.Status.ACCEPTED,
        position=90,
        summary="Die Geschäftsführung stellt den eingefrorenen Jahresbericht vor.",
        result="einstimmig",
    )
    Decision.objects.create(
        agenda_item=item,
        text=f"Die Regiegruppe beschließt den Jahresbericht {year} und bittet die Geschäftsführung, ihn zu veröffentlichen.",
    )
    return item


@transaction.atomic
def load_demo_annual_reports() -> None:
    if AnnualReport.objects.exists():
        return
    actor = _office_user()
    this_year = timezone.localdate().year
    last = actions.create_draft(actor, this_year - 1)
    _write_texts(actor, last, this_year - 1)
    last = actions.freeze(actor, last, last.version)
    item = _approval_item(this_year - 1)
    if item is not None:
        last = actions.link_approval(actor, last, last.version, item)
        actions.release(actor, last, last.version)
    current = actions.create_draft(actor, this_year)
    _write_texts(actor, current, this_year)
