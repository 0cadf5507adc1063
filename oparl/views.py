"""OParl 1.1 endpoint under /oparl/v1.1/: read-only, stateless, public content only.

Lists use keyset pagination (``?after=<last id>``, ordered by the immutable primary key), so a page deep in
the list costs the same as the first one; every link keeps the filters. ``created_since``/``_until`` and
``modified_since``/``_until`` are parsed leniently (a ``+`` that arrived as a space, ``Z``, no seconds)
and answered with 400 and the OParl Error object when malformed. Deleted objects appear in lists only
with ``modified_since``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.views.decorators.http import require_safe

from meetings.models import AgendaItem, Consultation, Decision, ExternalCommittee, MeetingFile
from members.models import Body, Cooperation, Membership, Municipality

from . import publish
from . import serialize as s

BERLIN = ZoneInfo("Europe/Berlin")
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadFilter(Exception):
    pass


def _json(data: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    if status == 200:
        response["Cache-Control"] = "public, max-age=60"
    return response


def _error(status: int, message: str, debug: str = "") -> HttpResponse:
    return _json(s.clean({"type": s.NS + "Error", "message": message, "debug": debug}), status)


def endpoint(view: Callable) -> Callable:
    """GET/HEAD only, errors as OParl Error objects, CORS on everything."""

    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _error(404, "Objekt nicht gefunden.")
        except BadFilter as exc:
            return _error(400, "Ungültiger Filter.", str(exc))

    wrapped.csrf_exempt = True
    return wrapped


def parse_datetime(name: str, raw: str) -> dt.datetime:
    text = raw.strip().replace(" ", "+")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadFilter(f"{name}: {raw!r} ist kein Zeitpunkt im Format yyyy-mm-ddThh:mm:ss±hh:mm.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=BERLIN)
    return value


def _filters(request) -> dict[str, dt.datetime]:
    found = {}
    for name in FILTERS:
        raw = request.GET.get(name)
        if raw is not None:
            found[name] = parse_datetime(name, raw)
    return found


def _apply_filters(qs: QuerySet, filters: dict, modified_field: str = "modified") -> QuerySet:
    lookups = {
        "created_since": ("created", "gte"),
        "created_until": ("created", "lte"),
        "modified_since": (modified_field, "gte"),
        "modified_until": (modified_field, "lte"),
    }
    for name, value in filters.items():
        field, op = lookups[name]
        qs = qs.filter(**{f"{field}__{op}": value})
    return qs


def _page_size(request) -> int:
    size = settings.OPARL_PAGE_SIZE
    raw = request.GET.get("limit")
    if raw and raw.isdigit() and 0 < int(raw) < size:
        return int(raw)
    return size


def _list_url(path: str, params: dict) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return s.url(path) + (f"?{query}" if query else "")


def _keep_params(request) -> dict:
    params = {name: request.GET[name] for name in FILTERS if name in request.GET}
    for name in ("omit_internal", "limit"):
        if name in request.GET:
            params[name] = request.GET[name]
    return params


def keyset_page(
    request,
    path: str,
    segments: list[tuple[str, QuerySet]],
    render: Callable[[object], dict] | None,
    *,
    modified_field: str = "modified",
    render_page: Callable[[list], list[dict]] | None = None,
):
    """One page over one or more querysets in a fixed order; the cursor is ``<segment><pk>``.

    Query count per page is constant: one page query per segment plus the render's prefetches. There is no
    ``totalElements`` (optional in OParl): counting 100,000 rows on every page would cost more than the page.
    """
    filters = _filters(request)
    size = _page_size(request)
    after = request.GET.get("after", "")
    prefixes = [p for p, _qs in segments]
    start_segment, after_pk = 0, None
    if after:
        prefix = after.rstrip("0123456789")
        digits = after[len(prefix) :]
        if prefix not in prefixes or not digits:
            raise BadFilter("after: unbekannter Seitenzeiger.")
        start_segment, after_pk = prefixes.index(prefix), int(digits)
    rows: list[tuple[str, object]] = []
    more = False
    for index, (prefix, qs) in enumerate(segments):
        if index < start_segment:
            continue
        if len(rows) > size:
            more = True
            break
        page_qs = _apply_filters(qs, filters, modified_field).order_by("pk")
        if index == start_segment and after_pk is not None:
            page_qs = page_qs.filter(pk__gt=after_pk)
        rows.extend((prefix, obj) for obj in page_qs[: size + 1 - len(rows)])
    if len(rows) > size:
        more = True
        rows = rows[:size]
    params = _keep_params(request)
    links = {"first": _list_url(path, params), "self": _list_url(path, {**params, "after": after})}
    if more and rows:
        prefix, obj = rows[-1]
        links["next"] = _list_url(path, {**params, "after": f"{prefix}{obj.pk}"})
    data = {
        "data": render_page([obj for _p, obj in rows]) if render_page else [render(obj) for _p, obj in rows],
        "pagination": {"elementsPerPage": size},
        "links": links,
    }
    return _json(data)


def _with_stubs(request) -> bool:
    return "modified_since" in request.GET


def _omit(request) -> bool:
    return request.GET.get("omit_internal", "").lower() == "true"


def _one(queryset, pk):
    """The object ``pk`` of ``queryset`` (a published set), or 404 — also for ids that are no numbers."""
    obj = queryset.filter(pk=_int(pk)).first()
    if obj is None:
        raise Http404
    return obj


def _cooperation(pk) -> Cooperation:
    return _one(Cooperation.objects.all(), pk)


def _the_cooperation() -> Cooperation:
    return Cooperation.objects.order_by("pk").first()


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


# --- Prefetching (constant queries per page) ---------------------------------------------------------
def _group(rows, key: str) -> dict:
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _meetings(qs):
    return qs.select_related("body", "location", "minutes")


def _items(qs):
    return qs.select_related("meeting__minutes")


def attach_meetings(meetings: list) -> list:
    """Embedded files and agenda items for a page of meetings: one query per kind, grouped in Python.

    Django's prefetch_related cost more CPU than the rest of the page (a queryset and a manager per object).
    """
    ids = [m.pk for m in meetings]
    files = _group(MeetingFile.objects.filter(meeting_id__in=ids).order_by("pk"), "meeting_id")
    items = list(
        AgendaItem.objects.filter(meeting_id__in=ids, deleted_at__isnull=True, status=AgendaItem.Status.ACCEPTED).order_by(
            "position", "pk"
        )
    )
    attach_items(items)
    by_meeting = _group(items, "meeting_id")
    for meeting in meetings:
        meeting.oparl_files = files.get(meeting.pk, [])
        meeting.oparl_items = by_meeting.get(meeting.pk, [])
    return meetings


def attach_items(items: list) -> list:
    ids = [i.pk for i in items]
    files = _group(MeetingFile.objects.filter(agenda_item_id__in=ids).order_by("pk"), "agenda_item_id")
    decisions = _group(Decision.objects.filter(agenda_item_id__in=ids).order_by("pk"), "agenda_item_id")
    consultations = _group(_public_consultations().filter(agenda_item_id__in=ids), "agenda_item_id")
    for item in items:
        item.oparl_files = files.get(item.pk, [])
        item.oparl_decisions = decisions.get(item.pk, [])
        item.oparl_consultations = consultations.get(item.pk, [])
    return items


def _public_consultations():
    return Consultation.objects.filter(deleted_at__isnull=True, paper__deleted_at__isnull=True, paper__public=True).order_by("pk")


def attach_papers(papers: list) -> list:
    ids = [p.pk for p in papers]
    files = _group(MeetingFile.objects.filter(paper_id__in=ids).order_by("pk"), "paper_id")
    consultations = _group(
        Consultation.objects.filter(paper_id__in=ids).select_related("meeting", "agenda_item").order_by("order", "pk"), "paper_id"
    )
    for paper in papers:
        paper.oparl_files = files.get(paper.pk, [])
        paper.oparl_consultations = consultations.get(paper.pk, [])
    return papers


def attach_people(people: list) -> list:
    memberships = _group(
        Membership.objects.filter(person_id__in=[p.pk for p in people]).order_by("start_date", "pk"), "person_id"
    )
    for person in people:
        person.oparl_memberships = memberships.get(person.pk, [])
    return people


def _render_items(objs: list[AgendaItem]) -> list[dict]:
    """Agenda items on their own: printed number and order come from their meetings' full agendas (one query)."""
    attach_items(objs)
    meeting_ids = {i.meeting_id for i in objs}
    siblings: dict[int, list] = {}
    for row in AgendaItem.objects.filter(meeting_id__in=meeting_ids).only(
        "pk", "meeting_id", "position", "public", "status", "deleted_at"
    ):
        siblings.setdefault(row.meeting_id, []).append(row)
    numbers = {}
    for rows in siblings.values():
        numbers.update(s.numbering(rows))
    out = []
    for item in objs:
        number, order = numbers.get(item.pk, ("", 0))
        published = s._minutes_published(item.meeting)
        out.append(s.agenda_item(item, embedded=False, number=number, order=order, minutes_published=published))
    return out


