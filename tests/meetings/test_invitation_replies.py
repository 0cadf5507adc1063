"""Invitations and replies as the managing office and the body's members live them (issue 10).

A meeting from a date poll keeps the poll's place and host and is first *invited*, not "updated"; later
invitations say what changed; members without an account and guests reply through a personal link
(only its hash stored; wrong links answer 404 like unknown ones); the office previews mail and PDF with
its own covering text, sees who answered what and reminds the others; the minutes' attendance is
prefilled from the replies. Mail goes over real SMTP.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from meetings.agenda import actions as agenda_actions
from meetings.calendar import build_ics, entry
from meetings.core import actions as meeting_actions
from meetings.invitations import actions as invitation_actions
from meetings.invitations.recipients import recipients
from meetings.minutes import actions as minutes_actions
from meetings.models import AgendaItem, InvitationDispatch, Meeting, MeetingGuest, Reply, ReplyLink, hash_token
from meetings.pdfs import PUBLIC, invitation_pdf
from members.models import Membership, Municipality, Person
from ops.logredact import redact
from polls.actions import confirm, create_poll
from polls.models import Participant
from tests.calendar_events.conftest import soon
from tests.support.clock import FROZEN_NOW
from tests.support.smtp import LocalSMTPServer
from tests.workspaces.conftest import body_workspaces  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(FROZEN_NOW)]
LINK = re.compile(r"https?://[^\s\"<>]*/sitzungen/antwort/([A-Za-z0-9_\-]+)/")


@pytest.fixture
def smtp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def ics_of(message):
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    raise AssertionError("no calendar part")


def pdf_names(message) -> list[str]:
    return [p.get_filename() for p in message.walk() if p.get_content_type() == "application/pdf"]


def accept(office, meeting, title, *, public=True):
    item = agenda_actions.propose_item(office, meeting.body, title=title, public=public)
    agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    return item


def send(office, meeting, capture, **kwargs):
    with capture(execute=True):
        return invitation_actions.send_invitation(office, meeting, **kwargs)[0]


def mail_to(received, email):
    return next(m for m in received if m.envelope_to == [email])


@pytest.fixture
def poll_meeting(personas, body_workspaces):  # noqa: F811 - the imported fixture, by name
    """A meeting from a date poll "für eine Sitzung" titled the way people title polls: body name first."""
    office = personas["office"]
    poll = create_poll(
        office,
        body_workspaces["regiegruppe"],
        title="Regiegruppe: Regietreffen im Herbst",
        location="Rathaus Bottrop, Ratssaal",
        deadline=soon(3, 18),
        slots=[(soon(40, 10), soon(40, 13))],
        purpose="meeting",
    )
    event = confirm(office, poll, poll.slots.get())
    return Meeting.objects.get(event=event)


# --- 1 and 2: a meeting from a poll ---------------------------------------------------------------


def test_poll_meeting_keeps_place_and_host_and_names_the_body_once_everywhere(poll_meeting, personas, client_for):
    meeting = poll_meeting
    assert meeting.location is not None and meeting.location.name == "Rathaus Bottrop, Ratssaal"
    assert meeting.host_municipality == Municipality.objects.get(slug="bottrop")  # not the rotation's pick
    assert meeting.title == "Regietreffen im Herbst"
    full = "Regiegruppe: Regietreffen im Herbst"
    page = client_for("office").get(meeting.get_absolute_url()).content.decode()
    assert full in page and "Regiegruppe: Regiegruppe" not in page
    assert entry(meeting).title == full
    assert "Regiegruppe: Regiegruppe" not in build_ics(meeting, method="PUBLISH", sequence=0)
    meeting_actions.schedule_meeting(personas["office"], meeting)
    assert client_for("anonymous").get(f"/oparl/v1.1/meeting/{meeting.pk}").json()["name"] == full


def test_the_first_invitation_of_a_poll_meeting_is_a_first_invitation(
    poll_meeting, personas, smtp, django_capture_on_commit_callbacks
):
    office, meeting = personas["office"], poll_meeting
    poll_sequence = meeting.ical_sequence
    accept(office, meeting, "Bericht aus den Städten")
    dispatch = send(office, meeting, django_capture_on_commit_callbacks)
    received = smtp.wait_for(dispatch.recipients)
    first = mail_to(received, "member@test.example")
    assert first["Subject"].endswith(f"Einladung: Regiegruppe am {meeting.start.astimezone():%d.%m.%Y}")
    assert "Aktualisierte" not in first["Subject"] and "hat sich geändert" not in text_of(first)
    assert "hiermit lädt die Geschäftsführung Sie zur Sitzung" in text_of(first)
    assert "Rathaus Bottrop" in text_of(first) and "Gastgeberstadt: Bottrop" in text_of(first)
    # The poll's calendar entry is updated, not duplicated: same UID, the next SEQUENCE.
    assert int(ics_of(first)["SEQUENCE"]) == poll_sequence + 1 == dispatch.sequence
    assert str(ics_of(first)["SUMMARY"]) == "Regiegruppe: Regietreffen im Herbst"

    smtp.clear()
    meeting.refresh_from_db()
    meeting_actions.update_meeting(office, meeting, meeting.version, start=soon(41, 11), end=soon(41, 14))
    accept(office, meeting, "Neues Förderprogramm")
    update = send(office, meeting, django_capture_on_commit_callbacks)
    text = text_of(mail_to(smtp.wait_for(update.recipients), "member@test.example"))
    assert "die Einladung hat sich geändert" in text and "Was sich geändert hat:" in text
    assert "Neuer Termin:" in text and "Neu auf der Tagesordnung: TOP 2 Neues Förderprogramm." in text
    assert "Neuer Ort" not in text


# --- 3: personal reply links -----------------------------------------------------------------------


@pytest.fixture
def invited(meeting, personas, smtp, django_capture_on_commit_callbacks):
    """The scene's meeting with one public and one non-public item, a guest, and the invitation sent."""
    office = personas["office"]
    accept(office, meeting, "Interkulturelle Öffnung")
    accept(office, meeting, "Personalangelegenheit Vertraulich", public=False)
    invitation_actions.add_guest(
        office, meeting, name="Dr. Gerda Gast", email="gerda@partner.example", organisation="Landesinitiative"
    )
    dispatch = send(office, meeting, django_capture_on_commit_callbacks, covering_text="Bitte bringen Sie die Zahlen mit.")
    return meeting, smtp.wait_for(dispatch.recipients)


