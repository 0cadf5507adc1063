"""Figures of events for other apps (the annual report)."""

from __future__ import annotations

from django.db.models import Count

from .models import Registration


def participants_per_city(year: int) -> dict[int | None, int]:
    """People who attended an event that started in ``year`` (checked in), per city id (None: no city).

    Kept after the retention rule, which anonymises names but keeps city and attendance. The shape matches
    ``annualreport.figures._by_year`` (city id → count), so the report can protect small cells the same way.
    """
    rows = (
        Registration.objects.filter(event__starts_at__year=year, checked_in_at__isnull=False)
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["municipality_id"]: row["n"] for row in rows}
