"""OParl 1.1 endpoint under /oparl/v1.1/: read-only, stateless, public content only.

Lists use keyset pagination (``?after=<last id>``, ordered by the immutable primary key), so a page deep in
the list costs the same as the first one; every link keeps the filters. ``created_since``/``_until`` and
``modified_since``/``_until`` are parsed leniently (a ``+`` that arrived as a space, ``Z``, no seconds)
and answered with 400 and the OParl Error object when malformed. Deleted objects appear in lists only
with ``modified_since``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from meetings.models import AgendaItem, Decision, ExternalCommittee
from meetings.models import agenda_numbers as agenda_numbers_of
from members.models import Body, Cooperation, Municipality
from scanning.actions import status_of as scanning_status

from . import publish
from . import serialize as s

BERLIN = ZoneInfo("Europe/Berlin")
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
METHODS = "GET, HEAD, OPTIONS"
CANONICAL_ID = re.compile(r"^[1-9][0-9]*$")
ONE_SECOND = dt.timedelta(seconds=1)


class BadFilter(Exception):
    pass


def _cors(response: HttpResponse) -> HttpResponse:
    """Every answer — objects, lists, errors, redirects, files, preflights — may be read from any origin."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = METHODS
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _served_pairs(value, prefix: str) -> set[tuple[str, int]]:
    """(kind, id) of every full object (not a stub) in a rendered answer, embedded ones included."""
    found: set[tuple[str, int]] = set()
    if isinstance(value, list):
        for v in value:
            found |= _served_pairs(v, prefix)
    elif isinstance(value, dict):
        ident = value.get("id")
        if isinstance(ident, str) and ident.startswith(prefix) and "type" in value and not value.get("deleted"):
            kind, _slash, pk = ident.removeprefix(prefix).partition("/")
            if kind in publish.STUBBABLE and pk.isdigit():
                found.add((kind, int(pk)))
        for v in value.values():
            if isinstance(v, list | dict):
                found |= _served_pairs(v, prefix)
    return found


def _last_modified(data: dict) -> dt.datetime | None:
    """An object's ``modified`` (lists have none: an object leaving a list does not move any ``modified`` in it)."""
    if "data" in data or "modified" not in data:
        return None
    return dt.datetime.fromisoformat(data["modified"])


