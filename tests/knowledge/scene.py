"""Contributors and practice examples for the knowledge tests (through the actions, as the pages do)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from knowledge import actions
from knowledge.models import Contributor, PracticeExample
from members.models import Municipality, Person
from monitoring.models import AggregateCell, Questionnaire, SurveyRound, Wave
from tests.conftest import make_user


def make_contributor(
    email: str, *, given_name: str = "Kemal", family_name: str = "Beitrag", organisation: str = "Verein Brücke e. V."
):
    user = make_user(email)
    person = Person.objects.create(
        given_name=given_name, family_name=family_name, email=email, user=user, profile_visibility="office"
    )
    Contributor.objects.create(person=person, organisation=organisation, kind="migrant_organisation", origin="invited")
    return user


def example_data(**overrides) -> dict:
    data = {
        "title": "Mentoring für Auszubildende",
        "summary": "Erfahrene Beschäftigte begleiten Auszubildende mit Einwanderungsgeschichte.",
        "field": "recruitment",
        "target_group": "trainees",
        "goals": "Mehr Auszubildende mit Einwanderungsgeschichte halten.",
        "approach": "Tandems aus Azubi und Mentorin, monatliche Treffen.",
        "contact_name": "Kemal Beitrag",
        "licence": "cc-by-4.0",
        "cities": list(Municipality.objects.filter(slug="bochum")),
    }
    data.update(overrides)
    return data


def submitted(author, **overrides) -> PracticeExample:
    example = actions.create_example(author, example_data(**overrides))
    actions.submit(author, example, example.version)
    example.refresh_from_db()
    return example


def approve_twice(example: PracticeExample, first, second) -> None:
    actions.approve(first, example, example.latest_id)
    actions.approve(second, example, example.latest_id)
    example.refresh_from_db()


def _cell(survey_round, slug, share, concept="eg", **fields):
    city = Municipality.objects.get(slug=slug) if slug else None
    return AggregateCell.objects.create(
        round=survey_round,
        municipality=city,
        concept=concept,
        facet="total",
        category="",
        label="insgesamt",
        positives=None if fields.get("positives_reason") else 50,
        classified=400,
        share=share,
        **fields,
    )


def released_figures() -> dict:
    """Round 2025: Essen released, Bochum evaluated but not released, Herne released with a suppressed figure."""
    questionnaire = Questionnaire.objects.create(version="t-1", core="1", title="Befragung", introduction="Freiwillig.")
    today = timezone.localdate()
    survey_round = SurveyRound.objects.create(
        slug="2025", name="Befragung 2025", questionnaire=questionnaire, finalised_on=today - dt.timedelta(days=30)
    )
    statuses = {"essen": Wave.Status.RELEASED, "bochum": Wave.Status.FINAL, "herne": Wave.Status.RELEASED}
    waves = {}
    for slug, status in statuses.items():
        waves[slug] = Wave.objects.create(
            round=survey_round,
            municipality=Municipality.objects.get(slug=slug),
            fielding_start=today - dt.timedelta(days=90),
            fielding_end=today - dt.timedelta(days=60),
            status=status,
        )
    return {
        "round": survey_round,
        "waves": waves,
        "essen": _cell(survey_round, "essen", 0.123),
        "bochum": _cell(survey_round, "bochum", 0.317),
        "herne": _cell(survey_round, "herne", None, positives_reason="k"),
        "total": _cell(survey_round, None, 0.2),
    }
