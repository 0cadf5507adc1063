"""Property: "this persona obtains the object through channel X" ⇔ "the access function says so".

A small scene (three Regiegruppe meetings — one a draft —, agenda items with files, presenters and an
action, published minutes later, two papers with files, two people with their seats, a document) goes
through seeded random sequences of publish, withdraw, reject, defer, accept, soft-delete, invitations,
minutes publication and visibility changes of people, papers, files and the document. After every step,
for every persona and every object, each channel is asked over HTTP exactly as an outsider would:

- HTML pages: meeting, paper, person (and vCard), document page — and what they name: item titles,
  file links, people;
- every PDF: each stored file's download (the two invitation renditions, the public minutes), the
  invitation and minutes rendered on the fly;
- iCal: the meeting's .ics (its agenda in the description);
- search: the search page's hits (people, the document);
- export: the directory export (CSV);
- downloads: meeting, item and paper files, the document;
- mail: the invitation mail each persona receives (text and attached PDF);
- OParl (anonymous: OParl is the public part): meeting, agenda item, paper, file (+ download), person,
  membership, and the item titles embedded in the meeting.

The expected side is computed only from the access functions (``meetings.access``, ``members.access``,
``documents.access``). Where a channel has its own gate for a whole persona (the .ics and the on-the-fly
invitation are for the body's internal side, the export for the office), that gate is part of the
expectation. Extend ``CHANNELS`` below when a channel appears.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from accounts.roles import forget_roles, is_office
from documents import access as document_access
from documents import actions as document_actions
from meetings import access
from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.invitations import actions as invitation_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import AgendaItem, Meeting, MeetingFile, Minutes, Paper
from meetings.papers import actions as paper_actions
from meetings.uploads import store_pdf
from members import access as member_access
from members import actions as member_actions
from members.models import Body, Membership, Municipality, Person, Visibility
from tests.documents.scene import text_file
from tests.meetings.conftest import at, days_ago
from tests.workspaces.conftest import lead, make_workspace  # noqa: F401 - fixtures
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "guest", "member", "office"]
PROBE = "Publikationsprobe"  # in every searchable object of the scene, and nowhere else
ITEM_WORDS = ["Amselweg", "Buchfink", "Czardas", "Dromedar", "Eisvogel"]
PEOPLE = [("Presenta", "Alvarium"), ("Bertram", "Cassiopeia")]
CHANNELS = ["page", "pdf", "ical", "search", "export", "download", "mail", "oparl"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fake_pdf(word: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{word}.pdf", f"%PDF-1.4\n% {word}\n".encode(), content_type="application/pdf")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(data: bytes) -> str:
    """Text of a rendered PDF; an uploaded test file (no real PDF) as it is."""
    try:
        return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return data.decode("latin-1")


class Scene:
    def __init__(self, personas, lead, make_workspace):  # noqa: F811 - fixtures
        self.users = {name: (personas[name] or AnonymousUser()) for name in PERSONAS}
        self.office = personas["office"]
        self.body = Body.objects.get(slug="regiegruppe")
        herne = Municipality.objects.get(slug="herne")
        self.meetings = []
        # The first meeting took place a month ago (its minutes go through the cycle), two lie ahead.
        for month, status in ((0, "scheduled"), (4, "scheduled"), (5, "draft")):
            start, end = (days_ago(30), days_ago(30, 13)) if month == 0 else (at(2030, month, 12), at(2030, month, 12, 13))
            meeting, _w = meeting_actions.create_meeting(
                self.office, self.body, start=start, end=end, title=f"Regietreffen {month}", host=herne, status=status,
            )  # fmt: skip
            self.meetings.append(meeting)
        self.people = [
            member_actions.create_person(
                self.office, given_name=given, family_name=family, function=PROBE, municipality=herne,
                profile_visibility=Visibility.PUBLIC if n == 0 else Visibility.MEMBERS,
                email_visibility=Visibility.OFFICE, phone_visibility=Visibility.OFFICE,
            )
            for n, (given, family) in enumerate(PEOPLE)
        ]  # fmt: skip
        self.seats = [
            member_actions.add_membership(
                self.office, person=p, body=self.body, role=Membership.Role.MEMBER, municipality=herne,
                start_date=at(2024, 1, 1).date(),
            )
            for p in self.people
        ]  # fmt: skip
        places = [(0, True), (0, False), (1, True), (None, True), (2, True)]
        self.items = []
        for n, (word, (meeting_index, public)) in enumerate(zip(ITEM_WORDS, places, strict=True)):
            item = agenda_actions.propose_item(
                self.office, self.body, title=f"Punkt {word}", public=public, presenter=self.people[n % 2]
            )
            if meeting_index is not None:
                agenda_actions.decide_item(self.office, item, "accept", meeting=self.meetings[meeting_index])
            self.items.append(item)
        self.files = [
            store_pdf(fake_pdf("Anlage1"), role=MeetingFile.Role.AUXILIARY, public=True, agenda_item=self.items[0]),
            store_pdf(fake_pdf("Anlage2"), role=MeetingFile.Role.AUXILIARY, public=False, agenda_item=self.items[0]),
            store_pdf(fake_pdf("Anlage3"), role=MeetingFile.Role.AUXILIARY, public=True, agenda_item=self.items[2]),
        ]
        invitation_actions.send_invitation(self.office, self.meetings[0])
        minutes_actions.mark_held(self.office, self.meetings[0])
        minutes_actions.add_action(self.office, self.items[0], "Bericht schreiben", assignee=self.people[1])
        self.papers = [
            paper_actions.create_paper(
                self.office, reference=f"00{n}/2030", name=f"Vorlage {name}", date=at(2030, 1, 1).date(),
                lead_body=self.body, public=public,
            )
            for n, (name, public) in enumerate((("Fliederbusch", True), ("Ginster", False)))
        ]  # fmt: skip
        for paper, public in ((self.papers[0], True), (self.papers[0], False), (self.papers[1], True)):
            self.files.append(
                paper_actions.add_paper_file(
                    self.office, paper, fake_pdf("Vorlagendatei"), role=MeetingFile.Role.MAIN, public=public
                )
            )
        workspace = make_workspace(Workspace.Visibility.PRIVATE, name="Stilles Projekt")
        self.lead = lead
        self.document = document_actions.upload(
            lead, workspace, text_file("holunder.txt", f"Holunder {PROBE}"), title=f"Dokument Holunder {PROBE}"
        )
        document_actions.set_public(lead, self.document, True)
        self.minutes = minutes_actions.minutes_for(self.meetings[0])
        minutes_actions.record_attendance(self.office, self.minutes, self.people)
        self.clients = {}
        for name in PERSONAS:
            client = Client()
            if personas[name] is not None:
                client.force_login(personas[name], backend="django.contrib.auth.backends.ModelBackend")
            self.clients[name] = client

    def refresh(self):
        for obj in [*self.meetings, *self.items, *self.papers, *self.people, self.document, self.minutes]:
            obj.refresh_from_db()
        self.all_files = list(
            MeetingFile.objects.filter(pk__in=[f.pk for f in self.files]) | MeetingFile.objects.filter(meeting__in=self.meetings)
        )
        for user in self.users.values():  # roles and seats are cached per request object
            if user.is_authenticated:
                forget_roles(user)
                user.__dict__.pop("_meeting_seats", None)


# --- Actions -------------------------------------------------------------------------------------
def step(scene: Scene, rng: random.Random) -> str:
    office = scene.office
    choice = rng.choice(
        ["publish", "withdraw", "reject", "defer", "accept", "accept", "invite", "person", "person", "paper",
         "paper_file", "document", "minutes", "schedule", "delete_item", "delete_meeting", "delete_paper"]
    )  # fmt: skip
    item = rng.choice(scene.items)
    try:
        if choice in {"publish", "withdraw"}:
            agenda_actions.set_item_public(office, item, choice == "publish", type(item).objects.get(pk=item.pk).version)
        elif choice in {"reject", "defer"}:
            agenda_actions.decide_item(office, item, choice)
        elif choice == "accept":
            agenda_actions.decide_item(office, item, "accept", meeting=rng.choice(scene.meetings))
        elif choice == "invite":
            invitation_actions.send_invitation(office, rng.choice(scene.meetings[:2]))
        elif choice == "person":
            person = rng.choice(scene.people)
            if rng.random() < 0.25:
                fields = {"is_active": not person.is_active}
            else:
                fields = {"profile_visibility": rng.choice(Visibility.values)}
            member_actions.update_person(office, person, person.version, **fields)
        elif choice == "paper":
            paper = rng.choice(scene.papers)
            paper_actions.update_paper(office, paper, paper.version, public=not paper.public)
        elif choice == "paper_file":
            file = rng.choice(scene.files[3:])
            paper_actions.set_paper_file_public(office, file, not file.public)
        elif choice == "document":
            change = rng.choice(["publish", "unpublish", "trash", "restore"])
            if change in {"publish", "unpublish"}:
                document_actions.set_public(scene.lead, scene.document, change == "publish")
            elif change == "trash" and not scene.document.is_trashed:
                document_actions.trash(scene.lead, scene.document)
            elif change == "restore" and scene.document.is_trashed:
                document_actions.restore(scene.lead, scene.document)
            choice = f"document {change}"
        elif choice == "minutes":
            minutes = scene.minutes
            if minutes.status == Minutes.Status.DRAFT:  # circulated the day after: the objection window is over
                minutes_actions.circulate_minutes(office, minutes, at=minutes.meeting.end + dt.timedelta(days=1))
            if minutes.status == Minutes.Status.CIRCULATED:
                minutes_actions.approve_minutes(office, minutes)
            if minutes.status == Minutes.Status.APPROVED:
                minutes_actions.publish_minutes(office, minutes)
        elif choice == "schedule":
            meeting_actions.schedule_meeting(office, scene.meetings[2])
        elif choice == "delete_item" and rng.random() < 0.4:
            meeting_actions.soft_delete(office, item)
        elif choice == "delete_meeting" and rng.random() < 0.3:
            meeting_actions.soft_delete(office, rng.choice(scene.meetings[1:]))
        elif choice == "delete_paper" and rng.random() < 0.3:
            paper_actions.delete_paper(office, rng.choice(scene.papers))
    except ValidationError:
        return f"{choice} (refused)"
    return choice


# --- What each persona obtains, and what the access functions say ----------------------------------
def word(item: AgendaItem) -> str:
    return item.title.split()[-1]


def file_links(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r"/sitzungen/dokumente/(\d+)/", html)}


def on_agenda(item: AgendaItem, meeting: Meeting) -> bool:
    return item.meeting_id == meeting.pk and item.status == AgendaItem.Status.ACCEPTED


class Check:
    def __init__(self, scene: Scene, history: list[str]):
        self.scene, self.history, self.failures = scene, history, []
        self._visible: dict[tuple[str, int], set[int]] = {}

    def visible(self, queryset_for, user) -> set[int]:
        """The ids the access function's queryset form opens to ``user`` (asked once per step)."""
        key = (queryset_for.__qualname__, id(user))
        if key not in self._visible:
            self._visible[key] = set(queryset_for(user).values_list("pk", flat=True))
        return self._visible[key]

    def item(self, user, item) -> bool:
        visible = item.pk in self.visible(access.agenda_items_visible_to, user)
        return visible

    def file(self, user, file) -> bool:
        return file.pk in self.visible(access.files_visible_to, user)

    def equal(self, persona: str, channel: str, what: str, obtained: bool, allowed: bool) -> None:
        if obtained != allowed:
            self.failures.append(f"{persona} {channel} {what}: obtains={obtained} access={allowed}")

    def implies(self, persona: str, channel: str, what: str, obtained: bool, allowed: bool) -> None:
        if obtained and not allowed:
            self.failures.append(f"{persona} {channel} {what}: obtains although access says no")

    def done(self) -> None:
        assert not self.failures, "after " + " → ".join(self.history) + ":\n" + "\n".join(self.failures)


