"""The PDFs of a meeting (WeasyPrint): the invitation (for the body and the public one) and the minutes."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import access
from meetings.agenda.numbering import numbered_agenda
from meetings.models import ActionItem, AgendaItem, Meeting, MeetingFile, Minutes
from members.access import MEMBER_LEVELS, PUBLIC_LEVELS


def _render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _agenda_for(meeting: Meeting, viewer):
    """The accepted items of ``meeting`` that ``viewer`` sees (``access.visible_agenda``), numbered; the
    open actions listed under "Offene Aufgaben" likewise only from items ``viewer`` sees.

    ``viewer`` is a user, or ``PUBLIC`` for a rendition stored for everybody, or ``MEMBERS`` for the one
    stored for the body's members (they see every item).
    """
    if viewer is MEMBERS:
        items = meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "pk")
    else:
        items = access.visible_agenda(access.ANONYMOUS if viewer is PUBLIC else viewer, meeting)
    rows = numbered_agenda(meeting, items.select_related("presenter", "municipality"))
    if viewer is not MEMBERS:
        seen = set(access.agenda_items_visible_to(access.ANONYMOUS if viewer is PUBLIC else viewer).values_list("pk", flat=True))
        for row in rows:
            if row.open_actions:
                row.open_actions = [a for a in row.open_actions if a.agenda_item_id in seen]
    return rows


PUBLIC, MEMBERS = object(), object()  # audiences of the stored renditions


def _levels(viewer) -> list[str] | object:
    """What the templates' ``named_for`` filter takes: profile levels for a stored rendition, else the user."""
    if viewer is PUBLIC:
        return PUBLIC_LEVELS
    if viewer is MEMBERS:
        return MEMBER_LEVELS
    return viewer


def invitation_pdf(meeting: Meeting, viewer=MEMBERS, *, covering_text: str = "") -> bytes:
    """The invitation as ``viewer`` may see it: the public rendition lists only public items, and every
    rendition names only the people its readers may see. The office's covering text is for the body's
    rendition only (it may speak of non-public items), never for the public one."""
    return _render_pdf(
        "meetings/pdf/invitation.html",
        {
            "meeting": meeting,
            "agenda": _agenda_for(meeting, viewer),
            "viewer": _levels(viewer),
            "covering_text": "" if viewer is PUBLIC else covering_text,
        },
    )


def minutes_pdf(minutes: Minutes, viewer=MEMBERS) -> bytes:
    meeting = minutes.meeting
    agenda = _agenda_for(meeting, viewer)
    internal = viewer is MEMBERS or (viewer is not PUBLIC and access.sees_internal(viewer, meeting.body_id))
    shown = {row.item.pk for row in agenda}
    revisions = [r for r in minutes.revisions.all() if r.agenda_item_id is None or r.agenda_item_id in shown]
    for row in agenda:  # the prefetch of numbered rows: decisions and actions of each item
        row.actions = list(row.item.actions.select_related("assignee", "municipality").order_by("pk"))
        row.corrections = [r for r in revisions if r.agenda_item_id == row.item.pk]
    return _render_pdf(
        "meetings/pdf/minutes.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "agenda": agenda,
            "attendees": minutes.attendees.order_by("family_name"),
            "cities": minutes.cities.order_by("short_name"),
            "revisions": revisions,  # a correction of an item the reader does not see stays out
            "public_only": not internal,
            "viewer": _levels(viewer),
        },
    )


def _store(meeting: Meeting, role: str, name: str, file_name: str, data: bytes, *, public: bool) -> MeetingFile:
    """Keep one file per meeting, role and audience: a new rendition replaces the content (OParl sees a new ``modified``)."""
    existing = MeetingFile.objects.alive().filter(meeting=meeting, role=role, public=public).first()
    file = existing or MeetingFile(meeting=meeting, role=role)
    file.name, file.file_name, file.public = name, file_name, public
    file.set_content(data)
    file.content.save(file_name, ContentFile(data), save=False)
    file.save()
    return file


def store_invitation_pdf(meeting: Meeting, *, covering_text: str = "") -> MeetingFile:
    """Store both renditions: the full one for the body (not public; attached to the members' mail) and the
    public one without non-public items (meeting page, OParl). Returns the full one."""
    local = timezone.localtime(meeting.start)
    name = _("Einladung %(date)s") % {"date": f"{local:%d.%m.%Y}"}
    full = _store(
        meeting,
        MeetingFile.Role.INVITATION,
        name,
        f"einladung-{meeting.body.slug}-{local:%Y-%m-%d}.pdf",
        invitation_pdf(meeting, MEMBERS, covering_text=covering_text),
        public=False,
    )
    _store_public_invitation(meeting)
    return full


def _store_public_invitation(meeting: Meeting) -> MeetingFile:
    local = timezone.localtime(meeting.start)
    return _store(
        meeting,
        MeetingFile.Role.INVITATION,
        _("Einladung %(date)s (öffentlich)") % {"date": f"{local:%d.%m.%Y}"},
        f"einladung-{meeting.body.slug}-{local:%Y-%m-%d}-oeffentlich.pdf",
        invitation_pdf(meeting, PUBLIC),
        public=True,
    )


def store_minutes_pdf(minutes_pk: int) -> MeetingFile | None:
    minutes = Minutes.objects.select_related("meeting__body").filter(pk=minutes_pk).first()
    if minutes is None or minutes.status != Minutes.Status.PUBLISHED:
        return None
    meeting = minutes.meeting
    local = timezone.localtime(meeting.start)
    return _store(
        meeting,
        MeetingFile.Role.MINUTES,
        _("Protokoll %(date)s") % {"date": f"{local:%d.%m.%Y}"},
        f"protokoll-{meeting.body.slug}-{local:%Y-%m-%d}.pdf",
        minutes_pdf(minutes, PUBLIC),
        public=True,
    )


def refresh_public_pdfs(meeting_ids) -> None:
    """Render the stored public PDFs of these meetings again, after a change of what the public may see in
    them (an item rejected, deferred, withdrawn or deleted; a person who narrowed their profile).

    Called by the actions in the same transaction, so the stored file, its download and OParl never show
    the old state. Only meetings that have such a file are rendered.
    """
    ids = {pk for pk in meeting_ids if pk}
    if not ids:
        return
    stored = MeetingFile.objects.alive().filter(meeting_id__in=ids, public=True)
    for meeting_id in sorted(set(stored.filter(role=MeetingFile.Role.INVITATION).values_list("meeting_id", flat=True))):
        _store_public_invitation(Meeting.objects.select_related("body").get(pk=meeting_id))
    published = Minutes.objects.filter(meeting_id__in=ids, status=Minutes.Status.PUBLISHED)
    for minutes_pk in published.values_list("pk", flat=True):
        store_minutes_pdf(minutes_pk)


def refresh_for_person(person_id: int) -> None:
    """The stored public PDFs that may name this person (presenter, assignee of an action — also listed
    under "Offene Aufgaben" in later invitations of the body) are rendered again."""
    meeting_ids = set(AgendaItem.objects.filter(presenter_id=person_id).values_list("meeting_id", flat=True))
    assigned = ActionItem.objects.filter(assignee_id=person_id)
    meeting_ids |= set(assigned.values_list("agenda_item__meeting_id", flat=True))
    bodies = set(assigned.values_list("body_id", flat=True))
    meeting_ids |= set(Meeting.objects.filter(body_id__in=bodies).values_list("pk", flat=True))
    refresh_public_pdfs(meeting_ids)
