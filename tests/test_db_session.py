"""Every PostgreSQL session the platform opens plans for SSD storage (lib/dbsession.py), unless told otherwise."""

import os
import subprocess
import sys

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting"),
]


def fresh_setting() -> str:
    session = connections.create_connection("default")
    try:
        with session.cursor() as cursor:
            cursor.execute("SHOW random_page_cost")
            return cursor.fetchone()[0]
    finally:
        session.close()


def test_a_new_session_gets_the_configured_page_cost(settings):
    assert fresh_setting() == "1.1"
    settings.DATABASE_RANDOM_PAGE_COST = 2.5
    assert fresh_setting() == "2.5"


def test_server_leaves_the_servers_own_value(settings):
    settings.DATABASE_RANDOM_PAGE_COST = None
    with connection.cursor() as cursor:
        cursor.execute("SELECT boot_val FROM pg_settings WHERE name = 'random_page_cost'")
        server_default = cursor.fetchone()[0]
    assert fresh_setting() == server_default


def test_a_wrong_value_stops_the_start():
    for value, message in (("schnell", "must be a number"), ("0", "between 0 and 100")):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'interkommunal.settings'); django.setup()",
            ],
            env={**os.environ, "DATABASE_RANDOM_PAGE_COST": value},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0 and message in result.stderr, value
