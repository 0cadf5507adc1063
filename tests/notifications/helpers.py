"""Helpers for notification tests: many accounts at once, a real SMTP server as the mail backend."""

from __future__ import annotations

from accounts.models import User


def many_users(n: int, prefix: str = "person") -> list[User]:
    User.objects.bulk_create([User(email=f"{prefix}{i}@example.org", password="!") for i in range(n)])
    return list(User.objects.filter(email__startswith=prefix, email__endswith="@example.org").order_by("pk"))


def use_smtp(settings, smtp) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
