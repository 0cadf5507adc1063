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

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.roles import PLATFORM_ADMIN, is_office, roles_of
from members.models import Body, Membership, Person

from .models import AgendaItem, Consultation, Decision, Meeting, MeetingFile, MeetingStatus, Minutes, Paper

ANONYMOUS = AnonymousUser()
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


def get_reply_link(token: str):
    """The personal reply link behind ``token`` (a member's or a guest's), for a meeting that still exists.

    404 for an unknown, tampered or revoked link and for a deleted meeting alike, so the page never tells
    whether a token existed. The link is the permission: no account needed, only the holder's own reply.
    """
    from .models import ReplyLink, hash_token

    if not token or len(token) > 100:
        raise Http404
    link = (
        ReplyLink.objects.filter(token_hash=hash_token(token), meeting__deleted_at__isnull=True)
        .select_related("meeting__body", "meeting__location", "meeting__host_municipality", "person", "guest")
        .first()
    )
    if link is None:
        raise Http404
    return link


def get_guest_for_office(user, meeting: Meeting, pk):
    if not can_manage(user):
        raise Http404
    guest = meeting.guests.filter(pk=_int(pk)).first()
    if guest is None:
        raise Http404
    return guest


def get_body_for_meetings(user, slug: str, *, propose: bool = False) -> Body:
    body = Body.objects.filter(slug=slug).first()
    if body is None or (propose and not can_propose(user, body)):
        raise Http404
    return body


def meeting_visible_to(user, meeting: Meeting) -> bool:
    return meetings_visible_to(user).filter(pk=meeting.pk).exists()


def _on_public_meeting(prefix: str = "meeting__") -> Q:
    """The meeting (reached through ``prefix``) is out there for everybody: alive and no longer a draft."""
    return Q(**{f"{prefix}isnull": False, f"{prefix}deleted_at__isnull": True}) & ~Q(**{f"{prefix}status": MeetingStatus.DRAFT})


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    """The one rule for agenda items, on every channel (page, PDFs, iCal, OParl, files of the item).

    Everybody: accepted, public items of a meeting that is alive and no longer a draft — a rejected,
    deferred, withdrawn (no longer public) or deleted item, or one of a deleted meeting, is not public.
    The body's internal members and the office: every item that is alive (the backlog too), except on a
    deleted meeting.
    """
    qs = AgendaItem.objects.alive().filter(Q(meeting__isnull=True) | Q(meeting__deleted_at__isnull=True))
    public = Q(status=AgendaItem.Status.ACCEPTED, public=True) & _on_public_meeting()
    if is_office(user):
        return qs
    body_ids = internal_body_ids(user)
    return qs.filter(public | Q(body_id__in=body_ids)) if body_ids else qs.filter(public)


def agenda_item_visible_to(user, item: AgendaItem) -> bool:
    return agenda_items_visible_to(user).filter(pk=item.pk).exists()


def get_agenda_item_for_user(user, pk, *, decide: bool = False) -> AgendaItem:
    item = AgendaItem.objects.alive().select_related("body", "meeting").filter(pk=_int(pk)).first()
    if item is None or not sees_internal(user, item.body_id):
        raise Http404
    if decide and not can_order_agenda(user, item.body_id):
        raise Http404
    return item


