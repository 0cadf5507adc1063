"""Demo self-check: two closed rounds of the cooperation checklist with a visible trend, and tasks from 2025.

Raters are invented people of the demo with a seat in the Regiegruppe or the Projektteam; they get
accounts without a usable password (nobody logs in as them). Answers are drawn from a fixed seed, so
the demo is the same on every machine. Idempotent by round name.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from members.models import Body, Membership

from .actions import Entry, close_round, create_follow_ups, open_round, save_answers
from .models import Checklist, Round

CITIES = ("essen", "dortmund", "oberhausen", "gelsenkirchen")
ROUNDS = (("Selbstcheck 2025", 365, 0.0), ("Selbstcheck 2026", 20, 0.8))  # name, days ago, improvement


def _raters() -> list[User]:
    raters = []
    seats = (
        Membership.objects.current()
        .filter(body__kind__in=[Body.Kind.STEERING_GROUP, Body.Kind.PROJECT_TEAM], municipality__slug__in=CITIES)
        .exclude(role=Membership.Role.GUEST)
        .select_related("person")
        .order_by("municipality__slug", "pk")
    )
    for seat in seats:
        person = seat.person
        if person.user_id is None:
            user = User.objects.filter(email=f"selbstcheck-{person.pk}@demo.interkommunal.example").first()
            if user is None:
                user = User.objects.create_user(email=f"selbstcheck-{person.pk}@demo.interkommunal.example", password=None)
            type(person).objects.filter(pk=person.pk).update(user=user)
            person.user = user
        if person.user not in raters:
            raters.append(person.user)
    return raters


@transaction.atomic
def load_demo_selfcheck() -> int:
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    checklist = Checklist.objects.filter(slug="kooperation").first()
    if office is None or checklist is None or Round.objects.filter(checklist=checklist).exists():
        return 0
    rng = random.Random(2009)  # a fixed seed: the same demo everywhere
    raters = _raters()
    created = 0
    for name, days_ago, improvement in ROUNDS:
        selfcheck_round = open_round(office, checklist, name=name)
        items = list(selfcheck_round.items())
        for rater in raters:
            entries = []
            for index, item in enumerate(items):
                if rng.random() < 0.06:
                    entries.append(Entry(item, None, True, "", (), 0))
                    continue
                base = 1.2 + (index % 5) * 0.45 + improvement + rng.gauss(0, 0.6 if index % 4 else 1.4)
                entries.append(Entry(item, max(0, min(4, round(base))), False, "", (), 0))
            save_answers(rater, selfcheck_round, entries)
        close_round(office, selfcheck_round)
        when = timezone.now() - dt.timedelta(days=days_ago)
        Round.objects.filter(pk=selfcheck_round.pk).update(opened_at=when - dt.timedelta(days=21), closed_at=when)
        created += 1
        if name.endswith("2025"):
            first = [item for item in items if item.factor.key in ("nutzen", "risiko")][:2]
            create_follow_ups(office, selfcheck_round, first, due_date=None)
    return created
