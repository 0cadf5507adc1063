"""Statistics core of the monitoring module (no Django; pure numpy/scipy).

Modules:

* ``derivation``  - raw survey answers -> Migrationshintergrund / Einwanderungsgeschichte.
* ``intervals``   - shares with confidence intervals (Wilson with finite population correction).
* ``weighting``   - raking to HR margins, Kish design effect, weighted shares.
* ``indicators``  - representation index, trends, vectorised per-wave indicators.
* ``disclosure``  - primary, zero/full and secondary cell suppression across tables.
"""