def check_agenda_text(check, persona, channel, where, text, meeting, user) -> None:
    for item in check.scene.items:
        expected = check.item(user, item) and on_agenda(item, meeting)
        check.equal(persona, channel, f"{where} item {word(item)}", word(item) in text, expected)
    for person in check.scene.people:
        check.implies(
            persona, channel, f"{where} names {person}", person.family_name in text, member_access.person_visible_to(user, person)
        )


def check_persona(check: Check, persona: str, extra: bool) -> None:
    """All channels of ``persona``; the costlier ones (.ics, PDFs rendered on the fly, vCard, export) when
    ``extra`` — every persona's turn comes round every few steps."""
    scene, user, client = check.scene, check.scene.users[persona], check.scene.clients[persona]
    # Meetings: page, the items on it, the files it links, the people it names; .ics; PDFs on the fly.
    for meeting in scene.meetings:
        response = client.get(f"/sitzungen/{meeting.pk}/")
        visible = access.meeting_visible_to(user, meeting)
        check.equal(persona, "page", f"meeting {meeting.pk}", response.status_code == 200, visible)
        if response.status_code == 200:
            html = response.content.decode()
            check_agenda_text(check, persona, "page", f"meeting {meeting.pk}", html, meeting, user)
            expected_files = {
                f.pk
                for f in scene.all_files
                if check.file(user, f)
                and (f.meeting_id == meeting.pk or (f.agenda_item_id and on_agenda(f.agenda_item, meeting)))
            }
            check.equal(
                persona,
                "page",
                f"meeting {meeting.pk} file links {sorted(file_links(html))}",
                file_links(html) == expected_files,
                True,
            )
        internal = visible and access.sees_internal(user, meeting.body_id)
        if not extra:
            continue
        ics = client.get(f"/sitzungen/{meeting.pk}/kalender.ics")
        check.equal(persona, "ical", f"meeting {meeting.pk}", ics.status_code == 200, internal)
        if ics.status_code == 200:
            text = ics.content.decode().replace("\r\n ", "")
            check_agenda_text(check, persona, "ical", f"meeting {meeting.pk}", text, meeting, user)
        invitation = client.get(f"/sitzungen/{meeting.pk}/einladung.pdf")
        check.equal(persona, "pdf", f"invitation of {meeting.pk}", invitation.status_code == 200, internal)
        if invitation.status_code == 200:
            check_agenda_text(check, persona, "pdf", f"invitation of {meeting.pk}", text_of(invitation.content), meeting, user)
    minutes = scene.minutes
    if extra:
        response = client.get(f"/sitzungen/{minutes.meeting_id}/protokoll.pdf")
        check.equal(persona, "pdf", "minutes", response.status_code == 200, access.minutes_visible(user, minutes))
        if response.status_code == 200:
            check_agenda_text(check, persona, "pdf", "minutes", text_of(response.content), minutes.meeting, user)
    # Downloads of every file; the stored public renditions say what the public may see, no more, no less.
    for file in scene.all_files:
        response = client.get(f"/sitzungen/dokumente/{file.pk}/")
        check.equal(persona, "download", f"file {file.pk} ({file.role})", response.status_code == 200, check.file(user, file))
        if response.status_code == 200 and file.meeting_id:
            text = text_of(body_of(response))
            public = file.public
            reader = access.ANONYMOUS if public else user
            for item in scene.items:
                shown = word(item) in text
                check.implies(persona, "pdf", f"file {file.pk} item {word(item)}", shown, check.item(user, item))
                if public:
                    expected = check.item(reader, item) and on_agenda(item, file.meeting)
                    check.equal(persona, "pdf", f"public file {file.pk} item {word(item)}", shown, expected)
            for person in scene.people:
                check.implies(
                    persona,
                    "pdf",
                    f"file {file.pk} names {person}",
                    person.family_name in text,
                    member_access.person_visible_to(reader, person),
                )
    # Papers: page and the files it links.
    for paper in scene.papers:
        response = client.get(f"/sitzungen/vorlagen/{paper.pk}/")
        check.equal(persona, "page", f"paper {paper.pk}", response.status_code == 200, access.paper_visible_to(user, paper))
        if response.status_code == 200:
            expected = {f.pk for f in scene.all_files if f.paper_id == paper.pk and check.file(user, f)}
            check.equal(persona, "page", f"paper {paper.pk} file links", file_links(response.content.decode()) == expected, True)
    # People: profile, vCard, search, export.
    for person in scene.people:
        visible = member_access.person_visible_to(user, person)
        check.equal(
            persona, "page", f"person {person}", client.get(f"/verzeichnis/personen/{person.pk}/").status_code == 200, visible
        )
        if extra:
            vcard = client.get(f"/verzeichnis/personen/{person.pk}/vcard/").status_code == 200
            check.equal(persona, "download", f"vCard {person}", vcard, visible)
    hits = set(re.findall(r'href="(/[^"]+)"', client.get("/suche/", {"q": PROBE}).content.decode().split('id="main"')[-1]))
    for person in scene.people:
        check.equal(
            persona,
            "search",
            f"person {person}",
            person.get_absolute_url() in hits,
            member_access.person_visible_to(user, person),
        )
    document = scene.document
    found = document_access.documents_visible_to(user).filter(pk=document.pk).exists()
    check.equal(persona, "search", "document", document.get_absolute_url() in hits, found)
    if extra:
        export = client.get("/verzeichnis/export.csv")
        exported = export.content.decode() if export.status_code == 200 else ""
        for person in scene.people:
            allowed = is_office(user) and member_access.person_visible_to(user, person)
            check.equal(persona, "export", f"person {person}", person.family_name in exported, allowed)
    # The document: page and download.
    may_open = document_access.document_visible_to(user, document)
    check.equal(persona, "page", "document", client.get(f"/dokumente/{document.pk}/").status_code == 200, may_open)
    check.equal(
        persona, "download", "document", client.get(f"/dokumente/{document.pk}/herunterladen/").status_code == 200, may_open
    )


