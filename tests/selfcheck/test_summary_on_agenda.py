"""The round's one-page summary goes onto a coming Regiegruppe meeting as an agenda item with the PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from meetings.core import actions as meeting_actions
from meetings.models import AgendaItem, MeetingFile
from members.models import Body
from selfcheck import actions
from tests.selfcheck.test_selfcheck import answer_all

pytestmark = pytest.mark.django_db


def coming(office, slug: str, days: int, title: str):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    meeting, _w = meeting_actions.create_meeting(
        office, Body.objects.get(slug=slug), start=start, end=start + dt.timedelta(hours=3), title=title, status="scheduled"
    )
    return meeting


@pytest.fixture
def closed_round(raters, checklist, personas):
    selfcheck_round = actions.open_round(personas["office"], checklist, name="Selbstcheck Kooperation")
    for i, user in enumerate(raters["essen"] + raters["bochum"]):
        answer_all(user, selfcheck_round, {item.pk: (i + n) % 5 for n, item in enumerate(selfcheck_round.items())})
    return actions.close_round(personas["office"], selfcheck_round)


def test_the_office_puts_the_summary_on_the_regiegruppe_agenda(closed_round, personas, client_for):
    meeting = coming(personas["office"], "regiegruppe", 30, "Planungssitzung")
    client = client_for("office")
    page = client.get(f"/selbstcheck/runden/{closed_round.pk}/ergebnisse/").content.decode()
    assert "Auf die Tagesordnung setzen" in page and "Planungssitzung" in page

    response = client.post(f"/selbstcheck/runden/{closed_round.pk}/tagesordnung/", {"meeting": meeting.pk})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, title__contains="Selbstcheck Kooperation")
    assert item.status == AgendaItem.Status.ACCEPTED and not item.public  # the round's result is not released
    paper = MeetingFile.objects.get(agenda_item=item, deleted_at__isnull=True)
    text = PdfReader(io.BytesIO(paper.content.read())).pages[0].extract_text()
    assert "Trägerschaft herstellen" in text
    assert "Planungssitzung" in client.get(f"/selbstcheck/runden/{closed_round.pk}/ergebnisse/").content.decode()

    again = client.post(f"/selbstcheck/runden/{closed_round.pk}/tagesordnung/", {"meeting": meeting.pk})
    assert again.status_code == 400 and "bereits auf der Tagesordnung" in again.content.decode()
    assert AgendaItem.objects.filter(meeting=meeting, title__contains="Selbstcheck").count() == 1


def test_only_closed_rounds_and_only_coming_regiegruppe_meetings(raters, checklist, personas, client_for):
    office = personas["office"]
    open_round = actions.open_round(office, checklist, name="Offene Runde")
    meeting = coming(office, "regiegruppe", 20, "Sitzung im Frühjahr")
    with pytest.raises(ValidationError, match="schließen Sie die Runde zuerst"):
        actions.put_on_agenda(office, open_round, meeting)
    actions.close_round(office, open_round)

    other_body = coming(office, "projektteam", 20, "Projektteam-Sitzung")
    response = client_for("office").post(f"/selbstcheck/runden/{open_round.pk}/tagesordnung/", {"meeting": other_body.pk})
    assert response.status_code == 400 and "steht nicht zur Auswahl" in response.content.decode()
    empty = client_for("office").post(f"/selbstcheck/runden/{open_round.pk}/tagesordnung/", {})
    assert empty.status_code == 400 and "Bitte wählen Sie die Sitzung" in empty.content.decode()
    assert not AgendaItem.objects.filter(title__contains="Offene Runde").exists()


def test_members_cannot_put_it_on_the_agenda(closed_round, personas, client_for):
    meeting = coming(personas["office"], "regiegruppe", 30, "Planungssitzung")
    response = client_for("member").post(f"/selbstcheck/runden/{closed_round.pk}/tagesordnung/", {"meeting": meeting.pk})
    assert response.status_code in (403, 404)
    assert not AgendaItem.objects.filter(meeting=meeting, title__contains="Selbstcheck").exists()
