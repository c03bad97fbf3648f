"""Benchmarks: speed, memory and accuracy figures, run by `make bench` (never by `make test`)."""