def visible_agenda(user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda of ``meeting`` as ``user`` may see it (accepted items in order)."""
    return agenda_items_visible_to(user).filter(meeting=meeting, status=AgendaItem.Status.ACCEPTED).order_by("position", "pk")


def minutes_visible(user, minutes: Minutes | None) -> bool:
    """Minutes: the body's internal side at every stage, everybody else once published; never of a meeting
    the user may not see (deleted, or a draft)."""
    if minutes is None or not meeting_visible_to(user, minutes.meeting):
        return False
    if sees_internal(user, minutes.meeting.body_id):
        return True
    return minutes.status == Minutes.Status.PUBLISHED


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Decisions are part of the minutes: of an agenda item the user sees, in minutes the user may read."""
    qs = Decision.objects.filter(agenda_item__in=agenda_items_visible_to(user))
    if is_office(user):
        return qs
    return qs.filter(
        Q(agenda_item__body_id__in=internal_body_ids(user)) | Q(agenda_item__meeting__minutes__status=Minutes.Status.PUBLISHED)
    )


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


def paper_visible_to(user, paper: Paper) -> bool:
    return papers_visible_to(user).filter(pk=paper.pk).exists()


# --- Files (documents of meetings, agenda items and papers, generated PDFs included) ----------------
def files_visible_to(user) -> QuerySet[MeetingFile]:
    """The one rule for a ``MeetingFile``, whichever channel serves it (meeting page, download, OParl).

    A file follows its parent: the meeting, agenda item or paper must be visible to the user. The
    parent's internal side (office, internal members of the body or of the paper's bodies) gets every
    file; everybody else the public ones — the minutes file only once the minutes are published, and
    the invitation in its public rendition only (the full one is stored as not public).
    """
    qs = MeetingFile.objects.alive()
    office = is_office(user)
    body_ids = internal_body_ids(user)
    shared = Q(public=True)
    of_meeting = Q(meeting__in=meetings_visible_to(user)) & (
        shared & (~Q(role=MeetingFile.Role.MINUTES) | Q(meeting__minutes__status=Minutes.Status.PUBLISHED))
        | Q(meeting__body_id__in=body_ids)
    )
    of_item = Q(agenda_item__in=agenda_items_visible_to(user)) & (shared | Q(agenda_item__body_id__in=body_ids))
    of_paper = Q(paper__in=papers_visible_to(user)) & (
        shared | Q(paper__in=Paper.objects.filter(_paper_internal_filter(body_ids)))
    )
    if office:
        of_meeting = Q(meeting__in=meetings_visible_to(user))
        of_item = Q(agenda_item__in=agenda_items_visible_to(user))
        of_paper = Q(paper__in=papers_visible_to(user))
    return qs.filter(of_meeting | of_item | of_paper)


def file_visible_to(user, file: MeetingFile) -> bool:
    return files_visible_to(user).filter(pk=file.pk).exists()


def get_file_for_user(user, pk) -> MeetingFile:
    file = files_visible_to(user).filter(pk=_int(pk)).first()
    if file is None:
        raise Http404
    return file


def paper_files_visible(user, paper: Paper) -> QuerySet[MeetingFile]:
    return files_visible_to(user).filter(paper=paper).order_by("-role", "name", "pk")  # main document first


# --- The public part, for channels without a user (OParl, stored public PDFs) ---------------------
def public_meetings() -> QuerySet[Meeting]:
    return meetings_visible_to(ANONYMOUS)


def public_agenda_items() -> QuerySet[AgendaItem]:
    return agenda_items_visible_to(ANONYMOUS)


def public_papers() -> QuerySet[Paper]:
    return papers_visible_to(ANONYMOUS)


def public_files() -> QuerySet[MeetingFile]:
    return files_visible_to(ANONYMOUS)


# --- The same public part as conditions (for queries that flag each row, e.g. the OParl lists) ------------
# Not a second copy of the rule: each condition asks the functions above (as a subquery), so OParl, the
# pages and the PDFs cannot disagree. ``prefix`` reaches the object through a relation (``"meeting__"``).
def _member_of(prefix: str, rows: QuerySet) -> Q:
    """``EXISTS (… WHERE pk = outer row)``: correlated, so flagging a page of rows costs an index lookup per
    row; an ``IN (subquery)`` in the select list made PostgreSQL hash the whole public set for every page."""
    return Q(Exists(rows.filter(pk=OuterRef(prefix[:-2] if prefix else "pk"))))


def public_meeting_q(prefix: str = "") -> Q:
    return _member_of(prefix, public_meetings())


def public_agenda_item_q(prefix: str = "") -> Q:
    return _member_of(prefix, public_agenda_items())


def public_paper_q(prefix: str = "") -> Q:
    return _member_of(prefix, public_papers())


def public_file_q(prefix: str = "") -> Q:
    return _member_of(prefix, public_files())
