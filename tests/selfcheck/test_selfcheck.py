"""The self-check: consolidation against a recomputation by hand, the minimum-rater rule, items locked while
a round is open, answering twice, and who sees what."""

from __future__ import annotations

import random
import statistics

import pytest
from django.core.exceptions import ValidationError

from selfcheck import actions
from selfcheck.actions import Entry
from selfcheck.models import Answer, Item, Round
from tasks.models import Task

pytestmark = pytest.mark.django_db


def answer_all(user, selfcheck_round, values: dict[int, int | None]):
    entries = [Entry(item, values.get(item.pk), values.get(item.pk, 0) is None, "", (), 0) for item in selfcheck_round.items()]
    return actions.save_answers(user, selfcheck_round, [e for e in entries if e.item.pk in values])


def sheet_post(selfcheck_round, choices: dict[int, str], versions: dict[int, int] | None = None) -> dict[str, str]:
    data = {}
    for item_pk, choice in choices.items():
        data[f"v{item_pk}"] = choice
        data[f"ver{item_pk}"] = str((versions or {}).get(item_pk, 0))
    return data


def by_hand(values: list[int], k: int = 3):
    """The rules written out again, independently: median, quartiles (inclusive), flag when IQR >= 2."""
    if len(values) < k:
        return None
    ordered = sorted(values)
    n = len(ordered)
    mid = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2

    def quartile(p):
        pos = (n - 1) * p
        lo = int(pos)
        return ordered[lo] + (ordered[min(lo + 1, n - 1)] - ordered[lo]) * (pos - lo)

    return mid, ordered[0], ordered[-1], quartile(0.75) - quartile(0.25) >= 2


