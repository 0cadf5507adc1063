"""What an invitation tells (date, place, host, agenda) and what changed since the previous one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.agenda.numbering import Status
from meetings.models import InvitationDispatch, Meeting, agenda_numbers


def invitation_facts(meeting: Meeting) -> dict[str, Any]:
    """What an invitation tells: date, place and agenda (titles in order) — compared with the next one."""
    items = meeting.agenda_items.alive().filter(status=Status.ACCEPTED).order_by("position", "pk")
    numbers = agenda_numbers(items)
    return {
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "place": ", ".join(p for p in (str(meeting.location), meeting.location.address) if p) if meeting.location else "",
        "host": meeting.host_municipality.short_name if meeting.host_municipality else "",
        "agenda": [[numbers.get(i.pk, ""), i.title, i.public] for i in items],
    }


def _when(value: str) -> str:
    return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%d.%m.%Y, %H:%M")


def invitation_changes(before: dict[str, Any], after: dict[str, Any], *, public_only: bool = False) -> list[str]:
    """Plain German sentences saying what changed between two invitations (date, place, host, agenda)."""
    changes = []
    if (before.get("start"), before.get("end")) != (after.get("start"), after.get("end")):
        changes.append(
            _("Neuer Termin: %(new)s Uhr (bisher %(old)s Uhr).") % {"new": _when(after["start"]), "old": _when(before["start"])}
        )
    if before.get("place") != after.get("place"):
        changes.append(
            _("Neuer Ort: %(new)s (bisher %(old)s).")
            % {"new": after.get("place") or _("noch offen"), "old": before.get("place") or _("noch offen")}
        )
    if before.get("host") != after.get("host") and after.get("host"):
        changes.append(_("Gastgeberstadt ist jetzt %(city)s.") % {"city": after["host"]})

    def titles(facts: dict[str, Any]) -> list[tuple[str, str]]:
        return [(n, t) for n, t, public in facts.get("agenda", []) if public or not public_only]

    old, new = titles(before), titles(after)
    old_titles, new_titles = [t for _n, t in old], [t for _n, t in new]
    for number, title in new:
        if title not in old_titles:
            changes.append(_("Neu auf der Tagesordnung: TOP %(n)s %(title)s.") % {"n": number, "title": title})
    for _number, title in old:
        if title not in new_titles:
            changes.append(_("Von der Tagesordnung genommen: %(title)s.") % {"title": title})
    kept_old = [t for t in old_titles if t in new_titles]
    kept_new = [t for t in new_titles if t in old_titles]
    if kept_old != kept_new:
        changes.append(_("Die Reihenfolge der Tagesordnung hat sich geändert."))
    return changes


def last_invitation(meeting: Meeting) -> InvitationDispatch | None:
    return meeting.dispatches.filter(method="REQUEST").order_by("-sequence", "-pk").first()
