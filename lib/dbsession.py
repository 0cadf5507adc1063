"""Settings for every PostgreSQL session the platform opens (connected in ``lib.apps``).

``random_page_cost`` (``DATABASE_RANDOM_PAGE_COST``, default 1.1): PostgreSQL's default of 4 models
spinning disks, on which reading pages out of order costs four times reading them in order. On SSD or
flash storage — what data centres run databases on today — the planner then prefers reading a city's
entries of a year all at once and sorting them over walking their index newest first and stopping
after the 400 it needs (measured at 100,000 entries: a member's common word in one city 11 ms against
3.6 ms). PostgreSQL's manual suggests 1.1 for such storage. Set per session, it works the same behind
PgBouncer and needs no rights on the database; ``server`` leaves the server's own value.
"""

from __future__ import annotations

from django.conf import settings


def tune_session(sender, connection, **kwargs) -> None:
    cost = getattr(settings, "DATABASE_RANDOM_PAGE_COST", None)
    if connection.vendor != "postgresql" or cost is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET random_page_cost = {float(cost)}")  # a number checked in the settings
