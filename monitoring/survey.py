"""Answering the survey: checking codes, pausing, resuming and submitting.

Submitting uses up the code and puts the sealed answers into the wave's mixing pool in one
transaction; nothing of it reaches the responses table yet. When at least *k* answers wait, they
are moved together, in another transaction, in random order and with fresh random ids. So a used
code can be traced (by transaction id, physical position, timing or statistics) at most to a
batch of *k* responses, and closing the wave rewrites all of its responses in one transaction,
after which not even that is left (see ``monitoring/README.md`` for what remains outside the
application's reach). The conditional ``UPDATE … WHERE used = false`` settles races: of two
simultaneous submissions with one code exactly one succeeds.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import random
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import codes
from .models import AccessCode, Classification, PartialAnswers, PendingResponse, Response, Wave
from .questionnaire import FACETS, Page, complete_answers, derive_status
from .stats.derivation import Classification as Derived

logger = logging.getLogger(__name__)

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
    """Store one complete questionnaire in the wave's mixing pool; with a code, use the code up.

    Using up the code and pooling the sealed answers is one transaction: once it has committed,
    the answers are safe (the thank-you page comes only after it), and the code cannot be used
    again. The fielding period is checked again inside it, against the database. When the pool
    holds a batch, it is moved into the responses table in a transaction of its own.
    """
    state = fielding_state(wave)
    if state is not Access.OK:
        raise SubmissionRefused(state)
    sealed = codes.seal_for_pool(_row_fields(build_response(wave, pages, answers)))
    today = timezone.localdate()
    if code is not None and connection.vendor == "postgresql":
        waiting = _pool_in_one_statement(wave, sealed, code, today)
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            if code is not None:
                cursor.execute(_use_code_sql(), _use_code_params(code, wave, today))
                if cursor.rowcount != 1:
                    raise SubmissionRefused(Access.USED if _fielding_now(cursor, wave, today) else Access.ENDED)
                cursor.execute("DELETE FROM monitoring_partialanswers WHERE key = %s", [codes.partial_key(code)])
            elif not _fielding_now(cursor, wave, today):
                raise SubmissionRefused(Access.ENDED)
            cursor.execute(_POOL, [_new_pool_id(), wave.pk, sealed])
            cursor.execute(_WAITING, [wave.pk])
            waiting = cursor.fetchone()[0]
    if waiting >= wave.round.min_cell_size:
        try:
            mix_pool(wave.pk, minimum=wave.round.min_cell_size)
        except Exception:  # the answer is stored; the next submission or closing the wave moves the batch
            logger.exception("The mixing pool of wave %s could not be moved into the responses.", wave.pk)


def _use_code_params(code: str, wave: Wave, today: dt.date) -> list:
    return [True, codes.code_hash(code), False, wave.pk, Wave.Status.FIELDING, today, today]


_USE_CODE = (
    "UPDATE monitoring_accesscode SET used = %s WHERE code_hash = %s AND used = %s AND wave_id IN "
    "(SELECT id FROM monitoring_wave WHERE id = %s AND status = %s AND fielding_start <= %s AND fielding_end >= %s{lock})"
)
"""Uses up a code while its wave is fielding. On PostgreSQL the wave row is share-locked: a submission
racing with the closing of its wave waits for it and then sees the wave closed, instead of leaving
answers in the pool of a wave that closing has already emptied."""


def _use_code_sql() -> str:
    return _USE_CODE.format(lock=" FOR KEY SHARE" if connection.vendor == "postgresql" else "")


def _fielding_now(cursor, wave: Wave, today: dt.date) -> bool:
    cursor.execute(
        "SELECT 1 FROM monitoring_wave WHERE id = %s AND status = %s AND fielding_start <= %s AND fielding_end >= %s",
        [wave.pk, Wave.Status.FIELDING, today, today],
    )
    return cursor.fetchone() is not None


_POOL = "INSERT INTO monitoring_pendingresponse (id, wave_id, sealed) VALUES (%s, %s, %s)"
_WAITING = "SELECT COUNT(*) FROM monitoring_pendingresponse WHERE wave_id = %s"


def _new_pool_id():
    return PendingResponse._meta.pk.get_db_prep_value(uuid.uuid4(), connection)


def _row_fields(response: Response) -> dict:
    """The response row without its id, as JSON (the id is drawn when the row leaves the pool)."""
    return {f.attname: f.value_from_object(response) for f in Response._meta.concrete_fields if not f.primary_key}


def _pool_in_one_statement(wave: Wave, sealed: str, code: str, today: dt.date) -> int:
    """PostgreSQL: use up the code, drop paused answers and pool the sealed answers in one statement.

    One statement is atomic on its own, so the submission costs one round trip instead of six
    (BEGIN, UPDATE, DELETE, INSERT, COMMIT). The answers are pooled only if the UPDATE used up the
    code, and the code only counts as used while the wave is fielding, checked in the database.
    Returns how many answers of the wave wait in the pool now.
    """
    sql = (
        f"WITH used AS ({_use_code_sql()} RETURNING 1), "  # noqa: S608 - fixed table and column names
        "dropped AS (DELETE FROM monitoring_partialanswers WHERE key = %s AND EXISTS (SELECT 1 FROM used)), "
        "pooled AS (INSERT INTO monitoring_pendingresponse (id, wave_id, sealed) "
        "SELECT %s, %s, %s WHERE EXISTS (SELECT 1 FROM used) RETURNING 1) "
        "SELECT (SELECT COUNT(*) FROM pooled), (SELECT COUNT(*) FROM monitoring_pendingresponse WHERE wave_id = %s)"
    )
    params = [*_use_code_params(code, wave, today), codes.partial_key(code), _new_pool_id(), wave.pk, sealed, wave.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pooled, waiting_before = cursor.fetchone()
        if pooled != 1:
            raise SubmissionRefused(Access.USED if _fielding_now(cursor, wave, today) else Access.ENDED)
    return waiting_before + 1  # the statement's snapshot does not see its own insert


class _TooFew(Exception):
    pass


def mix_pool(wave_id: int, *, minimum: int) -> int:
    """Move all answers waiting for a wave into the responses table, if there are at least ``minimum``.

    One transaction deletes the pool entries and inserts the responses in random order with fresh
    random ids. Every response of the batch gets the same transaction id and neighbouring
    places in the table, so each code used before is linked to a batch of at least ``minimum``
    responses, never to one. Returns the number moved (0 if too few, or another process is moving).
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_POOL_LOCK, wave_id])
                if not cursor.fetchone()[0]:
                    return 0
            cursor.execute("DELETE FROM monitoring_pendingresponse WHERE wave_id = %s RETURNING sealed", [wave_id])
            sealed = [row[0] for row in cursor.fetchall()]
            if len(sealed) < max(minimum, 1):
                raise _TooFew
            insert_responses(cursor, [codes.open_from_pool(payload) for payload in sealed])
    except _TooFew:
        return 0
    return len(sealed)


