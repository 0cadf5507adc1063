"""What OParl may show: the public part of the meeting cycle, as querysets and Q conditions.

Three states per object: *visible* (served in full), *stub* (served as ``deleted: true`` — soft-deleted or
withdrawn from the public after it was public) and *absent* (never public: 404 and never listed).
Non-public agenda items, unpublished minutes, draft meetings and contact data not marked public
never leave the server.
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from meetings.models import AgendaItem, Consultation, Location, Meeting, MeetingFile, MeetingStatus, Minutes, Paper
from members.models import Body, Membership, Person, Visibility

MEETING_VISIBLE = Q(deleted_at__isnull=True) & ~Q(status=MeetingStatus.DRAFT)
MEETING_STUB = Q(deleted_at__isnull=False)

ITEM_MEETING_VISIBLE = Q(meeting__deleted_at__isnull=True) & ~Q(meeting__status=MeetingStatus.DRAFT) & Q(meeting__isnull=False)
ITEM_VISIBLE = ITEM_MEETING_VISIBLE & Q(deleted_at__isnull=True, public=True, status=AgendaItem.Status.ACCEPTED)
ITEM_STUB = (
    ITEM_MEETING_VISIBLE & Q(was_public=True) & ~(Q(deleted_at__isnull=True, public=True, status=AgendaItem.Status.ACCEPTED))
)

PAPER_VISIBLE = Q(deleted_at__isnull=True, public=True)
PAPER_STUB = Q(deleted_at__isnull=False)

CONSULTATION_VISIBLE = Q(deleted_at__isnull=True, paper__deleted_at__isnull=True, paper__public=True)
CONSULTATION_STUB = Q(deleted_at__isnull=False) | Q(paper__deleted_at__isnull=False)

_MINUTES_PUBLISHED = Q(meeting__minutes__status=Minutes.Status.PUBLISHED)
FILE_VISIBLE = Q(deleted_at__isnull=True, public=True) & (
    (
        Q(meeting__isnull=False, meeting__deleted_at__isnull=True)
        & ~Q(meeting__status=MeetingStatus.DRAFT)
        & (~Q(role=MeetingFile.Role.MINUTES) | _MINUTES_PUBLISHED)
    )
    | Q(
        agenda_item__isnull=False,
        agenda_item__deleted_at__isnull=True,
        agenda_item__public=True,
        agenda_item__status=AgendaItem.Status.ACCEPTED,
        agenda_item__meeting__deleted_at__isnull=True,
    )
    & ~Q(agenda_item__meeting__status=MeetingStatus.DRAFT)
    | Q(paper__isnull=False, paper__deleted_at__isnull=True, paper__public=True)
)
FILE_STUB = Q(deleted_at__isnull=False)

LOCATION_VISIBLE = Q(deleted_at__isnull=True)
LOCATION_STUB = Q(deleted_at__isnull=False)

PERSON_VISIBLE = Q(is_active=True, profile_visibility=Visibility.PUBLIC)

MEMBERSHIP_VISIBLE = Q(person__is_active=True, person__profile_visibility=Visibility.PUBLIC)
MEMBERSHIP_STUB = ~MEMBERSHIP_VISIBLE


def _flagged(qs: QuerySet, visible: Q, stub: Q, *, with_stubs: bool) -> QuerySet:
    """Rows to serve, each annotated with ``oparl_visible`` (False → deleted stub)."""
    if not with_stubs:
        return qs.filter(visible).annotate(oparl_visible=Value(True, output_field=BooleanField()))
    return qs.filter(visible | stub).annotate(oparl_visible=ExpressionWrapper(visible, output_field=BooleanField()))


def meetings(*, with_stubs: bool) -> QuerySet[Meeting]:
    return _flagged(Meeting.objects.all(), MEETING_VISIBLE, MEETING_STUB, with_stubs=with_stubs)


def agenda_items(*, with_stubs: bool) -> QuerySet[AgendaItem]:
    return _flagged(AgendaItem.objects.all(), ITEM_VISIBLE, ITEM_STUB, with_stubs=with_stubs)


def papers(*, with_stubs: bool) -> QuerySet[Paper]:
    return _flagged(Paper.objects.all(), PAPER_VISIBLE, PAPER_STUB, with_stubs=with_stubs)


def consultations(*, with_stubs: bool) -> QuerySet[Consultation]:
    return _flagged(Consultation.objects.all(), CONSULTATION_VISIBLE, CONSULTATION_STUB, with_stubs=with_stubs)


def files(*, with_stubs: bool) -> QuerySet[MeetingFile]:
    return _flagged(MeetingFile.objects.all(), FILE_VISIBLE, FILE_STUB, with_stubs=with_stubs)


def locations(*, with_stubs: bool) -> QuerySet[Location]:
    return _flagged(Location.objects.all(), LOCATION_VISIBLE, LOCATION_STUB, with_stubs=with_stubs)


def people(*, with_stubs: bool) -> QuerySet[Person]:
    """A person's ``modified`` includes changes to their memberships (embedded in the Person)."""
    from django.db.models import Exists, Max, OuterRef, Subquery

    last_seat = Subquery(
        Membership.objects.filter(person=OuterRef("pk")).values("person").annotate(m=Max("modified")).values("m")[:1]
    )
    qs = Person.objects.annotate(seated=Exists(Membership.objects.filter(person=OuterRef("pk"))))
    condition = PERSON_VISIBLE | (~PERSON_VISIBLE & Q(seated=True)) if with_stubs else PERSON_VISIBLE
    flag = (
        ExpressionWrapper(PERSON_VISIBLE, output_field=BooleanField()) if with_stubs else Value(True, output_field=BooleanField())
    )
    return qs.filter(condition).annotate(
        oparl_visible=flag,
        oparl_modified=Greatest("modified", Coalesce(last_seat, "modified")),
    )


def memberships(*, with_stubs: bool) -> QuerySet[Membership]:
    return _flagged(Membership.objects.all(), MEMBERSHIP_VISIBLE, MEMBERSHIP_STUB, with_stubs=with_stubs)


def bodies() -> QuerySet[Body]:
    return Body.objects.all()
