"""What OParl may show: the public part of the meeting cycle, as querysets with two annotations per row.

Three states per object: *visible* (served in full), *stub* (``deleted: true``: it was served once and has
since left the public set — deleted, withdrawn, made non-public, its meeting or paper gone) and *absent*
(never served: 404 and in no list). The public rules are the ones of ``meetings.access`` and
``members.access``; :class:`oparl.models.ServedObject` records what was handed out.

``oparl_modified`` is the moment the object's OParl JSON last changed: the latest ``modified`` over the row
and the rows its JSON reads (its meeting, paper, person, body, location). Embedded objects touch their
parents when they change (``meetings.models``), so a parent's ``oparl_modified`` is never older than that
of anything embedded in it, and a client that re-reads the lists with ``modified_since`` sees every change.
"""

from __future__ import annotations

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from meetings.access import public_agenda_item_q, public_file_q, public_meeting_q, public_paper_q
from meetings.models import AgendaItem, Consultation, Location, Meeting, MeetingFile, Paper
from members.access import public_person_q
from members.models import Body, Membership, Person

from .models import ServedObject

# URL path segment of each kind that can become a stub (the ``kind`` in ServedObject).
MEETING, AGENDA_ITEM, PAPER, CONSULTATION, FILE, LOCATION, PERSON, MEMBERSHIP = (
    "meeting",
    "agenda-item",
    "paper",
    "consultation",
    "file",
    "location",
    "person",
    "membership",
)
STUBBABLE = {MEETING, AGENDA_ITEM, PAPER, CONSULTATION, FILE, LOCATION, PERSON, MEMBERSHIP}


def _latest(*fields) -> Greatest:
    """The latest of ``modified`` and the given related ``modified`` columns (a missing relation counts as none).

    Coalesce keeps SQLite's GREATEST (which is NULL as soon as one argument is) and PostgreSQL's alike.
    """
    return Greatest(F("modified"), *(Coalesce(f, F("modified")) for f in fields), output_field=models.DateTimeField())


def _served(kind: str) -> Exists:
    return Exists(ServedObject.objects.filter(kind=kind, object_id=OuterRef("pk")))


def _flagged(qs: QuerySet, kind: str, visible: Q, modified, *, with_stubs: bool) -> QuerySet:
    """Rows to serve, annotated with ``oparl_visible`` (False → deleted stub) and ``oparl_modified``."""
    qs = qs.annotate(oparl_modified=modified, **EXTRAS.get(kind, {}))
    if not with_stubs:
        return qs.filter(visible).annotate(oparl_visible=Value(True, output_field=BooleanField()))
    return qs.filter(visible | Q(_served(kind))).annotate(oparl_visible=ExpressionWrapper(visible, output_field=BooleanField()))


def meeting_modified():
    return _latest("body__modified", "location__modified")


def agenda_item_modified():
    return _latest("meeting__modified")


def file_modified():
    return _latest("meeting__modified", "agenda_item__modified", "agenda_item__meeting__modified", "paper__modified")


def consultation_modified():
    return _latest("paper__modified", "meeting__modified")


def paper_modified():
    """A step's meeting and agenda item decide whether the step links them, so the meetings count too."""
    linked = Subquery(
        Consultation.objects.filter(paper=OuterRef("pk"), meeting__isnull=False)
        .values("paper")
        .annotate(m=Max("meeting__modified"))
        .values("m")[:1]
    )
    return _latest(linked)


def person_modified():
    last_seat = Subquery(
        Membership.objects.filter(person=OuterRef("pk")).values("person").annotate(m=Max("modified")).values("m")[:1]
    )
    return _latest(last_seat)


def membership_modified():
    return _latest("person__modified")


def consultation_visible_q() -> Q:
    return Q(deleted_at__isnull=True) & public_paper_q("paper__")


# What a kind's JSON reads from related rows, fetched in the same query.
EXTRAS = {
    "consultation": {
        "oparl_links_visible": ExpressionWrapper(public_agenda_item_q("agenda_item__"), output_field=BooleanField())
    },
    "file": {"oparl_paper_date": F("paper__date")},
}


def _rules() -> dict:
    """Per kind: the rows, the public rule and the moment its JSON last changed."""
    return {
        MEETING: (Meeting.objects.all(), public_meeting_q(), meeting_modified()),
        AGENDA_ITEM: (AgendaItem.objects.all(), public_agenda_item_q(), agenda_item_modified()),
        PAPER: (Paper.objects.all(), public_paper_q(), paper_modified()),
        CONSULTATION: (Consultation.objects.all(), consultation_visible_q(), consultation_modified()),
        FILE: (MeetingFile.objects.all(), public_file_q(), file_modified()),
        LOCATION: (Location.objects.all(), Q(deleted_at__isnull=True), F("modified")),
        PERSON: (Person.objects.all(), public_person_q(), person_modified()),
        MEMBERSHIP: (Membership.objects.all(), public_person_q("person__"), membership_modified()),
    }


def listed(kind: str, *, with_stubs: bool) -> QuerySet:
    """What a list (or, with stubs, a URL) serves: the public rows, plus with ``with_stubs`` the stubs."""
    qs, visible, modified = _rules()[kind]
    return _flagged(qs, kind, visible, modified, with_stubs=with_stubs)


def embeddable(kind: str) -> QuerySet:
    """Rows for embedding: only the public ones, annotated like a list's rows."""
    return listed(kind, with_stubs=False)


def flagged(kind: str) -> QuerySet:
    """All rows, each annotated like a list's rows (``oparl_visible`` says whether it is public)."""
    qs, visible, modified = _rules()[kind]
    return qs.annotate(
        oparl_modified=modified, oparl_visible=ExpressionWrapper(visible, output_field=BooleanField()), **EXTRAS.get(kind, {})
    )


def meetings(*, with_stubs: bool) -> QuerySet[Meeting]:
    return listed(MEETING, with_stubs=with_stubs)


def agenda_items(*, with_stubs: bool) -> QuerySet[AgendaItem]:
    return listed(AGENDA_ITEM, with_stubs=with_stubs)


def papers(*, with_stubs: bool) -> QuerySet[Paper]:
    return listed(PAPER, with_stubs=with_stubs)


def consultations(*, with_stubs: bool) -> QuerySet[Consultation]:
    return listed(CONSULTATION, with_stubs=with_stubs)


def files(*, with_stubs: bool) -> QuerySet[MeetingFile]:
    return listed(FILE, with_stubs=with_stubs)


def locations(*, with_stubs: bool) -> QuerySet[Location]:
    return listed(LOCATION, with_stubs=with_stubs)


def people(*, with_stubs: bool) -> QuerySet[Person]:
    """A person's ``modified`` includes changes to their memberships (embedded in the Person)."""
    return listed(PERSON, with_stubs=with_stubs)


def memberships(*, with_stubs: bool) -> QuerySet[Membership]:
    return listed(MEMBERSHIP, with_stubs=with_stubs)


def bodies() -> QuerySet[Body]:
    return Body.objects.all()


def note_served(pairs: set[tuple[str, int]]) -> None:
    """Record what was just handed out in full; one statement, and a no-op for what is already recorded."""
    if pairs:
        ServedObject.objects.bulk_create(
            [ServedObject(kind=kind, object_id=pk) for kind, pk in sorted(pairs)], ignore_conflicts=True
        )


def all_public() -> set[tuple[str, int]]:
    """Every object in the public set now (for the migration that starts the record on a running system)."""
    return {(kind, pk) for kind in STUBBABLE for pk in listed(kind, with_stubs=False).values_list("pk", flat=True)}
