"""OParl 1.1 objects as plain JSON dicts.

Rules (shared/reference/oparl.md): ids from ``OPARL_BASE_URL`` (never from the request), ``type`` with
the 1.1 namespace, ``created``/``modified`` on every object including embedded ones, date-times as
``yyyy-mm-ddThh:mm:ss±hh:mm`` in Europe/Berlin, no ``null``/``""``/``[]`` on optional fields, back-references
only when an object is served on its own, deleted objects as stubs.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from meetings.models import AgendaItem, Consultation, Location, Meeting, MeetingFile, Minutes, Paper
from members.models import Body, Cooperation, Membership, Person, Visibility

NS = "https://schema.oparl.org/1.1/"
BERLIN = ZoneInfo("Europe/Berlin")
ROLE_LABELS = {
    Membership.Role.SPEAKER: "Sprecher*in",
    Membership.Role.DEPUTY_SPEAKER: "stellvertretende*r Sprecher*in",
    Membership.Role.MEMBER: "Mitglied",
    Membership.Role.DEPUTY_MEMBER: "stellvertretendes Mitglied",
    Membership.Role.MANAGING_OFFICE: "Geschäftsführung",
    Membership.Role.GUEST: "Gast",
}
VOTING_ROLES = {Membership.Role.SPEAKER, Membership.Role.DEPUTY_SPEAKER, Membership.Role.MEMBER}
BODY_CLASSIFICATION = {
    Body.Kind.STEERING_GROUP: "Lenkungsgruppe",
    Body.Kind.PROJECT_TEAM: "AG",
    Body.Kind.MANAGING_OFFICE: "Geschäftsstelle",
    Body.Kind.WORKING_GROUP: "AG",
}
MEETING_STATE = {"scheduled": "terminiert", "invited": "eingeladen", "held": "durchgeführt", "cancelled": "terminiert"}


def base() -> str:
    return settings.OPARL_BASE_URL + "/oparl/v1.1"


def url(path: str) -> str:
    return f"{base()}/{path}"


def datetime(value: dt.datetime) -> str:
    return value.astimezone(BERLIN).replace(microsecond=0).isoformat()


def date(value: dt.date) -> str:
    return value.isoformat()


def clean(data: dict, keep: tuple[str, ...] = ()) -> dict:
    """Drop empty optional values; ``keep`` names mandatory arrays that stay even when empty."""
    return {k: v for k, v in data.items() if k in keep or v not in (None, "", [], {})}


def _common(kind: str, path: str, obj) -> dict:
    """``modified`` is the row's ``oparl_modified`` where the query computed it (see ``oparl.publish``)."""
    return {
        "id": url(path),
        "type": NS + kind,
        "created": datetime(obj.created),
        "modified": datetime(getattr(obj, "oparl_modified", None) or obj.modified),
    }


def stub(kind: str, path: str, obj) -> dict:
    return {**_common(kind, path, obj), "deleted": True}


def web(path: str) -> str:
    return settings.SITE_URL + path


# --- Paths ---------------------------------------------------------------------------------------
def org_key(body_id: int | None = None, committee_id: int | None = None, city_id: int | None = None) -> str:
    """Our bodies (g), external committees (x) and member cities (c) share the Organization list."""
    if body_id:
        return f"organization/g{body_id}"
    if city_id:
        return f"organization/c{city_id}"
    return f"organization/x{committee_id}"


# --- Objects -------------------------------------------------------------------------------------
def system(cooperation: Cooperation | None) -> dict:
    created = cooperation.created if cooperation else dt.datetime(2026, 1, 1, tzinfo=BERLIN)
    modified = cooperation.modified if cooperation else created
    return clean(
        {
            "id": url("system"),
            "type": NS + "System",
            "oparlVersion": NS,
            "body": url("bodies"),
            "name": "Integration.Interkommunal – Sitzungen der Gremien",
            "contactEmail": settings.MANAGING_OFFICE_EMAIL,
            "contactName": "Geschäftsführung der Städtekooperation",
            "website": settings.SITE_URL + "/",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "created": datetime(created),
            "modified": datetime(modified),
            "web": settings.SITE_URL + "/",
        }
    )