_POOL_LOCK = 0x6D6978  # advisory lock class of the mixing pool ("mix"); the wave id is the key


def insert_responses(cursor, rows: list[dict]) -> None:
    """Insert response rows in random order, each with a new random id, in as few statements as possible."""
    random.SystemRandom().shuffle(rows)
    fields = Response._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row_placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        values = []
        for row in chunk:
            response = Response(id=uuid.uuid4(), **row)
            values += [f.get_db_prep_save(f.pre_save(response, add=True), connection) for f in fields]
        placeholders = ", ".join([row_placeholders] * len(chunk))
        cursor.execute(f"INSERT INTO {Response._meta.db_table} ({columns}) VALUES {placeholders}", values)  # noqa: S608 - names from the model


_INSERT_CHUNK = 500  # 12 columns x 500 rows stays under SQLite's 32,766 parameters


def rewrite_closed_wave(wave: Wave) -> int:
    """Empty the wave's pool and rewrite all its responses in random order with new ids (call in a transaction).

    Afterwards every response of the wave comes from this one transaction, in random physical
    order: nothing in the live table says which batch a response came in. The old row versions
    are removed physically by :func:`compact_survey_tables` once the transaction has committed.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # wait for a batch being moved right now
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_POOL_LOCK, wave.pk])
        cursor.execute("DELETE FROM monitoring_pendingresponse WHERE wave_id = %s RETURNING sealed", [wave.pk])
        rows = [codes.open_from_pool(payload) for (payload,) in cursor.fetchall()]
        fields = [f.attname for f in Response._meta.concrete_fields if not f.primary_key]
        rows += list(Response.objects.filter(wave=wave).values(*fields))
        Response.objects.filter(wave=wave).delete()
        insert_responses(cursor, rows)
    transaction.on_commit(compact_survey_tables)
    return len(rows)


def compact_survey_tables() -> None:
    """Physically drop dead row versions of responses and pool entries (old order, old transaction ids).

    PostgreSQL: ``VACUUM FULL`` writes both tables anew (a short exclusive lock). SQLite: ``VACUUM``
    rebuilds the database file. Both must run outside a transaction, hence after the commit.
    """
    statement = "VACUUM FULL monitoring_response, monitoring_pendingresponse" if connection.vendor == "postgresql" else "VACUUM"
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    except Exception:  # closing has committed; a failed clean-up is reported, not raised at the office
        logger.exception("Compacting the survey tables after closing a wave failed; run %s by hand.", statement)


@transaction.atomic
def generate_codes(wave: Wave, count: int) -> list[str]:
    """Create ``count`` new codes for a wave; the plain codes exist only in the return value."""
    plain = [codes.generate_code() for _ in range(count)]
    AccessCode.objects.bulk_create(AccessCode(wave=wave, code_hash=codes.code_hash(codes.normalise(c))) for c in plain)
    return plain
