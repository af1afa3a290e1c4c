"""Support-pressure simulator: the known answers hold in the samples it makes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.simulate.support_pressure import SupportScenario, simulate_support


def test_tight_leg_rises_with_convergence_only() -> None:
    s = SupportScenario(noise_mpa=0.0, convergence_mpa_per_h=3.6)
    rec = simulate_support(s, np.random.default_rng(0))
    t0 = rec.truth.set_times_s[0]
    i0 = int(np.searchsorted(rec.t_s, t0))
    i1 = int(np.searchsorted(rec.t_s, t0 + 1000.0))
    # dp/dt = k = 1 mPa/s exactly: 1 MPa over 1000 s.
    assert rec.pressure_mpa[i1] - rec.pressure_mpa[i0] == pytest.approx(1.0, abs=1e-9)


def test_leak_follows_the_first_order_solution() -> None:
    s = SupportScenario(noise_mpa=0.0, convergence_mpa_per_h=0.0, leak_per_h=2.0)
    rec = simulate_support(s, np.random.default_rng(0))
    t0 = rec.truth.set_times_s[0]
    i = int(np.searchsorted(rec.t_s, t0 + 900.0))
    expected = 30.0 * np.exp(-2.0 * (rec.t_s[i] - t0) / 3600.0)
    assert rec.pressure_mpa[i] == pytest.approx(expected, rel=1e-9)


def test_yield_valve_caps_the_pressure() -> None:
    s = SupportScenario(noise_mpa=0.0, convergence_mpa_per_h=40.0)
    rec = simulate_support(s, np.random.default_rng(0))
    assert rec.truth.yield_times_s
    assert rec.pressure_mpa.max() < s.yield_mpa


def test_missed_pass_keeps_the_leg_set() -> None:
    s = SupportScenario(missed=(2,), noise_mpa=0.0)
    rec = simulate_support(s, np.random.default_rng(0))
    assert len(rec.truth.set_times_s) == s.n_cycles - 1
    during = (rec.t_s >= 2 * s.cycle_s) & (rec.t_s < 2 * s.cycle_s + s.lower_s)
    assert rec.pressure_mpa[during].min() > s.rated_setting_mpa


def test_noise_comes_from_the_generator() -> None:
    s = SupportScenario(n_cycles=2)
    a = simulate_support(s, np.random.default_rng(7)).pressure_mpa
    b = simulate_support(s, np.random.default_rng(7)).pressure_mpa
    assert np.array_equal(a, b)
    assert not np.array_equal(a, simulate_support(s, np.random.default_rng(8)).pressure_mpa)


def test_bad_scenarios() -> None:
    with pytest.raises(ConfigError):
        SupportScenario(missed=(0,))
    with pytest.raises(ConfigError):
        replace(SupportScenario(), lower_s=2000.0)
    with pytest.raises(ConfigError):
        SupportScenario(leak_per_h=-1.0)
