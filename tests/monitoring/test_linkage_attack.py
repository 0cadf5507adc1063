"""The database administrator tries to link survey answers to one-time codes (issue 9, section 2).

The attacker here is written without looking at how the survey stores anything. It knows:

* the schema (which table holds responses, which holds codes),
* for every code, the person and the moment it was used (codes went out by mail merge),
* everything the database shows at every moment: every row of every table with its system
  columns (``xmin`` and ``ctid`` on PostgreSQL, ``rowid`` on SQLite), the physical order, the
  values of all sequences and the table statistics (``pg_stat_user_tables``).

It takes a full snapshot after every request that stores something and tries every strategy it
has to narrow down the response of each code. The promise under attack:

* during fielding, no strategy narrows a code's response to fewer than *k* candidate responses;
* after the wave is closed, an attacker who looks at the database then cannot narrow it to
  fewer than all responses of the wave;
* opaque values that appear when someone submits or pauses (encrypted blobs) all have one
  length, so their length says nothing about the answers.

The test itself knows the true answers (each code answers a different combination of HR
attributes) and uses them only to score the attacker.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client

from monitoring import actions
from monitoring.models import Wave
from monitoring.survey import generate_codes

from .conftest import EMPLOYMENT, NO_MIGRATION, SECOND_GENERATION, make_wave

pytestmark = pytest.mark.django_db(transaction=True)

RESPONSES = "monitoring_response"
CODES = "monitoring_accesscode"
K = 10
SUBMISSIONS = 33  # three full batches of k and a few left over when the wave closes
PAUSING = {3, 16, 25}

DEPARTMENTS = ["central", "social", "technical", "order", "education", "no_answer"]
PAY_BANDS = ["low", "middle", "high", "training", "no_answer"]
AGE_BANDS = ["under_30", "30_39", "40_49", "50_59", "60_plus", "no_answer"]


# --- What the attacker sees -----------------------------------------------------------------------------


@dataclass
class Snapshot:
    tables: dict[str, list[dict]]
    sequences: dict[str, int]
    inserted: dict[str, int]
    began: float
    ended: float


def _rows(cursor, table: str) -> list[dict]:
    name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        cursor.execute(f"SELECT xmin::text AS _xmin, ctid::text AS _ctid, t.* FROM {name} AS t")  # noqa: S608
    else:
        try:
            cursor.execute(f"SELECT rowid AS _rowid, t.* FROM {name} AS t")  # noqa: S608
        except Exception:  # WITHOUT ROWID: the b-tree order is all there is
            cursor.execute(f"SELECT t.* FROM {name} AS t")  # noqa: S608
    columns = [c[0] for c in cursor.description]
    rows = []
    for position, values in enumerate(cursor.fetchall()):
        row = dict(zip(columns, values, strict=True))
        if "_ctid" in row:
            page, item = re.match(r"\((\d+),(\d+)\)", row.pop("_ctid")).groups()
            row["_pos"] = (int(page), int(item))
            row["_xmin"] = int(row["_xmin"])
        elif "_rowid" in row:
            row["_pos"] = (row.pop("_rowid"),)
        else:
            row["_pos"] = (position,)
        rows.append(row)
    return rows


def snapshot(began: float, ended: float) -> Snapshot:
    with connection.cursor() as cursor:
        tables = {table: _rows(cursor, table) for table in connection.introspection.table_names()}
        sequences, inserted = {}, {}
        if connection.vendor == "postgresql":
            cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
            sequences = {name: value for name, value in cursor.fetchall() if value is not None}
            cursor.execute("SELECT pg_stat_force_next_flush()")
            cursor.execute("SELECT relname, n_tup_ins FROM pg_stat_user_tables")
            inserted = dict(cursor.fetchall())
    return Snapshot(tables, sequences, inserted, began, ended)


def identity(row: dict) -> tuple:
    """A row as the attacker tells rows apart: its visible content, without system columns."""
    return tuple(sorted((key, repr(value)) for key, value in row.items() if not key.startswith("_")))


def new_rows(before: Snapshot, after: Snapshot, table: str) -> list[dict]:
    seen = {identity(row) for row in before.tables.get(table, [])}
    return [row for row in after.tables.get(table, []) if identity(row) not in seen]


def changed_code_row(before: Snapshot, after: Snapshot) -> dict | None:
    """The code row that changed when the person submitted (the attacker knows the moment)."""
    changed = new_rows(before, after, CODES)
    return changed[0] if len(changed) == 1 else None


def _distinctive(value) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return abs(value) > 1000
    return len(str(value)) >= 8


def _moments(value) -> list[float]:
    if isinstance(value, dt.datetime):
        return [value.timestamp()]
    if isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d", value):
        try:
            return [dt.datetime.fromisoformat(value).timestamp()]
        except ValueError:
            return []
    return []


# --- Strategies ------------------------------------------------------------------------------------------


def same_transaction(code_row: dict, rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("_xmin") is not None and row["_xmin"] == code_row.get("_xmin")]


def next_transaction(code_row: dict, rows: list[dict]) -> list[dict]:
    """Responses of the first transaction at or after the one that used the code."""
    if code_row.get("_xmin") is None:
        return []
    later = [row["_xmin"] for row in rows if row["_xmin"] >= code_row["_xmin"]]
    return [row for row in rows if later and row["_xmin"] == min(later)]


def near_in_time(step: Snapshot, rows: list[dict]) -> list[dict]:
    return [
        row
        for row in rows
        if any(step.began - 1 <= moment <= step.ended + 1 for value in row.values() for moment in _moments(value))
    ]


def shared_values(before: Snapshot, after: Snapshot, rows: list[dict]) -> list[dict]:
    """Responses carrying a value that was new anywhere in the database when the code was used
    (a sequence number, an id, a hash, a timestamp written in the same moment)."""
    old = {repr(v) for table in before.tables.values() for row in table for v in row.values()}
    fresh = set()
    for table in after.tables:
        if table == RESPONSES:
            continue
        for row in new_rows(before, after, table):
            fresh |= {repr(v) for key, v in row.items() if not key.startswith("_") and _distinctive(v)}
    fresh |= {repr(v) for name, v in after.sequences.items() if before.sequences.get(name) != v}
    fresh -= old
    return [row for row in rows if any(repr(v) in fresh for key, v in row.items() if not key.startswith("_"))]


def rank_hits(codes_in_order: list[int], rows: list[dict], truth) -> int:
    """Guess that the i-th code (in order of use) has the i-th row (in physical order)."""
    ordered = sorted(rows, key=lambda row: row["_pos"])
    return sum(1 for code, row in zip(codes_in_order, ordered, strict=False) if truth(row) == code)


# --- The scenario ----------------------------------------------------------------------------------------


@dataclass
class Field:
    wave: Wave
    truth_by_attributes: dict[tuple, int]
    steps: list[tuple[str, int, Snapshot, Snapshot]] = field(default_factory=list)  # (kind, code index, before, after)
    closed: Snapshot | None = None

    def truth(self, row: dict) -> int | None:
        return self.truth_by_attributes.get((row["department_group"], row["pay_band"], row["age_band"]))

    def wave_rows(self, shot: Snapshot) -> list[dict]:
        return [row for row in shot.tables[RESPONSES] if row["wave_id"] == self.wave.pk]


def _respond(client: Client, code: str, employment: dict, own: dict) -> int:
    data = {"code": code, "page": "employment", "action": "submit", **own, **employment}
    return client.post("/umfrage/fragebogen/", data).status_code


@pytest.fixture
def fielded(cooperation, survey_round, personas) -> Field:
    survey_round.min_cell_size = K
    survey_round.save()
    wave = make_wave(survey_round, "essen")
    plain = generate_codes(wave, SUBMISSIONS + 2)
    combos = [(d, p, a) for d in range(6) for p in range(5) for a in range(6)]
    random.Random(9).shuffle(combos)
    scenario = Field(wave, {combo: index for index, combo in enumerate(combos[:SUBMISSIONS])})
    client = Client()
    previous = snapshot(time.time(), time.time())
    for index in range(SUBMISSIONS):
        d, p, a = combos[index]
        employment = {**EMPLOYMENT, "department_group": DEPARTMENTS[d], "pay_band": PAY_BANDS[p], "age_band": AGE_BANDS[a]}
        own = SECOND_GENERATION if index % 3 else NO_MIGRATION
        if index in PAUSING:
            began = time.time()
            partial = {"q1": "yes"} if index % 2 else {"q1": "no", "q2": "yes", "q3": "german_and_other", "q4": "birth"}
            client.post("/umfrage/fragebogen/", {"code": plain[index], "page": "you", "action": "pause", **partial})
            current = snapshot(began, time.time())
            scenario.steps.append(("pause", index, previous, current))
            previous = current
        began = time.time()
        assert _respond(client, plain[index], employment, own) == 302
        current = snapshot(began, time.time())
        scenario.steps.append(("submit", index, previous, current))
        previous = current
    began = time.time()
    actions.set_wave_status(personas["office"], wave, Wave.Status.CLOSED)
    scenario.closed = snapshot(began, time.time())
    return scenario


def _watcher_findings(scenario: Field) -> dict[str, list[tuple[int, int]]]:
    """Per strategy: (code, number of candidates) wherever it narrowed to fewer than k, truth included."""
    findings: dict[str, list[tuple[int, int]]] = {}
    submissions = [(index, before, after) for kind, index, before, after in scenario.steps if kind == "submit"]
    shots = [after for _index, _before, after in submissions]

    def narrowed(strategy: str, code: int, candidates: list[dict]) -> None:
        if candidates and len(candidates) < K and code in {scenario.truth(row) for row in candidates}:
            found = findings.setdefault(strategy, [])
            if code not in {seen for seen, _size in found}:
                found.append((code, len(candidates)))

    for position, (code, before, after) in enumerate(submissions):
        code_row = changed_code_row(before, after)
        assert code_row is not None, "the attacker sees which code row changed when the person submitted"
        appeared_in = None
        for later_position in range(position, len(shots)):
            later = shots[later_position]
            rows = scenario.wave_rows(later)
            if connection.vendor == "postgresql":
                narrowed("same xmin as the code row", code, same_transaction(code_row, rows))
                narrowed("first transaction after the code's", code, next_transaction(code_row, rows))
            narrowed("timestamp within a second", code, near_in_time(after, rows))
            narrowed("value that appeared with the code", code, shared_values(before, after, rows))
            earlier = submissions[later_position][1]
            fresh = [row for row in new_rows(earlier, later, RESPONSES) if row["wave_id"] == scenario.wave.pk]
            if fresh and appeared_in is None:
                appeared_in = fresh
                narrowed("rows that appeared at or after the submission", code, fresh)
        if connection.vendor == "postgresql":
            inserted = after.inserted.get(RESPONSES, 0) - before.inserted.get(RESPONSES, 0)
            if 0 < inserted < K:
                findings.setdefault("pg_stat inserts into responses during the submission", []).append((code, inserted))
    return findings


def _batch_rank_hits(scenario: Field) -> tuple[int, int]:
    """Group codes by the batch of rows that appeared first after their use; guess by physical order."""
    submissions = [(index, before, after) for kind, index, before, after in scenario.steps if kind == "submit"]
    batches: list[tuple[list[int], list[dict]]] = []
    waiting: list[int] = []
    for code, before, after in submissions:
        waiting.append(code)
        fresh = [row for row in new_rows(before, after, RESPONSES) if row["wave_id"] == scenario.wave.pk]
        if fresh:
            batches.append((waiting, fresh))
            waiting = []
    hits = sum(rank_hits(codes, rows, scenario.truth) for codes, rows in batches)
    return hits, sum(len(codes) for codes, _rows in batches)


def _blob_lengths(scenario: Field) -> dict[tuple[str, str], set[int]]:
    """Lengths of long opaque values that appeared when someone submitted or paused."""
    lengths: dict[tuple[str, str], set[int]] = {}
    for _kind, _index, before, after in scenario.steps:
        for table in after.tables:
            if table in {RESPONSES, CODES}:
                continue
            for row in new_rows(before, after, table):
                for key, value in row.items():
                    if isinstance(value, str | bytes | memoryview) and len(value) >= 40 and not key.startswith("_"):
                        lengths.setdefault((table, key), set()).add(len(value))
    return {where: found for where, found in lengths.items() if len(found) > 1}


def _watcher_failures(scenario: Field) -> list[str]:
    findings = _watcher_findings(scenario)
    return [
        f"during fielding, '{strategy}' narrowed {len(found)} codes, down to {min(size for _c, size in found)} candidates"
        for strategy, found in findings.items()
    ]


def _order_failures(scenario: Field) -> list[str]:
    hits, guesses = _batch_rank_hits(scenario)
    # a random order gives about one hit per batch; 14 or more in three batches is below one in a million
    if guesses < 3 * K or hits >= 14:
        return [f"physical order inside the batches matched {hits} of {guesses} codes"]
    return []


def _length_failures(scenario: Field) -> list[str]:
    return [f"{table}.{column} has lengths {sorted(found)}" for (table, column), found in _blob_lengths(scenario).items()]


def _closed_failures(scenario: Field) -> list[str]:
    closed = scenario.closed
    rows = scenario.wave_rows(closed)
    if sorted(scenario.truth(row) for row in rows) != list(range(SUBMISSIONS)):
        return [f"after closing, {len(rows)} responses instead of each of the {SUBMISSIONS} once"]
    failures = []
    code_rows = [row for row in closed.tables[CODES] if row["wave_id"] == scenario.wave.pk and row["used"]]
    if connection.vendor == "postgresql":
        for strategy in (same_transaction, next_transaction):
            sizes = {len(strategy(code_row, rows)) for code_row in code_rows} - {0, len(rows)}
            if sizes:
                failures.append(f"after closing, '{strategy.__name__}' narrowed to {min(sizes)} responses")
        if len({row["_xmin"] for row in rows}) != 1:
            failures.append("after closing, the responses of the wave come from more than one transaction")
    for _kind, _index, _before, after in scenario.steps:
        if len(near_in_time(after, rows)) not in {0, len(rows)}:
            failures.append("after closing, a timestamp narrows the responses")
            break
    order_of_use = [index for kind, index, _b, _a in scenario.steps if kind == "submit"]
    hits = rank_hits(order_of_use, rows, scenario.truth)
    if hits >= 8:  # random: P(>= 8) < 1e-5
        failures.append(f"after closing, {hits} of {len(rows)} responses lie in the order of use")
    return failures


@pytest.mark.sqlite_fast
def test_the_database_administrator_cannot_link_answers_to_codes(fielded):
    failures = _watcher_failures(fielded) + _order_failures(fielded) + _length_failures(fielded) + _closed_failures(fielded)
    assert not failures, "\n".join(failures)
