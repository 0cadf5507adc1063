"""Smaller promises of the agenda and the invitation (issue 10):

* deciding on an item and changing its publicity take the version the editor saw: a decision made from an
  old page, or an edit begun before somebody else's decision, is refused instead of overwriting it;
* a PDF can be taken off an agenda item (versioned, audited) while the agenda is open;
* a guest added after the invitation went out gets their invitation at once — a first invitation, with their
  own reply link — not only with the next update.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import AuditEvent
from lib.concurrency import EditConflict
from meetings.agenda import actions as agenda_actions
from meetings.invitations import actions as invitation_actions
from meetings.models import AgendaItem, Meeting, MeetingFile, MeetingStatus

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


@pytest.fixture
def accepted(meeting, office_user):
    item = agenda_actions.propose_item(office_user, meeting.body, title="Interkulturelle Öffnung")
    agenda_actions.decide_item(office_user, item, "accept", meeting=meeting)
    return AgendaItem.objects.get(pk=item.pk)


def test_a_decision_from_an_old_version_of_the_item_is_refused(meeting, office_user, accepted):
    seen = accepted.version
    agenda_actions.update_item(office_user, accepted, seen, title="Interkulturelle Öffnung der Verwaltung")
    with pytest.raises(EditConflict):
        agenda_actions.decide_item(office_user, AgendaItem.objects.get(pk=accepted.pk), "defer", expected_version=seen)
    assert AgendaItem.objects.get(pk=accepted.pk).status == AgendaItem.Status.ACCEPTED


def test_an_edit_begun_before_a_decision_does_not_undo_it(meeting, office_user, accepted):
    seen = accepted.version
    agenda_actions.set_item_public(office_user, AgendaItem.objects.get(pk=accepted.pk), False, seen)
    with pytest.raises(EditConflict):
        agenda_actions.update_item(office_user, AgendaItem.objects.get(pk=accepted.pk), seen, public=True)
    with pytest.raises(EditConflict):
        agenda_actions.set_item_public(office_user, AgendaItem.objects.get(pk=accepted.pk), True, seen)
    assert AgendaItem.objects.get(pk=accepted.pk).public is False


def test_the_agenda_page_refuses_a_decision_on_an_item_changed_since(client_for, meeting, office_user):
    item = agenda_actions.propose_item(office_user, meeting.body, title="Vorschlag", meeting=meeting)
    seen = AgendaItem.objects.get(pk=item.pk).version
    agenda_actions.set_item_public(office_user, AgendaItem.objects.get(pk=item.pk), False, seen)
    meeting.refresh_from_db()
    response = client_for("office").post(
        reverse("meetings:agenda", args=[meeting.pk]),
        {"op": "accept", "item": item.pk, "version": seen, "agenda_version": meeting.agenda_version},
    )
    assert response.status_code == 409
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItem.Status.PROPOSED


def test_a_guest_added_after_the_invitation_gets_it_at_once(
    client_for, meeting, office_user, accepted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_actions.send_invitation(office_user, meeting)
    members = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("office").post(
            reverse("meetings:guest_add", args=[meeting.pk]),
            {"name": "Gerda Gast", "email": "gerda.gast@example.org", "organisation": "Integrationsrat Hagen"},
        )
    assert response.status_code == 302
    late = mailoutbox[members:]
    assert [m.to for m in late] == [["gerda.gast@example.org"]]
    mail = late[0]
    body = mail.body
    assert "Aktualisierte" not in mail.subject and "hat sich geändert" not in body
    assert "/sitzungen/antwort/" in body  # her own reply link
    assert any(part.get_content_type() == "text/calendar" for part in mail.message().walk())


def test_a_guest_added_before_the_invitation_waits_for_it(
    client_for, meeting, office_user, accepted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_actions.add_guest(office_user, meeting, name="Gerda Gast", email="gerda.gast@example.org")
    assert mailoutbox == []


def attach_pdf(item: AgendaItem) -> MeetingFile:
    document = MeetingFile(agenda_item=item, name="Alte Fassung", file_name="alt.pdf")
    document.set_content(b"%PDF-1.4\n")
    document.content.save("alt.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return document


def remove_url(meeting, item, document) -> str:
    return reverse("meetings:agenda_item_file_remove", args=[meeting.pk, item.pk, document.pk])


def test_the_office_removes_a_pdf_from_an_item_and_it_is_audited(client_for, meeting, accepted):
    document = attach_pdf(accepted)
    edit = client_for("office").get(reverse("meetings:agenda_item_edit", args=[meeting.pk, accepted.pk])).content.decode()
    assert remove_url(meeting, accepted, document) in edit
    version = AgendaItem.objects.get(pk=accepted.pk).version
    response = client_for("office").post(remove_url(meeting, accepted, document), {"version": version})
    assert response.status_code == 302
    assert MeetingFile.objects.get(pk=document.pk).deleted_at is not None
    assert AgendaItem.objects.get(pk=accepted.pk).version == version + 1
    assert AuditEvent.objects.filter(action="meetings.item_file_removed", object_id=str(document.pk)).exists()
    assert client_for("anonymous").get(reverse("meetings:file", args=[document.pk])).status_code == 404


def test_removing_a_pdf_from_an_old_page_is_a_conflict(client_for, meeting, office_user, accepted):
    document = attach_pdf(accepted)
    seen = AgendaItem.objects.get(pk=accepted.pk).version
    agenda_actions.update_item(office_user, AgendaItem.objects.get(pk=accepted.pk), seen, title="Neu gefasst")
    response = client_for("office").post(remove_url(meeting, accepted, document), {"version": seen})
    assert response.status_code == 409
    assert MeetingFile.objects.get(pk=document.pk).deleted_at is None


def test_a_pdf_stays_on_the_item_once_the_agenda_is_frozen(meeting, office_user, accepted):
    document = attach_pdf(accepted)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    with pytest.raises(ValidationError):
        agenda_actions.remove_item_file(
            office_user, AgendaItem.objects.get(pk=accepted.pk), document, AgendaItem.objects.get(pk=accepted.pk).version
        )
    assert MeetingFile.objects.get(pk=document.pk).deleted_at is None


def test_an_outsider_cannot_remove_a_pdf(client_for, meeting, accepted):
    document = attach_pdf(accepted)
    for persona in ("outsider", "guest", "member"):
        response = client_for(persona).post(remove_url(meeting, accepted, document), {"version": accepted.version})
        assert response.status_code == 404
    assert MeetingFile.objects.get(pk=document.pk).deleted_at is None
