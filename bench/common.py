"""What every benchmark script shares: production settings on a throw-away database, and the figures file."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path


def setup_django(database_url: str, var_dir: Path, *, settings_module: str = "interkommunal.settings", **extra_env: str) -> None:
    """Production mode (DEBUG off, real secret, no HTTPS redirect on 127.0.0.1) against ``database_url``."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "INTERKOMMUNAL_ENV": "production",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "EMAIL_HOST": "localhost",
            "SECURE_SSL_REDIRECT": "false",
            "INTERKOMMUNAL_VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
            **extra_env,
        }
    )
    import django

    django.setup()


def write_figures(output: Path, figures: dict, section: str, meta: dict) -> None:
    """Merge into the shared figures file; re-read right before writing, other benchmarks own other keys."""
    data = json.loads(output.read_text()) if output.exists() else {}
    data.setdefault("figures", {}).update(figures)
    data.setdefault("meta", {})[section] = meta
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
