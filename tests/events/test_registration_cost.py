"""What a registration costs in database round trips, and how many of them run while the event's row is locked
(every registration of the rush waits for those): a guard for bench/registration_rush.py's p95."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.events.conftest import make_forum

pytestmark = pytest.mark.django_db


def _post(client, url, n):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"name": f"Person {n}", "email": f"p{n}@example.org", "photo": "none"})
    assert response.status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    locked = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s)
    return len(sql), len(sql) - locked


@pytest.mark.parametrize("capacity", [5, 0], ids=["place", "waiting-list"])
def test_a_registration_post_is_a_few_round_trips_and_fewer_under_the_lock(personas, client, capacity):
    forum = make_forum(personas["office"], capacity=max(capacity, 1), slug=f"forum-kosten-{capacity}")
    url = forum.get_absolute_url()
    if capacity == 0:
        _post(client, url, 0)  # the only place is taken: the next ones go to the waiting list
    _post(client, url, 1)  # warm (content types, sessions)
    total, under_lock = _post(client, url, 2)
    print(f"capacity {capacity}: {total} queries, {under_lock} from the lock to the end")
    assert under_lock <= 9, under_lock
    assert total <= 20, total
