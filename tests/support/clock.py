"""One frozen moment for tests whose literal dates must stay in the future on any day the suite runs.

Use it as ``pytest.mark.time_machine(FROZEN_NOW)`` (time-machine's marker; the clock ticks on from there):
a meeting on 12.03.2030 is then always ahead, and the test reads the same in 2026 and in 2040.
"""

# fixed-dates: this module is the frozen moment the others travel to
from __future__ import annotations

import datetime as dt

FROZEN_NOW = dt.datetime(2029, 6, 4, 8, 0, tzinfo=dt.UTC)  # a Monday, 10:00 in Berlin
