"""Contributors and practice examples for the knowledge tests (through the actions, as the pages do)."""

from __future__ import annotations

from knowledge import actions
from knowledge.models import Contributor, PracticeExample
from members.models import Municipality, Person
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
