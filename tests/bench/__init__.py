"""Benchmarks: `make bench` runs `python -m tests.bench.run --n N` (not part of pytest)."""
