"""Settings for the test suite: the real settings with fast hashing and synchronous background tasks.

The database comes from DATABASE_URL (PostgreSQL in bin/test) or is SQLite otherwise.
"""

import os

os.environ.setdefault("INTERKOMMUNAL_ENV", "test")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("LOG_FORMAT", "plain")
os.environ.setdefault("INTERKOMMUNAL_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))

if os.environ.get("TEST_CLOCK_SHIFT_DAYS"):
    # The suite on another day: `TEST_CLOCK_SHIFT_DAYS=365 bin/test` moves the wall clock of every process that
    # loads these settings (the test processes, the real workers they start) a year ahead; the clock keeps
    # running, and monotonic time (timeouts, sleeps) is left alone. bin/test starts PostgreSQL under faketime
    # with the same shift. A test that passes today but not then holds a date that expires.
    import datetime as _dt

    import time_machine as _time_machine

    _shift = _dt.timedelta(days=int(os.environ["TEST_CLOCK_SHIFT_DAYS"]))
    _time_machine.travel(_dt.datetime.now(_dt.UTC) + _shift, tick=True).start()

from .settings import *  # noqa: F403
from .settings import STORAGES, TASK_QUEUES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SITE_URL = "http://testserver"
