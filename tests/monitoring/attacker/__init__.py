"""An outsider's attack on the published monitoring outputs, written without the protection code.

It reads only what an audience downloads over HTTP (the JSON API and the CSV files; for the public
the DCAT catalogue lists them) and knows only what is public anyway: the standard questionnaire
(the six HR attributes, each with "keine Angabe", so every respondent is in exactly one group of
each attribute) and that MH and EG are two classifications of the same people.

Model per round: one non-negative **integer** variable per (city, attribute, group, MH class, EG
class) with classes yes / no / unclassifiable. Every published number is an equation over these:
a yes, no or classified count of a group (or of all cities), the respondents of a city, every
HR attribute splitting the same city total (equal totals per MH x EG class), a city's own items
splitting at most that total. Shares, response rates and reasons add what they reveal:

* a share ``s`` (4 decimals) next to a classified count ``n``: ``(s - 0.00005) n <= yes <= (s + 0.00005) n``;
* a response rate with the headcount: the respondents within the rounding of ``rate * headcount``;
* a per-cell reason, if one is published: "all or none" (yes = 0 or no = 0, a binary choice),
  "secondary" (the group has at least k respondents; where its classified count is shown, the
  reason is the yes/no count's, so neither is 0).

For every hidden count it proves the smallest and largest value of any integer solution
(``scipy.optimize.milp``); the width ``max - min`` is what the attacker cannot narrow further.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from monitoring.questionnaire import FACETS

ALL_CITIES = "Alle Städte"
TOTAL = "insgesamt"
CLASSES = ("yes", "no", "unclassifiable")
HR_ATTRIBUTES = {str(f.label) for f in FACETS}
CAP = 10**6  # no count of a survey comes near this; a bound at the cap means "unbounded"
COUNTS = {"mit_merkmal": ("yes",), "ohne_merkmal": ("no",), "antworten_klassifiziert": ("yes", "no")}
CSV_COLUMNS = {
    "Erhebungsrunde": "runde",
    "Stadt": "stadt",
    "Konzept": "konzept",
    "Merkmal": "merkmal",
    "Gruppe": "gruppe",
    "Antworten (klassifiziert)": "antworten_klassifiziert",
    "mit Merkmal": "mit_merkmal",
    "ohne Merkmal": "ohne_merkmal",
    "Anteil": "anteil",
    "Antworten insgesamt": "antworten_gesamt",
    "Beschäftigte": "beschaeftigte",
    "Rücklaufquote": "ruecklaufquote",
    "Sperrgrund": "sperrgrund",
}


# --- Reading what an audience downloads ---------------------------------------------------------------


def fetch_json(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return json.loads(response.content)


def _csv_number(text: str):
    text = (text or "").strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None
    if "," in text:
        return float(text.replace(".", "").replace(",", "."))
    return int(text.replace(".", ""))


def fetch_csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    header = next(reader)
    rows = []
    for line in reader:
        raw = dict(zip(header, line, strict=True))
        row = {key: raw.get(label, "") for label, key in CSV_COLUMNS.items()}
        for key in ("antworten_klassifiziert", "mit_merkmal", "ohne_merkmal", "antworten_gesamt", "beschaeftigte"):
            row[key] = _csv_number(row[key])
        for key in ("anteil", "ruecklaufquote"):
            value = _csv_number(row[key])
            row[key] = None if value is None else float(value)
        rows.append(row)
    return rows


def public_urls(client) -> list[str]:
    """The JSON and CSV distributions the DCAT catalogue lists."""
    catalogue = fetch_json(client, "/monitoring/offene-daten/katalog.jsonld")
    urls = []
    for dataset in catalogue.get("dcat:dataset", []):
        for distribution in dataset.get("dcat:distribution", []):
            url = distribution["dcat:downloadURL"]["@id"]
            urls.append("/" + url.split("://", 1)[-1].split("/", 1)[1])
    return urls


def collect(client, urls: list[str]) -> tuple[list[dict], dict[str, int]]:
    """All rows of the given exports, and the minimum cell size k per round as published."""
    rows, k = [], {}
    for url in urls:
        if url.endswith(".json"):
            document = fetch_json(client, url)
            k[document["runde"]["kuerzel"]] = int(document["runde"]["mindestzahl_antworten_k"])
            rows += document["zeilen"]
        elif url.endswith(".csv"):
            rows += fetch_csv(client, url)
    return rows, k


# --- The integer programme --------------------------------------------------------------------------------


@dataclass
class Finding:
    label: str
    low: int
    high: int

    @property
    def width(self) -> int:
        return self.high - self.low


@dataclass
class Attack:
    k: int
    hidden: int = 0
    published: int = 0
    narrowed: list[Finding] = field(default_factory=list)
    derived_from_hidden: list[str] = field(default_factory=list)

    @property
    def exact(self) -> list[Finding]:
        return [f for f in self.narrowed if f.width == 0]


class _Programme:
    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.rows: list[dict[int, float]] = []
        self.low: list[float] = []
        self.high: list[float] = []
        self.binary: set[int] = set()
        self.kinds: list[str] = []

    def var(self, key: tuple) -> int:
        if key not in self.index:
            self.index[key] = len(self.index)
        return self.index[key]

    def add(self, coefficients: dict[int, float], low: float, high: float, kind: str = "count") -> None:
        self.kinds.append(kind)
        self.rows.append(coefficients)
        self.low.append(low)
        self.high.append(high)

    def matrix(self, rows: list[dict[int, float]]) -> sparse.csr_matrix:
        data, cols, ptr = [], [], [0]
        for row in rows:
            cols += list(row)
            data += list(row.values())
            ptr.append(len(cols))
        return sparse.csr_matrix((data, cols, ptr), shape=(len(rows), len(self.index)))


def _merge(rows: list[dict]) -> dict[tuple, dict]:
    """One record per (round, city, concept, attribute, group); a number shown anywhere counts."""
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = (row["runde"], row["stadt"], row["konzept"], row["merkmal"], row["gruppe"] or "")
        record = merged.setdefault(key, {})
        for name, value in row.items():
            if value not in (None, "") and record.get(name) in (None, ""):
                record[name] = value
            record.setdefault(name, value)
    return merged


def attack(rows: list[dict], k_by_round: dict[str, int]) -> dict[str, Attack]:
    merged = _merge(rows)
    by_round = defaultdict(dict)
    for key, record in merged.items():
        by_round[key[0]][key[1:]] = record
    return {slug: _attack_round(records, k_by_round.get(slug, 10)) for slug, records in by_round.items()}


def _attack_round(records: dict[tuple, dict], k: int) -> Attack:
    cities = sorted({city for city, *_rest in records if city != ALL_CITIES})
    groups: dict[str, set[str]] = defaultdict(set)
    for _city, _concept, attribute, group in records:
        groups[attribute].add(group)
    programme = _Programme()
    combos = [(m, e) for m in CLASSES for e in CLASSES]

    def cell(city: str, attribute: str, group: str, m: str, e: str) -> int:
        return programme.var((city, attribute, group, m, e))

    # Every attribute splits a city's respondents; a city's own items split at most them.
    for city in cities:
        for attribute, members in groups.items():
            if attribute == TOTAL:
                continue
            if attribute not in HR_ATTRIBUTES and not any(c == city and a == attribute for c, _k, a, _g in records):
                continue
            for m, e in combos:
                coefficients = {cell(city, attribute, g, m, e): 1.0 for g in members}
                coefficients[cell(city, TOTAL, "", m, e)] = -1.0
                programme.add(coefficients, -np.inf if attribute not in HR_ATTRIBUTES else 0.0, 0.0, "split")

    def expression(city: str, concept: str, attribute: str, group: str, statuses) -> dict[int, float]:
        coefficients: dict[int, float] = {}
        for c in cities if city == ALL_CITIES else [city]:
            for m, e in combos:
                own = m if concept == "mh" else e
                if own in statuses:
                    coefficients[cell(c, attribute, group, m, e)] = 1.0
        return coefficients

    def respondents(city: str) -> dict[int, float]:
        return {cell(c, TOTAL, "", m, e): 1.0 for c in (cities if city == ALL_CITIES else [city]) for m, e in combos}

    attack_result = Attack(k)
    targets: dict[tuple, tuple[dict[int, float], str]] = {}
    binaries = []
    for (city, concept, attribute, group), record in sorted(records.items()):
        if concept not in ("mh", "eg"):
            continue
        values = {}
        for name, statuses in COUNTS.items():
            coefficients = expression(city, concept, attribute, group, statuses)
            values[name] = (coefficients, record.get(name))
            label = f"{city} / {concept} / {attribute} / {group} / {name}"
            if record.get(name) is None:
                targets.setdefault(tuple(sorted(coefficients)), (coefficients, label))
            else:
                programme.add(coefficients, record[name], record[name])
                attack_result.published += 1
        if attribute == TOTAL and city != "":
            coefficients = respondents(city)
            if record.get("antworten_gesamt") is not None:
                programme.add(coefficients, record["antworten_gesamt"], record["antworten_gesamt"], "respondents")
            elif record.get("antworten_klassifiziert") is None:
                targets.setdefault(tuple(sorted(coefficients)), (coefficients, f"{city} / respondents"))
            rate, staff = record.get("ruecklaufquote"), record.get("beschaeftigte")
            if rate is not None and staff:
                programme.add(coefficients, (rate - 5e-5) * staff, (rate + 5e-5) * staff, "rate")
        yes, n = values["mit_merkmal"], values["antworten_klassifiziert"]
        share = record.get("anteil")
        hidden = [name for name, (_c, v) in values.items() if v is None]
        if share is not None:
            if hidden:
                attack_result.derived_from_hidden.append(f"{city} / {concept} / {attribute} / {group}: share")
            coefficients = dict(yes[0])
            for i, v in n[0].items():
                coefficients[i] = coefficients.get(i, 0.0) - (share + 5e-5) * v
            programme.add(coefficients, -np.inf, 0.0, "share")
            coefficients = dict(yes[0])
            for i, v in n[0].items():
                coefficients[i] = coefficients.get(i, 0.0) - (share - 5e-5) * v
            programme.add(coefficients, 0.0, np.inf, "share")
        reason = (record.get("sperrgrund") or "").lower()
        no = values["ohne_merkmal"]
        if "alle oder keine" in reason:
            binaries.append((yes[0], no[0]))
        elif "mitgesperrt" in reason:
            programme.add(n[0], k, np.inf, "reason")  # not suppressed for its own sake: at least k
            if n[1] is not None:  # then the reason is the yes/no count's: neither 0 nor all
                programme.add(yes[0], 1, np.inf, "reason")
                programme.add(no[0], 1, np.inf, "reason")
    # yes = 0 or no = 0; no group is larger than ten times the largest published count
    big = 10 * max([1.0] + [abs(v) for v in programme.low if np.isfinite(v)])
    for yes_part, no_part in binaries:
        switch = programme.var(("switch", len(programme.index)))
        programme.binary.add(switch)
        programme.add({**yes_part, switch: -big}, -np.inf, 0.0, "reason")
        programme.add({**no_part, switch: big}, -np.inf, big, "reason")
    attack_result.hidden = len(targets)
    if targets:
        attack_result.narrowed = _ranges(programme, list(targets.values()), k)
    return attack_result


def _ranges(programme: _Programme, targets: list[tuple[dict[int, float], str]], k: int) -> list[Finding]:
    """Integer range of every target, reported where it is narrower than k.

    The LP relaxation's range contains the integer range, so an LP range narrower than k already
    proves the attack (its rounded bounds are reported). An LP optimum that happens to be integral
    is an integer solution; every integer solution found widens the known range of all targets at
    once. Only where neither settles it, the exact integer optimum is solved (``milp``).
    """
    size = len(programme.index)
    matrix = programme.matrix(programme.rows)
    low_b, high_b = np.array(programme.low), np.array(programme.high)
    constraint = LinearConstraint(matrix, low_b, high_b)
    upper = np.full(size, float(CAP))
    upper[list(programme.binary)] = 1.0
    bounds = Bounds(np.zeros(size), upper)
    integrality = np.ones(size)
    goals = programme.matrix([t[0] for t in targets]).toarray()
    high = np.full(len(targets), -np.inf)
    low = np.full(len(targets), np.inf)
    equal = np.flatnonzero(low_b == high_b)
    ub_up = np.flatnonzero((low_b != high_b) & np.isfinite(high_b))
    ub_low = np.flatnonzero((low_b != high_b) & np.isfinite(low_b))
    a_ub = sparse.vstack([matrix[ub_up], -matrix[ub_low]]).tocsr()
    b_ub = np.concatenate([high_b[ub_up], -low_b[ub_low]])
    relaxable = not programme.binary

    def reach(point) -> None:
        reached = goals @ point
        np.maximum(high, reached, out=high)
        np.minimum(low, reached, out=low)

    def exact(objective: np.ndarray) -> float:
        result = milp(objective, constraints=constraint, integrality=integrality, bounds=bounds)
        assert result.status == 0, f"the published outputs are inconsistent: {result.message} ({_culprits(programme)})"
        reach(np.round(result.x))
        return float(result.fun)

    def relaxed(objective: np.ndarray) -> float | None:
        """LP optimum; None if the LP cannot be used (binary choices)."""
        if not relaxable:
            return None
        result = linprog(
            objective,
            A_eq=matrix[equal],
            b_eq=low_b[equal],
            A_ub=a_ub if b_ub.size else None,
            b_ub=b_ub if b_ub.size else None,
            bounds=(0, CAP),
            method="highs",
        )
        assert result.status == 0, f"the published outputs are inconsistent: {result.message}"
        if np.allclose(result.x, np.round(result.x), atol=1e-7):
            reach(np.round(result.x))
        return float(result.fun)

    rng = np.random.default_rng(0)
    for _ in range(min(6, len(targets))):
        objective = rng.choice((-1.0, 1.0), size=len(targets)) @ goals
        if relaxed(objective) is None:
            exact(objective)
    narrowed = []
    for i, (_coefficients, label) in enumerate(targets):
        if high[i] - low[i] >= k:
            continue
        lp_high, lp_low = relaxed(-goals[i]), relaxed(goals[i])
        if lp_high is not None and lp_low is not None and -lp_high - lp_low < k - 1e-6:
            narrowed.append(Finding(label, int(np.ceil(lp_low - 1e-6)), int(np.floor(-lp_high + 1e-6))))
            continue
        if high[i] - low[i] >= k:
            continue
        exact(-goals[i])
        if high[i] - low[i] >= k:
            continue
        exact(goals[i])
        if high[i] - low[i] < k:
            narrowed.append(Finding(label, int(round(low[i])), int(round(high[i]))))
    return narrowed


def _culprits(programme: _Programme) -> list[str]:
    """Kinds of relation without which the system becomes feasible (to explain a contradiction)."""
    found = []
    size = len(programme.index)
    upper = np.full(size, float(CAP))
    upper[list(programme.binary)] = 1.0
    for kind in sorted(set(programme.kinds)):
        keep = [i for i, k in enumerate(programme.kinds) if k != kind]
        matrix = programme.matrix([programme.rows[i] for i in keep])
        constraint = LinearConstraint(matrix, np.array(programme.low)[keep], np.array(programme.high)[keep])
        result = milp(np.zeros(size), constraints=constraint, integrality=np.ones(size), bounds=Bounds(np.zeros(size), upper))
        if result.status == 0:
            found.append(kind)
    return found
