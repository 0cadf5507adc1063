"""Settings for the test suite: the real settings with fast hashing and synchronous background tasks.

The database comes from DATABASE_URL (PostgreSQL in bin/test) or is SQLite otherwise.
"""

import os

os.environ.setdefault("INTERKOMMUNAL_ENV", "test")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("LOG_FORMAT", "plain")
os.environ.setdefault("INTERKOMMUNAL_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))

from .settings import *  # noqa: F403
from .settings import STORAGES, TASK_QUEUES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SITE_URL = "http://testserver"
