"""Benchmarks: scripts that start the platform like production and report figures (docs/performance.md)."""
