"""The shipped checklists (``data/*.json``, written in German from the founding documents).

``install`` takes the model classes as arguments so that the data migration can run it with the
historical models and the management command with the current ones. It only adds what is missing:
items the office changed or retired later stay as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = ("kooperation", "interkulturelle-oeffnung")


def shipped_data() -> list[dict]:
    return [json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")) for name in SHIPPED]


def install(checklist_model, factor_model, item_model) -> int:
    """Create the shipped checklists, factors and items that do not exist yet; returns the number of new items."""
    created = 0
    for data in shipped_data():
        checklist, _new = checklist_model.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "subject": data["subject"],
                "levels": data["levels"],
            },
        )
        for f_pos, factor_data in enumerate(data["factors"]):
            factor, _new = factor_model.objects.get_or_create(
                checklist=checklist, key=factor_data["key"], defaults={"title": factor_data["title"], "position": f_pos}
            )
            for i_pos, item_data in enumerate(factor_data["items"]):
                _item, new = item_model.objects.get_or_create(
                    factor=factor,
                    key=item_data["key"],
                    defaults={"text": item_data["text"], "position": i_pos, "introduced_in": checklist.version},
                )
                created += int(new)
    return created
