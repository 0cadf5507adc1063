"""The order of the meeting cycle, in one place: what may happen to a meeting's agenda and minutes when.

agenda (open until the meeting is held) → meeting held (agenda frozen) → minutes written → circulated →
objection deadline over, no open objection → approved (locked) → published; after approval changes go only
through a recorded correction (``actions.correct_minutes``). The actions call these checks; the pages ask
the same functions to decide which buttons to show, so a page never offers a step the action refuses.
Every refusal is a ``ValidationError`` with a German message that says why and what to do instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Meeting, MeetingStatus, Minutes


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def has_started(meeting: Meeting) -> bool:
    return meeting.start <= timezone.now()


def agenda_frozen(meeting: Meeting) -> bool:
    """Held, or its minutes are under way beyond the draft: the TOP numbers are part of the record now."""
    if meeting.status == MeetingStatus.HELD:
        return True
    return Minutes.objects.filter(meeting_id=meeting.pk).exclude(status=Minutes.Status.DRAFT).exists()


def check_agenda_open(meeting: Meeting | None) -> None:
    if meeting is not None and agenda_frozen(meeting):
        raise ValidationError(
            _(
                "Die Sitzung hat stattgefunden; ihre Tagesordnung ist abgeschlossen und kann nicht mehr geändert "
                "werden. Änderungen am genehmigten Protokoll sind nur als Berichtigung möglich."
            ),
            code="agenda_frozen",
        )


def held_problem(meeting: Meeting) -> str | None:
    """Why this meeting cannot have minutes yet (or ``None``: it has happened and is marked held)."""
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Die Sitzung ist abgesagt; zu ihr gibt es kein Protokoll.")
    if not has_started(meeting):
        return _(
            "Die Sitzung hat noch nicht stattgefunden (Beginn am %(day)s). Ein Protokoll entsteht erst nach der Sitzung."
        ) % {"day": _day(meeting.start)}
    if meeting.status != MeetingStatus.HELD:
        return _("Bitte vermerken Sie zuerst, dass die Sitzung stattgefunden hat; danach können Sie das Protokoll schreiben.")
    return None


def check_held(meeting: Meeting) -> None:
    problem = held_problem(meeting)
    if problem:
        raise ValidationError(problem, code="not_held")


def hold_problem(meeting: Meeting) -> str | None:
    """Why the meeting cannot be marked as held now (or ``None``)."""
    if meeting.status == MeetingStatus.HELD:
        return _("Die Sitzung ist bereits als durchgeführt vermerkt.")
    if meeting.status == MeetingStatus.CANCELLED:
        return _("Eine abgesagte Sitzung kann nicht als durchgeführt vermerkt werden.")
    if not has_started(meeting):
        return _("Die Sitzung beginnt erst am %(day)s; danach können Sie sie als durchgeführt vermerken.") % {
            "day": _day(meeting.start)
        }
    return None


def circulate_problem(minutes: Minutes) -> str | None:
    problem = held_problem(minutes.meeting)
    if problem:
        return problem
    if minutes.status != Minutes.Status.DRAFT:
        return _("Nur ein Entwurf kann in Umlauf gegeben werden; dieses Protokoll ist „%(status)s“.") % {
            "status": minutes.get_status_display()
        }
    return None


def approve_problem(minutes: Minutes, *, at_meeting: Meeting | None = None) -> str | None:
    """Approval comes after the objection deadline, with every objection settled, in a meeting that took place."""
    problem = held_problem(minutes.meeting)
    if problem:
        return problem
    if minutes.status != Minutes.Status.CIRCULATED:
        return _("Nur ein Protokoll in Abstimmung kann genehmigt werden; dieses ist „%(status)s“.") % {
            "status": minutes.get_status_display()
        }
    if minutes.objection_deadline and timezone.localdate() <= minutes.objection_deadline:
        return _("Die Frist für Einwände läuft noch bis einschließlich %(day)s; genehmigen Sie das Protokoll danach.") % {
            "day": date_format(minutes.objection_deadline, "SHORT_DATE_FORMAT")
        }
    if minutes.objections.filter(resolved=False).exists():
        return _("Es gibt noch offene Einwände. Bitte erledigen Sie sie, bevor Sie das Protokoll genehmigen.")
    if at_meeting is not None:
        if at_meeting.body_id != minutes.meeting.body_id or at_meeting.start <= minutes.meeting.start:
            return _("Das Protokoll wird in einer späteren Sitzung desselben Gremiums genehmigt.")
        if not has_started(at_meeting):
            return _("Die Sitzung vom %(day)s, in der genehmigt werden soll, hat noch nicht stattgefunden.") % {
                "day": _day(at_meeting.start)
            }
    return None


def publish_problem(minutes: Minutes) -> str | None:
    if minutes.status == Minutes.Status.PUBLISHED:
        return _("Das Protokoll ist bereits veröffentlicht.")
    if minutes.status != Minutes.Status.APPROVED:
        return _("Veröffentlicht wird erst nach der Genehmigung; dieses Protokoll ist „%(status)s“.") % {
            "status": minutes.get_status_display()
        }
    return None


def correct_problem(minutes: Minutes) -> str | None:
    if not minutes.is_locked:
        return _("Solange das Protokoll nicht genehmigt ist, wird es direkt bearbeitet, nicht berichtigt.")
    return None


def check(problem: str | None, code: str = "cycle") -> None:
    if problem:
        raise ValidationError(problem, code=code)
