"""OParl conformance checks: the shipped draft-07 schemas plus the rules the schemas miss, and a crawler.

The crawler takes a ``get(url) -> (status, headers, json)`` so the same checks run through Django's test
client and against a live server over HTTP.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

NS = "https://schema.oparl.org/1.1/"
SCHEMA_DIR = Path(__file__).parent / "schema" / "schema"
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
EMBEDDED = {
    "Body": {"legislativeTerm": "LegislativeTerm", "location": "Location"},
    "Organization": {"location": "Location"},
    "Person": {"membership": "Membership", "locationObject": "Location"},
    "Meeting": {
        "location": "Location",
        "invitation": "File",
        "resultsProtocol": "File",
        "verbatimProtocol": "File",
        "auxiliaryFile": "File",
        "agendaItem": "AgendaItem",
    },
    "AgendaItem": {"resolutionFile": "File", "auxiliaryFile": "File"},
    "Paper": {"mainFile": "File", "auxiliaryFile": "File", "location": "Location", "consultation": "Consultation"},
}
BACKREFS = {
    "AgendaItem": {"meeting"},
    "Consultation": {"paper"},
    "Membership": {"person"},
    "LegislativeTerm": {"body"},
    "File": {"meeting", "agendaItem", "paper"},
    "Location": {"bodies", "organizations", "persons", "meetings", "papers"},
}
DATE_FIELDS = {"date", "startDate", "endDate"}
DATETIME_FIELDS = {"created", "modified", "start", "end", "licenseValidSince", "oparlSince"}
MANDATORY_ARRAYS = {("Body", "legislativeTerm")}
LIST_FIELDS = {
    "System": ["body"],
    "Body": [
        "organization",
        "person",
        "meeting",
        "paper",
        "agendaItem",
        "consultation",
        "file",
        "locationList",
        "legislativeTermList",
        "membership",
    ],
    "Organization": ["meeting", "consultation"],
}


def _schemas() -> dict:
    return {p.stem: json.loads(p.read_text()) for p in SCHEMA_DIR.glob("*.json")}


SCHEMAS = _schemas()
REGISTRY = Registry().with_resources(
    (f"{NS}{name}.json", Resource.from_contents({**schema, "$id": f"{NS}{name}.json"})) for name, schema in SCHEMAS.items()
)
VALIDATORS = {
    name: Draft7Validator({**schema, "$id": f"{NS}{name}.json"}, registry=REGISTRY, format_checker=FormatChecker())
    for name, schema in SCHEMAS.items()
}


def schema_errors(obj: dict, kind: str) -> list[str]:
    return [f"{kind} {obj.get('id')}: {e.message} at {list(e.path)}" for e in VALIDATORS[kind].iter_errors(obj)]


def rule_errors(obj: dict, kind: str, *, embedded: bool) -> list[str]:
    """What the schemas do not encode (oparl.md, Layer A)."""
    errors = []
    where = f"{kind} {obj.get('id')}"
    if obj.get("type") != NS + kind:
        errors.append(f"{where}: type {obj.get('type')}")
    for field in ("created", "modified"):
        if not DATETIME.match(str(obj.get(field, ""))):
            errors.append(f"{where}: {field}={obj.get(field)!r}")
    if len(obj.get("id", "")) >= 255:
        errors.append(f"{where}: id too long")
    if obj.get("deleted"):
        if set(obj) != {"id", "type", "created", "modified", "deleted"}:
            errors.append(f"{where}: stub with extra keys {sorted(obj)}")
        return errors
    allowed = set(SCHEMAS[kind]["properties"])
    for key, value in obj.items():
        if key not in allowed and ":" not in key:
            errors.append(f"{where}: unknown attribute {key}")
        if value is None or value == "" or (value == [] and (kind, key) not in MANDATORY_ARRAYS):
            errors.append(f"{where}: empty optional {key}")
        if key in DATE_FIELDS and isinstance(value, str) and not DATE.match(value):
            errors.append(f"{where}: {key}={value!r}")
        if key in DATETIME_FIELDS and isinstance(value, str) and not DATETIME.match(value):
            errors.append(f"{where}: {key}={value!r}")
    backrefs = BACKREFS.get(kind, set()) & set(obj)
    if embedded and backrefs:
        errors.append(f"{where}: embedded with back-references {sorted(backrefs)}")
    if not embedded and kind in {"AgendaItem", "Membership", "Consultation"} and not backrefs:
        errors.append(f"{where}: served alone without back-reference")
    if kind == "Meeting":
        for index, item in enumerate(obj.get("agendaItem", [])):
            if item.get("order") != index:
                errors.append(f"{where}: agendaItem order {item.get('order')} at index {index}")
    if kind == "Paper":
        for c in obj.get("consultation", []):
            if "meeting" in c and "agendaItem" not in c:
                errors.append(f"{where}: embedded consultation with meeting but without agendaItem")
    if kind == "Body" and "system" not in obj:
        errors.append(f"{where}: no system")
    if kind == "Body" and "ags" in obj and not re.match(r"^\d{8}$", obj["ags"]):
        errors.append(f"{where}: ags")
    geo = obj.get("geojson")
    if geo:
        lon, lat = geo["geometry"]["coordinates"]
        if geo.get("type") != "Feature" or not (5.8 <= lon <= 15.1 and 47.2 <= lat <= 55.1):
            errors.append(f"{where}: geojson not a Feature with [lon, lat] in Germany")
    for key, sub_kind in EMBEDDED.get(kind, {}).items():
        value = obj.get(key)
        for sub in value if isinstance(value, list) else ([value] if value else []):
            if sub.get("deleted"):
                errors.append(f"{where}: deleted object embedded in {key}")
            errors += check(sub, sub_kind, embedded=True)
    return errors


def check(obj: dict, kind: str, *, embedded: bool = False) -> list[str]:
    return schema_errors(obj, kind) + rule_errors(obj, kind, embedded=embedded)


def kind_of(obj: dict) -> str:
    return obj["type"].removeprefix(NS)


def strip_backrefs(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in BACKREFS.get(kind_of(obj), set())}


def _urls_in(value, base: str):
    if isinstance(value, str):
        if value.startswith(base) and not value.endswith(("/access", "/download")):
            yield value
    elif isinstance(value, list):
        for v in value:
            yield from _urls_in(v, base)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in {"id", "web"}:
                yield from _urls_in(v, base)


class Crawl:
    def __init__(self, get, base: str):
        self.get, self.base = get, base
        self.objects: dict[str, dict] = {}
        self.listed: set[str] = set()
        self.lists: dict[str, list[str]] = {}
        self.errors: list[str] = []
        self.embedded: dict[str, dict] = {}

    def read_list(self, url: str) -> list[dict]:
        items, ids, seen_pages, page_sizes = [], [], set(), []
        next_url, total = url, None
        while next_url:
            assert next_url not in seen_pages, f"paging loops at {next_url}"
            seen_pages.add(next_url)
            status, headers, data = self.get(next_url)
            assert status == 200, f"{next_url}: {status}"
            assert set(data) >= {"data", "pagination", "links"}, next_url
            if total is None:
                total = data["pagination"].get("totalElements")
            page_sizes.append(len(data["data"]))
            items += data["data"]
            ids += [o["id"] for o in data["data"]]
            keep = {k: v for k, v in parse_qs(urlparse(next_url).query).items() if k != "after"}
            for link in data["links"].values():
                link_q = {k: v for k, v in parse_qs(urlparse(link).query).items() if k != "after"}
                assert link_q == keep, f"{link} lost filters {keep}"
            next_url = data["links"].get("next")
        assert len(ids) == len(set(ids)), f"duplicate ids in {url}"
        if total is not None:
            assert total == len(ids), f"{url}: totalElements {total} != {len(ids)}"
        assert all(size == page_sizes[0] for size in page_sizes[:-1]), f"{url}: page sizes {page_sizes}"
        self.lists[url] = ids
        return items

    def run(self, system_url: str) -> Crawl:
        status, _h, system = self.get(system_url)
        assert status == 200 and system["id"] == system_url
        assert system["oparlVersion"] == NS
        self.errors += check(system, "System")
        bodies = self.read_list(system["body"])
        for body in bodies:
            self._take(body, listed=True)
            for field in LIST_FIELDS["Body"]:
                for obj in self.read_list(body[field]):
                    self._take(obj, listed=True)
        for org_id in [o for o, v in list(self.objects.items()) if kind_of(v) == "Organization"]:
            for field in LIST_FIELDS["Organization"]:
                for obj in self.read_list(self.objects[org_id][field]):
                    self._take(obj, listed=True)
        self._follow_references()
        return self

    def _take(self, obj: dict, *, listed: bool) -> None:
        kind = kind_of(obj)
        if listed:
            self.listed.add(obj["id"])
        self.errors += check(obj, kind)
        self.objects[obj["id"]] = obj
        for key in EMBEDDED.get(kind, {}):
            value = obj.get(key)
            for sub in value if isinstance(value, list) else ([value] if value else []):
                self.embedded[sub["id"]] = sub

    def _follow_references(self) -> None:
        todo = set()
        for obj in list(self.objects.values()) + list(self.embedded.values()):
            todo |= set(_urls_in(obj, self.base))
        todo |= set(self.embedded)
        done = set()
        while todo:
            url = todo.pop()
            if url in done or url in self.lists:
                continue
            done.add(url)
            if any(
                url.rstrip("/").endswith(suffix)
                for suffix in (
                    "/meetings",
                    "/consultations",
                    "/organizations",
                    "/persons",
                    "/papers",
                    "/files",
                    "/locations",
                    "/memberships",
                    "/agenda-items",
                    "/legislative-terms",
                    "/bodies",
                )
            ):
                continue
            status, _h, data = self.get(url)
            if status != 200:
                self.errors.append(f"{url}: {status}")
                continue
            if data["id"] != url:
                self.errors.append(f"{url}: id {data['id']}")
            self.errors += check(data, kind_of(data))
            if url in self.embedded and strip_backrefs(data) != strip_backrefs(self.embedded[url]):
                self.errors.append(f"{url}: embedded copy differs from the object")
            if url not in self.listed and kind_of(data) not in {"System"} and not data.get("deleted"):
                self.errors.append(f"{url}: referenced but in no list (ObjectNotInList)")
            self.objects.setdefault(url, data)
            todo |= set(_urls_in(data, self.base)) - done
