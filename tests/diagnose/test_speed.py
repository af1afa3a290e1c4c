"""Shaft speed: refined when given, estimated from the signal when not."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core import ConfigError
from openphm.diagnose.speed import MAINS_HZ, shaft_speed

FS = 12000.0
T = np.arange(int(8 * FS)) / FS
BPFO = 3.5848  # SKF 6205, orders


def _shaft(hz: float, level: float = 0.05, harmonics: int = 8) -> np.ndarray:
    return level * sum(np.sin(2 * np.pi * k * hz * T + k) for k in range(1, harmonics + 1))


def _impacts(rate_hz: float, rng: np.random.Generator) -> np.ndarray:
    """An outer-race impact train ringing a 3 kHz resonance (its harmonics reach far up)."""
    x = np.zeros(T.size)
    x[np.rint(np.arange(0.0, T[-1], 1.0 / rate_hz) * FS).astype(int)] = 1.0
    ring = np.exp(-1000.0 * T[:240]) * np.sin(2 * np.pi * 3000.0 * T[:240])
    return np.convolve(x, ring)[: T.size] + 0.02 * rng.normal(size=T.size)


def test_given_speed_is_refined() -> None:
    x = _shaft(25.3) + np.random.default_rng(0).normal(scale=0.5, size=T.size)
    est = shaft_speed(x, FS, given_hz=25.0)
    assert est.speed_hz == pytest.approx(25.3, abs=0.02)
    assert est.source == "given, refined from shaft harmonics"


def test_a_bearing_impact_train_is_not_taken_for_the_shaft() -> None:
    rng = np.random.default_rng(1)
    x = _shaft(24.6, level=0.005) + _impacts(BPFO * 24.6, rng)
    blind = shaft_speed(x, FS)
    assert blind.speed_hz == pytest.approx(BPFO * 24.6, rel=0.01)  # the strongest comb
    told = shaft_speed(x, FS, fault_orders=(BPFO, 5.4152, 4.7135))
    assert told.speed_hz == pytest.approx(24.6, rel=0.005)
    assert "read as a bearing fault frequency" in told.source


def test_half_speed_with_missing_odd_harmonics_doubles() -> None:
    # Harmonics of 29.4 Hz: a comb at 14.7 Hz holds them all (its even harmonics) but none odd.
    x = _shaft(29.4, harmonics=16) + np.random.default_rng(2).normal(scale=0.2, size=T.size)
    assert shaft_speed(x, FS).speed_hz == pytest.approx(29.4, rel=0.005)


def test_mains_lines_are_not_a_shaft() -> None:
    mains = sum(np.sin(2 * np.pi * k * MAINS_HZ[1] * T) for k in range(1, 9))
    x = _shaft(29.3) + mains + np.random.default_rng(3).normal(scale=0.3, size=T.size)
    assert shaft_speed(x, FS).speed_hz == pytest.approx(29.3, rel=0.005)


def test_no_speed_and_no_harmonics_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="give the speed"):
        shaft_speed(np.random.default_rng(4).normal(size=T.size), FS)
