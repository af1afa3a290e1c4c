"""Support assessment against the simulator's known answers, healthy cases included."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import DataError
from openphm.diagnose.hydraulic_support import (
    SupportAssessment,
    SupportSettings,
    assess_support,
    fit_decay,
)
from openphm.simulate.support_pressure import SupportScenario, simulate_support

BASE = SupportScenario()


def _assess(scenario: SupportScenario, seed: int = 0) -> SupportAssessment:
    rec = simulate_support(scenario, np.random.default_rng(seed))
    return assess_support(rec.t_s, rec.pressure_mpa)


@pytest.mark.parametrize("convergence", [0.0, 4.0])
@pytest.mark.parametrize("seed", range(4))
def test_healthy_supports_have_no_findings(seed: int, convergence: float) -> None:
    a = _assess(replace(BASE, convergence_mpa_per_h=convergence), seed)
    assert a.healthy, a.findings
    assert len(a.periods) == BASE.n_cycles
    for p in a.periods:
        assert p.setting_ratio == pytest.approx(1.0, abs=0.01)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.3, 3.0), st.floats(0.0, 4.0), st.integers(0, 1000))
def test_leak_rate_is_recovered(leak: float, convergence: float, seed: int) -> None:
    s = replace(BASE, n_cycles=3, leak_per_h=leak, convergence_mpa_per_h=convergence)
    a = _assess(s, seed)
    assert a.leaking == 3
    rates = [p.fit.leak_per_h for p in a.periods if p.fit is not None]
    assert np.median(rates) == pytest.approx(leak, rel=0.25)


def test_low_setting_is_found_with_its_ratio() -> None:
    a = _assess(replace(BASE, setting_ratio=0.8))
    assert a.low_setting == BASE.n_cycles and a.leaking == 0
    assert all(p.setting_ratio == pytest.approx(0.8, abs=0.01) for p in a.periods)
    assert "80%" in a.findings[0]


def test_yield_events_are_counted_at_their_times() -> None:
    rec = simulate_support(replace(BASE, convergence_mpa_per_h=30.0), np.random.default_rng(1))
    a = assess_support(rec.t_s, rec.pressure_mpa)
    found = [t for p in a.periods for t in p.yield_times_s]
    assert len(found) == len(rec.truth.yield_times_s) > 0
    assert np.allclose(found, rec.truth.yield_times_s, atol=12.0)
    assert a.leaking == 0


def test_missed_advances_are_counted() -> None:
    a = _assess(replace(BASE, missed=(2, 5)))
    assert a.missed_advances == 2
    assert len(a.periods) == BASE.n_cycles - 2


def test_a_straight_rise_fits_as_a_line() -> None:
    t = np.arange(0.0, 1800.0, 2.0)
    fit = fit_decay(t, 30.0 + t / 900.0)
    assert fit.tau_s == float("inf") and fit.leak_per_h == 0.0
    assert fit.slope_mpa_per_h == pytest.approx(4.0)


def test_assessment_round_trips() -> None:
    a = _assess(replace(BASE, n_cycles=2, leak_per_h=1.0))
    back = SupportAssessment.from_dict(json.loads(json.dumps(a.to_dict())))
    assert back == a


def test_rated_pressure_from_settings() -> None:
    rec = simulate_support(replace(BASE, n_cycles=2), np.random.default_rng(0))
    a = assess_support(rec.t_s, rec.pressure_mpa, SupportSettings(rated_setting_mpa=35.0))
    assert a.low_setting == 2


def test_bad_input() -> None:
    with pytest.raises(DataError):
        assess_support(np.arange(5.0), np.ones(5))
    with pytest.raises(DataError):
        fit_decay([0, 1, 1, 2, 3], [1, 2, 3, 4, 5])
