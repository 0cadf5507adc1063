"""The development mailbox: mails are kept as files and read in the browser, not printed into the terminal.

``bin/run`` starts the server and the worker in one terminal. With Django's console backend every mail (HTML and
plain text, often two hundred lines each) went there and pushed the start banner with the demo logins out of sight.
In development (``INTERKOMMUNAL_ENV=development`` without ``EMAIL_HOST``) each mail is written as one ``.eml`` file
to ``DEV_MAILBOX_DIR`` (default ``var/mail/``) and listed at ``/entwicklung/postfach/``. Never in production: the
settings refuse to turn it on there.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage as DjangoMessage
from django.http import Http404
from django.utils import timezone

# The file name is the mail's id in the URL: a UTC time stamp (sorts by arrival) and a random part.
_NAME_LENGTH = len("20260101T000000000000-") + 32


def mailbox_dir() -> Path:
    return Path(settings.DEV_MAILBOX_DIR)


class MailboxBackend(BaseEmailBackend):
    """Stores each message as ``<time>-<random>.eml``; several worker processes may write at once."""

    def send_messages(self, email_messages: Sequence[DjangoMessage]) -> int:
        folder = mailbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{uuid.uuid4().hex}.eml"
            partial = folder / f".{name}.part"
            partial.write_bytes(message.message().as_bytes(linesep="\n"))
            partial.rename(folder / name)  # readers never see half a mail
            sent += 1
        return sent


@dataclass
class StoredMail:
    id: str
    subject: str
    sender: str
    to: str
    received: dt.datetime
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


def _read(path: Path) -> StoredMail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    stamp = dt.datetime.strptime(path.name[:21], "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC)
    return StoredMail(
        id=path.stem,
        subject=str(message["Subject"] or ""),
        sender=str(message["From"] or ""),
        to=", ".join(str(v) for v in (message.get_all("To") or [])),
        received=stamp,
        message=message,
    )


def list_mails(limit: int = 200) -> tuple[list[StoredMail], int]:
    """The newest ``limit`` mails, newest first, and how many there are in all."""
    folder = mailbox_dir()
    if not folder.is_dir():
        return [], 0
    paths = sorted((p for p in folder.glob("*.eml") if len(p.name) == _NAME_LENGTH + 4), reverse=True)
    return [_read(p) for p in paths[:limit]], len(paths)


def get_mail(mail_id: str) -> StoredMail:
    """One mail by its id; 404 for anything that is not the name of a stored mail (no paths from the URL)."""
    if len(mail_id) != _NAME_LENGTH or not all(c.isalnum() or c == "-" for c in mail_id):
        raise Http404
    path = mailbox_dir() / f"{mail_id}.eml"
    if not path.is_file():
        raise Http404
    return _read(path)


def clear() -> int:
    """Delete every stored mail; returns how many."""
    folder = mailbox_dir()
    count = 0
    for path in folder.glob("*.eml") if folder.is_dir() else ():
        path.unlink(missing_ok=True)
        count += 1
    return count
