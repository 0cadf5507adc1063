"""CSV imports of reference data: population figures and HR headcounts.

Files come from statistics offices and HR systems, so the parser is forgiving about form and
strict about content:

* encodings: UTF-8 with or without BOM, Windows-1252 (German Excel's "CSV (Trennzeichen-getrennt)");
* separators: semicolon, comma or tab, taken from the header line;
* numbers: decimal comma or point, thousands separators (``354.288``), per-cent signs;
* dates: ``15.05.2022`` or ``2022-05-15``;
* cities by AGS, address short name (``muelheim-an-der-ruhr``) or name.

Every problem is reported with its line number in German, and a file with any problem imports
nothing (all or nothing, one transaction). The formats are documented in monitoring/README.md and
on the import pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import record
from members.models import Municipality

from .models import HRHeadcount, PopulationReference
from .questionnaire import FACETS, NO_ANSWER

MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _LineError(ValueError):
    pass


# --- Reading ------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _column_name(raw: str) -> str:
    name = raw.strip().strip('"').lower()
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("-", "_"), (" ", "_"), ("%", "prozent")):
        name = name.replace(src, dst)
    return re.sub(r"_+", "_", name).strip("_")


def read_rows(
    data: bytes, required: Sequence[str], optional: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str]]]:
    """(line number, row) pairs, or file-level errors about size, encoding and columns."""
    if len(data) > MAX_BYTES:
        return [], [(0, _("Die Datei ist größer als 5 MB."))]
    text = decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [(1, _("Die Datei ist leer oder die erste Zeile enthält keine Spaltennamen."))]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    header = [_column_name(name) for name in next(reader)]
    errors: list[tuple[int, str]] = []
    unknown = [name for name in header if name and name not in (*required, *optional)]
    missing = [name for name in required if name not in header]
    duplicate = sorted({name for name in header if header.count(name) > 1 and name})
    if unknown:
        errors.append((1, _("Unbekannte Spalten: %(names)s.") % {"names": ", ".join(unknown)}))
    if missing:
        errors.append((1, _("Es fehlen die Spalten: %(names)s.") % {"names": ", ".join(missing)}))
    if duplicate:
        errors.append((1, _("Doppelte Spalten: %(names)s.") % {"names": ", ".join(duplicate)}))
    if errors:
        expected = ", ".join([*required, *optional])
        errors.append((1, _("Erwartet werden (Reihenfolge beliebig): %(names)s.") % {"names": expected}))
        return [], errors
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            errors.append(
                (number, _("%(n)s Werte statt %(m)s – stimmt das Trennzeichen?") % {"n": len(values), "m": len(header)})
            )
            continue
        rows.append((number, {name: value.strip() for name, value in zip(header, values, strict=True) if name}))
    return rows, errors


# --- Values ---------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^\d{1,3}([.,\u202f\u00a0 ']\d{3})+$")


def parse_int(raw: str, label: str) -> int | None:
    value = raw.replace("\u00a0", " ").strip()
    if not value:
        return None
    if _THOUSANDS.match(value):
        value = re.sub(r"\D", "", value)
    if not value.isdigit():
        raise _LineError(_("%(col)s: „%(v)s“ ist keine ganze Zahl.") % {"col": label, "v": raw})
    return int(value)


def parse_percent(raw: str, label: str) -> Decimal | None:
    """Per cent with decimal comma or point -> fraction in [0, 1]."""
    value = raw.replace("%", "").replace("\u00a0", "").replace(" ", "").strip()
    if not value:
        return None
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _LineError(_("%(col)s: „%(v)s“ ist keine Prozentzahl.") % {"col": label, "v": raw}) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise _LineError(_("%(col)s: %(v)s liegt nicht zwischen 0 und 100 Prozent.") % {"col": label, "v": raw})
    return (number / 100).quantize(Decimal("0.000001"))


def parse_date(raw: str, label: str) -> dt.date:
    value = raw.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise _LineError(_("%(col)s: „%(v)s“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT).") % {"col": label, "v": raw})


def _city_lookup() -> Callable[[str], Municipality]:
    cities = list(Municipality.objects.all())
    index: dict[str, Municipality] = {}
    for city in cities:
        for key in (city.ags, city.slug, city.short_name, city.name):
            index[key.strip().lower()] = city

    def find(raw: str) -> Municipality:
        city = index.get(raw.strip().lower())
        if city is None:
            raise _LineError(_("kommune: „%(v)s“ ist keine Mitgliedsstadt (AGS, Kürzel oder Name).") % {"v": raw})
        return city

    return find


# --- Population --------------------------------------------------------------------------------------

POPULATION_REQUIRED = ("kommune", "stichtag", "konzept", "quelle")
POPULATION_OPTIONAL = (
    "einwohner_gesamt",
    "einwohner_18_64",
    "einwohner_unter_18",
    "anteil_gesamt_prozent",
    "anteil_18_64_prozent",
    "anteil_unter_18_prozent",
    "url",
)
POPULATION_GROUPS = (("gesamt", "total"), ("18_64", "18_64"), ("unter_18", "under_18"))


def _population_row(row: dict[str, str], find_city) -> tuple[tuple, dict]:
    city = find_city(row["kommune"])
    day = parse_date(row["stichtag"], "stichtag")
    concept = row["konzept"].strip().lower()
    if concept not in PopulationReference.Concept.values:
        raise _LineError(
            _("konzept: „%(v)s“ ist unbekannt; erlaubt: %(ok)s.")
            % {"v": row["konzept"], "ok": ", ".join(PopulationReference.Concept.values)}
        )
    if not row["quelle"].strip():
        raise _LineError(_("quelle: Jede Zahl braucht eine Quelle."))
    values: dict[str, object] = {"source": row["quelle"].strip()[:400], "source_url": row.get("url", "").strip()[:500]}
    any_number = False
    for column, field_suffix in POPULATION_GROUPS:
        count = parse_int(row.get(f"einwohner_{column}", ""), f"einwohner_{column}")
        share = parse_percent(row.get(f"anteil_{column}_prozent", ""), f"anteil_{column}_prozent")
        values[f"population_{field_suffix}"] = count
        values[f"share_{field_suffix}"] = share
        any_number = any_number or count is not None or share is not None
        if share is not None and concept == PopulationReference.Concept.POPULATION:
            raise _LineError(_("Für das Konzept „population“ gibt es keinen Anteil."))
    if not any_number:
        raise _LineError(_("Die Zeile enthält weder Einwohnerzahlen noch Anteile."))
    total, young, adults = values["population_total"], values["population_under_18"], values["population_18_64"]
    if total is not None and any(part is not None and part > total for part in (young, adults)):
        raise _LineError(_("Eine Altersgruppe ist größer als die Einwohnerzahl insgesamt."))
    if values["source_url"] and not re.match(r"^https?://", values["source_url"]):
        raise _LineError(_("url: Die Adresse muss mit http:// oder https:// beginnen."))
    return (city.pk, day, concept), {"municipality": city, "reference_date": day, "concept": concept, **values}


def import_population(data: bytes, actor) -> ImportResult:
    return _import(
        data,
        actor,
        POPULATION_REQUIRED,
        POPULATION_OPTIONAL,
        _population_row,
        PopulationReference,
        ("municipality", "reference_date", "concept"),
        "monitoring.population_imported",
    )


# --- Headcounts -------------------------------------------------------------------------------------------

HEADCOUNT_REQUIRED = ("kommune", "stichtag", "merkmal", "auspraegung", "beschaeftigte", "quelle")
_ATTRIBUTE_ALIASES = {"gesamt": HRHeadcount.TOTAL, "insgesamt": HRHeadcount.TOTAL, HRHeadcount.TOTAL: HRHeadcount.TOTAL}
for _facet in FACETS:
    _ATTRIBUTE_ALIASES[_facet.key] = _facet.key
_ATTRIBUTE_ALIASES.update(
    {
        "fachbereichsgruppe": "department_group",
        "entgeltgruppe": "pay_band",
        "besoldungsgruppe": "pay_band",
        "nachwuchskraft": "trainee",
        "altersgruppe": "age_band",
        "geschlecht": "gender",
        "arbeitszeit": "working_time",
    }
)


def _headcount_row(row: dict[str, str], find_city, restrict_to: Municipality | None = None) -> tuple[tuple, dict]:
    city = find_city(row["kommune"])
    if restrict_to is not None and city.pk != restrict_to.pk:
        raise _LineError(_("Sie dürfen nur Zahlen für %(city)s einlesen.") % {"city": restrict_to.short_name})
    day = parse_date(row["stichtag"], "stichtag")
    attribute = _ATTRIBUTE_ALIASES.get(_column_name(row["merkmal"]))
    if attribute is None:
        allowed = ", ".join(["gesamt", *(f.key for f in FACETS)])
        raise _LineError(_("merkmal: „%(v)s“ ist unbekannt; erlaubt: %(ok)s.") % {"v": row["merkmal"], "ok": allowed})
    raw_category = row["auspraegung"].strip()
    if attribute == HRHeadcount.TOTAL:
        category = HRHeadcount.TOTAL
    else:
        facet = next(f for f in FACETS if f.key == attribute)
        by_name = {}
        for code, label in facet.categories:
            if code != NO_ANSWER:
                by_name[code.lower()] = code
                by_name[str(label).lower()] = code
        category = by_name.get(raw_category.lower())
        if category is None:
            options = ", ".join(f"{code} ({label})" for code, label in facet.categories if code != NO_ANSWER)
            raise _LineError(
                _("auspraegung: „%(v)s“ gibt es für %(attr)s nicht; erlaubt: %(ok)s.")
                % {"v": raw_category, "attr": attribute, "ok": options}
            )
    headcount = parse_int(row["beschaeftigte"], "beschaeftigte")
    if headcount is None:
        raise _LineError(_("beschaeftigte: Die Zahl fehlt."))
    if not row["quelle"].strip():
        raise _LineError(_("quelle: Jede Zahl braucht eine Quelle."))
    key = (city.pk, day, attribute, category)
    return key, {
        "municipality": city,
        "reference_date": day,
        "attribute": attribute,
        "category": category,
        "headcount": headcount,
        "source": row["quelle"].strip()[:400],
    }


def _check_margins(parsed: list[tuple[int, tuple, dict]], errors: list[tuple[int, str]]) -> None:
    """Each attribute's categories must add up to the city's total of the same date (raking needs it)."""
    totals: dict[tuple, int] = {}
    sums: dict[tuple, int] = {}
    lines: dict[tuple, list[int]] = {}
    for number, key, values in parsed:
        city, day, attribute, _category = key
        if attribute == HRHeadcount.TOTAL:
            totals[(city, day)] = values["headcount"]
        else:
            sums[(city, day, attribute)] = sums.get((city, day, attribute), 0) + values["headcount"]
            lines.setdefault((city, day, attribute), []).append(number)
    for (city, day, attribute), total in sums.items():
        expected = totals.get((city, day))
        first = lines[(city, day, attribute)][0]
        if expected is None:
            errors.append((first, _("Für diese Stadt und diesen Stichtag fehlt die Zeile „gesamt;gesamt“.")))
        elif total != expected:
            errors.append(
                (
                    first,
                    _("%(attr)s: Die Ausprägungen ergeben zusammen %(sum)s, die Gesamtzahl ist aber %(total)s.")
                    % {"attr": attribute, "sum": total, "total": expected},
                )
            )


def import_headcounts(data: bytes, actor, restrict_to: Municipality | None = None) -> ImportResult:
    return _import(
        data,
        actor,
        HEADCOUNT_REQUIRED,
        (),
        lambda row, find: _headcount_row(row, find, restrict_to),
        HRHeadcount,
        ("municipality", "reference_date", "attribute", "category"),
        "monitoring.headcounts_imported",
        check=_check_margins,
    )


# --- Shared -----------------------------------------------------------------------------------------------


def _import(
    data: bytes,
    actor,
    required: Sequence[str],
    optional: Sequence[str],
    parse_row,
    model,
    key_fields: Iterable[str],
    action: str,
    check=None,
) -> ImportResult:
    result = ImportResult()
    rows, result.errors = read_rows(data, required, optional)
    if any(line <= 1 for line, _message in result.errors):
        return result
    if not rows and not result.errors:
        result.errors.append((2, _("Die Datei enthält keine Datenzeilen.")))
        return result
    find_city = _city_lookup()
    parsed: list[tuple[int, tuple, dict]] = []
    seen: dict[tuple, int] = {}
    for number, row in rows:
        try:
            key, values = parse_row(row, find_city)
            model(**values).full_clean(validate_unique=False, validate_constraints=False)
        except _LineError as problem:
            result.errors.append((number, str(problem)))
            continue
        except ValidationError as invalid:
            result.errors.append((number, " ".join(f"{name}: {' '.join(msgs)}" for name, msgs in invalid.message_dict.items())))
            continue
        if key in seen:
            result.errors.append((number, _("Doppelt: dieselbe Angabe steht schon in Zeile %(n)s.") % {"n": seen[key]}))
            continue
        seen[key] = number
        parsed.append((number, key, values))
    if check is not None:
        check(parsed, result.errors)
    if result.errors:
        result.errors.sort()
        return result
    key_fields = tuple(key_fields)
    with transaction.atomic():
        for _number, _key, values in parsed:
            lookup = {name: values[name] for name in key_fields}
            defaults = {name: value for name, value in values.items() if name not in key_fields}
            obj, created = model.objects.update_or_create(**lookup, defaults=defaults)
            result.created += int(created)
            result.updated += int(not created)
        record(actor, action, obj, after={"rows": len(parsed), "created": result.created, "updated": result.updated})
    return result
