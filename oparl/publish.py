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

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from meetings.access import (
    public_agenda_item_q,
    public_agenda_items,
    public_file_q,
    public_files,
    public_meeting_q,
    public_meetings,
    public_paper_q,
    public_papers,
)
from meetings.models import AgendaItem, Consultation, Location, Meeting, MeetingFile, Paper
from members.access import public_people, public_person_q
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


def _latest(*fields: str | Subquery) -> Greatest:
    """The latest of ``modified`` and the given related ``modified`` columns (a missing relation counts as none).

    Coalesce keeps SQLite's GREATEST (which is NULL as soon as one argument is) and PostgreSQL's alike.
    """
    return Greatest(F("modified"), *(Coalesce(f, F("modified")) for f in fields), output_field=models.DateTimeField())


def _served(kind: str) -> Exists:
    return Exists(ServedObject.objects.filter(kind=kind, object_id=OuterRef("pk")))


def _flagged(kind: str, *, with_stubs: bool) -> QuerySet[Any]:
    """Rows to serve, annotated with ``oparl_visible`` (False → deleted stub) and ``oparl_modified``.

    Without stubs the rows are the public rule's own queryset (no self-join: a join of the table with its
    public part made PostgreSQL scan the public part from its start for a page deep in the list). With stubs,
    each row is checked against the rule by a correlated ``EXISTS`` (an index lookup per row).
    """
    model, visible, public, modified = RULES[kind]
    qs: QuerySet[Any]
    if not with_stubs:
        qs = public().annotate(oparl_visible=Value(True, output_field=BooleanField()))
    else:
        condition = visible()
        qs = model._default_manager.filter(condition | Q(_served(kind))).annotate(
            oparl_visible=ExpressionWrapper(condition, output_field=BooleanField())
        )
    annotated: QuerySet[Any] = qs.annotate(oparl_modified=modified(), **EXTRAS.get(kind, {}))
    return annotated


def meeting_modified() -> Expression:
    return _latest("body__modified", "location__modified")


def agenda_item_modified() -> Expression:
    return _latest("meeting__modified")


def file_modified() -> Expression:
    return _latest("meeting__modified", "agenda_item__modified", "agenda_item__meeting__modified", "paper__modified")


def consultation_modified() -> Expression:
    return _latest("paper__modified", "meeting__modified")


def paper_modified() -> Expression:
    """A step's meeting and agenda item decide whether the step links them, so the meetings count too."""
    linked = Subquery(
        Consultation.objects.filter(paper=OuterRef("pk"), meeting__isnull=False)
        .values("paper")
        .annotate(m=Max("meeting__modified"))
        .values("m")[:1]
    )
    return _latest(linked)


def person_modified() -> Expression:
    last_seat = Subquery(
        Membership.objects.filter(person=OuterRef("pk")).values("person").annotate(m=Max("modified")).values("m")[:1]
    )
    return _latest(last_seat)


def membership_modified() -> Expression:
    return _latest("person__modified")


def consultation_visible_q() -> Q:
    return Q(deleted_at__isnull=True) & public_paper_q("paper__")


# What a kind's JSON reads from related rows, fetched in the same query.
EXTRAS: dict[str, dict[str, Expression | F]] = {
    "consultation": {
        "oparl_links_visible": ExpressionWrapper(public_agenda_item_q("agenda_item__"), output_field=BooleanField())
    },
    "file": {"oparl_paper_date": F("paper__date")},
}


def _consultations_public() -> QuerySet[Consultation]:
    return Consultation.objects.filter(consultation_visible_q())


def _locations_public() -> QuerySet[Location]:
    return Location.objects.filter(deleted_at__isnull=True)


def _location_visible_q() -> Q:
    return Q(deleted_at__isnull=True)


def _location_modified() -> Expression:
    return ExpressionWrapper(F("modified"), output_field=models.DateTimeField())


def _membership_visible_q() -> Q:
    return public_person_q("person__")


