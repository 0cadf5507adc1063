"""Objects the permission matrix needs for the monitoring URLs (tests/test_permission_matrix.py).

A finalised round "2025" with a released wave (Essen) and an unreleased one (Bochum), a draft
wave of a running round and a city access grant. The aggregates are written directly: the
matrix checks who may open a page, not the statistics (tests/monitoring/test_aggregation.py).
"""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from members.models import Municipality
from monitoring.models import AggregateCell, MonitoringAccess, Questionnaire, SurveyRound, Wave

D = dt.date


def monitoring_ids(personas) -> dict[str, object]:
    questionnaire = Questionnaire.objects.create(version="matrix-1", title="Befragung", introduction="Freiwillig.")
    final = SurveyRound.objects.create(
        slug="2025", name="Befragung 2025", questionnaire=questionnaire, finalised_on=D(2025, 6, 1)
    )
    running = SurveyRound.objects.create(slug="2026", name="Befragung 2026", questionnaire=questionnaire)
    essen, bochum = Municipality.objects.get(slug="essen"), Municipality.objects.get(slug="bochum")
    for city, status in ((essen, Wave.Status.RELEASED), (bochum, Wave.Status.FINAL)):
        Wave.objects.create(
            round=final, municipality=city, fielding_start=D(2025, 3, 1), fielding_end=D(2025, 4, 1), status=status
        )
        for concept in ("mh", "eg"):
            AggregateCell.objects.create(
                round=final,
                municipality=city,
                concept=concept,
                facet="total",
                label=city.short_name,
                positives=40,
                negatives=160,
                classified=200,
            )
    draft = Wave.objects.create(round=running, municipality=essen, fielding_start=D(2026, 3, 1), fielding_end=D(2026, 4, 1))
    hr_user = User.objects.create_user(email="personal.bochum@test.example", password=None)
    access = MonitoringAccess.objects.create(user=hr_user, municipality=bochum, function=MonitoringAccess.Function.HR)
    return {"round": final.slug, "wave": draft.pk, "access": access.pk}
