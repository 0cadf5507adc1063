"""Attacker: a rater in a city where only two people answered tries to learn the colleague's answer.

Written from the outside: the attacker knows their own answer and reads only the pages their account
reaches (every self-check page, as HTML or PDF text). Nothing here imports the consolidation code.
"""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from lxml import html as lxml_html

from selfcheck import actions
from selfcheck.actions import Entry
from tests.selfcheck.conftest import make_rater

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_rater_in_a_city_of_two_cannot_read_the_colleague_s_answer(personas, checklist):
    office = personas["office"]
    attacker = make_rater("angreifer@test.example", "herne")
    colleague = make_rater("kollegin@test.example", "herne")
    selfcheck_round = actions.open_round(office, checklist, name="Runde")
    item = selfcheck_round.items().first()
    actions.save_answers(attacker, selfcheck_round, [Entry(item, 0, False, "", (), 0)])
    actions.save_answers(colleague, selfcheck_round, [Entry(item, 4, False, "geheim", (), 0)])

    client = login(attacker)
    pages = [
        "/selbstcheck/",
        f"/selbstcheck/runden/{selfcheck_round.pk}/",
        f"/selbstcheck/runden/{selfcheck_round.pk}/ergebnisse/",
    ]
    leaked = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "geheim" not in text
        tree = lxml_html.fromstring(text)
        for row in tree.xpath("//tr[th]"):
            header = row.xpath("./th")[0].text_content()
            if item.text not in header:
                continue
            table = row.xpath("ancestor::table")[0]
            columns = [th.text_content().strip() for th in table.xpath(".//thead//th")]
            if "Herne" not in columns:
                continue
            cell = row.xpath("./td")[columns.index("Herne") - 1].text_content()
            if re.search(r"\d", cell):  # any figure for Herne: with two raters, a median gives the other away
                leaked.append((url, cell.strip()))
    pdf = client.get(f"/selbstcheck/runden/{selfcheck_round.pk}/zusammenfassung.pdf")
    if pdf.status_code == 200:
        from pypdf import PdfReader

        assert "Herne" not in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert not leaked, f"Herne's figures for a question only two people answered: {leaked}"
