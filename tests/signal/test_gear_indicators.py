"""Gear indicators and mesh demodulation: closed forms and the sense of each indicator."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError
from openphm.signal.demodulation import demodulate_mesh
from openphm.signal.gear_indicators import gear_indicators, gear_signals

N = 1024
THETA = np.arange(N) / N


def _gear(
    z: int, *, am: float = 0.0, tooth: float = 0.0, rng: np.random.Generator | None = None
) -> np.ndarray:
    x = (1.0 + am * np.cos(2 * np.pi * THETA)) * np.cos(2 * np.pi * z * THETA)
    x = x + 0.5 * np.cos(2 * np.pi * 2 * z * THETA + 0.3)
    if tooth:
        x[300:306] += tooth
    if rng is not None:
        x = x + 0.01 * rng.normal(size=N)
    return x


def test_signals_split_exactly() -> None:
    z = 27
    extra = 0.2 * np.sin(2 * np.pi * 5 * THETA)
    side = 0.1 * np.cos(2 * np.pi * (z + 1) * THETA)
    s = gear_signals(_gear(z) + extra + side, z)
    assert np.allclose(s.regular, _gear(z))
    assert np.allclose(s.residual, extra + side)
    assert np.allclose(s.difference, extra)


def test_other_meshes_on_the_shaft_are_removed() -> None:
    other = 0.7 * np.cos(2 * np.pi * 19 * THETA)
    s = gear_signals(_gear(27) + other, 27, other_meshes=[19])
    assert np.abs(s.residual).max() < 1e-9
    assert np.allclose(s.regular, _gear(27))


def test_local_fault_raises_fm4_and_m6a_not_healthy() -> None:
    rng = np.random.default_rng(0)
    healthy = gear_indicators(gear_signals(_gear(27, am=0.05, rng=rng), 27))
    faulty = gear_indicators(gear_signals(_gear(27, am=0.05, tooth=1.0, rng=rng), 27))
    assert 2.0 < healthy.fm4 < 4.0
    assert faulty.fm4 > 10.0 and faulty.m6a > healthy.m6a and faulty.m8a > healthy.m8a
    assert faulty.energy_ratio > healthy.energy_ratio


def test_na4_normalised_by_reference_variance() -> None:
    rng = np.random.default_rng(1)
    s = gear_signals(_gear(27, rng=rng), 27)
    own = gear_indicators(s)
    half = gear_indicators(s, reference_residual_variance=own.residual_variance * 2.0)
    assert half.na4 == pytest.approx(own.na4 / 4.0)


def test_sideband_level_factor_and_fm0() -> None:
    x = _gear(27, am=0.4)
    ind = gear_indicators(gear_signals(x, 27))
    # AM of depth m puts m/2 each side of the carrier.
    assert ind.sideband_level == pytest.approx(0.4 / np.std(x), rel=1e-6)
    assert ind.fm0 == pytest.approx(np.ptp(x) / 1.5, rel=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.integers(20, 60), st.floats(0.05, 0.9), st.floats(0.0, 0.5))
def test_demodulation_recovers_am_and_pm(z: int, depth: float, beta: float) -> None:
    # z >= 20 keeps the phase modulation's Bessel sidebands (order 2 apart) inside the band.
    am = 1.0 + depth * np.cos(2 * np.pi * THETA)
    pm = beta * np.sin(2 * np.pi * 2 * THETA)
    d = demodulate_mesh(am * np.cos(2 * np.pi * z * THETA + pm), z)
    assert np.allclose(d.amplitude, am, atol=2e-3 + 0.01 * beta)
    assert np.allclose(d.phase_rad, pm - pm.mean(), atol=2e-3 + 0.05 * beta)


def test_demodulation_shows_the_damaged_tooth() -> None:
    x = np.cos(2 * np.pi * 30 * THETA)
    x[500:520] *= 0.2  # a tooth that carries less load
    d = demodulate_mesh(x, 30)
    assert abs(int(np.argmin(d.amplitude)) - 510) < 20


def test_bad_inputs() -> None:
    with pytest.raises(ConfigError, match="mesh order"):
        gear_signals(np.zeros(64), 30)
    with pytest.raises(ConfigError, match="order"):
        demodulate_mesh(np.zeros(64), 30, harmonic=2)
