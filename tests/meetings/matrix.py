"""Objects the permission matrix needs for the meetings and OParl URLs (tests/test_permission_matrix.py).

A scheduled Regiegruppe meeting with a public item (with a public document), a held meeting with draft
minutes and an action, a public paper with a consultation and its PDF, and a venue.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.invitations import actions as invitation_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import Consultation, Location, MeetingFile, Paper
from members.models import Body, Membership, Municipality


def meeting_ids(personas) -> dict[str, object]:
    office = personas["office"]
    body = Body.objects.get(slug="regiegruppe")
    berlin = ZoneInfo("Europe/Berlin")
    day = dt.date.today() + dt.timedelta(days=120)  # a scheduled meeting ahead, on whatever day the suite runs
    venue = Location.objects.create(name="Rathaus Herne", locality="Herne", postal_code="44623")
    meeting, _ = meeting_actions.create_meeting(
        office,
        body,
        start=dt.datetime.combine(day, dt.time(10), tzinfo=berlin),
        end=dt.datetime.combine(day, dt.time(13), tzinfo=berlin),
        host=Municipality.objects.get(slug="herne"),
        location=venue,
        status="scheduled",
    )
    item = agenda_actions.propose_item(office, body, title="Öffentlicher Punkt")
    agenda_actions.decide_item(office, item, "accept", meeting=meeting)
    # A meeting that took place (its minutes are written, so it holds the action).
    past = dt.date.today() - dt.timedelta(days=20)
    held, _ = meeting_actions.create_meeting(
        office,
        body,
        start=dt.datetime.combine(past, dt.time(10), tzinfo=berlin),
        end=dt.datetime.combine(past, dt.time(13), tzinfo=berlin),
        host=Municipality.objects.get(slug="herne"),
        status="scheduled",
    )
    held_item = agenda_actions.propose_item(office, body, title="Beratener Punkt")
    agenda_actions.decide_item(office, held_item, "accept", meeting=held)
    minutes_actions.mark_held(office, held)
    action = minutes_actions.add_action(
        office, held_item, "Bericht vorlegen", municipality=Municipality.objects.get(slug="bochum")
    )
    document = MeetingFile(agenda_item=item, name="Unterlage", file_name="unterlage.pdf")
    document.set_content(b"%PDF-1.4\n")
    document.content.save("unterlage.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    paper = Paper.objects.create(reference="0569/2023", name="Beitritt Hagen", date=dt.date(2023, 8, 15), lead_body=body)
    consultation = Consultation.objects.create(paper=paper, body=body, role="Kenntnisnahme", meeting=meeting, agenda_item=item)
    paper_pdf = MeetingFile(paper=paper, role=MeetingFile.Role.MAIN, name="Vorlage", file_name="vorlage.pdf")
    paper_pdf.set_content(b"%PDF-1.4\n")
    paper_pdf.content.save("vorlage.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    paper_pdf.save()
    speaker = Membership.objects.get(body=body, role=Membership.Role.SPEAKER)
    guest = invitation_actions.add_guest(office, meeting, name="Gerda Gast", email="gerda@partner.example")
    return {
        "meeting_guest": guest.pk,
        "meeting": meeting.pk,
        "agenda_item": item.pk,
        "held_meeting": held.pk,
        "held_item": held_item.pk,
        "action": action.pk,
        "meeting_file": document.pk,
        "paper": paper.pk,
        "consultation": consultation.pk,
        "location": venue.pk,
        "cooperation": body.cooperation_id,
        "org": f"g{body.pk}",
        "public_person": speaker.person_id,
        "public_membership": speaker.pk,
    }
