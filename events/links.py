"""Personal links: a participant's registration and a city coordinator's contingent.

A link carries the row's id and its random ``link_key``, signed with the site's secret key. The key alone
in the database is no usable link (the signature needs the secret), and a link can be re-sent by mail at
any time (a double registration gets its link again) without keeping the link itself anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

REGISTRATION_SALT = "events.registration-link"
CONTINGENT_SALT = "events.contingent-link"
MAX_TOKEN = 200


def _token(salt: str, pk: int, key: str) -> str:
    return signing.Signer(salt=salt).sign_object([pk, key], compress=True)


def read(salt: str, token: str) -> tuple[int, str] | None:
    """(id, key) from a link, or None for a tampered, foreign or over-long one."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        pk, key = signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(key, str):
        return None
    return pk, key


def registration_token(registration) -> str:
    return _token(REGISTRATION_SALT, registration.pk, registration.link_key)


def registration_url(registration) -> str:
    return settings.SITE_URL + reverse("events:registration", args=[registration_token(registration)])


def contingent_token(contingent) -> str:
    return _token(CONTINGENT_SALT, contingent.pk, contingent.link_key)


def contingent_url(contingent) -> str:
    return settings.SITE_URL + reverse("events:contingent", args=[contingent_token(contingent)])
