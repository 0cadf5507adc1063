"""Attacker test over the real published outputs of a round: dashboards, CSV, the JSON API, public data.

The attacker collects everything any audience can download or see for one round (the
Regiegruppe's comparison, every city's page and export, the public release), and for every
suppressed count tries to recover it: it sets up "published number = sum of the cells it covers"
for all outputs together and computes with linear programming how far each hidden number can
move while every published number stays the same and no count is negative. A hidden number
pinned to within +-1 of its true value is a successful attack and fails the test.

Model: per concept and city, every HR attribute table splits the same respondents. The attacker
uses one variable per (attribute, city, category, status) and ties the tables together by "the
city totals are equal in every table". That is exactly as strong as a model over the full
cross-classification of all attributes (any set of tables with equal totals can be completed to
a non-negative full table); :func:`test_stacked_model_equals_the_full_cross_classification`
checks this on a small example. True values come straight from the stored responses, not from
the aggregation code under test.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from collections import defaultdict
from html.parser import HTMLParser

import numpy as np
import pytest
from scipy.optimize import linprog

from monitoring import actions
from monitoring.demo import synthetic_responses
from monitoring.models import Classification, Response, Wave
from monitoring.questionnaire import FACETS

from .conftest import make_wave

pytestmark = pytest.mark.django_db
PIN = 1.0
SLACK = 1e-6
CITIES = (("essen", 400, 0.10), ("bochum", 150, 0.15), ("herne", 60, 0.25), ("hagen", 9, 0.3))
FACET_LABELS = {str(f.label): f for f in FACETS}
STATUS_FIELD = {"mh": "migration_background", "eg": "immigration_history"}


@pytest.fixture
def published_round(cooperation, survey_round, personas):
    rng = random.Random(11)
    for slug, count, share in CITIES:
        wave = make_wave(survey_round, slug)
        Response.objects.bulk_create(synthetic_responses(wave, count, share, rng))
        actions.set_wave_status(personas["office"], wave, Wave.Status.CLOSED)
    actions.finalise_round(personas["office"], survey_round)
    for wave in Wave.objects.filter(round=survey_round):
        actions.set_wave_status(personas["office"], wave, Wave.Status.RELEASED)
    return survey_round


# --- Collecting every output -----------------------------------------------------------------------------


def _json(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.content)["zeilen"]


def _csv(client, url) -> list[dict]:
    text = client.get(url).content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader)
    return [dict(zip(header, row, strict=True)) for row in reader]


class _Tables(HTMLParser):
    """Rows of every data table of a page: caption plus the text of each cell."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._caption = None
        self._row = None
        self._cell = None
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class", "") or ""
        if self._hidden or "kern-sr-only" in classes or tag == "sup":
            self._hidden += 1
            return
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = ""

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= 1
            return
        if tag == "caption" and self.tables:
            self.tables[-1] = (self._caption.strip(), self.tables[-1][1])
            self._caption = None
        elif tag in {"td", "th"} and self._row is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self.tables and self._row is not None:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._hidden:
            return
        if self._caption is not None:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def _number(text: str) -> int | None:
    text = text.replace(".", "").strip()
    return int(text) if text.isdigit() else None


def collect_outputs(client_for, anonymous, survey_round) -> list[dict]:
    """Every record any audience gets for the round, from the API, the CSV files and the public data."""
    office, slug = client_for("office"), survey_round.slug
    records = _json(office, f"/monitoring/runden/{slug}/vergleich/daten.json")
    records += _json(anonymous, f"/monitoring/ergebnisse/{slug}/daten.json")
    for city, _count, _share in CITIES:
        records += _json(office, f"/monitoring/runden/{slug}/{city}/daten.json")
        records += _json(anonymous, f"/monitoring/ergebnisse/{slug}/{city}/daten.json")
    for row in _csv(office, f"/monitoring/runden/{slug}/vergleich/daten.csv"):
        records.append(
            {
                "stadt": row["Stadt"],
                "konzept": row["Konzept"],
                "merkmal": row["Merkmal"],
                "gruppe": row["Gruppe"],
                "antworten_klassifiziert": _number(row["Antworten (klassifiziert)"]),
                "mit_merkmal": _number(row["mit Merkmal"]),
                "ohne_merkmal": _number(row["ohne Merkmal"]),
                "anteil": None if not row["Anteil"] else float(row["Anteil"].replace(",", ".")),
            }
        )
    return records


# --- The attack ----------------------------------------------------------------------------------------------


