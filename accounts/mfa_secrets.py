"""Second-factor secrets (TOTP keys, recovery-code seeds) are stored encrypted, not in the clear.

AES-256-GCM with a key derived from ``SECRET_KEY``; a database dump alone does not let anybody
generate a person's codes. After a key rotation the old keys in ``SECRET_KEY_FALLBACKS`` still open
the stored values, and ``manage.py reseal_mfa_secrets`` re-encrypts them with the current key.
Values written before encryption was introduced (no prefix) are read as they are and sealed by the
migration that introduced this module.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.crypto import salted_hmac

PREFIX = "aesgcm1:"
_SALT = "accounts.mfa-secret"
# The fields of allauth's Authenticator.data that hold secrets, per authenticator type.
SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}


class UnreadableSecret(Exception):
    """No configured key opens the stored value (SECRET_KEY changed without a fallback)."""


def _cipher(key: str) -> AESGCM:
    return AESGCM(salted_hmac(_SALT, "v1", secret=key, algorithm="sha256").digest())


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(text: str) -> str:
    nonce = secrets.token_bytes(12)
    sealed = _cipher(settings.SECRET_KEY).encrypt(nonce, text.encode(), PREFIX.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(value: str) -> str:
    if not is_sealed(value):
        return value
    try:
        raw = base64.urlsafe_b64decode(value[len(PREFIX) :].encode())
    except ValueError as exc:
        raise UnreadableSecret from exc
    for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            return _cipher(key).decrypt(raw[:12], raw[12:], PREFIX.encode()).decode()
        except (InvalidTag, ValueError):
            continue
    raise UnreadableSecret


def rewrite_all(authenticator_model, change) -> int:
    """Apply ``change`` (stored value → stored value) to every secret field of every authenticator."""
    count = 0
    for authenticator in authenticator_model.objects.filter(type__in=list(SECRET_FIELDS)).iterator():
        fields = [f for f in SECRET_FIELDS[authenticator.type] if isinstance(authenticator.data.get(f), str)]
        for field in fields:
            authenticator.data[field] = change(authenticator.data[field])
        if fields:
            authenticator.save(update_fields=["data"])
            count += 1
    return count


def reseal_all(authenticator_model) -> int:
    """Encrypt every stored secret with the current key (readable ones in the clear or under a fallback key)."""
    return rewrite_all(authenticator_model, lambda value: seal(unseal(value)))