def oparl_visible(client: Client, path: str) -> tuple[bool, str]:
    response = client.get(f"/oparl/v1.1/{path}")
    if response.status_code != 200:
        return False, ""
    text = response.content.decode()
    return '"deleted": true' not in text and '"deleted":true' not in text, text


def check_oparl(check: Check) -> None:
    scene, anonymous, client = check.scene, access.ANONYMOUS, Client()
    for meeting in scene.meetings:
        shown, text = oparl_visible(client, f"meeting/{meeting.pk}")
        check.equal("anonymous", "oparl", f"meeting {meeting.pk}", shown, access.meeting_visible_to(anonymous, meeting))
        if shown:
            for item in scene.items:
                check.implies(
                    "anonymous",
                    "oparl",
                    f"meeting {meeting.pk} item {word(item)}",
                    word(item) in text,
                    access.agenda_item_visible_to(anonymous, item),
                )
    for item in scene.items:
        shown, _t = oparl_visible(client, f"agenda-item/{item.pk}")
        check.equal("anonymous", "oparl", f"agenda item {word(item)}", shown, access.agenda_item_visible_to(anonymous, item))
    for paper in scene.papers:
        shown, _t = oparl_visible(client, f"paper/{paper.pk}")
        check.equal("anonymous", "oparl", f"paper {paper.pk}", shown, access.paper_visible_to(anonymous, paper))
    for file in scene.all_files:
        allowed = access.file_visible_to(anonymous, file)
        shown, _t = oparl_visible(client, f"file/{file.pk}")
        check.equal("anonymous", "oparl", f"file {file.pk} ({file.role})", shown, allowed)
        downloaded = client.get(f"/oparl/v1.1/file/{file.pk}/download").status_code == 200
        check.equal("anonymous", "oparl", f"file {file.pk} download", downloaded, allowed)
    for person in scene.people:
        shown, _t = oparl_visible(client, f"person/{person.pk}")
        check.equal("anonymous", "oparl", f"person {person}", shown, member_access.person_visible_to(anonymous, person))
    for seat in scene.seats:
        shown, _t = oparl_visible(client, f"membership/{seat.pk}")
        visible = member_access.memberships_visible_to(anonymous).filter(pk=seat.pk).exists()
        check.equal("anonymous", "oparl", f"membership {seat.pk}", shown, visible)