# --- Views -----------------------------------------------------------------------------------------------
@endpoint
def system(request):
    return _json(s.system(_the_cooperation()))


@endpoint
def body_list(request):
    qs = Cooperation.objects.all()
    omit = _omit(request)
    return keyset_page(request, "bodies", [("b", qs)], lambda c: s.body(c, omit_internal=omit))


@endpoint
def body_detail(request, pk):
    return _json(s.body(_cooperation(_int(pk)), omit_internal=_omit(request)))


def _org_segments():
    return [
        ("g", publish.bodies()),
        ("c", Municipality.objects.all()),
        ("x", ExternalCommittee.objects.select_related("municipality")),
    ]


def _render_organization(obj, cooperation_id: int) -> dict:
    if isinstance(obj, Body):
        return s.organization_of_body(obj, cooperation_id)
    if isinstance(obj, Municipality):
        return s.organization_of_city(obj, cooperation_id)
    return s.organization_of_committee(obj, cooperation_id)


@endpoint
def organization_list(request, pk):
    cooperation = _cooperation(_int(pk))

    return keyset_page(
        request, f"body/{cooperation.pk}/organizations", _org_segments(), lambda o: _render_organization(o, cooperation.pk)
    )


def _organization(key: str):
    prefix, digits = key[:1], key[1:]
    if not digits.isdigit():
        raise Http404
    if prefix == "g":
        obj = Body.objects.filter(pk=int(digits)).first()
    elif prefix == "x":
        obj = ExternalCommittee.objects.select_related("municipality").filter(pk=int(digits)).first()
    elif prefix == "c":
        obj = Municipality.objects.filter(pk=int(digits)).first()
    else:
        obj = None
    if obj is None:
        raise Http404
    return obj