def test_consolidation_equals_a_recomputation_by_hand(raters, checklist, personas, client_for):
    selfcheck_round = actions.open_round(personas["office"], checklist, name="Selbstcheck 2026")
    items = list(selfcheck_round.items())
    rng = random.Random(7)
    raw: dict[tuple[str, int], list[int]] = {}
    for city, users in (("essen", raters["essen"]), ("bochum", raters["bochum"])):
        for user in users:
            values = {}
            for item in items:
                value = None if rng.random() < 0.1 else rng.randint(0, 4)
                values[item.pk] = value
                if value is not None:
                    raw.setdefault((city, item.pk), []).append(value)
            answer_all(user, selfcheck_round, values)
    result = client_for("office").get(f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/").context["result"]
    columns = [c.slug for c in result.cities]
    assert columns == ["bochum", "essen"]
    checked = 0
    for block in result.factors:
        for row in block.items:
            cooperation = raw.get(("essen", row.item.pk), []) + raw.get(("bochum", row.item.pk), [])
            expected = by_hand(cooperation)
            cell = row.cooperation
            assert (None if cell.suppressed else (cell.median, cell.low, cell.high, cell.flagged)) == expected
            for city, cell in zip(columns, row.cities, strict=True):
                expected = by_hand(raw.get((city, row.item.pk), []))
                shown = None if cell is None or cell.suppressed else (cell.median, cell.low, cell.high, cell.flagged)
                assert shown == expected
                checked += 1
    assert checked == 2 * len(items)
    # Factor medians pool every value of the factor's items.
    for block in result.factors:
        pooled = [v for row in block.items for v in raw.get(("essen", row.item.pk), [])]
        assert block.cities[1].median == statistics.median(pooled)


def test_minimum_raters_suppress_a_city_and_show_the_marker(raters, checklist, personas, client_for):
    selfcheck_round = actions.open_round(personas["office"], checklist, name="Runde")
    item = selfcheck_round.items().first()
    for user in raters["essen"] + raters["bochum"]:
        answer_all(user, selfcheck_round, {item.pk: 4 if user in raters["bochum"] else 1})
    response = client_for("office").get(f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/")
    row = response.context["result"].factors[0].items[0]
    bochum, essen = row.cities
    assert bochum.suppressed and bochum.median is None and bochum.low is None  # two raters: nothing shown
    assert not essen.suppressed and essen.median == 1.0
    assert row.cooperation.median == 1.0 and row.cooperation.raters == 5
    html = response.content.decode()
    assert "gesperrt: zu wenige Antworten" in html
    assert "4,0" not in html  # Bochum's two answers are nowhere to be read


def test_items_cannot_change_while_a_round_is_open(checklist, personas, client_for):
    office = personas["office"]
    selfcheck_round = actions.open_round(office, checklist, name="Runde")
    item = selfcheck_round.items().first()
    with pytest.raises(ValidationError, match="Während eine Runde offen ist"):
        actions.add_item(office, item.factor, key="neu", text="Neue Frage?")
    with pytest.raises(ValidationError, match="Während eine Runde offen ist"):
        actions.retire_item(office, item)
    client = client_for("office")
    response = client.post(
        f"/selbstcheck/verwaltung/{checklist.slug}/", {"factor": item.factor.pk, "key": "neu", "text": "Neue Frage?"}
    )
    assert response.status_code == 400
    assert "Während eine Runde offen ist" in response.content.decode()
    response = client.post(f"/selbstcheck/verwaltung/pruffragen/{item.pk}/ausmustern/", follow=True)
    assert "Während eine Runde offen ist" in response.content.decode()
    assert Item.objects.get(pk=item.pk).retired_in is None
    # Between rounds: a new version; the closed round keeps its items, the next round gets the new ones.
    actions.close_round(office, selfcheck_round)
    added = actions.add_item(office, item.factor, key="neu", text="Neue Frage?")
    actions.retire_item(office, item)
    checklist.refresh_from_db()
    assert checklist.version == 2 and added.introduced_in == 2
    assert item.pk in set(selfcheck_round.items().values_list("pk", flat=True))
    assert added.pk not in set(selfcheck_round.items().values_list("pk", flat=True))
    following = actions.open_round(office, checklist, name="Nächste Runde")
    keys = set(following.items().values_list("key", flat=True))
    assert "neu" in keys and item.key not in keys


def test_answering_twice_replaces_and_a_stale_sheet_is_a_conflict(raters, checklist, personas, client_for):
    from django.test import Client

    selfcheck_round = actions.open_round(personas["office"], checklist, name="Runde")
    item = selfcheck_round.items().first()
    rater = raters["essen"][0]
    client = Client()
    client.force_login(rater, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/selbstcheck/runden/{selfcheck_round.pk}/"
    assert client.post(url, sheet_post(selfcheck_round, {item.pk: "1"})).status_code == 302
    answer = Answer.objects.get(round=selfcheck_round, rater=rater)
    assert client.post(url, sheet_post(selfcheck_round, {item.pk: "3"}, {item.pk: answer.version})).status_code == 302
    answer = Answer.objects.get(round=selfcheck_round, rater=rater)  # still one answer, the later value
    assert (answer.value, answer.version) == (3, 2)
    # A second tab still on version 1 does not overwrite the newer answer.
    response = client.post(url, sheet_post(selfcheck_round, {item.pk: "nb"}, {item.pk: 1}))
    assert response.status_code == 409
    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    assert Answer.objects.get(pk=answer.pk).value == 3
    # After the round closes, nothing changes any more.
    actions.close_round(personas["office"], selfcheck_round)
    client.post(url, sheet_post(selfcheck_round, {item.pk: "0"}, {item.pk: 2}))
    assert Answer.objects.get(pk=answer.pk).value == 3
    with pytest.raises(ValidationError):
        answer_all(rater, selfcheck_round, {item.pk: 0})


def test_evidence_links_only_what_the_rater_sees(raters, checklist, personas):
    from documents.demo import matrix_document

    selfcheck_round = actions.open_round(personas["office"], checklist, name="Runde")
    item = selfcheck_round.items().first()
    document = matrix_document(personas["office"])
    from django.test import Client

    outsider_rater = raters["essen"][0]
    client = Client()
    client.force_login(outsider_rater, backend="django.contrib.auth.backends.ModelBackend")
    data = sheet_post(selfcheck_round, {item.pk: "2"})
    data[f"e{item.pk}"] = "/dokumente/999999/\n/verzeichnis/"
    response = client.post(f"/selbstcheck/runden/{selfcheck_round.pk}/", data)
    assert response.status_code == 400
    assert "die Sie sehen können" in response.content.decode()
    assert not Answer.objects.filter(round=selfcheck_round).exists()
    from documents.access import document_visible_to

    data[f"e{item.pk}"] = f"http://testserver/dokumente/{document.pk}/"
    response = client.post(f"/selbstcheck/runden/{selfcheck_round.pk}/", data)
    visible = document_visible_to(outsider_rater, document)
    assert response.status_code == (302 if visible else 400)
    assert Answer.objects.filter(round=selfcheck_round, evidence__object_id=document.pk).exists() == visible


def test_who_sees_what(raters, checklist, personas, client_for):
    from django.test import Client

    office = personas["office"]
    selfcheck_round = actions.open_round(office, checklist, name="Runde")
    item = selfcheck_round.items().first()
    for user in raters["essen"] + raters["bochum"]:
        answer_all(user, selfcheck_round, {item.pk: 2})
    results = f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/"
    essen_rater = Client()
    essen_rater.force_login(raters["essen"][1], backend="django.contrib.auth.backends.ModelBackend")
    seen = essen_rater.get(results).context["result"]
    assert [c.slug for c in seen.cities] == ["essen"]  # a Projektteam rater: own city only
    assert [c.slug for c in client_for("member").get(results).context["result"].cities] == ["bochum", "essen"]  # Regiegruppe
    assert essen_rater.get(f"/selbstcheck/runden/{selfcheck_round.pk}/zusammenfassung.pdf").status_code == 404
    for persona in ("guest", "outsider"):
        assert client_for(persona).get(results).status_code == 404
        assert client_for(persona).get("/selbstcheck/").status_code == 404
    assert client_for("anonymous").get(results).status_code == 302
    # The sheet shows a rater's own answers only.
    sheet = essen_rater.get(f"/selbstcheck/runden/{selfcheck_round.pk}/").context["form"]
    assert set(sheet.answers) == {item.pk}
    assert all(a.rater_id == raters["essen"][1].pk for a in sheet.answers.values())
    # The public: nothing until released, then the cooperation only.
    public = f"/selbstcheck/ergebnisse/{selfcheck_round.pk}/"
    assert client_for("anonymous").get(public).status_code == 404
    actions.close_round(office, selfcheck_round)
    assert client_for("office").post(f"/selbstcheck/runden/{selfcheck_round.pk}/veroeffentlichen/").status_code == 302
    response = client_for("anonymous").get(public)
    assert response.status_code == 200 and response.context["result"].cities == []
    assert response.context["result"].trend_rounds == [selfcheck_round]  # unreleased rounds stay out of the trend
    assert "Essen" not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_follow_ups_become_tasks_and_show_in_the_next_round(raters, checklist, personas, client_for):
    office = personas["office"]
    selfcheck_round = actions.open_round(office, checklist, name="Runde 2025")
    item = selfcheck_round.items().first()
    for i, user in enumerate(raters["essen"] + raters["bochum"]):
        answer_all(user, selfcheck_round, {item.pk: [0, 4, 0, 4, 2][i]})
    client = client_for("office")
    page = client.get(f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/")
    assert [row.item.pk for row in page.context["result"].flagged] == [item.pk]
    response = client.post(f"/selbstcheck/runden/{selfcheck_round.pk}/aufgaben/", {"items": [str(item.pk)]})
    assert response.status_code == 302
    task = Task.objects.get(selfcheck_follow_up__item=item)
    assert task.workspace.body.slug == "regiegruppe" and item.text[:40] in task.title
    client.post(f"/selbstcheck/runden/{selfcheck_round.pk}/aufgaben/", {"items": [str(item.pk)]})
    assert Task.objects.filter(selfcheck_follow_up__item=item).count() == 1  # not twice
    actions.close_round(office, selfcheck_round)
    following = actions.open_round(office, checklist, name="Runde 2026")
    from django.test import Client

    rater = Client()
    rater.force_login(raters["essen"][0], backend="django.contrib.auth.backends.ModelBackend")
    html = rater.get(following.get_absolute_url()).content.decode()
    assert "Aufgaben aus früheren Runden" in html and task.title[:30] in html


def test_summary_pdf_is_one_page(raters, checklist, personas, client_for):
    import io

    from pypdf import PdfReader

    selfcheck_round = actions.open_round(personas["office"], checklist, name="Runde")
    for i, user in enumerate(raters["essen"] + raters["bochum"]):
        answer_all(user, selfcheck_round, {item.pk: (i + n) % 5 for n, item in enumerate(selfcheck_round.items())})
    response = client_for("member").get(f"/selbstcheck/runden/{selfcheck_round.pk}/zusammenfassung.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Selbstcheck" in text and "Trägerschaft herstellen" in text


def test_only_one_open_round_per_checklist(checklist, personas):
    actions.open_round(personas["office"], checklist, name="A")
    with pytest.raises(ValidationError):
        actions.open_round(personas["office"], checklist, name="B")
    assert Round.objects.filter(checklist=checklist).count() == 1
