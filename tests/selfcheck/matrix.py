"""Objects the permission matrix needs for the self-check: an open round with an answer, a released round."""

from __future__ import annotations

from selfcheck import actions
from selfcheck.defaults import install
from selfcheck.models import Checklist, Factor, Item


def selfcheck_ids(personas) -> dict[str, object]:
    install(Checklist, Factor, Item)
    office = personas["office"]
    released = actions.open_round(office, Checklist.objects.get(slug="interkulturelle-oeffnung"), name="IKÖ 2025")
    actions.close_round(office, released)
    actions.release_round(office, released)
    running = actions.open_round(office, Checklist.objects.get(slug="kooperation"), name="Selbstcheck 2026")
    item = running.items().first()
    actions.save_answers(personas["member"], running, [actions.Entry(item, 3, False, "", (), 0)])
    return {"selfcheck_round": running.pk, "selfcheck_released": released.pk, "selfcheck_item": item.pk}