def body(cooperation: Cooperation, *, omit_internal: bool = False) -> dict:
    p = f"body/{cooperation.pk}"
    data = {
        **_common("Body", p, cooperation),
        "system": url("system"),
        "name": cooperation.name,
        "shortName": cooperation.short_name,
        "website": cooperation.website,
        "contactEmail": cooperation.email,
        "contactName": "Geschäftsführung",
        "classification": "Interkommunale Kooperation",
        "organization": url(f"{p}/organizations"),
        "person": url(f"{p}/persons"),
        "meeting": url(f"{p}/meetings"),
        "paper": url(f"{p}/papers"),
        "agendaItem": url(f"{p}/agenda-items"),
        "consultation": url(f"{p}/consultations"),
        "file": url(f"{p}/files"),
        "locationList": url(f"{p}/locations"),
        "legislativeTermList": url(f"{p}/legislative-terms"),
        "membership": url(f"{p}/memberships"),
        "web": web("/gremien/"),
    }
    if not omit_internal:
        data["legislativeTerm"] = []
    return clean(data, keep=("legislativeTerm",))


def organization_of_body(b: Body, cooperation_id: int) -> dict:
    p = org_key(body_id=b.pk)
    return clean(
        {
            **_common("Organization", p, b),
            "body": url(f"body/{cooperation_id}"),
            "name": b.name,
            "shortName": b.short_name,
            "organizationType": "Verwaltungsbereich" if b.kind == Body.Kind.MANAGING_OFFICE else "Gremium",
            "classification": BODY_CLASSIFICATION.get(b.kind, ""),
            "meeting": url(f"{p}/meetings"),
            "consultation": url(f"{p}/consultations"),
            "web": web(f"/gremien/{b.slug}/"),
        }
    )


def organization_of_committee(c, cooperation_id: int) -> dict:
    p = org_key(committee_id=c.pk)
    return clean(
        {
            **_common("Organization", p, c),
            "body": url(f"body/{cooperation_id}"),
            "name": f"{c.name} ({c.municipality.short_name})",
            "organizationType": "externes Gremium",
            "classification": c.classification,
            "meeting": url(f"{p}/meetings"),
            "consultation": url(f"{p}/consultations"),
            "externalBody": c.external_body_url,
        }
    )


def organization_of_city(city, cooperation_id: int) -> dict:
    p = org_key(city_id=city.pk)
    return clean(
        {
            **_common("Organization", p, city),
            "body": url(f"body/{cooperation_id}"),
            "name": city.name,
            "shortName": city.short_name,
            "organizationType": "Institution",
            "classification": "Mitgliedskommune",
            "startDate": date(city.join_date),
            "endDate": date(city.left_on) if city.left_on else None,
            "website": city.website,
            "meeting": url(f"{p}/meetings"),
            "consultation": url(f"{p}/consultations"),
            "web": web(f"/mitgliedsstaedte/{city.slug}/"),
        }
    )


def location(loc: Location, *, embedded: bool, back: dict | None = None) -> dict:
    p = f"location/{loc.pk}"
    if not getattr(loc, "oparl_visible", True):
        return stub("Location", p, loc)
    data = {
        **_common("Location", p, loc),
        "description": ", ".join(x for x in (loc.name, loc.address) if x),
        "streetAddress": loc.street_address,
        "room": loc.room,
        "postalCode": loc.postal_code,
        "locality": loc.locality,
    }
    if loc.latitude is not None and loc.longitude is not None:
        data["geojson"] = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(loc.longitude), float(loc.latitude)]},
            "properties": {"name": loc.name},
        }
    if not embedded and back:
        data.update(back)
    return clean(data)


