"""Simulators of machines with known answers: signals whose faults, leaks and healthy cases are set.

Benchmarks, tests and demos use them to measure what the chain finds against what was put in.
"""