@endpoint
def organization_detail(request, key):
    obj = _organization(key)
    cooperation = _the_cooperation()
    return _json(_render_organization(obj, cooperation.pk))


@endpoint
def organization_meetings(request, key):
    obj = _organization(key)
    qs = publish.meetings(with_stubs=_with_stubs(request))
    qs = qs.filter(body=obj) if isinstance(obj, Body) else qs.none()
    omit = _omit(request)
    return keyset_page(
        request,
        f"organization/{key}/meetings",
        [("", _meetings(qs))],
        None,
        render_page=lambda objs: [s.meeting(m, omit_internal=omit) for m in attach_meetings(objs)],
    )


@endpoint
def organization_consultations(request, key):
    obj = _organization(key)
    qs = publish.consultations(with_stubs=_with_stubs(request)).select_related("meeting", "agenda_item")
    if isinstance(obj, Body):
        qs = qs.filter(body=obj)
    elif isinstance(obj, ExternalCommittee):
        qs = qs.filter(committee=obj)
    else:
        qs = qs.none()
    return keyset_page(
        request,
        f"organization/{key}/consultations",
        [("", qs)],
        lambda c: s.consultation(c, embedded=False, item_visible=s.consultation_links_visible(c)),
    )


@endpoint
def person_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = publish.people(with_stubs=_with_stubs(request))
    omit = _omit(request)
    return keyset_page(
        request,
        f"body/{cooperation.pk}/persons",
        [("", qs)],
        None,
        modified_field="oparl_modified",
        render_page=lambda objs: [s.person(p, cooperation.pk, omit_internal=omit) for p in attach_people(objs)],
    )


@endpoint
def person_detail(request, pk):
    person = _one(publish.people(with_stubs=True), pk)
    attach_people([person])
    cooperation = _the_cooperation()
    return _json(s.person(person, cooperation.pk, omit_internal=_omit(request)))


@endpoint
def membership_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = publish.memberships(with_stubs=_with_stubs(request))
    return keyset_page(request, f"body/{cooperation.pk}/memberships", [("", qs)], lambda m: s.membership(m, embedded=False))


@endpoint
def membership_detail(request, pk):
    obj = _one(publish.memberships(with_stubs=True), pk)
    return _json(s.membership(obj, embedded=False))


@endpoint
def meeting_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = _meetings(publish.meetings(with_stubs=_with_stubs(request)))
    omit = _omit(request)
    return keyset_page(
        request,
        f"body/{cooperation.pk}/meetings",
        [("", qs)],
        None,
        render_page=lambda objs: [s.meeting(m, omit_internal=omit) for m in attach_meetings(objs)],
    )


