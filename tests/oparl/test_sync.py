"""Property: a client that only re-reads ``modified_since`` lists stays equal to a fresh full crawl.

Random (seeded) sequences of what the managing office does — meetings created, scheduled, cancelled and
deleted; agenda items accepted, reordered, rejected, deferred and deleted; files added and withdrawn;
minutes with results published; papers created, linked to agenda items, made non-public and deleted;
people made non-public and public again. After every step an incremental mirror (``tests/oparl/mirror.py``,
HTTP and JSON only) must equal a fresh full crawl; every object that left the public set answers 200 with
a deleted stub; nothing that was never public is served, listed or stubbed.
"""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import AgendaItem, Consultation, Meeting, MeetingFile, Paper
from meetings.papers import actions as paper_actions
from meetings.uploads import store_pdf
from members import actions as member_actions
from members.models import Body, Membership, Person

from .mirror import STUB_KEYS, Mirror, differences

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
ROOT = BASE + "/oparl/v1.1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STEPS = 30


def client_get(client):
    def get(url):
        response = client.get(url.removeprefix(BASE))
        is_json = response["Content-Type"].startswith("application/json")
        return response.status_code, (json.loads(response.content) if is_json else None)

    return get


class Office:
    """The office's moves, each one call of the actions module on randomly chosen objects."""

    def __init__(self, rng: random.Random, office_user, body: Body, people: list[Person], capture):
        self.rng, self.user, self.body, self.people, self.capture = rng, office_user, body, people, capture
        self.day = 0

    def _meetings(self, **filters):
        return list(Meeting.objects.alive().filter(body=self.body, **filters).order_by("pk"))

    def _items(self, **filters):
        return list(AgendaItem.objects.alive().filter(body=self.body, **filters).order_by("pk"))

    def _pick(self, rows):
        return self.rng.choice(rows) if rows else None

    def create_meeting(self):
        self.day += 1
        start = timezone.now().replace(microsecond=0) + dt.timedelta(days=30 + self.day)
        status = self.rng.choice(["draft", "scheduled"])
        meeting_actions.create_meeting(self.user, self.body, start=start, end=start + dt.timedelta(hours=3), status=status)

    def schedule_meeting(self):
        meeting = self._pick(self._meetings(status="draft"))
        if meeting:
            meeting_actions.schedule_meeting(self.user, meeting)

    def accept_item(self):
        meeting = self._pick(self._meetings(status__in=["draft", "scheduled"]))
        if meeting is None:
            return
        public = self.rng.random() < 0.7
        item = agenda_actions.propose_item(self.user, self.body, title=f"Punkt {self.rng.randrange(1000)}", public=public)
        agenda_actions.decide_item(self.user, item, "accept", meeting=meeting)

    def reorder(self):
        open_agendas = self._meetings(status__in=["draft", "scheduled"])  # a held meeting's agenda is frozen
        meeting = self._pick([m for m in open_agendas if m.agenda_items.alive().filter(status="accepted").count() > 1])
        if meeting is None:
            return
        ids = list(meeting.agenda_items.alive().filter(status="accepted").values_list("pk", flat=True))
        self.rng.shuffle(ids)
        meeting.refresh_from_db()
        agenda_actions.reorder_agenda(self.user, meeting, ids, meeting.agenda_version)

    def reject_or_defer(self):
        item = self._pick(self._items(status="accepted", meeting__minutes__isnull=True))
        if item:
            agenda_actions.decide_item(self.user, item, self.rng.choice(["reject", "defer"]))

    def delete_item(self):
        item = self._pick(self._items(status="accepted", meeting__status__in=["draft", "scheduled"]))
        if item:
            meeting_actions.soft_delete(self.user, item)

    def add_item_file(self):
        item = self._pick(self._items(status="accepted"))
        if item:
            upload = SimpleUploadedFile("anlage.pdf", PDF, content_type="application/pdf")
            store_pdf(upload, role=MeetingFile.Role.AUXILIARY, public=item.public, name="Anlage", agenda_item=item)

    def withdraw_file(self):
        document = self._pick(list(MeetingFile.objects.alive().filter(public=True).order_by("pk")))
        if document is None:
            return
        if document.paper_id:
            paper_actions.set_paper_file_public(self.user, document, False)
        else:
            meeting_actions.soft_delete(self.user, document)

    def publish_minutes(self):
        """A meeting that took place (some weeks ago), its minutes written, circulated, approved, published."""
        self.day += 1
        start = timezone.now().replace(microsecond=0) - dt.timedelta(days=60 + self.day)
        meeting, _w = meeting_actions.create_meeting(
            self.user, self.body, start=start, end=start + dt.timedelta(hours=3), status="scheduled"
        )
        items = []
        for _n in range(self.rng.randrange(1, 4)):
            item = agenda_actions.propose_item(
                self.user, self.body, title=f"Punkt {self.rng.randrange(1000)}", public=self.rng.random() < 0.7
            )
            agenda_actions.decide_item(self.user, item, "accept", meeting=meeting)
            items.append(item)
        minutes_actions.mark_held(self.user, meeting)
        for item in items:
            minutes_actions.save_item_minutes(
                self.user, item, summary="Beraten.", result=self.rng.choice(["beschlossen", "vertagt"])
            )
            minutes_actions.add_decision(self.user, item, f"Wortlaut zu {item.title}.")
        minutes = minutes_actions.minutes_for(meeting)
        minutes_actions.circulate_minutes(self.user, minutes, at=meeting.end + dt.timedelta(days=1))
        minutes_actions.approve_minutes(self.user, minutes)
        with self.capture(execute=True):
            minutes_actions.publish_minutes(self.user, minutes)

    def cancel_or_delete_meeting(self):
        meeting = self._pick(self._meetings())
        if meeting is None:
            return
        if self.rng.random() < 0.5 and meeting.status != "cancelled":
            meeting_actions.cancel_meeting(self.user, meeting)
        else:
            meeting_actions.soft_delete(self.user, meeting)

    def create_paper(self):
        public = self.rng.random() < 0.7
        paper = paper_actions.create_paper(
            self.user,
            reference=f"{self.rng.randrange(10_000):04d}/{timezone.localdate().year}-{Paper.objects.count()}",
            name="Vorlage",
            date=timezone.localdate(),
            lead_body=self.body,
            public=public,
        )
        upload = SimpleUploadedFile("vorlage.pdf", PDF, content_type="application/pdf")
        paper_actions.add_paper_file(self.user, paper, upload, role=MeetingFile.Role.MAIN, public=True)

    def link_paper(self):
        paper = self._pick(list(Paper.objects.alive().order_by("pk")))
        item = self._pick(self._items(status="accepted"))
        if paper is None or item is None:
            return
        paper.refresh_from_db()
        paper_actions.add_consultation(
            self.user, paper, paper.sequence_version, body=self.body, role="Vorberatung", meeting=item.meeting, agenda_item=item
        )

    def unlink_paper(self):
        step = self._pick(list(Consultation.objects.alive().filter(paper__deleted_at__isnull=True).order_by("pk")))
        if step:
            paper_actions.remove_consultation(self.user, step, step.paper.sequence_version)

    def toggle_paper(self):
        paper = self._pick(list(Paper.objects.alive().order_by("pk")))
        if paper:
            paper_actions.update_paper(self.user, paper, paper.version, public=not paper.public)

    def delete_paper(self):
        paper = self._pick(list(Paper.objects.alive().order_by("pk")))
        if paper:
            paper_actions.delete_paper(self.user, paper)

    def toggle_person(self):
        person = self._pick(self.people)
        person.refresh_from_db()
        if person.profile_visibility == "public":
            fields = {"profile_visibility": "members", "email_visibility": "members", "phone_visibility": "members"}
        else:
            fields = {"profile_visibility": "public"}
        member_actions.update_person(self.user, person, person.version, **fields)

    MOVES = (
        "create_meeting",
        "schedule_meeting",
        "accept_item",
        "accept_item",
        "reorder",
        "reject_or_defer",
        "delete_item",
        "add_item_file",
        "withdraw_file",
        "publish_minutes",
        "cancel_or_delete_meeting",
        "create_paper",
        "link_paper",
        "unlink_paper",
        "toggle_paper",
        "delete_paper",
        "toggle_person",
    )


