"""Who may see and change meetings.

Meeting visibility follows the body: current members of the body (any role but guest), the managing
office and platform admins see everything; everybody else, also without an account, sees scheduled
meetings with their public agenda items and published minutes. Drafts stay internal.
The speaker (and deputy speaker) and the managing office order and decide the agenda; the managing
office creates meetings, sends invitations and keeps the minutes.

The ``get_*_for_user`` functions answer 404 both for missing objects and for forbidden ones.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import PLATFORM_ADMIN, is_office, roles_of
from members.models import Body, Membership, Person

from .models import AgendaItem, Meeting, MeetingStatus, Minutes

INTERNAL_ROLES = [r for r in Membership.Role.values if r != Membership.Role.GUEST]
AGENDA_ROLES = [Membership.Role.SPEAKER, Membership.Role.DEPUTY_SPEAKER]


def _seat_roles(user, body_id: int) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_meeting_seats", {})
    if body_id not in cache:
        cache[body_id] = set(
            Membership.objects.current()
            .filter(person__user=user, person__is_active=True, body_id=body_id)
            .values_list("role", flat=True)
        )
    return cache[body_id]


def person_of(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def sees_internal(user, body: Body | int) -> bool:
    body_id = body if isinstance(body, int) else body.pk
    return is_office(user) or bool(_seat_roles(user, body_id) & set(INTERNAL_ROLES))


def can_propose(user, body: Body | int) -> bool:
    return sees_internal(user, body)


def can_order_agenda(user, body: Body | int) -> bool:
    body_id = body if isinstance(body, int) else body.pk
    return is_office(user) or bool(_seat_roles(user, body_id) & set(AGENDA_ROLES))


def can_manage(user) -> bool:
    """Creating meetings, invitations and minutes is the managing office's job."""
    return is_office(user)


def is_admin(user) -> bool:
    return PLATFORM_ADMIN in roles_of(user)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    qs = Meeting.objects.alive()
    if is_office(user):
        return qs
    internal_bodies = []
    if user.is_authenticated:
        internal_bodies = list(
            Membership.objects.current()
            .filter(person__user=user, person__is_active=True, role__in=INTERNAL_ROLES)
            .values_list("body_id", flat=True)
        )
    return qs.filter(~Q(status=MeetingStatus.DRAFT) | Q(body_id__in=internal_bodies))


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def get_meeting_for_user(user, pk, *, manage: bool = False, order: bool = False) -> Meeting:
    meeting = meetings_visible_to(user).select_related("body", "host_municipality", "location").filter(pk=_int(pk)).first()
    if meeting is None:
        raise Http404
    if manage and not can_manage(user):
        raise Http404
    if order and not can_order_agenda(user, meeting.body_id):
        raise Http404
    return meeting


def get_body_for_meetings(user, slug: str, *, propose: bool = False) -> Body:
    body = Body.objects.filter(slug=slug).first()
    if body is None or (propose and not can_propose(user, body)):
        raise Http404
    return body


def get_agenda_item_for_user(user, pk, *, decide: bool = False) -> AgendaItem:
    item = AgendaItem.objects.alive().select_related("body", "meeting").filter(pk=_int(pk)).first()
    if item is None or not sees_internal(user, item.body_id):
        raise Http404
    if decide and not can_order_agenda(user, item.body_id):
        raise Http404
    return item


def visible_agenda(user, meeting: Meeting) -> QuerySet[AgendaItem]:
    qs = meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "pk")
    if not sees_internal(user, meeting.body_id):
        qs = qs.filter(public=True)
    return qs


def minutes_visible(user, minutes: Minutes | None) -> bool:
    if minutes is None:
        return False
    if sees_internal(user, minutes.meeting.body_id):
        return True
    return minutes.status == Minutes.Status.PUBLISHED
