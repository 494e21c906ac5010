"""The benchmark behind `make bench`: see README ("Benchmarks") and docs/scaling.md."""
