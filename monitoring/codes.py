"""One-time access codes and the encryption of paused answers.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I): 60 random bits, so
guessing a valid code is hopeless and the survey needs no rate limiting by IP address (which it
must not store). The database holds only ``HMAC(SECRET_KEY, code)``: a copy of the database alone
does not reveal or confirm any code. Rotating ``SECRET_KEY`` invalidates outstanding codes.

Paused answers are stored under a *different* HMAC of the code, so a row of paused answers
cannot be joined to its access-code row without the code, and they are encrypted with a key
derived from the code, so they cannot be read without it either.

Submitted answers wait in the mixing pool sealed under a key derived from ``SECRET_KEY`` alone
(the server must open them later, without the code). Every plaintext is padded to a multiple of
:data:`PADDED_BLOCK` bytes, so the length of a sealed value does not tell how many questions were
answered or which answers were given.
"""

from __future__ import annotations

import base64
import json
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
GROUP = 4


def generate_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(code: str) -> str | None:
    """Upper case without spaces and hyphens; None if it cannot be a code at all."""
    cleaned = "".join(ch for ch in code.upper() if ch not in " -\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_hash(normalised_code: str) -> str:
    return salted_hmac("monitoring.access-code", normalised_code, algorithm="sha256").hexdigest()


def partial_key(normalised_code: str) -> str:
    return salted_hmac("monitoring.partial-answers.id", normalised_code, algorithm="sha256").hexdigest()


def _cipher(normalised_code: str) -> AESGCM:
    """AES-256-GCM (unlike Fernet, the ciphertext carries no timestamp)."""
    return AESGCM(salted_hmac("monitoring.partial-answers.key", normalised_code, algorithm="sha256").digest())


PADDED_BLOCK = 2048


def _padded_json(data) -> bytes:
    """JSON padded with spaces (which JSON ignores) to a multiple of PADDED_BLOCK bytes."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return text + b" " * (-len(text) % PADDED_BLOCK)


def _seal(cipher: AESGCM, data) -> str:
    nonce = secrets.token_bytes(12)
    return base64.urlsafe_b64encode(nonce + cipher.encrypt(nonce, _padded_json(data), None)).decode()


def _open(cipher: AESGCM, payload: str):
    raw = base64.urlsafe_b64decode(payload.encode())
    return json.loads(cipher.decrypt(raw[:12], raw[12:], None))


def encrypt_answers(normalised_code: str, answers: dict[str, str]) -> str:
    return _seal(_cipher(normalised_code), answers)


def decrypt_answers(normalised_code: str, payload: str) -> dict[str, str] | None:
    try:
        data = _open(_cipher(normalised_code), payload)
    except (InvalidTag, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return None
    return data


def _pool_cipher(secret: str) -> AESGCM:
    return AESGCM(salted_hmac("monitoring.mixing-pool.key", "pool", secret=secret, algorithm="sha256").digest())


def seal_for_pool(values: list) -> str:
    """Seal a response row for the mixing pool (only the server can open it, and only as a batch)."""
    return _seal(_pool_cipher(settings.SECRET_KEY), values)


class UnreadablePoolEntry(Exception):
    """A sealed answer opens with neither SECRET_KEY nor any SECRET_KEY_FALLBACKS entry."""


def open_from_pool(payload: str) -> list:
    """The row values sealed by :func:`seal_for_pool`; tries SECRET_KEY_FALLBACKS after a key rotation."""
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        try:
            return _open(_pool_cipher(secret), payload)
        except (InvalidTag, ValueError):
            continue
    raise UnreadablePoolEntry
