"""The benchmark's SQL-generated rows stay in step with the models and serve valid OParl."""

from __future__ import annotations

import pytest
from django.test import Client

from bench.oparl import _generate
from members.models import Cooperation

from .check import check

pytestmark = pytest.mark.django_db


def test_generated_rows_are_valid_oparl_and_pages_chain(cooperation, settings):
    settings.OPARL_BASE_URL = "http://testserver"
    settings.OPARL_PAGE_SIZE = 20
    _generate(50)
    base = f"/oparl/v1.1/body/{Cooperation.objects.get().pk}"
    for name, kind in (("meetings", "Meeting"), ("agenda-items", "AgendaItem"), ("papers", "Paper")):
        page = Client().get(f"{base}/{name}").json()
        seen = []
        while True:
            for obj in page["data"]:
                assert not check(obj, kind), check(obj, kind)
            seen += [o["id"] for o in page["data"]]
            if "next" not in page["links"]:
                break
            page = Client().get(page["links"]["next"].removeprefix("http://testserver")).json()
        assert len(seen) == len(set(seen)) == 50
