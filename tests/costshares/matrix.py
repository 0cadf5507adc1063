"""Objects the permission matrix needs: a setting for 2024 with shares, Bochum's (the member persona's city) and Essen's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from costshares.actions import create_setting, set_invoice_recipient
from costshares.models import Share
from members.models import Municipality


def costshare_ids(personas) -> dict[str, object]:
    bochum = Municipality.objects.get(slug="bochum")
    set_invoice_recipient(
        personas["office"], bochum, leitweg_id="05911000-1-63", street="Willy-Brandt-Platz 2", postcode="44777", city="Bochum"
    )
    setting = create_setting(
        personas["office"], year=2024, budget=Decimal("20000.00"), key_date=dt.date(2023, 12, 31), due_date=dt.date(2024, 3, 31)
    )
    return {
        "costshare_year": setting.year,
        "own_share": Share.objects.get(setting=setting, municipality__slug="bochum").pk,
        "other_share": Share.objects.get(setting=setting, municipality__slug="essen").pk,
    }
