"""Signed unsubscribe links: they work without login, from a mail client's one-click POST (RFC 8058)."""

from __future__ import annotations

from django.core import signing

_SALT = "notifications.unsubscribe"


def make_token(user_id: int, scope: str) -> str:
    """``scope`` is ``all`` (every mail) or ``ws:<id>`` (mails from one workspace)."""
    return signing.dumps({"u": user_id, "s": scope}, salt=_SALT, compress=False)


def read_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("s"), str):
        return None
    scope = data["s"]
    if scope != "all" and not (scope.startswith("ws:") and scope[3:].isdigit()):
        return None
    return data["u"], scope