def same_page(response, token: str) -> bytes:
    """The page without its per-response CSRF mask and without the path it echoes (language switch)."""
    return re.sub(rb"[A-Za-z0-9]{64}", b"", response.content.replace(token.encode(), b"TOKEN"))


def token_in(message) -> str:
    return LINK.search(text_of(message)).group(1)


def test_members_without_an_account_reply_through_their_personal_link(invited, client):
    meeting, received = invited
    silent = next(p for p in recipients(meeting) if p.user_id is None)
    message = mail_to(received, silent.email)
    text = text_of(message)
    assert "auf der Plattform" not in text and "ohne Anmeldung" in text
    assert "Mit Ihrem Konto" not in text  # no account: no hint to sign in
    token = token_in(message)
    assert ReplyLink.objects.filter(token_hash=hash_token(token), person=silent).exists()
    assert not ReplyLink.objects.filter(token_hash=token).exists()  # only the hash is stored

    url = reverse("meetings:reply_link", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Personalangelegenheit Vertraulich" in page.content.decode()  # a member sees all
    response = client.post(url, {"answer": "deputy", "deputy_name": "Paula Vertretung", "comment": "Ich bin im Urlaub."})
    assert response.status_code == 302
    saved = Reply.objects.get(meeting=meeting, person=silent)
    assert (saved.answer, saved.deputy_name, saved.comment) == ("deputy", "Paula Vertretung", "Ich bin im Urlaub.")
    client.post(url, {"answer": "not_attending"})
    saved.refresh_from_db()
    assert saved.answer == "not_attending" and saved.deputy_name == ""
    assert redact(f"GET {url} 200") == "GET /sitzungen/antwort/[redacted]/ 200"


def test_members_with_an_account_get_the_link_and_the_page(invited, client_for, member_person):
    meeting, received = invited
    text = text_of(mail_to(received, member_person.email))
    assert "Mit Ihrem Konto können Sie auch auf der Seite der Sitzung antworten" in text and token_in(
        mail_to(received, member_person.email)
    )
    client_for("member").post(reverse("meetings:reply", args=[meeting.pk]), {"answer": "attending", "comment": ""})
    assert Reply.objects.get(meeting=meeting, person=member_person).answer == "attending"


def test_guests_get_the_public_invitation_and_reply_through_their_link(invited, client):
    meeting, received = invited
    message = mail_to(received, "gerda@partner.example")
    text = text_of(message)
    assert "als Gast" in text and "Interkulturelle Öffnung" in text
    assert "Vertraulich" not in text and "N1" not in text  # the publication rule: no non-public item
    assert pdf_names(message) and all(name.endswith("-oeffentlich.pdf") for name in pdf_names(message))
    assert "Bitte bringen Sie die Zahlen mit." in text  # the covering text
    url = reverse("meetings:reply_link", args=[token_in(message)])
    page = client.get(url).content.decode()
    assert "Vertraulich" not in page and "Vertretung" not in page
    client.post(url, {"answer": "attending", "comment": "Ich komme mit dem Zug."})
    assert Reply.objects.get(meeting=meeting, guest__email="gerda@partner.example").answer == "attending"
    assert client.post(url, {"answer": "deputy"}).status_code == 422  # a guest sends no deputy


def test_wrong_links_answer_404_and_never_tell_whether_a_token_existed(invited, client, meeting):
    _meeting, received = invited
    token = token_in(received[0])
    unknown_token = "x" * 43
    tampered_token = token[:-1] + ("A" if token[-1] != "A" else "B")
    unknown = client.get(reverse("meetings:reply_link", args=[unknown_token]))
    tampered = client.get(reverse("meetings:reply_link", args=[tampered_token]))
    truncated = client.get(reverse("meetings:reply_link", args=[token[:20]]))
    assert unknown.status_code == tampered.status_code == truncated.status_code == 404
    assert same_page(unknown, unknown_token) == same_page(tampered, tampered_token) == same_page(truncated, token[:20])
    assert client.post(reverse("meetings:reply_link", args=["x" * 43]), {"answer": "attending"}).status_code == 404
    assert not Reply.objects.exists()
    meeting_actions.soft_delete(None, Meeting.objects.get(pk=meeting.pk))  # a deleted meeting: the link is gone too
    gone = client.get(reverse("meetings:reply_link", args=[token]))
    assert gone.status_code == 404 and same_page(gone, token) == same_page(unknown, unknown_token)


# --- 4: preview, covering text, guests, attendance ------------------------------------------------


def test_office_previews_mail_and_pdf_with_its_covering_text_before_sending(meeting, personas, client_for):
    office = client_for("office")
    accept(personas["office"], meeting, "Interkulturelle Öffnung")
    url = reverse("meetings:invite", args=[meeting.pk])
    page = office.post(url, {"covering_text": "Liebe Mitglieder, wir tagen diesmal im Ratssaal."})
    body = page.content.decode()
    assert page.status_code == 200 and "Vorschau der E-Mail" in body
    assert "Liebe Mitglieder, wir tagen diesmal im Ratssaal." in body and "[persönlicher Link der empfangenden Person]" in body
    assert not InvitationDispatch.objects.exists()  # a preview sends nothing
    pdf = office.post(reverse("meetings:invite_preview_pdf", args=[meeting.pk]), {"covering_text": "Text"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert not InvitationDispatch.objects.exists()
    office.post(reverse("meetings:invite_send", args=[meeting.pk]), {"covering_text": "Liebe Mitglieder!"})
    assert InvitationDispatch.objects.get().covering_text == "Liebe Mitglieder!"
    assert "Liebe Mitglieder!" in office.get(url).content.decode()  # the next invitation starts from it


def test_guests_are_added_with_german_errors(meeting, personas, client_for):
    office = client_for("office")
    add = reverse("meetings:guest_add", args=[meeting.pk])
    bad = office.post(add, {"name": "", "email": "kein-mail"})
    assert bad.status_code == 422 and "Bitte geben Sie den Namen an." in bad.content.decode()
    office.post(add, {"name": "Gerda Gast", "email": "Gerda@Partner.example", "organisation": "Landesinitiative"})
    again = office.post(add, {"name": "Gerda", "email": "gerda@partner.example"})
    assert again.status_code == 422 and "bereits eingeladen" in again.content.decode()
    guest = MeetingGuest.objects.get()
    assert guest.email == "gerda@partner.example"
    office.post(reverse("meetings:guest_remove", args=[meeting.pk, guest.pk]))
    assert not MeetingGuest.objects.exists()


def _held(meeting, office) -> None:
    past = timezone.now() - dt.timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(start=past, end=past + dt.timedelta(hours=2))
    meeting.refresh_from_db()
    minutes_actions.mark_held(office, meeting)


def test_attendance_in_the_minutes_is_prefilled_from_the_replies(invited, personas, member_person, client_for):
    meeting, _received = invited
    people = [p for p in recipients(meeting) if p != member_person]
    invitation_actions.reply(member_person, meeting, Reply.Answer.ATTENDING)
    invitation_actions.reply(people[0], meeting, Reply.Answer.DEPUTY, deputy_name=people[1].full_name)
    invitation_actions.reply(people[2], meeting, Reply.Answer.NOT_ATTENDING)
    forecast = invitation_actions.attendance_from_replies(meeting)
    assert member_person in forecast.present and people[1] in forecast.present  # the named deputy is there
    assert forecast.deputies == [(people[0], people[1].full_name)] and forecast.excused == [people[2]]
    # Minutes are written once the meeting took place: it is moved into the past and marked held.
    _held(meeting, personas["office"])
    page = client_for("office").get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert re.search(rf'value="{member_person.pk}"[^>]*checked', page)


# --- 5: what the office sees, and reminders ------------------------------------------------------


def test_office_sees_the_replies_and_reminds_those_who_have_not_answered(
    invited, personas, member_person, client_for, smtp, django_capture_on_commit_callbacks
):
    meeting, _received = invited
    people = [p for p in recipients(meeting) if p != member_person]
    invitation_actions.reply(member_person, meeting, Reply.Answer.ATTENDING)
    invitation_actions.reply(people[0], meeting, Reply.Answer.DEPUTY, deputy_name="Paula Vertretung")
    invitation_actions.reply(people[1], meeting, Reply.Answer.NOT_ATTENDING, comment="Krank")
    office = client_for("office")
    page = office.get(meeting.get_absolute_url()).content.decode()
    assert "Rückmeldungen zur Einladung" in page and "Paula Vertretung" in page and "Krank" in page
    silent = len(recipients(meeting)) - 3 + 1  # + the guest
    assert f"{silent} Personen ohne Rückmeldung erinnern" in page
    assert "Rückmeldungen zur Einladung" not in client_for("member").get(meeting.get_absolute_url()).content.decode()

    smtp.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("meetings:reply_reminder", args=[meeting.pk]))
    assert response.status_code == 302
    reminded = smtp.wait_for(silent)
    addresses = {m.envelope_to[0] for m in reminded}
    assert member_person.email not in addresses and people[0].email not in addresses
    assert "gerda@partner.example" in addresses
    text = text_of(reminded[0])
    assert "fehlt uns noch Ihre Rückmeldung" in text and LINK.search(text)


# --- 3b: date polls ask the whole body ------------------------------------------------------------


def test_a_date_poll_asks_every_member_of_the_body_also_without_an_account(personas, body_workspaces):  # noqa: F811
    from notifications.models import Outbox

    workspace = body_workspaces["regiegruppe"]
    poll = create_poll(
        personas["office"],
        workspace,
        title="Regietreffen Winter",
        location="Rathaus Herne",
        deadline=soon(3, 18),
        slots=[(soon(30, 10), soon(30, 13))],
        invite_body=True,
        purpose="meeting",
    )
    members = Person.objects.filter(
        memberships__in=Membership.objects.current().filter(body=workspace.body).exclude(role="guest"), is_active=True
    ).exclude(email="")
    emails = {p.email.lower() for p in members}
    asked = {p.email for p in poll.participants.filter(user__isnull=True)} | {
        p.user.email for p in poll.participants.filter(user__isnull=False)
    }
    assert emails <= {e.lower() for e in asked}
    externals = list(poll.participants.filter(user__isnull=True))
    assert len(externals) >= len(emails) - 2 and all(p.token_hash for p in externals)
    for participant in externals:
        mail = Outbox.objects.get(to_email=participant.email, event__verb="polls.invited")
        assert "/terminabstimmung/" in mail.text
    assert Participant.objects.filter(poll=poll, user=personas["member"]).exists()  # with an account: in the platform


def test_the_poll_form_offers_the_whole_body_only_in_a_body_workspace(personas, body_workspaces, client_for):  # noqa: F811
    page = client_for("office").get(reverse("polls:create", args=[body_workspaces["regiegruppe"].slug])).content.decode()
    assert "Alle Mitglieder des Gremiums „Regiegruppe“ einladen, auch ohne Konto" in page


def test_items_never_leak_into_the_public_invitation_pdf(invited):
    meeting, _received = invited
    public = invitation_pdf(meeting, PUBLIC, covering_text="Geheimer Hinweis")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(public)).pages)
    assert "Interkulturelle" in text and "Vertraulich" not in text and "Geheimer Hinweis" not in text
    assert AgendaItem.objects.filter(meeting=meeting, public=False).exists()
