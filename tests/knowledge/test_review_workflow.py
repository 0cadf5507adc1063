"""The four-eyes review of practice examples, through the pages and the actions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command

from audit.models import AuditEvent
from knowledge import actions
from knowledge.models import Revision
from notifications.models import Notification
from search.service import search
from tests.knowledge.scene import approve_twice, example_data, submitted

pytestmark = pytest.mark.django_db


def test_a_submission_lands_in_the_queue_and_needs_two_distinct_reviewers(personas, client_for):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    example = submitted(contributor)
    queue = client_for("office").get("/wissen/pruefung/").content.decode()
    assert "Mentoring für Auszubildende" in queue
    assert Notification.objects.filter(recipient=office, event__verb="knowledge.submitted").exists()

    actions.approve(office, example, example.latest_id)
    with pytest.raises(ValidationError):  # the same person cannot approve twice
        actions.approve(office, example, example.latest_id)
    example.refresh_from_db()
    assert example.published_id is None
    assert client_for("anonymous").get(f"/wissen/{example.pk}/").status_code == 404

    actions.assign_reviewer(office, example, member)
    actions.approve(member, example, example.latest_id)
    example.refresh_from_db()
    assert example.published_id == example.latest_id
    assert example.last_checked is not None and example.review_by > example.last_checked
    page = client_for("anonymous").get(f"/wissen/{example.pk}/").content.decode()
    assert "Mentoring für Auszubildende" in page
    assert "Zuletzt geprüft" in page
    assert set(AuditEvent.objects.filter(action__startswith="knowledge.").values_list("action", flat=True)) >= {
        "knowledge.example.created",
        "knowledge.revision.submitted",
        "knowledge.review.approved",
        "knowledge.reviewer.assigned",
        "knowledge.example.published",
    }


def test_the_author_cannot_review_their_own_example(personas):
    office = personas["office"]
    example = actions.create_example(office, example_data())
    actions.submit(office, example, example.version)
    example.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.approve(office, example, example.latest_id)


def test_published_version_stays_live_while_the_next_is_reviewed(personas, client_for):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    example = submitted(contributor)
    actions.assign_reviewer(office, example, member)
    approve_twice(example, office, member)
    first = example.published_id

    actions.save_draft(contributor, example, example.version, {**example_data(), "title": "Mentoring 2.0 mit Geheimwort"})
    example.refresh_from_db()
    actions.submit(contributor, example, example.version)
    example.refresh_from_db()
    assert example.published_id == first and example.latest.state == Revision.State.IN_REVIEW
    public = client_for("anonymous")
    page = public.get(f"/wissen/{example.pk}/").content.decode()
    assert "Mentoring für Auszubildende" in page and "Geheimwort" not in page
    call_command("rebuild_search_index", "practice_example")  # whatever re-indexes it, only the published text counts
    assert not search(AnonymousUser(), "Geheimwort").hits

    actions.request_changes(member, example, example.latest_id, "Bitte Kosten ergänzen.")
    example.refresh_from_db()
    assert example.published_id == first
    assert Notification.objects.filter(recipient=contributor, event__verb="knowledge.changes_requested").exists()
    assert "Mentoring für Auszubildende" in public.get(f"/wissen/{example.pk}/").content.decode()

    actions.save_draft(contributor, example, example.version, {"resources": "2 Stellenanteile, 5.000 € Sachkosten"})
    example.refresh_from_db()
    assert example.latest.number == 3
    actions.submit(contributor, example, example.version)
    example.refresh_from_db()
    approve_twice(example, member, office)
    assert example.published.number == 3
    assert "Geheimwort" in public.get(f"/wissen/{example.pk}/").content.decode()
    assert [hit.object_id for hit in search(AnonymousUser(), "Geheimwort").hits] == [example.pk]
    assert list(example.revisions.values_list("number", "state")) == [
        (1, "approved"),
        (2, "changes_requested"),
        (3, "approved"),
    ]


def test_reject_needs_a_reason_and_tells_the_author(personas):
    contributor, office = personas["contributor"], personas["office"]
    example = submitted(contributor)
    with pytest.raises(ValidationError):
        actions.reject(office, example, example.latest_id, "  ")
    actions.reject(office, example, example.latest_id, "Kein Bezug zur interkulturellen Öffnung.")
    example.refresh_from_db()
    assert example.latest.state == Revision.State.REJECTED
    assert Notification.objects.filter(recipient=contributor, event__verb="knowledge.rejected").exists()
    assert AuditEvent.objects.filter(action="knowledge.review.rejected").exists()


def test_a_decision_on_an_older_version_is_refused(personas, client_for):
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    example = submitted(contributor)
    stale = example.latest_id
    actions.request_changes(office, example, stale, "Bitte ergänzen.")
    actions.assign_reviewer(office, example, member)
    response = client_for("member").post(
        f"/wissen/{example.pk}/pruefung/", {"revision": stale, "decision": "approve", "text": "passt"}
    )
    assert response.status_code == 400
    assert "nicht mehr in Prüfung" in response.content.decode()


def test_versions_page_shows_a_readable_diff(personas, client_for):
    contributor = personas["contributor"]
    example = submitted(contributor)
    actions.request_changes(personas["office"], example, example.latest_id, "Titel schärfen.")
    example.refresh_from_db()
    actions.save_draft(contributor, example, example.version, {"title": "Mentoring für neue Auszubildende"})
    page = client_for("contributor").get(f"/wissen/{example.pk}/fassungen/?von=1&bis=2").content.decode()
    assert "<ins>neue </ins>" in page or "<ins>neue</ins>" in page
    assert "Titel schärfen." in page


def test_review_pages_through_http(personas, client_for):
    contributor = personas["contributor"]
    author = client_for("contributor")
    data = {k: v for k, v in example_data().items() if k != "cities"}
    response = author.post("/wissen/neu/", data)
    assert response.status_code == 302
    example = contributor.practice_examples.get()
    response = author.post(f"/wissen/{example.pk}/einreichen/", {"einreichen-version": example.version})
    assert response.status_code == 302
    example.refresh_from_db()
    office = client_for("office")
    response = office.post(f"/wissen/{example.pk}/pruefung/zuweisen/", {"zuweisen-reviewer": personas["member"].pk})
    assert response.status_code == 302
    assert (
        office.post(f"/wissen/{example.pk}/pruefung/", {"revision": example.latest_id, "decision": "approve"}).status_code == 302
    )
    member = client_for("member")
    assert (
        member.post(f"/wissen/{example.pk}/pruefung/", {"revision": example.latest_id, "decision": "approve"}).status_code == 302
    )
    example.refresh_from_db()
    assert example.published_id == example.latest_id
    assert "Mentoring" in client_for("anonymous").get("/wissen/?feld=recruitment&zielgruppe=trainees&stadt=").content.decode()


def test_the_public_list_comes_in_pages_with_its_true_count(personas, client, monkeypatch):
    monkeypatch.setattr("knowledge.views.EXAMPLES_PER_PAGE", 2)
    contributor, office, member = personas["contributor"], personas["office"], personas["member"]
    titles = []
    for number in range(5):
        example = submitted(contributor, title=f"Beispiel Nummer {number}")
        actions.assign_reviewer(office, example, member)
        approve_twice(example, office, member)
        titles.append(f"Beispiel Nummer {number}")
    pages = [client.get(f"/wissen/?seite={n}").content.decode() for n in (1, 2, 3)]
    assert "5 Einträge" in pages[0] and "Seite 1 von 3" in pages[0]
    shown = [title for page in pages for title in titles if title in page]
    assert sorted(shown) == sorted(titles)  # each example on exactly one page