def file(f: MeetingFile, *, embedded: bool) -> dict:
    p = f"file/{f.pk}"
    if not getattr(f, "oparl_visible", True):
        return stub("File", p, f)
    data = {
        **_common("File", p, f),
        "name": f.name,
        "fileName": f.file_name,
        "mimeType": f.mime_type,
        "date": date(file_date(f)),
        "size": f.size,
        "sha512Checksum": f.sha512,
        "accessUrl": url(f"{p}/access"),
        "downloadUrl": url(f"{p}/download"),
    }
    if not embedded:
        data["meeting"] = [url(f"meeting/{f.meeting_id}")] if f.meeting_id else []
        data["agendaItem"] = [url(f"agenda-item/{f.agenda_item_id}")] if f.agenda_item_id else []
        data["paper"] = [url(f"paper/{f.paper_id}")] if f.paper_id else []
    return clean(data)


GENERATED_ROLES = {MeetingFile.Role.INVITATION, MeetingFile.Role.MINUTES}


def file_date(f: MeetingFile) -> dt.date:
    """The document's own date: a paper's documents carry the paper's date; the invitation and the minutes
    are dated by their latest rendition; an upload by the day it was uploaded."""
    paper_date = getattr(f, "oparl_paper_date", None)
    if paper_date is not None:
        return paper_date
    stamp = f.modified if f.role in GENERATED_ROLES else f.created
    return stamp.astimezone(BERLIN).date()


def _of_role(files: list, role: str) -> list:
    """The files (already only the public ones, see ``oparl.publish.embeddable``) with one role."""
    return [f for f in files if f.role == role]


def agenda_item(item: AgendaItem, *, embedded: bool, omit_internal: bool = False) -> dict:
    """``oparl_number`` is the item's number on every page, PDF and in OParl (``meetings.models.agenda_numbers``);
    a public item's number is its place among the public items, so ``order`` follows from it."""
    p = f"agenda-item/{item.pk}"
    if not getattr(item, "oparl_visible", True):
        return stub("AgendaItem", p, item)
    data = {
        **_common("AgendaItem", p, item),
        "number": item.oparl_number,
        "order": int(item.oparl_number) - 1,
        "name": item.title,
        "public": True,
        "web": web(f"/sitzungen/{item.meeting_id}/"),
    }
    if item.oparl_consultations:
        data["consultation"] = url(f"consultation/{item.oparl_consultations[0].pk}")
    if _minutes_published(item.meeting):
        data["result"] = item.result
        data["resolutionText"] = "\n\n".join(d.text for d in item.oparl_decisions)
    if not omit_internal:
        data["auxiliaryFile"] = [file(f, embedded=True) for f in item.oparl_files]
    if not embedded:
        data["meeting"] = url(f"meeting/{item.meeting_id}")
    return clean(data, keep=("order",))


def _minutes_published(meeting: Meeting) -> bool:
    try:
        return meeting.minutes.status == Minutes.Status.PUBLISHED
    except Minutes.DoesNotExist:
        return False


def meeting(m: Meeting, *, embedded: bool = False, omit_internal: bool = False) -> dict:
    p = f"meeting/{m.pk}"
    if not getattr(m, "oparl_visible", True):
        return stub("Meeting", p, m)
    published = _minutes_published(m)
    data = {
        **_common("Meeting", p, m),
        "name": f"{m.body.name}: {m.title}",
        "meetingState": MEETING_STATE.get(m.status, "terminiert"),
        "cancelled": m.status == "cancelled",
        "start": datetime(m.start),
        "end": datetime(m.end),
        "organization": [url(org_key(body_id=m.body_id))],
        "web": web(f"/sitzungen/{m.pk}/"),
    }
    if m.oparl_location is not None:
        data["location"] = location(m.oparl_location, embedded=True)
    invitation = _of_role(m.oparl_files, MeetingFile.Role.INVITATION)
    if invitation:
        data["invitation"] = file(invitation[0], embedded=True)
    protocol = _of_role(m.oparl_files, MeetingFile.Role.MINUTES)
    if protocol and published:
        data["resultsProtocol"] = file(protocol[0], embedded=True)
    if not omit_internal:
        data["auxiliaryFile"] = [file(f, embedded=True) for f in _of_role(m.oparl_files, MeetingFile.Role.AUXILIARY)]
        data["agendaItem"] = [agenda_item(i, embedded=True) for i in m.oparl_items]
    return clean(data)