def _memberships_public() -> QuerySet[Membership]:
    return Membership.objects.filter(_membership_visible_q())


# Per kind: the model, the public rule as a condition, the public rows, and the moment its JSON last changed
# (each built only when asked: building every rule for every query cost more than the page's SQL).
Rule = tuple[type[Model], Callable[[], Q], Callable[[], QuerySet[Any]], Callable[[], Expression]]
RULES: dict[str, Rule] = {
    MEETING: (Meeting, public_meeting_q, public_meetings, meeting_modified),
    AGENDA_ITEM: (AgendaItem, public_agenda_item_q, public_agenda_items, agenda_item_modified),
    PAPER: (Paper, public_paper_q, public_papers, paper_modified),
    CONSULTATION: (Consultation, consultation_visible_q, _consultations_public, consultation_modified),
    FILE: (MeetingFile, public_file_q, public_files, file_modified),
    LOCATION: (Location, _location_visible_q, _locations_public, _location_modified),
    PERSON: (Person, public_person_q, public_people, person_modified),
    MEMBERSHIP: (Membership, _membership_visible_q, _memberships_public, membership_modified),
}


_BUILT: dict[tuple[str, str], QuerySet[Any]] = {}


def _built(key: tuple[str, str], build: Callable[[], QuerySet[Any]]) -> QuerySet[Any]:
    """A rule's queryset, built once per process and handed out as a fresh clone.

    The public rules depend on nothing but the data (no user, no clock, no settings), and a queryset is only a
    description of SQL until it is evaluated, so a clone of the built one is the same query. Building them —
    nested subqueries of the access rules — cost more per page than running the page's SQL.
    """
    if key not in _BUILT:
        _BUILT[key] = build()
    return _BUILT[key].all()


def listed(kind: str, *, with_stubs: bool) -> QuerySet[Any]:
    """What a list (or, with stubs, a URL) serves: the public rows, plus with ``with_stubs`` the stubs."""
    return _built((kind, "stubs" if with_stubs else "public"), lambda: _flagged(kind, with_stubs=with_stubs))


def embeddable(kind: str) -> QuerySet[Any]:
    """Rows for embedding: only the public ones, annotated like a list's rows."""
    return listed(kind, with_stubs=False)


def flagged(kind: str) -> QuerySet[Any]:
    """All rows, each annotated like a list's rows (``oparl_visible`` says whether it is public)."""

    def build() -> QuerySet[Any]:
        model, visible, _public, modified = RULES[kind]
        rows: QuerySet[Any] = model._default_manager.annotate(
            oparl_modified=modified(),
            oparl_visible=ExpressionWrapper(visible(), output_field=BooleanField()),
            **EXTRAS.get(kind, {}),
        )
        return rows

    return _built((kind, "all"), build)


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
    """Record what was just handed out in full.

    One read asks which of the pairs are recorded already; only the others are inserted, so a GET writes only
    the first time an object is ever served (a bounded number of writes in the life of the system, none in
    steady state: a read replica or a busy list never waits on a lock for it).
    """
    if not pairs:
        return
    by_kind: dict[str, set[int]] = {}
    for kind, pk in pairs:
        by_kind.setdefault(kind, set()).add(pk)
    asked = Q()
    for kind, ids in by_kind.items():
        asked |= Q(kind=kind, object_id__in=sorted(ids))
    known = set(ServedObject.objects.filter(asked).values_list("kind", "object_id"))
    missing = sorted(pairs - known)
    if missing:
        ServedObject.objects.bulk_create([ServedObject(kind=kind, object_id=pk) for kind, pk in missing], ignore_conflicts=True)


def all_public() -> set[tuple[str, int]]:
    """Every object in the public set now (for the migration that starts the record on a running system)."""
    return {(kind, pk) for kind in STUBBABLE for pk in listed(kind, with_stubs=False).values_list("pk", flat=True)}
