"""Who may see and change meetings.

Meeting visibility follows the body: current members of the body (any role but guest), the managing
office and platform admins see everything; everybody else, also without an account, sees scheduled
meetings with their public agenda items and published minutes. Drafts stay internal.
The speaker (and deputy speaker) and the managing office order and decide the agenda; the managing
office creates meetings, sends invitations and keeps the minutes.

Papers (Vorlagen) follow the same rule: public papers are for everybody; a non-public one is seen
by the office and by the internal members of its lead body or of a body in its consultation
sequence, who also see its non-public files. Only the office creates and changes papers.

The ``get_*_for_user`` functions answer 404 both for missing objects and for forbidden ones.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import PLATFORM_ADMIN, is_office, roles_of
from members.models import Body, Membership, Person

from .models import AgendaItem, Consultation, Meeting, MeetingFile, MeetingStatus, Minutes, Paper

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


def internal_body_ids(user) -> list[int]:
    """The bodies whose internal side ``user`` sees through a current seat (not counting the office role)."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.current()
        .filter(person__user=user, person__is_active=True, role__in=INTERNAL_ROLES)
        .values_list("body_id", flat=True)
    )


def meetings_visible_to(user) -> QuerySet[Meeting]:
    qs = Meeting.objects.alive()
    if is_office(user):
        return qs
    return qs.filter(~Q(status=MeetingStatus.DRAFT) | Q(body_id__in=internal_body_ids(user)))


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


# --- Papers ------------------------------------------------------------------------------------
def _paper_internal_filter(body_ids: list[int]) -> Q:
    in_sequence = Consultation.objects.alive().filter(body_id__in=body_ids).values("paper_id")
    return Q(lead_body_id__in=body_ids) | Q(pk__in=in_sequence)


def papers_visible_to(user) -> QuerySet[Paper]:
    qs = Paper.objects.alive()
    if is_office(user):
        return qs
    body_ids = internal_body_ids(user)
    if not body_ids:
        return qs.filter(public=True)
    return qs.filter(Q(public=True) | _paper_internal_filter(body_ids))


def sees_paper_internals(user, paper: Paper) -> bool:
    """Non-public papers and files: the office and internal members of the bodies the paper goes through."""
    if is_office(user):
        return True
    body_ids = internal_body_ids(user)
    return bool(body_ids) and Paper.objects.filter(pk=paper.pk).filter(_paper_internal_filter(body_ids)).exists()


def get_paper_for_user(user, pk, *, manage: bool = False) -> Paper:
    if manage and not can_manage(user):
        raise Http404
    paper = papers_visible_to(user).select_related("lead_body", "municipality").filter(pk=_int(pk)).first()
    if paper is None:
        raise Http404
    return paper


def paper_files_visible(user, paper: Paper) -> QuerySet[MeetingFile]:
    files = paper.files.alive().order_by("-role", "name", "pk")  # main document first
    if paper.deleted_at is not None:
        return files.none()
    if sees_paper_internals(user, paper):
        return files
    return files.filter(public=True) if paper.public else files.none()


# --- The public part as conditions (for queries that flag each row, e.g. the OParl lists) ----------------
# The same rules as above for somebody without an account, written as Q objects so that one query can both
# filter and mark rows; ``prefix`` reaches the object through a relation (``"meeting__"``).
def public_meeting_q(prefix: str = "") -> Q:
    """Scheduled, invited, held or cancelled — not a draft, not deleted."""
    return Q(**{f"{prefix}pk__isnull": False, f"{prefix}deleted_at__isnull": True}) & ~Q(
        **{f"{prefix}status": MeetingStatus.DRAFT}
    )


def public_agenda_item_q(prefix: str = "") -> Q:
    """A public, accepted item on a public meeting."""
    return Q(
        **{f"{prefix}deleted_at__isnull": True, f"{prefix}public": True, f"{prefix}status": AgendaItem.Status.ACCEPTED}
    ) & public_meeting_q(f"{prefix}meeting__")


def public_paper_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}pk__isnull": False, f"{prefix}deleted_at__isnull": True, f"{prefix}public": True})


def public_file_q() -> Q:
    """A public document of a public meeting (the minutes once published), item or paper."""
    of_meeting = public_meeting_q("meeting__") & (
        ~Q(role=MeetingFile.Role.MINUTES) | Q(meeting__minutes__status=Minutes.Status.PUBLISHED)
    )
    return Q(deleted_at__isnull=True, public=True) & (
        of_meeting | public_agenda_item_q("agenda_item__") | public_paper_q("paper__")
    )
