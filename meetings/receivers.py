"""How the meetings app plugs into the date polls: the purpose "meeting" and its receiver.

In a body's workspace, the managing office and the body's speaker (or deputy) may start a date poll
"für eine Sitzung". When it is confirmed, the slot becomes a draft meeting of that body, linked to the
poll's calendar event (same UID, see ``actions.create_meeting_from_slot``); the workspace's managers are
told, with a link to the draft.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.roles import is_office
from meetings.access import can_order_agenda, meetings_visible_to
from meetings.calendar import personal_meetings
from meetings.core.actions import create_meeting_from_slot
from meetings.models import Meeting
from notifications.messages import Translatable

MEETING_PURPOSE = "meeting"


def can_start_meeting_poll(user, workspace) -> bool:
    if not getattr(user, "is_authenticated", False) or workspace.body_id is None or workspace.is_archived:
        return False
    return is_office(user) or can_order_agenda(user, workspace.body_id)


def meeting_of(poll, user):
    """The meeting the poll became, if ``user`` may open it."""
    if poll.event_id is None:
        return None
    return meetings_visible_to(user).filter(event_id=poll.event_id).first()


def announce(outcome) -> str:
    if isinstance(outcome, Meeting):
        return _("Die Sitzung „%(meeting)s“ ist als Entwurf angelegt. Bitte ergänzen Sie Ort und Tagesordnung.") % {
            "meeting": outcome
        }
    return ""


def meeting_from_poll(sender, poll, slot, event, actor, **kwargs):
    """Receiver of polls.signals.slot_confirmed: a poll "für eine Sitzung" creates the draft meeting."""
    if poll.purpose != MEETING_PURPOSE:
        return None
    from notifications.actions import notify

    body = poll.workspace.body
    if body is None:
        raise ValidationError(_("Eine Sitzung lässt sich nur im Arbeitsbereich eines Gremiums abstimmen."))
    meeting = create_meeting_from_slot(
        body, slot.starts_at, slot.ends_at, by=actor, title=poll.title, event=event, location_text=poll.location
    )
    managers = [m.user for m in poll.workspace.members.filter(role="manager").select_related("user") if m.user.is_active]
    with translation.override("de"):
        notify(
            recipients=managers,
            verb="meetings.drafted_from_poll",
            subject=Translatable(gettext_noop("Sitzung als Entwurf angelegt: %(meeting)s"), {"meeting": str(meeting)}),
            text=_(
                "Aus der Terminabstimmung „%(poll)s“ ist die Sitzung „%(meeting)s“ als Entwurf entstanden. "
                "Bitte ergänzen Sie Ort und Tagesordnung:\n%(url)s"
            )
            % {"poll": poll.title, "meeting": meeting, "url": settings.SITE_URL + meeting.get_absolute_url()},
            target=meeting,
            actor=actor,
            workspace=poll.workspace,
            always=True,
            url=meeting.get_absolute_url(),
        )
    return meeting


def connect() -> None:
    from calendar_events.personal import register_source
    from polls import purposes
    from polls.signals import slot_confirmed

    purposes.register(
        purposes.Purpose(
            key=MEETING_PURPOSE,
            label=gettext_lazy("Sitzung des Gremiums (wird als Entwurf angelegt)"),
            can_start=can_start_meeting_poll,
            outcome=meeting_of,
            announce=announce,
        )
    )
    slot_confirmed.connect(meeting_from_poll, dispatch_uid="meetings.meeting_from_poll")
    register_source(personal_meetings, priority=10)