def consultation(c: Consultation, *, embedded: bool) -> dict:
    """The meeting and agenda item are linked only while the item is public (``oparl_links_visible``)."""
    p = f"consultation/{c.pk}"
    if not getattr(c, "oparl_visible", True):
        return stub("Consultation", p, c)
    data = {
        **_common("Consultation", p, c),
        "organization": [url(org_key(body_id=c.body_id, committee_id=c.committee_id))],
        "authoritative": c.authoritative,
        "role": c.role,
    }
    if c.meeting_id and c.oparl_links_visible:
        data["meeting"] = url(f"meeting/{c.meeting_id}")
        data["agendaItem"] = url(f"agenda-item/{c.agenda_item_id}")
    if not embedded:
        data["paper"] = url(f"paper/{c.paper_id}")
    return clean(data)


def paper(pa: Paper, cooperation_id: int, *, omit_internal: bool = False) -> dict:
    p = f"paper/{pa.pk}"
    if not getattr(pa, "oparl_visible", True):
        return stub("Paper", p, pa)
    files = pa.oparl_files
    main = _of_role(files, MeetingFile.Role.MAIN)
    data = {
        **_common("Paper", p, pa),
        "body": url(f"body/{cooperation_id}"),
        "name": pa.name,
        "reference": pa.reference,
        "date": date(pa.date),
        "paperType": pa.paper_type,
        "underDirectionOf": [url(org_key(body_id=pa.lead_body_id))] if pa.lead_body_id else [],
        "consultation": [consultation(c, embedded=True) for c in pa.oparl_consultations],
        "web": web(f"/sitzungen/vorlagen/{pa.pk}/"),
    }
    if main:
        data["mainFile"] = file(main[0], embedded=True)
    if not omit_internal:
        data["auxiliaryFile"] = [file(f, embedded=True) for f in files if f.role != MeetingFile.Role.MAIN]
    return clean(data)


def membership(ms: Membership, *, embedded: bool) -> dict:
    p = f"membership/{ms.pk}"
    if not getattr(ms, "oparl_visible", True):
        return stub("Membership", p, ms)
    data = {
        **_common("Membership", p, ms),
        "organization": url(org_key(body_id=ms.body_id)),
        "role": ROLE_LABELS.get(ms.role, ms.role),
        "votingRight": ms.role in VOTING_ROLES,
        "startDate": date(ms.start_date),
        "endDate": date(ms.end_date) if ms.end_date else None,
        "onBehalfOf": url(org_key(city_id=ms.municipality_id)) if ms.municipality_id else None,
    }
    if not embedded:
        data["person"] = url(f"person/{ms.person_id}")
    return clean(data)


SALUTATIONS = {Person.Salutation.FRAU: "Frau", Person.Salutation.HERR: "Herr"}


def person(pe: Person, cooperation_id: int, *, omit_internal: bool = False) -> dict:
    p = f"person/{pe.pk}"
    if not getattr(pe, "oparl_visible", True):
        return stub("Person", p, pe)
    data = {
        **_common("Person", p, pe),
        "body": url(f"body/{cooperation_id}"),
        "name": pe.full_name,
        "familyName": pe.family_name,
        "givenName": pe.given_name,
        "formOfAddress": SALUTATIONS.get(pe.salutation, ""),
        "title": [pe.title] if pe.title else [],
        "email": [pe.email] if pe.email and pe.email_visibility == Visibility.PUBLIC else [],
        "phone": [pe.phone] if pe.phone and pe.phone_visibility == Visibility.PUBLIC else [],
        "status": [pe.function] if pe.function else [],
        "web": web(f"/verzeichnis/personen/{pe.pk}/"),
    }
    if not omit_internal:
        data["membership"] = [membership(ms, embedded=True) for ms in pe.oparl_memberships]
    return clean(data)
