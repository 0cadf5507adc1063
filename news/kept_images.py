"""An image chosen in the post form survives an error elsewhere in the form.

Browsers empty a file input after every submission, so a form that came back with "Bitte geben Sie eine Überschrift
an." had silently lost the chosen image. The form now stores a valid upload under ``news/kept/`` and carries a signed
token (author and file name, valid for a day) in a hidden field; the next submission takes the image from there. The
token is signed with the secret key and bound to the author: nobody can name another file or another person's image.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Model

FOLDER = "news/kept"
MAX_AGE_SECONDS = 24 * 60 * 60
_SALT = "news.kept-image"


def store(upload: File[Any]) -> str:
    """Save the upload; returns its storage name ``news/kept/<random>/<original name>``."""
    original = PurePosixPath(upload.name or "bild").name[-100:]
    upload.seek(0)
    return default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}/{original}", upload)


def token(name: str, author: Model) -> str:
    return signing.dumps({"name": name, "author": author.pk}, salt=_SALT, compress=True)


def load(value: str | None, author: Model | None) -> str | None:
    """The storage name behind a token of this author, or None (missing, forged, expired, someone else's, gone)."""
    if not value or author is None:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    name = data.get("name", "")
    if data.get("author") != author.pk or not name.startswith(FOLDER + "/") or ".." in name:
        return None
    return name if default_storage.exists(name) else None


def as_upload(name: str) -> File[Any]:
    """The kept file as a new upload for the model's ImageField (saved again under the post's own folder)."""
    return File(default_storage.open(name), name=original_name(name))


def original_name(name: str) -> str:
    return PurePosixPath(name).name


def discard(name: str | None) -> None:
    if name:
        default_storage.delete(name)
