"""Evaluation: benchmarks and metrics measured on reference data."""
