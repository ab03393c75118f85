"""The throughput benchmark: `python -m tools.throughput` (docs/benchmarks.md)."""
