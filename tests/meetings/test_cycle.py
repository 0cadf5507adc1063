"""Series, host rotation, meetings and the agenda through the actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from lib.concurrency import EditConflict
from meetings.agenda import actions as agenda_actions
from meetings.agenda.numbering import numbered_agenda
from meetings.core import actions as meeting_actions
from meetings.models import AgendaItem, Meeting, MeetingStatus
from members.models import Municipality

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_fast]


def test_end_before_start_is_refused(regiegruppe, office_user):
    with pytest.raises(ValidationError):
        meeting_actions.create_meeting(office_user, regiegruppe, start=at(2030, 1, 1, 12), end=at(2030, 1, 1, 11))


def test_database_refuses_end_before_start_too(regiegruppe):
    with pytest.raises(IntegrityError):
        Meeting.objects.create(body=regiegruppe, title="x", start=at(2030, 1, 1, 12), end=at(2030, 1, 1, 11))


def test_two_meetings_of_a_body_at_the_same_time_give_a_warning(meeting, regiegruppe, office_user):
    _second, warnings = meeting_actions.create_meeting(
        office_user, regiegruppe, start=at(2030, 3, 12, 12), end=at(2030, 3, 12, 14)
    )
    assert warnings and "selben Zeit" in warnings[0]


def test_rotation_proposes_who_hosted_least_recently_and_new_members_enter(regiegruppe, office_user):
    cities = list(Municipality.objects.order_by("short_name"))
    for index, city in enumerate(cities):
        if city.slug == "hagen":
            continue
        meeting_actions.create_meeting(
            office_user,
            regiegruppe,
            start=at(2020 + index % 5, 1 + index, 1),
            end=at(2020 + index % 5, 1 + index, 1, 12),
            host=city,
        )
    assert meeting_actions.propose_host(regiegruppe).slug == "hagen"  # the newest member never hosted
    meeting_actions.create_meeting(office_user, regiegruppe, start=at(2029, 1, 1), end=at(2029, 1, 1, 12))
    oldest = meeting_actions.host_rotation(regiegruppe)[0][0]
    assert oldest.slug != "hagen"


def test_a_declining_city_is_skipped_now_and_asked_again_next_time(regiegruppe, office_user):
    meeting, _ = meeting_actions.create_meeting(office_user, regiegruppe, start=at(2030, 5, 1), end=at(2030, 5, 1, 12))
    first = meeting.host_municipality
    nxt = meeting_actions.decline_host(office_user, meeting, first)
    assert nxt != first
    later, _ = meeting_actions.create_meeting(office_user, regiegruppe, start=at(2030, 9, 1), end=at(2030, 9, 1, 12))
    assert later.host_municipality == first


def test_office_overrides_the_host(meeting, office_user):
    bochum = Municipality.objects.get(slug="bochum")
    meeting_actions.set_host(office_user, meeting, bochum)
    meeting.refresh_from_db()
    assert meeting.host_municipality == bochum


def test_slot_from_a_poll_creates_a_draft(regiegruppe):
    meeting = meeting_actions.create_meeting_from_slot(regiegruppe, at(2031, 2, 2), at(2031, 2, 2, 13))
    assert meeting.status == MeetingStatus.DRAFT and meeting.host_municipality is not None


def _accepted(meeting, office_user, titles):
    items = []
    for title in titles:
        item = agenda_actions.propose_item(office_user, meeting.body, title=title)
        agenda_actions.decide_item(office_user, item, "accept", meeting=meeting)
        items.append(item)
    return items


def test_proposals_are_accepted_deferred_or_rejected(meeting, office_user):
    a = agenda_actions.propose_item(office_user, meeting.body, title="Fachkräfte gewinnen", duration_minutes=20, public=False)
    b = agenda_actions.propose_item(office_user, meeting.body, title="Forum 2031")
    c = agenda_actions.propose_item(office_user, meeting.body, title="Abgelehnt")
    assert set(agenda_actions.backlog(meeting.body)) >= {a, b, c}
    agenda_actions.decide_item(office_user, a, "accept", meeting=meeting)
    agenda_actions.decide_item(office_user, b, "defer")
    agenda_actions.decide_item(office_user, c, "reject")
    assert list(meeting.agenda_items.filter(status="accepted")) == [a]
    assert b in agenda_actions.backlog(meeting.body) and c not in agenda_actions.backlog(meeting.body)


def test_template_adds_standing_items_around_the_regular_ones(meeting, office_user):
    _accepted(meeting, office_user, ["Thema A", "Thema B"])
    assert agenda_actions.apply_template(office_user, meeting) == 4
    assert agenda_actions.apply_template(office_user, meeting) == 0
    kinds = list(meeting.agenda_items.order_by("position").values_list("kind", flat=True))
    assert kinds == ["welcome", "minutes", "open_actions", "regular", "regular", "aob"]
    rows = numbered_agenda(meeting, meeting.agenda_items.order_by("position"))
    assert [r.number for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[1].start == rows[0].end


def test_items_accepted_after_the_template_come_before_any_other_business(meeting, office_user):
    agenda_actions.apply_template(office_user, meeting)
    _accepted(meeting, office_user, ["Thema A", "Thema B"])
    kinds = list(meeting.agenda_items.order_by("position").values_list("kind", flat=True))
    assert kinds == ["welcome", "minutes", "open_actions", "regular", "regular", "aob"]


def test_two_editors_reordering_at_once_lose_no_order(meeting, office_user):
    a, b, c = _accepted(meeting, office_user, ["A", "B", "C"])
    meeting.refresh_from_db()
    version = meeting.agenda_version
    agenda_actions.reorder_agenda(office_user, meeting, [c.pk, a.pk, b.pk], version)
    with pytest.raises(EditConflict):
        agenda_actions.reorder_agenda(office_user, meeting, [b.pk, a.pk, c.pk], version)
    order = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    assert order == [c.pk, a.pk, b.pk]


def test_agenda_change_moves_the_meetings_modified(meeting, office_user):
    before = Meeting.objects.get(pk=meeting.pk).modified
    (item,) = _accepted(meeting, office_user, ["A"])
    item.title = "A geändert"
    item.save()
    assert Meeting.objects.get(pk=meeting.pk).modified > before


def test_item_of_another_body_cannot_join_the_meeting(meeting, office_user):
    from members.models import Body

    item = agenda_actions.propose_item(office_user, Body.objects.get(slug="projektteam"), title="Fremd")
    with pytest.raises(ValidationError):
        agenda_actions.decide_item(office_user, item, "accept", meeting=meeting)
    assert AgendaItem.objects.get(pk=item.pk).status == "proposed"
