"""Unlinkability, checked by inspecting the database after real submissions over HTTP.

Nothing the server keeps may tie a stored response to a code, an account, an address, a browser
or a moment finer than the wave (issue 5, point 2; public-sector.md §3.5).
"""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from monitoring import codes as code_lib
from monitoring.models import AccessCode, PartialAnswers, PendingResponse, Response
from monitoring.survey import generate_codes

from .conftest import EMPLOYMENT, NO_MIGRATION, SECOND_GENERATION, answer_all, stored_responses

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
AGENT = "Unlinkability-Inspector/1.0 (very distinctive browser)"


def _all_rows() -> dict[str, list[tuple]]:
    """Every row of every table of the database."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            rows[table] = cursor.fetchall()
    return rows


SUBMITTED = 12  # one batch of k = 10 moved into the responses, two waiting in the mixing pool


@pytest.fixture
def submitted(wave):
    codes = generate_codes(wave, SUBMITTED + 1)
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=IP)
    for index, code in enumerate(codes[:SUBMITTED]):
        own = SECOND_GENERATION if index % 2 else NO_MIGRATION
        client.post("/umfrage/", {"code": code})
        assert answer_all(client, code, own=own).status_code == 302
    client.post("/umfrage/fragebogen/", {"code": codes[SUBMITTED], "page": "you", "action": "pause", "q1": "yes"})
    return codes


def test_response_table_has_no_column_that_could_link(submitted):
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(), "monitoring_response")}
    assert columns == {
        "id",
        "wave_id",
        "answers",
        "migration_background",
        "immigration_history",
        "one_sided_immigration_history",
        "department_group",
        "pay_band",
        "trainee",
        "age_band",
        "gender",
        "working_time",
    }
    model = apps.get_model("monitoring", "Response")
    assert not [
        f.name for f in model._meta.concrete_fields if f.get_internal_type() in {"DateTimeField", "DateField", "TimeField"}
    ]
    assert [f.name for f in model._meta.concrete_fields if f.is_relation] == ["wave"]
    pool_columns = {
        c.name for c in connection.introspection.get_table_description(connection.cursor(), "monitoring_pendingresponse")
    }
    assert pool_columns == {"id", "wave_id", "sealed"}
    code_columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(), "monitoring_accesscode")}
    assert code_columns == {"id", "wave_id", "code_hash", "used"}
    relations = connection.introspection.get_relations(connection.cursor(), "monitoring_accesscode")
    assert {target for _column, (_field, target) in relations.items()} == {"monitoring_wave"}


def test_response_ids_are_random_uuid4(submitted):
    ids = list(Response.objects.values_list("id", flat=True)) + list(PendingResponse.objects.values_list("id", flat=True))
    assert len(ids) == SUBMITTED
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)


def test_codes_are_used_and_paused_answers_only_for_the_open_code(submitted):
    assert AccessCode.objects.filter(used=True).count() == SUBMITTED
    assert Response.objects.count() == 10 and PendingResponse.objects.count() == SUBMITTED - 10  # a full batch moved
    assert PartialAnswers.objects.count() == 1


def test_nothing_in_the_database_mentions_codes_address_or_browser(submitted):
    hashes = set(AccessCode.objects.values_list("code_hash", flat=True))
    secrets = {IP, AGENT}
    for code in submitted:
        secrets |= {code, code.replace("-", "")}
    for table, rows in _all_rows().items():
        text = "\n".join(repr(row) for row in rows)
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in {table}"
        if table != "monitoring_accesscode":
            for value in hashes:
                assert value not in text, f"a code hash appears in {table}"


def test_no_value_joins_a_code_row_to_a_response_row(submitted):
    code_values = set()
    for row in AccessCode.objects.values("id", "code_hash"):
        code_values |= {str(row["id"]), row["code_hash"]}
    for response in Response.objects.all():
        flat = {str(response.id), *map(str, response.answers.values())}
        assert not flat & code_values
    paused_key = PartialAnswers.objects.get().key
    assert paused_key not in {row["code_hash"] for row in AccessCode.objects.values("code_hash")}
    assert paused_key == code_lib.partial_key(code_lib.normalise(submitted[SUBMITTED]))


def test_signed_in_respondent_is_not_linked_to_the_answers(personas, wave, codes):
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    client.force_login(personas["member"], backend="django.contrib.auth.backends.ModelBackend")
    session_before = client.cookies["sessionid"].value
    first = client.post("/umfrage/", {"code": codes[0]})
    done = answer_all(client, codes[0], employment=EMPLOYMENT)
    assert done.status_code == 302
    assert "sessionid" not in first.cookies and "sessionid" not in done.cookies  # the session is not touched
    assert client.cookies["sessionid"].value == session_before
    (stored,) = stored_responses(wave)
    assert str(personas["member"].pk) not in {str(v) for v in stored.answers.values()}
    assert personas["member"].email not in repr(stored.answers)
    from audit.models import AuditEvent

    assert not AuditEvent.objects.filter(object_type__startswith="monitoring.response").exists()


def _submit_all(wave, codes):
    client = Client()
    for code in codes:
        assert answer_all(client, code).status_code == 302


def test_answers_reach_the_responses_only_as_a_batch_of_k(wave):
    codes = generate_codes(wave, 10)
    _submit_all(wave, codes[:9])
    assert Response.objects.count() == 0 and PendingResponse.objects.count() == 9
    _submit_all(wave, codes[9:])
    assert Response.objects.count() == 10 and PendingResponse.objects.count() == 0
    assert len({str(r.id) for r in Response.objects.all()}) == 10


def test_a_failed_move_loses_nothing_and_counts_nothing_twice(wave, monkeypatch, caplog):
    from monitoring import codes as sealing

    codes = generate_codes(wave, 11)
    _submit_all(wave, codes[:9])
    working = sealing.open_from_pool

    def broken(payload):
        raise sealing.UnreadablePoolEntry

    monkeypatch.setattr(sealing, "open_from_pool", broken)
    _submit_all(wave, codes[9:10])  # the respondent still gets the thank-you page: the answer is stored
    assert "could not be moved" in caplog.text
    assert Response.objects.count() == 0 and PendingResponse.objects.count() == 10
    monkeypatch.setattr(sealing, "open_from_pool", working)
    _submit_all(wave, codes[10:])
    assert Response.objects.count() == 11 and PendingResponse.objects.count() == 0


def test_pool_entries_survive_a_secret_key_rotation(wave, settings):
    codes = generate_codes(wave, 3)
    _submit_all(wave, codes)
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + old, [old]
    assert len(stored_responses(wave)) == 3
    assert PendingResponse.objects.count() == 0