def check_mail(check: Check, sent: list) -> None:
    """Every invitation mail a persona receives names only what that persona may see."""
    scene = check.scene
    for persona, user in scene.users.items():
        if not user.is_authenticated:
            continue
        for message in (m for m in sent if user.email in m.to):
            parts = [message.body] + [
                text_of(a[1]) for a in message.attachments if isinstance(a, tuple) and a[2] == "application/pdf"
            ]
            text = " ".join(parts)
            for item in scene.items:
                check.implies(
                    persona, "mail", f"item {word(item)}", word(item) in text, access.agenda_item_visible_to(user, item)
                )
            for person in scene.people:
                check.implies(
                    persona, "mail", f"names {person}", person.family_name in text, member_access.person_visible_to(user, person)
                )


@pytest.mark.parametrize("seed", [1, 2])
def test_every_channel_agrees_with_the_access_functions(seed, personas, lead, make_workspace, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        scene = Scene(personas, lead, make_workspace)
    rng = random.Random(seed)
    history: list[str] = []
    for number in range(int(os.environ.get("PUBLICATION_STEPS", "8"))):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            history.append(step(scene, rng))
        scene.refresh()
        check = Check(scene, history)
        for index, persona in enumerate(PERSONAS):
            check_persona(check, persona, extra=(number + index) % len(PERSONAS) < 2)
        check_oparl(check)
        check_mail(check, list(mail.outbox))
        check.done()
    assert Person.objects.filter(pk__in=[p.pk for p in scene.people]).count() == 2
    assert Paper.objects.filter(pk__in=[p.pk for p in scene.papers]).exists()