def _known_urls(changed_since: dt.datetime | None = None) -> set[str]:
    """Objects the database holds (all, or those changed since), by the URL OParl would give them — the
    harness's view, not the client's."""
    kinds = [
        ("meeting", Meeting),
        ("agenda-item", AgendaItem),
        ("paper", Paper),
        ("consultation", Consultation),
        ("file", MeetingFile),
        ("person", Person),
        ("membership", Membership),
    ]
    urls = set()
    for path, model in kinds:
        rows = model.objects.all() if changed_since is None else model.objects.filter(modified__gte=changed_since)
        urls |= {f"{ROOT}/{path}/{pk}" for pk in rows.values_list("pk", flat=True)}
    return urls


def _embedded_newer_than_parent(obj: dict) -> list[str]:
    """Parents follow: no object is older than anything embedded in it."""
    found = []
    for value in obj.values():
        for sub in value if isinstance(value, list) else [value]:
            if isinstance(sub, dict) and "modified" in sub:
                if dt.datetime.fromisoformat(sub["modified"]) > dt.datetime.fromisoformat(obj["modified"]):
                    found.append(f"embedded {sub['id']} ({sub['modified']}) newer than {obj['id']} ({obj['modified']})")
                found += _embedded_newer_than_parent(sub)
    return found


def _never_public_answer_404(get, urls: set[str]) -> list[str]:
    return [f"never-public object answers {status}: {url}" for url in sorted(urls) for status in [get(url)[0]] if status != 404]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_mirror_equals_full_crawl_after_every_step(
    seed, personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.OPARL_BASE_URL = BASE
    settings.OPARL_PAGE_SIZE = 5
    rng = random.Random(seed)
    body = Body.objects.get(slug="regiegruppe")
    people = list(Person.objects.filter(memberships__body=body).distinct().order_by("pk"))[:4]
    office = Office(rng, personas["office"], body, people, django_capture_on_commit_callbacks)
    for _ in range(3):
        office.create_meeting()
        office.accept_item()
    get = client_get(Client())
    mirror = Mirror(get, ROOT + "/system")
    mirror.full_crawl()
    ever_served = set(mirror.objects)
    history = []
    for step in range(STEPS):
        step_started = timezone.now()
        move = rng.choice(Office.MOVES)
        getattr(office, move)()
        history.append(move)
        stubs = mirror.update()
        truth = Mirror(get, ROOT + "/system").full_crawl()
        problems = differences(mirror.objects, truth)
        problems += [p for obj in truth.values() for p in _embedded_newer_than_parent(obj)]
        for url in sorted(stubs):
            if url not in ever_served:
                problems.append(f"stub for an object no client was ever given: {url}")
        for url in sorted(ever_served - set(truth)):
            status, data = get(url)
            if status != 200 or not data.get("deleted") or set(data) != STUB_KEYS:
                problems.append(f"withdrawn object is not a deleted stub: {url} → {status} {data}")
        ever_served |= set(truth)
        problems += _never_public_answer_404(get, _known_urls(step_started) - ever_served)
        assert not problems, f"seed {seed}, step {step} after {history}:\n" + "\n".join(problems[:20])
    assert not _never_public_answer_404(get, _known_urls() - ever_served)