@endpoint
def meeting_detail(request, pk):
    obj = _one(_meetings(publish.meetings(with_stubs=True)), pk)
    attach_meetings([obj])
    return _json(s.meeting(obj, omit_internal=_omit(request)))


@endpoint
def agenda_item_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = _items(publish.agenda_items(with_stubs=_with_stubs(request)))
    return keyset_page(request, f"body/{cooperation.pk}/agenda-items", [("", qs)], None, render_page=_render_items)


@endpoint
def agenda_item_detail(request, pk):
    item = _one(_items(publish.agenda_items(with_stubs=True)), pk)
    return _json(_render_items([item])[0])


@endpoint
def paper_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = publish.papers(with_stubs=_with_stubs(request))
    omit = _omit(request)
    return keyset_page(
        request,
        f"body/{cooperation.pk}/papers",
        [("", qs)],
        None,
        render_page=lambda objs: [s.paper(p, cooperation.pk, omit_internal=omit) for p in attach_papers(objs)],
    )


@endpoint
def paper_detail(request, pk):
    obj = _one(publish.papers(with_stubs=True), pk)
    attach_papers([obj])
    cooperation = _the_cooperation()
    return _json(s.paper(obj, cooperation.pk, omit_internal=_omit(request)))


@endpoint
def consultation_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = publish.consultations(with_stubs=_with_stubs(request)).select_related("meeting", "agenda_item")
    return keyset_page(
        request,
        f"body/{cooperation.pk}/consultations",
        [("", qs)],
        lambda c: s.consultation(c, embedded=False, item_visible=s.consultation_links_visible(c)),
    )


@endpoint
def consultation_detail(request, pk):
    obj = _one(publish.consultations(with_stubs=True).select_related("meeting", "agenda_item"), pk)
    return _json(s.consultation(obj, embedded=False, item_visible=s.consultation_links_visible(obj)))


@endpoint
def file_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = publish.files(with_stubs=_with_stubs(request))
    return keyset_page(request, f"body/{cooperation.pk}/files", [("", qs)], lambda f: s.file(f, embedded=False))


@endpoint
def file_detail(request, pk):
    obj = _one(publish.files(with_stubs=True), pk)
    return _json(s.file(obj, embedded=False))


def _file_response(request, pk, *, attachment: bool):
    obj = publish.files(with_stubs=False).filter(pk=_int(pk)).first()
    if obj is None:
        if MeetingFile.objects.filter(pk=_int(pk), deleted_at__isnull=False).exists():
            return _error(410, "Die Datei wurde gelöscht.")
        raise Http404
    response = FileResponse(obj.content.open("rb"), content_type=obj.mime_type)
    ascii_name = obj.file_name.encode("ascii", "ignore").decode().replace('"', "") or f"datei-{obj.pk}"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=utf-8''{quote(obj.file_name)}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@endpoint
def file_access(request, pk):
    return _file_response(request, pk, attachment=False)


@endpoint
def file_download(request, pk):
    return _file_response(request, pk, attachment=True)


@endpoint
def location_list(request, pk):
    cooperation = _cooperation(_int(pk))
    qs = publish.locations(with_stubs=_with_stubs(request))
    return keyset_page(request, f"body/{cooperation.pk}/locations", [("", qs)], lambda loc: s.location(loc, embedded=False))


@endpoint
def location_detail(request, pk):
    obj = _one(publish.locations(with_stubs=True), pk)
    meetings = list(publish.meetings(with_stubs=False).filter(location=obj).order_by("pk").values_list("pk", flat=True))
    return _json(s.location(obj, embedded=False, back={"meetings": [s.url(f"meeting/{m}") for m in meetings]}))


@endpoint
def legislative_term_list(request, pk):
    cooperation = _cooperation(_int(pk))
    _filters(request)
    params = _keep_params(request)
    path = f"body/{cooperation.pk}/legislative-terms"
    return _json(
        {
            "data": [],
            "pagination": {"totalElements": 0},
            "links": {"first": _list_url(path, params), "self": _list_url(path, params)},
        }
    )


@endpoint
def legislative_term_detail(request, pk):
    raise Http404


def strip_slash(request, rest):
    """The canonical URLs have no trailing slash; the slashed form answers 301."""
    target = f"/oparl/v1.1/{rest}"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(target)
