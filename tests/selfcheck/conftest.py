"""Raters for the self-check: people with a seat in the Regiegruppe or the Projektteam for a city."""

from __future__ import annotations

import pytest

from members.models import Membership
from selfcheck.defaults import install
from selfcheck.models import Checklist, Factor, Item
from tests.conftest import make_user, seat


def make_rater(email: str, city: str, body: str = "projektteam"):
    user = make_user(email)
    seat(user, body, Membership.Role.MEMBER, city, given_name="Rater", family_name=email.split("@")[0].title())
    return user


@pytest.fixture
def raters(personas):
    """Three raters in Essen (Projektteam), two in Bochum (one of them the member persona, Regiegruppe)."""
    return {
        "essen": [make_rater(f"essen{i}@test.example", "essen") for i in range(3)],
        "bochum": [personas["member"], make_rater("bochum1@test.example", "bochum")],
    }


@pytest.fixture
def checklist(db):
    """The shipped checklist (installed again: a browser test's flush removes what the data migration wrote)."""
    install(Checklist, Factor, Item)
    return Checklist.objects.get(slug="kooperation")
