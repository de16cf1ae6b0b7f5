"""Smoke tests of the benchmark scripts (a package, so the module name does not clash with
tests/parsers/test_bench_smoke.py)."""
