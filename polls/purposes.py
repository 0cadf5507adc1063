"""What a confirmed poll becomes, besides the calendar event every poll gets.

Other apps register a purpose (the meetings app: ``meeting``, a draft meeting of the workspace's
body). A purpose says who may start such a poll in which workspace and, once the poll is
confirmed, which object came out of it (shown on the poll and after confirming). The polls app
itself knows no other app; the receiver of :data:`polls.signals.slot_confirmed` does the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

EVENT = "event"
EVENT_LABEL = _("Termin im Kalender des Arbeitsbereichs")


@dataclass(frozen=True)
class Purpose:
    key: str
    label: str
    can_start: Callable[[object, object], bool]
    outcome: Callable[[object, object], object | None]  # (poll, user): what came out of it, if user may open it
    announce: Callable[[object], str] | None = None  # the message after confirming, about the outcome


def announcement(outcome) -> str:
    """The message shown after confirming, about what came out of the poll."""
    for purpose in _PURPOSES.values():
        if purpose.announce is not None:
            text = purpose.announce(outcome)
            if text:
                return text
    return _("Daraus ist entstanden: %(what)s.") % {"what": outcome}


_PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> Purpose:
    _PURPOSES[purpose.key] = purpose
    return purpose


def get(key: str) -> Purpose | None:
    return _PURPOSES.get(key)


def available(user, workspace) -> list[Purpose]:
    """The registered purposes ``user`` may choose in ``workspace`` (the plain event is always possible)."""
    return [p for p in _PURPOSES.values() if p.can_start(user, workspace)]


def allowed(user, workspace, key: str) -> bool:
    if key == EVENT:
        return True
    purpose = get(key)
    return purpose is not None and purpose.can_start(user, workspace)


def outcome_of(poll, user) -> object | None:
    """What the confirmed poll became (e.g. the draft meeting), or None — also when ``user`` may not open it
    (a guest of the workspace answers the poll but does not see the body's draft meeting)."""
    purpose = get(poll.purpose)
    if purpose is None or poll.status != "confirmed":
        return None
    return purpose.outcome(poll, user)