def _json(data: dict, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if status == 200:
        publish.note_served(_served_pairs(data, s.base() + "/"))
        response["Cache-Control"] = "public, max-age=60"
        response["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        modified = _last_modified(data)
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
    return _cors(response)


def _error(status: int, message: str, debug: str = "") -> HttpResponse:
    return _json(s.clean({"type": s.NS + "Error", "message": message, "debug": debug}), status)


def _preflight() -> HttpResponse:
    response = _cors(HttpResponse(status=204))
    response["Access-Control-Max-Age"] = "86400"
    return response


def endpoint(view: Callable) -> Callable:
    """GET/HEAD (and the CORS preflight OPTIONS) only; errors as OParl Error objects; conditional GET."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return _preflight()
        if request.method not in ("GET", "HEAD"):
            response = _error(405, "Nur GET, HEAD und OPTIONS sind erlaubt.")
            response["Allow"] = METHODS
            return response
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _error(404, "Objekt nicht gefunden.")
        except BadFilter as exc:
            return _error(400, "Ungültiger Filter.", str(exc))
        if response.status_code != 200 or not response.has_header("ETag"):
            return response
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        conditional = get_conditional_response(request, etag=response["ETag"], last_modified=last_modified, response=response)
        return _cors(conditional) if conditional is not response else response

    wrapped.csrf_exempt = True
    return wrapped


def parse_datetime(name: str, raw: str) -> dt.datetime:
    """Lenient (a ``+`` that arrived as a space, ``Z``, no seconds, no zone = Berlin), but a value the
    database cannot compare — out of range once converted to UTC — is a 400 like any other bad value."""
    text = raw.strip().replace(" ", "+")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(text)
        if value.tzinfo is None:
            value = value.replace(tzinfo=BERLIN)
        value.astimezone(dt.UTC) + ONE_SECOND  # raises OverflowError at the ends of the calendar
    except (ValueError, OverflowError):
        raise BadFilter(f"{name}: {raw!r} ist kein Zeitpunkt im Format yyyy-mm-ddThh:mm:ss±hh:mm.") from None
    return value


def _filters(request) -> dict[str, dt.datetime]:
    found = {}
    for name in FILTERS:
        raw = request.GET.get(name)
        if raw is not None:
            found[name] = parse_datetime(name, raw)
    return found


def _apply_filters(qs: QuerySet, filters: dict, modified_field: str = "oparl_modified") -> QuerySet:
    """``*_since`` from the given moment on; ``*_until`` through the whole second it names, because OParl
    publishes times to the second: an object shown as modified at 10:00:00 matches ``modified_until=10:00:00``.
    A value with a fraction of a second is taken exactly."""
    fields = {"created": "created", "modified": modified_field}
    for name, value in filters.items():
        field, bound = fields[name.split("_")[0]], name.split("_")[1]
        if bound == "since":
            qs = qs.filter(**{f"{field}__gte": value})
        elif value.microsecond:
            qs = qs.filter(**{f"{field}__lte": value})
        else:
            qs = qs.filter(**{f"{field}__lt": value + ONE_SECOND})
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
    modified_field: str = "oparl_modified",
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
    """Only the canonical spelling of an id resolves: digits, no sign, no leading zero, no ``1_0``."""
    if not isinstance(pk, str) or not CANONICAL_ID.match(pk):
        raise Http404
    return int(pk)


# --- Prefetching (constant queries per page) ---------------------------------------------------------
def _group(rows, key: str) -> dict:
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _meetings(qs):
    return qs.select_related("body", "minutes")


def _items(qs):
    return qs.select_related("meeting__minutes")


def agenda_numbers(meeting_ids) -> dict[int, str]:
    """The numbers of the agenda items of these meetings, counted over each whole agenda (one query)."""
    rows = AgendaItem.objects.filter(meeting_id__in=meeting_ids).only(
        "pk", "meeting_id", "position", "public", "status", "deleted_at"
    )
    numbers: dict[int, str] = {}
    for agenda in _group(rows, "meeting_id").values():
        numbers.update(agenda_numbers_of(agenda))
    return numbers


def attach_meetings(meetings: list) -> list:
    """Embedded files, location and agenda items for a page of meetings: one query per kind, grouped in Python.

    Django's prefetch_related cost more CPU than the rest of the page (a queryset and a manager per object).
    """
    ids = [m.pk for m in meetings]
    files = _group(publish.embeddable(publish.FILE).filter(meeting_id__in=ids).order_by("pk"), "meeting_id")
    # The items' meetings are this page's meetings (with their minutes): set, not fetched a second time.
    agendas = _group(
        publish.flagged(publish.AGENDA_ITEM).filter(
            meeting_id__in=ids, deleted_at__isnull=True, status=AgendaItem.Status.ACCEPTED
        ),
        "meeting_id",
    )
    by_id = {m.pk: m for m in meetings}
    for meeting_id, agenda in agendas.items():
        for item in agenda:
            item.meeting = by_id[meeting_id]
    numbers = {pk: number for agenda in agendas.values() for pk, number in agenda_numbers_of(agenda).items()}
    items = sorted((i for agenda in agendas.values() for i in agenda if i.oparl_visible), key=lambda i: (i.position, i.pk))
    attach_items(items, numbers)
    by_meeting = _group(items, "meeting_id")
    location_ids = {m.location_id for m in meetings if m.location_id}
    locations = {loc.pk: loc for loc in publish.embeddable(publish.LOCATION).filter(pk__in=location_ids)} if location_ids else {}
    for meeting in meetings:
        meeting.oparl_files = files.get(meeting.pk, [])
        meeting.oparl_items = by_meeting.get(meeting.pk, [])
        meeting.oparl_location = locations.get(meeting.location_id)
    return meetings


def attach_items(items: list, numbers: dict[int, str] | None = None) -> list:
    ids = [i.pk for i in items]
    numbers = agenda_numbers({i.meeting_id for i in items}) if numbers is None else numbers
    files = _group(publish.embeddable(publish.FILE).filter(agenda_item_id__in=ids).order_by("pk"), "agenda_item_id")
    decisions = _group(Decision.objects.filter(agenda_item_id__in=ids).order_by("pk"), "agenda_item_id")
    consultations = _group(
        publish.embeddable(publish.CONSULTATION).filter(agenda_item_id__in=ids).order_by("pk"), "agenda_item_id"
    )
    for item in items:
        item.oparl_files = files.get(item.pk, [])
        item.oparl_decisions = decisions.get(item.pk, [])
        item.oparl_consultations = consultations.get(item.pk, [])
        item.oparl_number = numbers.get(item.pk, "")
    return items


def attach_papers(papers: list) -> list:
    ids = [p.pk for p in papers]
    files = _group(publish.embeddable(publish.FILE).filter(paper_id__in=ids).order_by("pk"), "paper_id")
    consultations = _group(
        publish.embeddable(publish.CONSULTATION).filter(paper_id__in=ids).order_by("order", "pk"),
        "paper_id",
    )
    for paper in papers:
        paper.oparl_files = files.get(paper.pk, [])
        paper.oparl_consultations = consultations.get(paper.pk, [])
    return papers


def attach_people(people: list) -> list:
    memberships = _group(
        publish.embeddable(publish.MEMBERSHIP).filter(person_id__in=[p.pk for p in people]).order_by("start_date", "pk"),
        "person_id",
    )
    for person in people:
        person.oparl_memberships = memberships.get(person.pk, [])
    return people


def _render_items(objs: list[AgendaItem]) -> list[dict]:
    """Agenda items on their own, numbered as in their meetings (embedded, on the page, in the PDF)."""
    attach_items(objs)
    return [s.agenda_item(item, embedded=False) for item in objs]


# --- Views -----------------------------------------------------------------------------------------------
@endpoint
def system(request):
    return _json(s.system(_the_cooperation()))


@endpoint
def body_list(request):
    qs = Cooperation.objects.annotate(oparl_modified=F("modified"))
    omit = _omit(request)
    return keyset_page(request, "bodies", [("b", qs)], lambda c: s.body(c, omit_internal=omit))


@endpoint
def body_detail(request, pk):
    return _json(s.body(_cooperation(pk), omit_internal=_omit(request)))


def _org_segments():
    return [
        ("g", publish.bodies().annotate(oparl_modified=F("modified"))),
        ("c", Municipality.objects.annotate(oparl_modified=F("modified"))),
        ("x", ExternalCommittee.objects.select_related("municipality").annotate(oparl_modified=F("modified"))),
    ]


def _render_organization(obj, cooperation_id: int) -> dict:
    if isinstance(obj, Body):
        return s.organization_of_body(obj, cooperation_id)
    if isinstance(obj, Municipality):
        return s.organization_of_city(obj, cooperation_id)
    return s.organization_of_committee(obj, cooperation_id)


@endpoint
def organization_list(request, pk):
    cooperation = _cooperation(pk)

    return keyset_page(
        request, f"body/{cooperation.pk}/organizations", _org_segments(), lambda o: _render_organization(o, cooperation.pk)
    )


def _organization(key: str):
    prefix, digits = key[:1], key[1:]
    if prefix == "g":
        obj = Body.objects.filter(pk=_int(digits)).first()
    elif prefix == "x":
        obj = ExternalCommittee.objects.select_related("municipality").filter(pk=_int(digits)).first()
    elif prefix == "c":
        obj = Municipality.objects.filter(pk=_int(digits)).first()
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


# --- One pattern for every object type's list and detail ----------------------------------------------------
@dataclass
class _Context:
    """What a rendering needs besides the objects: the omit_internal flag and (looked up once) the body."""

    omit: bool
    cooperation_id: int | None = None

    @cached_property
    def body(self) -> int:
        return self.cooperation_id if self.cooperation_id is not None else _the_cooperation().pk


@dataclass(frozen=True)
class Kind:
    """An OParl object type: its list's path under the body, its rows (public, or with deleted stubs), and how a
    page of them becomes JSON (prefetching embedded objects with a constant number of queries)."""

    list_path: str
    rows: Callable[[bool], QuerySet]
    render: Callable[[list, _Context], list[dict]]


KINDS: dict[str, Kind] = {
    "meeting": Kind(
        "meetings",
        lambda stubs: _meetings(publish.meetings(with_stubs=stubs)),
        lambda objs, ctx: [s.meeting(m, omit_internal=ctx.omit) for m in attach_meetings(objs)],
    ),
    "agenda-item": Kind(
        "agenda-items", lambda stubs: _items(publish.agenda_items(with_stubs=stubs)), lambda objs, ctx: _render_items(objs)
    ),
    "paper": Kind(
        "papers",
        lambda stubs: publish.papers(with_stubs=stubs),
        lambda objs, ctx: [s.paper(p, ctx.body, omit_internal=ctx.omit) for p in attach_papers(objs)],
    ),
    "consultation": Kind(
        "consultations",
        lambda stubs: publish.consultations(with_stubs=stubs),
        lambda objs, ctx: [s.consultation(c, embedded=False) for c in objs],
    ),
    "file": Kind(
        "files", lambda stubs: publish.files(with_stubs=stubs), lambda objs, ctx: [s.file(f, embedded=False) for f in objs]
    ),
    # Without the optional back-references: a list of meetings here would change the Location (and every meeting
    # embedding it) whenever another meeting at the same place is added or withdrawn.
    "location": Kind(
        "locations",
        lambda stubs: publish.locations(with_stubs=stubs),
        lambda objs, ctx: [s.location(loc, embedded=False) for loc in objs],
    ),
    "person": Kind(
        "persons",
        lambda stubs: publish.people(with_stubs=stubs),
        lambda objs, ctx: [s.person(p, ctx.body, omit_internal=ctx.omit) for p in attach_people(objs)],
    ),
    "membership": Kind(
        "memberships",
        lambda stubs: publish.memberships(with_stubs=stubs),
        lambda objs, ctx: [s.membership(m, embedded=False) for m in objs],
    ),
}


def _kind_page(request, path: str, kind: Kind, rows: QuerySet, ctx: _Context):
    return keyset_page(request, path, [("", rows)], None, render_page=lambda objs: kind.render(objs, ctx))


@endpoint
def object_list(request, pk, kind: str):
    """``body/<id>/<list>``: keyset pages of the public objects (with ``modified_since``, also the deleted stubs)."""
    cooperation = _cooperation(pk)
    k = KINDS[kind]
    ctx = _Context(_omit(request), cooperation.pk)
    return _kind_page(request, f"body/{cooperation.pk}/{k.list_path}", k, k.rows(_with_stubs(request)), ctx)


@endpoint
def object_detail(request, pk, kind: str):
    """``<type>/<id>``: the object, a deleted stub once it left the public set, or 404 if it never was public."""
    k = KINDS[kind]
    return _json(k.render([_one(k.rows(True), pk)], _Context(_omit(request)))[0])


@endpoint
def organization_meetings(request, key):
    obj = _organization(key)
    k = KINDS["meeting"]
    rows = k.rows(_with_stubs(request))
    rows = rows.filter(body=obj) if isinstance(obj, Body) else rows.none()
    return _kind_page(request, f"organization/{key}/meetings", k, rows, _Context(_omit(request)))


@endpoint
def organization_consultations(request, key):
    obj = _organization(key)
    k = KINDS["consultation"]
    rows = k.rows(_with_stubs(request))
    if isinstance(obj, Body):
        rows = rows.filter(body=obj)
    elif isinstance(obj, ExternalCommittee):
        rows = rows.filter(committee=obj)
    else:
        rows = rows.none()
    return _kind_page(request, f"organization/{key}/consultations", k, rows, _Context(_omit(request)))


def _file_response(request, pk, *, attachment: bool):
    """The bytes of a public file; a withdrawn one that clients were given is gone (410), others unknown (404)."""
    obj = _one(publish.files(with_stubs=True), pk)
    if not obj.oparl_visible:
        return _error(410, "Die Datei wurde zurückgezogen.")
    if scanning_status(obj.content.name) not in (None, "clean"):
        return _error(409, "Die Datei wird noch auf Schadsoftware geprüft oder wurde gesperrt.")
    response = FileResponse(obj.content.open("rb"), content_type=obj.mime_type)
    ascii_name = obj.file_name.encode("ascii", "ignore").decode().replace('"', "") or f"datei-{obj.pk}"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=utf-8''{quote(obj.file_name)}"
    return _cors(response)


@endpoint
def file_access(request, pk):
    return _file_response(request, pk, attachment=False)


@endpoint
def file_download(request, pk):
    return _file_response(request, pk, attachment=True)


@endpoint
def legislative_term_list(request, pk):
    cooperation = _cooperation(pk)
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


@endpoint
def strip_slash(request, rest):
    """The canonical URLs have no trailing slash: the slashed form of a real one answers 301, others 404."""
    target = f"/oparl/v1.1/{rest}"
    try:
        match = resolve(target)
    except Resolver404:
        match = None
    if match is None or match.url_name in {"strip_slash", "not_found"}:
        raise Http404
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return _cors(HttpResponsePermanentRedirect(target))


@endpoint
def not_found(request, rest=""):
    """Everything else under the prefix: a 404 with the Error object (no redirect that could loop)."""
    raise Http404