def _truth(survey_round, concept: str) -> dict[tuple[str, str, str, str], int]:
    """(city, facet key, category, "yes"/"no") -> count, straight from the stored responses."""
    field = STATUS_FIELD[concept]
    counts = defaultdict(int)
    rows = Response.objects.filter(wave__round=survey_round).values_list(
        "wave__municipality__short_name", field, *(f.key for f in FACETS)
    )
    for city, status, *categories in rows:
        if status == Classification.UNCLASSIFIABLE:
            continue
        label = "yes" if status == Classification.YES else "no"
        for facet, index in zip(FACETS, categories, strict=True):
            counts[(city, facet.key, facet.code_at(index), label)] += 1
    return counts


def attack(records: list[dict], survey_round, concept: str) -> tuple[list[str], int, int]:
    cities = sorted({r["stadt"] for r in records if r["stadt"] != "Alle Städte"})
    facets = list(FACETS)
    index: dict[tuple[str, str, str, str], int] = {}
    for facet in facets:
        for city in cities:
            for code in facet.codes:
                for status in ("yes", "no"):
                    index[(city, facet.key, code, status)] = len(index)
    truth_map = _truth(survey_round, concept)
    truth = np.array([truth_map.get(key, 0) for key in index], dtype=float)

    def row_of(city: str, facet_key: str | None, code: str | None, statuses) -> np.ndarray:
        row = np.zeros(len(index))
        chosen_facets = [f for f in facets if f.key == facet_key] if facet_key else facets[:1]
        for facet in chosen_facets:
            for c in cities if city == "Alle Städte" else [city]:
                for category in facet.codes if code is None else [code]:
                    for status in statuses:
                        row[index[(c, facet.key, category, status)]] = 1.0
        return row

    published: dict[bytes, tuple[np.ndarray, float]] = {}
    hidden: dict[bytes, tuple[np.ndarray, str]] = {}
    for record in records:
        if record["konzept"] != concept:
            continue
        facet = FACET_LABELS.get(record["merkmal"])
        if facet is None and record["merkmal"] != "insgesamt":
            continue  # a city's own items are a separate table of that city only
        code = None
        if facet is not None:
            code = next(c for c, label in facet.categories if str(label) == record["gruppe"])
        for key, statuses in (("mit_merkmal", ("yes",)), ("ohne_merkmal", ("no",)), ("antworten_klassifiziert", ("yes", "no"))):
            row = row_of(record["stadt"], facet.key if facet else None, code, statuses)
            label = f"{record['stadt']}/{record['merkmal']}/{record['gruppe']}/{key}"
            if record[key] is None:
                hidden[row.tobytes()] = (row, label)
            else:
                assert record[key] == pytest.approx(row @ truth), f"published {label} is not the true count"
                published[row.tobytes()] = (row, float(record[key]))
        if record["anteil"] is not None:
            assert record["mit_merkmal"] is not None and record["antworten_klassifiziert"], "a share of a hidden count"
    overlap = set(hidden) & set(published)
    assert not overlap, [hidden[k][1] for k in overlap]
    ties = []
    for city in cities:
        for status in ("yes", "no"):
            base = row_of(city, facets[0].key, None, (status,))
            ties += [row_of(city, f.key, None, (status,)) - base for f in facets[1:]]
    a_eq = np.array([r for r, _v in published.values()] + ties)
    b_eq = np.array([v for _r, v in published.values()] + [0.0] * len(ties))
    pinned = []
    seen = [truth]
    solves = 0
    for row, label in hidden.values():
        value = float(row @ truth)
        reach = [float(row @ point) for point in seen]
        if max(reach) >= value + PIN + 1 - SLACK or min(reach) <= value - PIN - 1 + SLACK:
            continue
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(sign * row, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            solves += 1
            assert result.status in (0, 3), result.message
            if result.status == 3:
                bounds.append(-sign * np.inf)
                continue
            seen.append(result.x)
            bounds.append(sign * result.fun)
        low, high = bounds
        if low >= value - PIN - SLACK and high <= value + PIN + SLACK:
            pinned.append(f"{label}: true {value:.0f}, feasible [{low:.2f}, {high:.2f}]")
    return pinned, len(hidden), len(published)


def test_published_outputs_do_not_reveal_any_suppressed_count(published_round, client_for, anonymous):
    records = collect_outputs(client_for, anonymous, published_round)
    for concept in ("mh", "eg"):
        pinned, hidden, published = attack(records, published_round, concept)
        assert hidden > 0, "the round should exercise suppression"
        assert published > 0
        assert pinned == []


def test_dashboards_show_exactly_the_published_counts(published_round, client_for):
    """The dashboard tables carry no number the exports do not (so the attack above covers them)."""
    office = client_for("office")
    records = collect_outputs(client_for, client_for("anonymous"), published_round)
    lookup = {(r["stadt"], r["konzept"], r["merkmal"], r["gruppe"]): r for r in records}
    checked = 0
    for (city_slug, _count, _share), concept in itertools.product(CITIES, ("mh", "eg")):
        page = office.get(f"/monitoring/runden/{published_round.slug}/{city_slug}/?konzept={concept}").content.decode()
        parser = _Tables()
        parser.feed(page)
        city = city_slug.capitalize()
        for caption, rows in parser.tables:
            if caption not in FACET_LABELS:
                continue
            for cells in rows[1:]:
                record = lookup[(city, concept, caption, cells[0])]
                shown = (_number(cells[1]), _number(cells[2]))
                assert shown == (record["antworten_klassifiziert"], record["mit_merkmal"]), (city, caption, cells)
                checked += 1
    assert checked > 100


def test_attacker_finds_an_unprotected_release(published_round, client_for, anonymous):
    """Sanity check of the attacker: re-publish one suppressed count next to its row total and it must succeed."""
    records = collect_outputs(client_for, anonymous, published_round)
    target = next(
        r
        for r in records
        if r["konzept"] == "mh"
        and r["mit_merkmal"] is None
        and r["antworten_klassifiziert"] is not None
        and r["merkmal"] != "insgesamt"
    )
    truth = _truth(published_round, "mh")
    facet = FACET_LABELS[target["merkmal"]]
    code = next(c for c, label in facet.categories if str(label) == target["gruppe"])
    cities = [target["stadt"]] if target["stadt"] != "Alle Städte" else sorted({r["stadt"] for r in records if r.get("ags")})
    leaked = dict(target, ohne_merkmal=sum(truth.get((c, facet.key, code, "no"), 0) for c in cities))
    key = ("stadt", "konzept", "merkmal", "gruppe")
    others = [r for r in records if tuple(r[k] for k in key) != tuple(target[k] for k in key)]
    pinned, _hidden, _published = attack([*others, leaked], published_round, "mh")
    assert any(target["gruppe"] in line for line in pinned)


def test_stacked_model_equals_the_full_cross_classification():
    """For one-way tables with equal totals, LP ranges over stacked tables equal those over the full cube."""
    rng = np.random.default_rng(4)
    shape = (2, 3, 2, 2)  # city, attribute A, attribute B, status
    cube = rng.integers(0, 6, size=shape).astype(float)
    full_vars = int(np.prod(shape))

    def full_row(city, a, b, status):
        mask = np.zeros(shape)
        mask[city, a, b, status] = 1
        return mask.ravel()

    tables = {
        "A": [(c, a, s) for c in range(2) for a in range(3) for s in range(2)],
        "B": [(c, b, s) for c in range(2) for b in range(2) for s in range(2)],
    }
    published_full, published_stacked, secrets = [], [], []
    offsets = {"A": 0, "B": 12}
    for name, cells in tables.items():
        for position, (c, k, s) in enumerate(cells):
            row = full_row(c, k if name == "A" else slice(None), k if name == "B" else slice(None), s)
            stacked = np.zeros(20)
            stacked[offsets[name] + position] = 1
            if (c, k) == (0, 1):
                secrets.append((row, stacked))
            else:
                published_full.append((row, row @ cube.ravel()))
                published_stacked.append((stacked, row @ cube.ravel()))
    for c in range(2):
        for s in range(2):
            total = full_row(c, slice(None), slice(None), s)
            stacked = np.zeros(20)
            stacked[[position for position, (cc, _k, ss) in enumerate(tables["A"]) if (cc, ss) == (c, s)]] = 1
            published_full.append((total, total @ cube.ravel()))
            published_stacked.append((stacked, total @ cube.ravel()))
    ties = []
    for c in range(2):
        for s in range(2):
            tie = np.zeros(20)
            for position, (cc, _k, ss) in enumerate(tables["A"]):
                if (cc, ss) == (c, s):
                    tie[position] = 1
            for position, (cc, _k, ss) in enumerate(tables["B"]):
                if (cc, ss) == (c, s):
                    tie[12 + position] = -1
            ties.append(tie)
    a_full = np.array([r for r, _v in published_full])
    b_full = np.array([v for _r, v in published_full])
    a_stacked = np.array([r for r, _v in published_stacked] + ties)
    b_stacked = np.array([v for _r, v in published_stacked] + [0.0] * len(ties))
    assert full_vars == 24
    for full_secret, stacked_secret in secrets:
        for sign in (1.0, -1.0):
            full = linprog(sign * full_secret, A_eq=a_full, b_eq=b_full, bounds=(0, None), method="highs")
            stacked = linprog(sign * stacked_secret, A_eq=a_stacked, b_eq=b_stacked, bounds=(0, None), method="highs")
            assert full.status == stacked.status == 0
            assert full.fun == pytest.approx(stacked.fun, abs=1e-7)
