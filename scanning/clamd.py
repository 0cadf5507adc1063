"""A small client for clamd's socket protocol (INSTREAM, VERSION), over a Unix socket or TCP.

``CLAMD_ADDRESS`` is ``unix:/run/clamav/clamd.ctl`` (Debian's default) or ``tcp:host:port``.
Any failure to reach clamd or to read its answer raises :class:`Unavailable`: the caller holds the
file back rather than letting it through.
"""

from __future__ import annotations

import datetime as dt
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings

CHUNK = 64 * 1024


class Unavailable(Exception):
    """clamd could not be reached or gave no usable answer."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def _connect() -> socket.socket:
    address = settings.CLAMD_ADDRESS
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    try:
        if address.startswith("unix:"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(address.removeprefix("unix:"))
        elif address.startswith("tcp:"):
            host, _sep, port = address.removeprefix("tcp:").rpartition(":")
            sock = socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
        else:
            raise Unavailable(f"CLAMD_ADDRESS must start with unix: or tcp:, got {address!r}")
    except OSError as exc:
        raise Unavailable(f"clamd not reachable at {address}: {exc}") from exc
    return sock


def _answer(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        data += part
    if not data:
        raise Unavailable("clamd closed the connection without an answer")
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(chunks: Iterable[bytes]) -> Verdict:
    """Send the bytes to clamd and return its verdict (``stream: OK`` or ``stream: <name> FOUND``)."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK):
                    piece = chunk[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(piece)) + piece)
            sock.sendall(struct.pack("!L", 0))
            answer = _answer(sock)
    except OSError as exc:
        raise Unavailable(f"clamd failed during the scan: {exc}") from exc
    result = answer.partition(": ")[2] if ": " in answer else answer
    if result == "OK":
        return Verdict(infected=False)
    if result.endswith(" FOUND"):
        return Verdict(infected=True, signature=result.removesuffix(" FOUND")[:200])
    # "INSTREAM size limit exceeded. ERROR" and the like: not a verdict.
    raise Unavailable(f"clamd answered {answer!r}")


def version() -> str:
    """``ClamAV 1.4.6/27850/Sun Dec  6 08:23:00 2026`` (or without the database part for local signatures only)."""
    try:
        with _connect() as sock:
            sock.sendall(b"zVERSION\0")
            return _answer(sock)
    except OSError as exc:
        raise Unavailable(f"clamd failed to answer VERSION: {exc}") from exc


def signatures_date(version_line: str) -> dt.datetime | None:
    """The date of the signature database: from clamd's version line, else the newest file in CLAMAV_DATABASE_DIR."""
    parts = version_line.split("/")
    if len(parts) >= 3:
        try:
            return parsedate_to_datetime(_rfc2822(parts[2])).replace(tzinfo=dt.UTC)
        except (TypeError, ValueError):
            pass
    directory = Path(settings.CLAMAV_DATABASE_DIR) if settings.CLAMAV_DATABASE_DIR else None
    if directory is None or not directory.is_dir():
        return None
    stamps = [
        p.stat().st_mtime
        for p in directory.iterdir()
        if p.suffix in {".cvd", ".cld", ".hdb", ".hsb", ".ndb", ".ldb", ".cdb", ".mdb", ".msb"}
    ]
    return dt.datetime.fromtimestamp(max(stamps), tz=dt.UTC) if stamps else None


def _rfc2822(asctime: str) -> str:
    """clamd writes the date like ctime (``Sun Dec  6 08:23:00 2026``); reorder it for the e-mail date parser."""
    weekday, month, day, clock, year = asctime.split()
    return f"{weekday}, {day} {month} {year} {clock} +0000"
