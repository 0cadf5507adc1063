"""Answering the survey: checking codes, pausing, resuming and submitting.

Submitting marks the code as used and inserts the response in one transaction, but the two rows
share nothing: the response gets a fresh random UUID, the wave and the answers, and the code row
only flips ``used``. The conditional ``UPDATE … WHERE used = false`` also settles races: of two
simultaneous submissions with one code exactly one succeeds.
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import codes
from .models import AccessCode, Classification, PartialAnswers, Response, Wave
from .questionnaire import FACETS, Page, complete_answers, derive_status
from .stats.derivation import Classification as Derived

_CLASSIFICATION = {
    Derived.YES: Classification.YES,
    Derived.NO: Classification.NO,
    Derived.UNCLASSIFIABLE: Classification.UNCLASSIFIABLE,
}


class Access(enum.Enum):
    OK = "ok"
    INVALID = "invalid"
    USED = "used"
    NOT_STARTED = "not_started"
    ENDED = "ended"


@dataclass(frozen=True)
class CodeCheck:
    access: Access
    wave: Wave | None = None
    code: str | None = None  # normalised


class SubmissionRefused(Exception):
    def __init__(self, access: Access) -> None:
        super().__init__(access.value)
        self.access = access


def fielding_state(wave: Wave, today: dt.date | None = None) -> Access:
    today = today or timezone.localdate()
    if wave.status == Wave.Status.DRAFT or today < wave.fielding_start:
        return Access.NOT_STARTED
    if wave.status != Wave.Status.FIELDING or today > wave.fielding_end:
        return Access.ENDED
    return Access.OK


def check_code(raw: str) -> CodeCheck:
    """Why a code cannot be used (unknown, used, survey not running), or OK with its wave."""
    code = codes.normalise(raw or "")
    if code is None:
        return CodeCheck(Access.INVALID)
    with connection.cursor() as cursor:  # the hot path of every page: plain SQL, no query building
        cursor.execute("SELECT wave_id, used FROM monitoring_accesscode WHERE code_hash = %s", [codes.code_hash(code)])
        found = cursor.fetchone()
    if found is None:
        return CodeCheck(Access.INVALID)
    wave_id, used = found
    wave = cached_wave(wave_id)
    if used:
        return CodeCheck(Access.USED, wave)
    state = fielding_state(wave)
    return CodeCheck(state, wave, code if state is Access.OK else None)


_WAVES: dict[int, tuple[float, Wave]] = {}
WAVE_CACHE_SECONDS = 5.0


def cached_wave(wave_id: int) -> Wave:
    """The wave with its round, questionnaire and city, cached per process for a few seconds.

    Every page of every respondent needs it, and it changes a few times per survey. A stale copy
    cannot let an answer through after the survey closed: :func:`submit` checks the fielding
    period again in the database, in the statement that uses up the code.
    """
    now = time.monotonic()
    hit = _WAVES.get(wave_id)
    if hit is not None and now - hit[0] < WAVE_CACHE_SECONDS:
        return hit[1]
    wave = Wave.objects.select_related("round__questionnaire", "municipality").get(pk=wave_id)
    _WAVES[wave_id] = (now, wave)
    return wave


def forget_wave(sender=None, instance: Wave | None = None, **kwargs) -> None:
    """Drop cached waves (signal receiver on save and delete; with no instance, all of them)."""
    if instance is None:
        _WAVES.clear()
    else:
        _WAVES.pop(instance.pk, None)


def wave_for_open_link(token: str) -> Wave | None:
    if not token:
        return None
    return Wave.objects.select_related("round__questionnaire", "municipality").filter(open_link_token=token).first()


def load_partial(code: str) -> dict[str, str]:
    row = PartialAnswers.objects.filter(key=codes.partial_key(code)).first()
    if row is None:
        return {}
    return codes.decrypt_answers(code, row.payload) or {}


def save_partial(wave: Wave, code: str, answers: Mapping[str, str]) -> None:
    payload = codes.encrypt_answers(code, dict(answers))
    PartialAnswers.objects.update_or_create(key=codes.partial_key(code), defaults={"wave": wave, "payload": payload})


def build_response(wave: Wave, pages: list[Page], answers: Mapping[str, str]) -> Response:
    """The row to store: complete raw answers plus every derived concept (raises on bad routing)."""
    complete = complete_answers(pages, answers)
    status = derive_status(complete)
    facets = {facet.key: facet.index_of(complete[facet.key]) for facet in FACETS}
    return Response(
        wave=wave,
        answers={"_core": wave.round.questionnaire.core, **complete},
        migration_background=_CLASSIFICATION[status.migration_background],
        immigration_history=_CLASSIFICATION[status.immigration_history],
        one_sided_immigration_history=_CLASSIFICATION[status.one_sided_immigration_history],
        **facets,
    )


def submit(wave: Wave, pages: list[Page], answers: Mapping[str, str], code: str | None = None) -> None:
    """Store one complete questionnaire; with a code, use it up in the same transaction.

    The fielding period is checked again inside the transaction, against the database.
    """
    state = fielding_state(wave)
    if state is not Access.OK:
        raise SubmissionRefused(state)
    response = build_response(wave, pages, answers)
    today = timezone.localdate()
    if code is not None and connection.vendor == "postgresql":
        _submit_in_one_statement(wave, response, code, today)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if code is not None:
            cursor.execute(_USE_CODE, _use_code_params(code, wave, today))
            if cursor.rowcount != 1:
                raise SubmissionRefused(Access.USED if _fielding_now(cursor, wave, today) else Access.ENDED)
            cursor.execute("DELETE FROM monitoring_partialanswers WHERE key = %s", [codes.partial_key(code)])
        elif not _fielding_now(cursor, wave, today):
            raise SubmissionRefused(Access.ENDED)
        _insert(cursor, response)


def _response_columns(response: Response) -> tuple[str, str, list]:
    """Column list, placeholders and values of the response row, as ``save(force_insert=True)`` would write them."""
    fields = Response._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    values = [f.get_db_prep_save(f.pre_save(response, add=True), connection) for f in fields]
    return columns, placeholders, values


def _insert(cursor, response: Response) -> None:
    columns, placeholders, values = _response_columns(response)
    cursor.execute(f"INSERT INTO {Response._meta.db_table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608 - names from the model


def _submit_in_one_statement(wave: Wave, response: Response, code: str, today: dt.date) -> None:
    """PostgreSQL: use up the code, drop paused answers and store the response in one statement.

    One statement is atomic on its own, so the submission costs one round trip instead of six
    (BEGIN, UPDATE, DELETE, INSERT, COMMIT). The response is inserted only if the UPDATE used up
    the code, and the code only counts as used while the wave is fielding, checked in the database.
    """
    columns, placeholders, values = _response_columns(response)
    sql = (
        f"WITH used AS ({_USE_CODE} RETURNING 1), "  # noqa: S608 - table and column names come from the model
        "dropped AS (DELETE FROM monitoring_partialanswers WHERE key = %s AND EXISTS (SELECT 1 FROM used)) "
        f"INSERT INTO {Response._meta.db_table} ({columns}) SELECT {placeholders} WHERE EXISTS (SELECT 1 FROM used)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_use_code_params(code, wave, today), codes.partial_key(code), *values])
        if cursor.rowcount != 1:
            raise SubmissionRefused(Access.USED if _fielding_now(cursor, wave, today) else Access.ENDED)


def _use_code_params(code: str, wave: Wave, today: dt.date) -> list:
    return [True, codes.code_hash(code), False, wave.pk, Wave.Status.FIELDING, today, today]


_USE_CODE = (
    "UPDATE monitoring_accesscode SET used = %s WHERE code_hash = %s AND used = %s AND wave_id IN "
    "(SELECT id FROM monitoring_wave WHERE id = %s AND status = %s AND fielding_start <= %s AND fielding_end >= %s)"
)


def _fielding_now(cursor, wave: Wave, today: dt.date) -> bool:
    cursor.execute(
        "SELECT 1 FROM monitoring_wave WHERE id = %s AND status = %s AND fielding_start <= %s AND fielding_end >= %s",
        [wave.pk, Wave.Status.FIELDING, today, today],
    )
    return cursor.fetchone() is not None


@transaction.atomic
def generate_codes(wave: Wave, count: int) -> list[str]:
    """Create ``count`` new codes for a wave; the plain codes exist only in the return value."""
    plain = [codes.generate_code() for _ in range(count)]
    AccessCode.objects.bulk_create(AccessCode(wave=wave, code_hash=codes.code_hash(codes.normalise(c))) for c in plain)
    return plain
