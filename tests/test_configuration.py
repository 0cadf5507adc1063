"""Settings come from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.sqlite_fast]


def test_env_example_documents_every_variable_the_settings_read():
    settings_source = (ROOT / "interkommunal" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    assert read, "no variables found"
    assert read - documented == set(), f"not in .env.example: {sorted(read - documented)}"


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "INTERKOMMUNAL_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "interkommunal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD = {
    "INTERKOMMUNAL_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-secret-for-the-configuration-test-only",
    "DJANGO_ALLOWED_HOSTS": "interkommunal.example",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db",
    "EMAIL_HOST": "localhost",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is required"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is required"),
        ("DATABASE_URL", "DATABASE_URL is required"),
        ("EMAIL_HOST", "EMAIL_HOST is required"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    result = _check({k: v for k, v in GOOD.items() if k != missing})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_short_secret_and_debug():
    assert "at least 50" in _check({**GOOD, "DJANGO_SECRET_KEY": "short"}).stderr
    assert "must be off in production" in _check({**GOOD, "DJANGO_DEBUG": "true"}).stderr
    assert "must be a boolean" in _check({**GOOD, "DJANGO_DEBUG": "vielleicht"}).stderr


def test_production_starts_with_everything_set():
    result = _check(GOOD)
    assert result.returncode == 0, result.stderr
