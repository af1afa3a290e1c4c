"""False-alarm statistics and pattern matching."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.bearing import FaultFrequencies
from openphm.diagnose.evidence import line_p_values, match_pattern, prominence_ratio
from openphm.diagnose.patterns import fault_lines, slip_tolerance


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_p_values_are_probabilities(seed: int) -> None:
    r = np.random.default_rng(seed).rayleigh(size=500)
    p = line_p_values(r, r)
    assert np.all((p > 0.0) & (p <= 1.0))


def test_stronger_line_has_smaller_p() -> None:
    r = np.random.default_rng(0).rayleigh(size=2000)
    r[500], r[1500] = 8.0, 20.0
    p = line_p_values(r, r)
    assert p[1500] < p[500] < 0.05


def test_pattern_match_finds_slipped_harmonics() -> None:
    df, shaft = 0.1, 30.0
    f = np.arange(0, 800, df)
    rng = np.random.default_rng(1)
    values = rng.rayleigh(size=f.size)
    orders = FaultFrequencies(ftf=0.398, bsf=2.357, bpfo=3.585, bpfi=5.415)
    slip = 0.993
    for k in range(1, 5):
        values[round(k * orders.bpfo * shaft * slip / df)] += 30.0
    ratio = prominence_ratio(values, df, 15.0)
    log_p = -np.log(line_p_values(ratio, ratio))
    lines = fault_lines(orders)
    outer = match_pattern(f, values, ratio, log_p, lines["outer"], shaft, slip_tolerance("outer"))
    inner = match_pattern(f, values, ratio, log_p, lines["inner"], shaft, slip_tolerance("inner"))
    assert abs(outer.slip_factor - slip) < 0.002
    assert outer.score > 10.0 > inner.score
    assert [p.order for p in outer.peaks] == [1, 2, 3, 4, 5, 6]


def test_patterns_follow_the_physics() -> None:
    orders = FaultFrequencies(ftf=0.4, bsf=2.36, bpfo=3.6, bpfi=5.4)
    lines = fault_lines(orders, n_harmonics=4)
    assert {ln.kind for ln in lines["outer"]} == {"harmonic"}
    assert (
        lines["outer"][-1].hz(1.0) <= lines["inner"][-1].hz(1.0) < lines["outer"][-1].hz(1.0) + 3.6
    )
    assert sum(ln.kind == "sideband" for ln in lines["inner"]) == 8
    assert any(ln.label == "fr-FTF" for ln in lines["ball"])
    assert lines["ball"][0].hz(10.0) == pytest.approx(47.2)
