"""Every change of an agenda: proposals, accepting, deferring and rejecting them, the order (guarded by
``Meeting.agenda_version``), items added and edited directly, and the standing items. Once the meeting is
held the agenda is frozen (``rules.check_agenda_open``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot
from lib.concurrency import bump_counter, save_versioned
from meetings import rules
from meetings.agenda.numbering import Kind, Status
from meetings.core.actions import public_pdfs_follow, touch_meeting
from meetings.models import AgendaItem, Meeting, MeetingFile
from meetings.uploads import file_facts, store_pdf
from members.models import Body, Municipality, Person

STANDING_FIRST = [Kind.WELCOME, Kind.MINUTES, Kind.OPEN_ACTIONS]
STANDING_LAST = [Kind.AOB]


@transaction.atomic
def propose_item(
    user,
    body: Body,
    *,
    title: str,
    description: str = "",
    presenter: Person | None = None,
    municipality: Municipality | None = None,
    duration_minutes: int = 15,
    public: bool = True,
    meeting: Meeting | None = None,
) -> AgendaItem:
    """A member's proposal goes into the body's backlog (or straight to a meeting's proposals)."""
    item = AgendaItem(
        body=body,
        meeting=meeting,
        title=title,
        description=description,
        presenter=presenter,
        municipality=municipality,
        duration_minutes=duration_minutes,
        public=public,
        proposed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    item.full_clean(exclude=["proposed_by", "presenter", "municipality", "meeting"])
    item.clean()
    item.save()
    record(user, "meetings.item_proposed", item, after=snapshot(item))
    return item


def _next_position(meeting: Meeting) -> int:
    """After the last accepted item, but before "Verschiedenes", which stays last."""
    accepted = meeting.agenda_items.alive().filter(status=Status.ACCEPTED)
    top = accepted.exclude(kind=Kind.AOB).aggregate(m=Max("position"))["m"]
    position = (top or 0) + 10
    aob = accepted.filter(kind=Kind.AOB).aggregate(m=Min("position"))["m"]
    if aob is not None and position >= aob:
        AgendaItem.objects.filter(meeting=meeting, kind=Kind.AOB).update(position=position + 10)
    return position


def _bump_agenda(meeting: Meeting, expected: int | None) -> None:
    """Take the agenda lock: the order changed since the editor loaded it → EditConflict."""
    bump_counter(meeting, "agenda_version", expected)


@transaction.atomic
def decide_item(
    user,
    item: AgendaItem,
    decision: str,
    *,
    meeting: Meeting | None = None,
    expected_agenda_version: int | None = None,
    expected_version: int | None = None,
) -> None:
    """accept (onto ``meeting``), defer (to the next meeting's backlog) or reject a proposal.

    ``expected_version`` is the item's version the decider saw (``None``: whatever it has now); the decision
    bumps it, so an edit begun before the decision gets a conflict instead of undoing it.
    """
    bump_counter(item, "version", expected_version)
    before = snapshot(item)
    if decision == "accept":
        target = meeting or item.meeting
        if target is None:
            raise ValidationError(_("Bitte wählen Sie die Sitzung, auf deren Tagesordnung der Punkt kommt."))
        if target.body_id != item.body_id:
            raise ValidationError(_("Ein Tagesordnungspunkt gehört zur Sitzung seines Gremiums."))
        rules.check_agenda_open(target)
        _bump_agenda(target, expected_agenda_version)
        item.meeting = target
        item.status = Status.ACCEPTED
        item.position = _next_position(target)
    elif decision == "defer":
        old = item.meeting
        if old is not None:
            if item.status == Status.ACCEPTED:
                rules.check_agenda_open(old)
            _bump_agenda(old, expected_agenda_version)
        item.meeting = None
        item.status = Status.DEFERRED
    elif decision == "reject":
        if item.meeting_id and item.status == Status.ACCEPTED:
            rules.check_agenda_open(item.meeting)
            _bump_agenda(item.meeting, expected_agenda_version)
        item.status = Status.REJECTED
    else:
        raise ValidationError(_("Unbekannte Entscheidung."))
    item.save()
    record(user, f"meetings.item_{decision}", item, before=before, after=snapshot(item))
    public_pdfs_follow(before.get("meeting_id"), item.meeting_id)


@transaction.atomic
def set_item_public(user, item: AgendaItem, public: bool, expected_version: int) -> None:
    """Publish an agenda item or withdraw it from the public (pages, PDFs and OParl follow at once).
    A change of the item since ``expected_version`` raises EditConflict."""
    bump_counter(item, "version", expected_version)
    before = snapshot(item)
    item.public = public
    item.save()
    record(user, "meetings.item_published" if public else "meetings.item_withdrawn", item, before=before, after=snapshot(item))
    public_pdfs_follow(item.meeting_id)


def backlog(body: Body):
    """Proposals waiting for a meeting: new and deferred ones."""
    return (
        AgendaItem.objects.alive()
        .filter(body=body, status__in=[Status.PROPOSED, Status.DEFERRED])
        .filter(Q(meeting__isnull=True) | ~Q(status=Status.ACCEPTED))
        .select_related("presenter", "municipality")
        .order_by("created", "pk")
    )


@transaction.atomic
def reorder_agenda(user, meeting: Meeting, ordered_ids: list[int], expected_agenda_version: int) -> None:
    """Put the accepted items in the given order. A stale ``expected_agenda_version`` raises EditConflict."""
    rules.check_agenda_open(meeting)
    items = {i.pk: i for i in meeting.agenda_items.alive().filter(status=Status.ACCEPTED)}
    if sorted(ordered_ids) != sorted(items):
        raise ValidationError(_("Die Tagesordnung hat sich geändert; bitte laden Sie die Seite neu."))
    _bump_agenda(meeting, expected_agenda_version)
    now = timezone.now()
    for index, pk in enumerate(ordered_ids):
        AgendaItem.objects.filter(pk=pk).update(position=(index + 1) * 10, modified=now)
    touch_meeting(meeting.pk)  # after the items: a meeting is never older than what it embeds
    record(user, "meetings.agenda_reordered", meeting, after={"order": ordered_ids})


def move_item(user, item: AgendaItem, direction: str, expected_agenda_version: int) -> None:
    """One step up or down (the buttons without JavaScript)."""
    meeting = item.meeting
    order = list(
        meeting.agenda_items.alive().filter(status=Status.ACCEPTED).order_by("position", "pk").values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    reorder_agenda(user, meeting, order, expected_agenda_version)


ITEM_FIELDS = ["title", "description", "presenter_id", "municipality_id", "duration_minutes", "public", "was_public"]


def _check_item(item: AgendaItem) -> None:
    item.full_clean(exclude=["proposed_by", "presenter", "municipality", "meeting", "body"])
    item.clean()


@transaction.atomic
def add_item(
    user,
    meeting: Meeting,
    expected_agenda_version: int | None,
    *,
    title: str,
    description: str = "",
    presenter: Person | None = None,
    municipality: Municipality | None = None,
    duration_minutes: int = 15,
    public: bool = True,
    document=None,
) -> AgendaItem:
    """The speaker, deputy or office puts an item straight onto the agenda (no proposal first).

    Takes the agenda lock like every other change of the order; a meeting that was held is refused.
    ``document`` is an optional uploaded PDF for the item.
    """
    rules.check_agenda_open(meeting)
    item = AgendaItem(
        body=meeting.body,
        meeting=meeting,
        status=Status.ACCEPTED,
        title=title.strip(),
        description=description.strip(),
        presenter=presenter,
        municipality=municipality,
        duration_minutes=duration_minutes,
        public=public,
        proposed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _check_item(item)
    _bump_agenda(meeting, expected_agenda_version)
    item.position = _next_position(meeting)
    item.save()
    record(user, "meetings.item_added", item, after=snapshot(item))
    if document is not None:
        _attach_item_pdf(user, item, document)
    public_pdfs_follow(meeting.pk)
    return item


@transaction.atomic
def update_item(user, item: AgendaItem, expected_version: int, *, document=None, **fields) -> None:
    """Edit an item's title, description, presenter, city, duration or publicity, and add a PDF.

    Somebody else's save since ``expected_version`` raises EditConflict (nothing is overwritten); an item
    on the agenda of a held meeting is frozen.
    """
    if item.status == Status.ACCEPTED:
        rules.check_agenda_open(item.meeting)
    before = snapshot(item)
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if item.public:
        item.was_public = True
    _check_item(item)
    save_versioned(item, expected_version, ITEM_FIELDS)
    if item.meeting_id:
        touch_meeting(item.meeting_id)  # after the item: a meeting is never older than what it embeds
    record(user, "meetings.item_changed", item, before=before, after=snapshot(item))
    if document is not None:
        _attach_item_pdf(user, item, document)
    public_pdfs_follow(item.meeting_id)


@transaction.atomic
def remove_item_file(user, item: AgendaItem, document: MeetingFile, expected_version: int) -> None:
    """Take a PDF off an agenda item (a wrong or outdated upload), only while the agenda is open.

    The item's version guards it like an edit (a change since ``expected_version`` raises EditConflict); the
    file is withdrawn softly (OParl serves a stub) and the removal is in the audit log.
    """
    if document.agenda_item_id != item.pk or document.deleted_at is not None:
        raise ValidationError(_("Diese Unterlage gehört nicht zu diesem Tagesordnungspunkt."))
    if item.meeting_id:
        rules.check_agenda_open(item.meeting)
    bump_counter(item, "version", expected_version)
    document.deleted_at = timezone.now()
    document.save()
    record(user, "meetings.item_file_removed", document, before=file_facts(document), after={"deleted": True})
    public_pdfs_follow(item.meeting_id)


def _attach_item_pdf(user, item: AgendaItem, document) -> MeetingFile:
    stored = store_pdf(
        document,
        role=MeetingFile.Role.AUXILIARY,
        public=item.public,
        name=document.name.rsplit(".", 1)[0],
        agenda_item=item,
        uploader=user,
    )
    record(user, "meetings.item_file_added", stored, after=file_facts(stored))
    return stored


STANDING_TITLES = {
    Kind.WELCOME: "Begrüßung und Vorstellung des Integrationskonzepts der Gastgeberstadt",
    Kind.MINUTES: "Genehmigung des Protokolls der letzten Sitzung",
    Kind.OPEN_ACTIONS: "Offene Aufgaben",
    Kind.AOB: "Verschiedenes",
}


@transaction.atomic
def apply_template(user, meeting: Meeting) -> int:
    """Add the standing items that are missing: welcome and host concept, minutes, open actions first; AOB last."""
    rules.check_agenda_open(meeting)
    present = set(meeting.agenda_items.alive().exclude(kind=Kind.REGULAR).values_list("kind", flat=True))
    _bump_agenda(meeting, None)
    added = 0
    regular = list(meeting.agenda_items.alive().filter(status=Status.ACCEPTED).order_by("position", "pk"))
    first = [k for k in STANDING_FIRST if k not in present]
    for offset, kind in enumerate(first):
        AgendaItem.objects.create(
            body=meeting.body,
            meeting=meeting,
            kind=kind,
            status=Status.ACCEPTED,
            title=STANDING_TITLES[kind],
            position=offset + 1,
            duration_minutes=30 if kind == Kind.WELCOME else 10,
            municipality=meeting.host_municipality if kind == Kind.WELCOME else None,
        )
        added += 1
    for index, item in enumerate(regular):
        if item.kind == Kind.REGULAR:
            AgendaItem.objects.filter(pk=item.pk).update(position=100 + index * 10)
    if Kind.AOB not in present:
        AgendaItem.objects.create(
            body=meeting.body,
            meeting=meeting,
            kind=Kind.AOB,
            status=Status.ACCEPTED,
            title=STANDING_TITLES[Kind.AOB],
            position=100_000,
            duration_minutes=10,
        )
        added += 1
    record(user, "meetings.agenda_template", meeting, after={"added": added})
    return added
