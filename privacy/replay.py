"""Repeating, after a restore, the deletions made since the backup (so erased people stay erased)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import transaction

from members.models import Person

from .erasure import read_log_file


def replay_since(since: dt.datetime, entries: list[dict] | None = None) -> dict[str, int]:
    """Apply every log entry newer than ``since`` again; rows already gone are skipped. Returns counts."""
    from .actions import erase_person

    entries = read_log_file() if entries is None else entries
    counts = {"entries": 0, "people": 0, "rows": 0}
    for entry in sorted(entries, key=lambda e: e["at"]):
        at = dt.datetime.fromisoformat(entry["at"])
        if at <= since:
            continue
        counts["entries"] += 1
        with transaction.atomic():
            if entry["kind"] == "erasure" and entry["subject_type"] == Person._meta.label:
                person = Person.objects.filter(pk=entry["subject_id"]).first()
                if person is not None:
                    erase_person(
                        None, person, remove_content=entry.get("options", {}).get("remove_content", False), replaying_at=at
                    )
                    counts["people"] += 1
            for item in entry.get("deleted", []):
                label, pk = item[0], item[1]
                if label.count(".") != 1:
                    continue  # a many-to-many link; the person's erasure above removed it again
                try:
                    model = apps.get_model(label)
                except LookupError:
                    continue
                removed, _details = model._default_manager.filter(pk=pk).delete()
                counts["rows"] += 1 if removed else 0
    return counts
