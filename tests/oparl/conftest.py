"""The OParl seed: network Body, bodies, people, meetings with public and non-public TOPs, Hagen's paper."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.agenda import actions as agenda_actions
from meetings.core import actions as meeting_actions
from meetings.minutes import actions as minutes_actions
from meetings.models import Consultation, ExternalCommittee, Location, MeetingFile, Paper
from members.models import Body, Membership, Municipality, Person

BERLIN = ZoneInfo("Europe/Berlin")
PDF = b"%PDF-1.4\n% test\n"


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=BERLIN)


def attach(role, name, **parent):
    f = MeetingFile(role=role, name=name, file_name=f"{name.lower().replace(' ', '-')}.pdf", **parent)
    f.set_content(PDF)
    f.content.save(f.file_name, ContentFile(PDF), save=False)
    f.save()
    return f


@pytest.fixture
def oparl_scene(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = personas["office"]
    rg = Body.objects.get(slug="regiegruppe")
    herne = Municipality.objects.get(slug="herne")
    hagen = Municipality.objects.get(slug="hagen")
    venue = Location.objects.create(
        municipality=herne,
        name="Rathaus Herne",
        street_address="Friedrich-Ebert-Platz 2",
        postal_code="44623",
        locality="Herne",
        room="Ratssaal",
        accessibility="stufenlos, Aufzug",
        latitude="51.5386",
        longitude="7.2190",
    )
    held, _ = meeting_actions.create_meeting(
        office,
        rg,
        start=at(2025, 3, 12),
        end=at(2025, 3, 12, 13),
        title="Regietreffen März",
        host=herne,
        location=venue,
        status="scheduled",
    )
    public_item = agenda_actions.propose_item(office, rg, title="Gewinnung junger Talente")
    secret_item = agenda_actions.propose_item(office, rg, title="Personalfragen (vertraulich)", public=False)
    gone_item = agenda_actions.propose_item(office, rg, title="Zurückgezogener Punkt")
    for item in (public_item, secret_item, gone_item):
        agenda_actions.decide_item(office, item, "accept", meeting=held)
    attach("auxiliary", "Konzept Talente", agenda_item=public_item)
    attach("auxiliary", "Vertrauliche Anlage", agenda_item=secret_item)
    meeting_actions.soft_delete(office, gone_item)  # withdrawn before the meeting: a held meeting's agenda is frozen
    minutes_actions.mark_held(office, held)
    minutes = minutes_actions.minutes_for(held)
    minutes_actions.save_item_minutes(office, public_item, summary="Vorgestellt.", result="einstimmig beschlossen")
    minutes_actions.add_decision(office, public_item, "Die Regiegruppe beschließt das gemeinsame Ausbildungsportal.")
    minutes_actions.add_decision(office, secret_item, "Geheimer Beschluss.")
    minutes_actions.circulate_minutes(office, minutes, at=held.end + dt.timedelta(days=1))
    minutes_actions.approve_minutes(office, minutes)
    attach("minutes", "Protokoll März", meeting=held)
    attach("invitation", "Einladung März", meeting=held)
    minutes_actions.publish_minutes(office, minutes)
    upcoming, _ = meeting_actions.create_meeting(
        office, rg, start=at(2030, 6, 1), end=at(2030, 6, 1, 13), title="Regietreffen Juni", status="scheduled"
    )
    draft, _ = meeting_actions.create_meeting(office, rg, start=at(2030, 9, 1), end=at(2030, 9, 1, 13), title="Entwurf")
    deleted, _ = meeting_actions.create_meeting(
        office, rg, start=at(2030, 10, 1), end=at(2030, 10, 1, 13), title="Gelöscht", status="scheduled"
    )
    meeting_actions.soft_delete(office, deleted)
    integrationsrat = ExternalCommittee.objects.create(municipality=hagen, name="Integrationsrat", classification="Beirat")
    ausschuss = ExternalCommittee.objects.create(
        municipality=hagen, name="Ausschuss für Soziales, Integration und Demographie", classification="Ausschuss"
    )
    rat = ExternalCommittee.objects.create(municipality=hagen, name="Rat der Stadt Hagen", classification="Parlament")
    paper = Paper.objects.create(
        reference="0569/2023",
        name="Beitritt zur Städtekooperation Integration.Interkommunal",
        date=dt.date(2023, 8, 15),
        municipality=hagen,
        lead_body=rg,
    )
    for order, (committee, role, day, authoritative) in enumerate(
        [
            (integrationsrat, "Vorberatung", dt.date(2023, 8, 29), False),
            (ausschuss, "Vorberatung", dt.date(2023, 9, 19), False),
            (rat, "Entscheidung", dt.date(2023, 9, 21), True),
        ]
    ):
        Consultation.objects.create(
            paper=paper, order=order, committee=committee, role=role, date=day, authoritative=authoritative
        )
    Consultation.objects.create(paper=paper, order=3, body=rg, role="Kenntnisnahme", meeting=held, agenda_item=public_item)
    attach("main", "Beschlussvorlage 0569-2023", paper=paper)
    hidden_paper = Paper.objects.create(reference="0001/2024", name="Interne Vorlage", date=dt.date(2024, 1, 1), public=False)
    # A person who was public and then withdrew: a stub.
    speaker = Membership.objects.get(body=rg, role=Membership.Role.SPEAKER).person
    withdrawn = Membership.objects.filter(body=rg, role=Membership.Role.MEMBER).exclude(person=speaker).first().person
    Person.objects.filter(pk=withdrawn.pk).update(profile_visibility="members", modified=timezone.now())
    return {
        "held": held,
        "upcoming": upcoming,
        "draft": draft,
        "deleted": deleted,
        "public_item": public_item,
        "secret_item": secret_item,
        "gone_item": gone_item,
        "paper": paper,
        "hidden_paper": hidden_paper,
        "speaker": speaker,
        "withdrawn": withdrawn,
        "minutes": minutes,
        "venue": venue,
        "office": office,
    }
