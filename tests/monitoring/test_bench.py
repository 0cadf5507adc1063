"""The benchmark script stays runnable (small size; the real timing is reported separately)."""

from __future__ import annotations

from monitoring.stats.bench_indicators import run


def test_bench_run_reports_all_steps() -> None:
    report = run(100_000, seed=7)
    for key in ("aggregate_seconds", "raking_seconds", "indicator_seconds", "disclosure_seconds"):
        assert report[key] >= 0.0
    assert report["indicator_cells"] == 10 + 10 * 3 + 10 * 5
    assert report["published_cells"] + report["suppressed_cells"] > 0
    low, high = report["ruhr_weighted_share_range"]
    assert 0.0 < low <= high < 1.0
