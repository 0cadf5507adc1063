"""The survey under /umfrage/: codes, pages, pause and resume, fielding period, bad input."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.test import Client

from monitoring import codes as code_lib
from monitoring.models import AccessCode, Classification, PartialAnswers, Wave
from monitoring.survey import generate_codes

from .conftest import EMPLOYMENT, NO_MIGRATION, SECOND_GENERATION, answer_all, make_wave, stored_responses, submitted_count

pytestmark = pytest.mark.django_db


def _post(client: Client, code: str, page: str, action: str = "next", **answers):
    return client.post("/umfrage/fragebogen/", {"code": code, "page": page, "action": action, **answers})


def _h1(response) -> str:
    html = response.content.decode()
    start = html.index(">", html.index("<h1")) + 1
    return html[start : html.index("</h1>", start)]


def test_code_entry_and_questionnaire_set_no_cookie(anonymous, codes):
    assert anonymous.get("/umfrage/").cookies == {}
    first = anonymous.post("/umfrage/", {"code": codes[0]})
    assert first.status_code == 200
    assert _h1(first) == "Geburtsort und Staatsangehörigkeit"
    assert first.cookies == {}
    assert "csrfmiddlewaretoken" not in first.content.decode()
    submitted = answer_all(anonymous, codes[0])
    assert submitted.status_code == 302
    assert submitted.cookies == {}
    assert anonymous.get("/umfrage/danke/").cookies == {}


def test_codes_are_case_and_hyphen_insensitive(anonymous, codes):
    response = anonymous.post("/umfrage/", {"code": codes[0].lower().replace("-", " ")})
    assert _h1(response) == "Geburtsort und Staatsangehörigkeit"


def test_page_by_page_journey_with_routing(anonymous, wave, codes):
    code = codes[0]
    step = _post(anonymous, code, "you", q1="no", q3="not_german")
    assert _h1(step) == "Zuzug und Erwerb der Staatsangehörigkeit"
    html = step.content.decode()
    assert 'name="q2"' in html and 'name="q4"' not in html  # Q4 only for Germans
    step = _post(anonymous, code, "you_more", q1="no", q3="not_german", q2="yes")
    assert _h1(step) == "Ihre Eltern"
    answers = {"q1": "no", "q3": "not_german", "q2": "yes", "q5m": "yes", "q7m": "yes", "q5f": "yes", "q7f": "yes"}
    step = _post(anonymous, code, "parents", **answers)
    assert _h1(step) == "Angaben zu Ihrer Beschäftigung"  # no parent born abroad: the follow-up page is skipped
    done = _post(anonymous, code, "employment", "submit", **answers, **EMPLOYMENT)
    assert done.status_code == 302 and done["Location"] == "/umfrage/danke/"
    (response,) = stored_responses(wave)
    assert response.answers["q4"] == "not_asked"
    assert response.answers["q6m"] == "not_asked"
    assert response.migration_background == Classification.YES
    assert response.immigration_history == Classification.YES


def test_changed_filter_answer_drops_the_stale_follow_up(anonymous, wave, codes):
    stale = {**NO_MIGRATION, "q2": "yes"}  # q2 belongs to "not born in Germany", but q1 is "yes"
    answer_all(anonymous, codes[0], own=stale)
    assert stored_responses(wave)[0].answers["q2"] == "not_asked"


def test_dont_know_about_a_parent_is_unclassifiable_not_no(anonymous, wave, codes):
    own = {**NO_MIGRATION, "q7f": "dont_know"}
    answer_all(anonymous, codes[0], own=own)
    (response,) = stored_responses(wave)
    assert response.migration_background == Classification.UNCLASSIFIABLE
    assert response.immigration_history == Classification.NO


def test_second_generation_and_hr_attributes_are_stored(anonymous, wave, codes):
    answer_all(anonymous, codes[0], own=SECOND_GENERATION, employment={**EMPLOYMENT, "gender": "diverse", "trainee": "yes"})
    (response,) = stored_responses(wave)
    assert response.migration_background == Classification.YES
    assert response.immigration_history == Classification.YES
    assert response.one_sided_immigration_history == Classification.NO
    assert response.gender == 2 and response.trainee == 0
    assert response.answers["_core"] == "1"


def test_used_code_is_refused_with_a_clear_message(anonymous, codes):
    answer_all(anonymous, codes[0])
    again = anonymous.post("/umfrage/", {"code": codes[0]})
    assert "bereits abgeschickt" in again.content.decode()
    replay = answer_all(anonymous, codes[0])
    assert replay.status_code == 403
    assert "bereits abgeschickt" in replay.content.decode()
    assert submitted_count() == 1


def test_unknown_and_malformed_codes(anonymous, codes):
    for code in ("ABCD-EFGH-JKLM", "nonsense", "", codes[0] + "X"):
        response = anonymous.post("/umfrage/", {"code": code})
        assert response.status_code == 200
        body = response.content.decode()
        assert "kennen wir nicht" in body or "Bitte geben Sie Ihren Zugangscode ein" in body
    assert answer_all(anonymous, "ABCD-EFGH-JKLM").status_code == 403
    assert submitted_count() == 0


@pytest.mark.parametrize(
    ("status", "start", "end", "message"),
    [
        (Wave.Status.DRAFT, 1, 10, "beginnt am"),
        (Wave.Status.FIELDING, 2, 10, "beginnt am"),
        (Wave.Status.FIELDING, -10, -1, "ist beendet"),
        (Wave.Status.CLOSED, -10, 10, "ist beendet"),
        (Wave.Status.FINAL, -10, -1, "ist beendet"),
    ],
)
def test_codes_outside_the_fielding_period(anonymous, cooperation, survey_round, status, start, end, message):
    wave = make_wave(survey_round, "hagen", status=status, start_offset=start, end_offset=end)
    code = generate_codes(wave, 1)[0]
    assert message in anonymous.post("/umfrage/", {"code": code}).content.decode()
    assert answer_all(anonymous, code).status_code == 403
    assert submitted_count() == 0
    assert not AccessCode.objects.get().used


def test_submission_after_the_wave_closed_mid_answer_is_refused(anonymous, wave, codes):
    anonymous.post("/umfrage/", {"code": codes[0]})
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    assert answer_all(anonymous, codes[0]).status_code == 403
    assert submitted_count() == 0


@pytest.mark.parametrize(
    "tampering",
    [
        {"q1": "maybe"},
        {"q7f": "perhaps"},
        {"gender": "robot"},
        {"department_group": "<script>"},
        {"action": "delete"},
    ],
)
def test_tampered_values_are_refused_and_nothing_is_stored(anonymous, codes, tampering):
    data = {"code": codes[0], "page": "employment", "action": "submit", **NO_MIGRATION, **EMPLOYMENT, **tampering}
    response = anonymous.post("/umfrage/fragebogen/", data)
    assert response.status_code == 400
    assert "passen nicht zum Fragebogen" in response.content.decode()
    assert submitted_count() == 0
    assert not AccessCode.objects.filter(used=True).exists()


def test_duplicate_values_for_one_item_are_tampering(anonymous, codes):
    data = {"code": codes[0], "page": "employment", "action": "submit", **NO_MIGRATION, **EMPLOYMENT, "q1": ["yes", "no"]}
    assert anonymous.post("/umfrage/fragebogen/", data).status_code == 400


def test_partial_submission_is_refused(anonymous, codes):
    partial = {k: v for k, v in NO_MIGRATION.items() if k not in {"q5f", "q7f"}}
    response = answer_all(anonymous, codes[0], own=partial)
    assert response.status_code == 400
    assert _h1(response) == "Ihre Eltern"
    assert "Bitte beantworten Sie 2 Fragen" in response.content.decode()
    assert submitted_count() == 0
    assert not AccessCode.objects.filter(used=True).exists()


def test_missing_answer_on_the_current_page_asks_again(anonymous, codes):
    response = _post(anonymous, codes[0], "you", q1="yes")
    assert response.status_code == 200
    assert _h1(response) == "Geburtsort und Staatsangehörigkeit"
    assert "keine Angabe" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_back_keeps_the_answers(anonymous, codes):
    response = _post(anonymous, codes[0], "parents", "back", **NO_MIGRATION)
    assert _h1(response) == "Zuzug und Erwerb der Staatsangehörigkeit"
    assert 'name="q5m" value="yes"' in response.content.decode()


def test_pause_and_resume(anonymous, codes):
    code = codes[0]
    paused = _post(anonymous, code, "parents", "pause", q1="yes", q3="german_only", q4="birth", q5m="no")
    assert paused.status_code == 200
    assert "Ihre Antworten sind gespeichert" in paused.content.decode()
    stored = PartialAnswers.objects.get()
    normalised = code_lib.normalise(code)
    assert stored.key != code_lib.code_hash(normalised)  # not joinable to the code row
    assert "german_only" not in stored.payload and code not in stored.payload  # encrypted
    assert not AccessCode.objects.get(code_hash=code_lib.code_hash(normalised)).used

    resumed = anonymous.post("/umfrage/", {"code": code})
    assert "Willkommen zurück" in resumed.content.decode()
    assert _h1(resumed) == "Ihre Eltern"  # the first page with a missing answer
    assert re.search(r'name="q5m" value="no"[^>]*checked', resumed.content.decode())

    answer_all(anonymous, code)
    assert PartialAnswers.objects.count() == 0
    assert submitted_count() == 1


def test_open_link_answers_without_code_and_cannot_pause(anonymous, cooperation, survey_round):
    wave = make_wave(survey_round, "herne", open_link_token="offener-link-herne-123")
    url = "/umfrage/offen/offener-link-herne-123/"
    first = anonymous.get(url)
    assert first.status_code == 200 and first.cookies == {}
    assert "später fortsetzen" not in first.content.decode()
    data = {"page": "employment", "action": "submit", **NO_MIGRATION, **EMPLOYMENT}
    assert anonymous.post(url, data).status_code == 302
    assert anonymous.post(url, data).status_code == 302  # the weaker option: no protection against repeats
    assert submitted_count(wave) == 2
    assert anonymous.post(url, {**data, "action": "pause"}).status_code == 400
    missing = anonymous.get("/umfrage/offen/gibt-es-nicht/")
    assert missing.status_code == 404 and missing.cookies == {}
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    assert anonymous.post(url, data).status_code == 403


def test_cross_site_posts_are_refused(anonymous, codes):
    response = anonymous.post("/umfrage/", {"code": codes[0]}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    response = answer_all(Client(headers={"Sec-Fetch-Site": "cross-site"}), codes[0])
    assert response.status_code == 403
    assert submitted_count() == 0
    same_origin = anonymous.post("/umfrage/", {"code": codes[0]}, headers={"Origin": "http://testserver"})
    assert same_origin.status_code == 200


def test_city_items_come_last_and_are_stored(anonymous, cooperation, survey_round):
    items = [
        {
            "key": "fortbildung",
            "text": "Haben Sie eine interkulturelle Fortbildung besucht?",
            "choices": [["ja", "ja"], ["nein", "nein"]],
        }
    ]
    wave = make_wave(survey_round, "bochum", local_items=items)
    code = generate_codes(wave, 1)[0]
    step = _post(anonymous, code, "employment", **NO_MIGRATION, **EMPLOYMENT)
    assert _h1(step) == "Fragen Ihrer Stadt"
    assert "keine Angabe" in step.content.decode()
    done = _post(anonymous, code, "local", "submit", **NO_MIGRATION, **EMPLOYMENT, local_fortbildung="ja")
    assert done.status_code == 302
    assert stored_responses(wave)[0].answers["local_fortbildung"] == "ja"


def test_survey_requests_are_not_logged(anonymous, codes, caplog):
    with caplog.at_level(logging.INFO, logger="interkommunal.request"):
        anonymous.get("/umfrage/")
        anonymous.post("/umfrage/", {"code": codes[0]})
        answer_all(anonymous, codes[0])
        anonymous.get("/gremien/")
    paths = [getattr(record, "path", "") for record in caplog.records]
    assert "/gremien/" in paths
    assert not any(path.startswith("/umfrage/") for path in paths)


def test_code_generation_stores_only_hashes(wave):
    plain = generate_codes(wave, 20)
    assert len(set(plain)) == 20
    assert all(len(code) == 14 and code.count("-") == 2 for code in plain)
    stored = set(AccessCode.objects.values_list("code_hash", flat=True))
    assert not stored & {code.replace("-", "") for code in plain}
    assert {code_lib.code_hash(code_lib.normalise(code)) for code in plain} == stored


def test_fielding_dates_are_validated(wave):
    from django.core.exceptions import ValidationError

    wave.fielding_end = wave.fielding_start - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        wave.full_clean()


@pytest.mark.sqlite_fast
def test_two_submissions_racing_with_one_code_store_one_response(wave, codes):
    """Both requests passed the code check; only the first may use the code up and store answers."""
    from monitoring.questionnaire import pages_for
    from monitoring.survey import Access, SubmissionRefused, submit

    pages = pages_for(wave.round.questionnaire.spec, wave.local_items)
    answers = {**NO_MIGRATION, **EMPLOYMENT}
    code = code_lib.normalise(codes[0])
    submit(wave, pages, answers, code=code)
    with pytest.raises(SubmissionRefused) as refused:
        submit(wave, pages, answers, code=code)
    assert refused.value.access is Access.USED
    assert submitted_count() == 1
    assert AccessCode.objects.filter(wave=wave, used=True).count() == 1


def test_the_benchmark_journey_answers_every_page(anonymous, wave, codes):
    """bench/monitoring.py walks these pages; if the questionnaire changes, the benchmark must follow."""
    from bench.monitoring import ANSWERS, JOURNEY

    code = codes[0]
    assert anonymous.get("/umfrage/").status_code == 200
    assert anonymous.post("/umfrage/", {"code": code}).status_code == 200
    given: dict[str, str] = {}
    for index, (page, items) in enumerate(JOURNEY):
        given.update({item: ANSWERS[item] for item in items})
        last = index == len(JOURNEY) - 1
        response = _post(anonymous, code, page, "submit" if last else "next", **given)
        assert response.status_code == (302 if last else 200), page
        if not last:
            assert f'name="page" value="{JOURNEY[index + 1][0]}"' in response.content.decode()
    assert anonymous.get("/umfrage/danke/").status_code == 200
    assert submitted_count(wave) == 1


@pytest.mark.django_db(transaction=True)
def test_a_submission_racing_with_closing_waits_and_is_refused(cooperation, survey_round):
    """PostgreSQL: while another transaction closes the wave, a submission must not slip answers into
    the pool that closing has already emptied (they would be counted nowhere)."""
    import threading

    from django.db import connection, connections

    from monitoring.models import PendingResponse

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer at a time)")
    wave = make_wave(survey_round, "essen")
    code = generate_codes(wave, 1)[0]
    closing = connections.create_connection("default")
    closing.set_autocommit(False)
    with closing.cursor() as cursor:
        cursor.execute("SELECT id FROM monitoring_wave WHERE id = %s FOR UPDATE", [wave.pk])
        cursor.execute("UPDATE monitoring_wave SET status = 'closed' WHERE id = %s", [wave.pk])
    statuses = []

    def respond():
        statuses.append(answer_all(Client(), code).status_code)
        connections.close_all()

    respondent = threading.Thread(target=respond)
    respondent.start()
    respondent.join(1.0)
    assert respondent.is_alive(), "the submission waits for the closing transaction"
    closing.commit()
    closing.close()
    respondent.join(10)
    assert statuses == [403]
    assert PendingResponse.objects.count() == 0
    assert not AccessCode.objects.get().used
