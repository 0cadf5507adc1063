"""Generated documents of a meeting: the iCalendar invitation (RFC 5545 / iTIP) and the PDFs (WeasyPrint)."""

from __future__ import annotations

from email.mime.text import MIMEText

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from lib.contentlines import plain_text, uri

from .models import AgendaItem, Meeting, MeetingFile, MeetingStatus, Minutes


def ical_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting: every update and the cancellation carry the same UID."""
    return f"{meeting.ical_uid}@interkommunal"


def build_ics(meeting: Meeting, *, method: str, sequence: int, attendees: list = (), agenda: list | None = None) -> str:
    cal = Calendar()
    cal.add("prodid", "-//Integration.Interkommunal//Sitzungen//DE")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", ical_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.start))
    event.add("dtend", timezone.localtime(meeting.end))
    event.add("summary", plain_text(f"{meeting.body.name}: {meeting.title}"))
    if meeting.location:
        event.add("location", plain_text(", ".join(p for p in (str(meeting.location), meeting.location.address) if p)))
    lines = [plain_text(f"{row.number}. {row.item.title}") for row in agenda or []]
    event.add("description", "\n".join(lines) or plain_text(meeting.title))
    event.add("status", "CANCELLED" if method == "CANCEL" or meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    organizer = vCalAddress(uri(f"mailto:{settings.MANAGING_OFFICE_EMAIL}"))
    organizer.params["cn"] = vText(_("Geschäftsführung"))
    event["organizer"] = organizer
    for person in attendees:
        address = vCalAddress(uri(f"mailto:{person.email}"))
        address.params["cn"] = vText(plain_text(person.full_name))
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def ics_part(ics: str, method: str) -> MIMEText:
    """The .ics as a text/calendar part with its iTIP method, as mail clients expect."""
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="einladung.ics")
    return part


def _render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def invitation_pdf(meeting: Meeting) -> bytes:
    from .actions import numbered_agenda

    items = (
        meeting.agenda_items.alive()
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position", "pk")
        .select_related("presenter", "municipality")
    )
    return _render_pdf("meetings/pdf/invitation.html", {"meeting": meeting, "agenda": numbered_agenda(meeting, items)})


def minutes_pdf(minutes: Minutes, *, public_only: bool) -> bytes:
    from .actions import numbered_agenda

    meeting = minutes.meeting
    items = meeting.agenda_items.alive().filter(status=AgendaItem.Status.ACCEPTED).order_by("position", "pk")
    if public_only:
        items = items.filter(public=True)
    items = items.prefetch_related("decisions", "actions__assignee", "actions__municipality")
    return _render_pdf(
        "meetings/pdf/minutes.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "agenda": numbered_agenda(meeting, items),
            "attendees": minutes.attendees.order_by("family_name"),
            "cities": minutes.cities.order_by("short_name"),
            "revisions": minutes.revisions.all(),
            "public_only": public_only,
        },
    )


def _store(meeting: Meeting, role: str, name: str, file_name: str, data: bytes, *, public: bool) -> MeetingFile:
    """Keep one file per meeting and role: a new rendition replaces the content (OParl sees a new ``modified``)."""
    existing = MeetingFile.objects.alive().filter(meeting=meeting, role=role).first()
    file = existing or MeetingFile(meeting=meeting, role=role)
    file.name, file.file_name, file.public = name, file_name, public
    file.set_content(data)
    file.content.save(file_name, ContentFile(data), save=False)
    file.save()
    return file


def store_invitation_pdf(meeting: Meeting) -> MeetingFile:
    local = timezone.localtime(meeting.start)
    return _store(
        meeting,
        MeetingFile.Role.INVITATION,
        _("Einladung %(date)s") % {"date": f"{local:%d.%m.%Y}"},
        f"einladung-{meeting.body.slug}-{local:%Y-%m-%d}.pdf",
        invitation_pdf(meeting),
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
        minutes_pdf(minutes, public_only=True),
        public=True,
    )
