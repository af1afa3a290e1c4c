"""Acceleration to velocity: closed-form sines in every unit, band limits, ISO RMS."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError
from openphm.core.units import STANDARD_GRAVITY
from openphm.signal.integrate import acceleration_to_velocity, velocity_rms_mm_s

FS = 5120.0
T = np.arange(10240) / FS


@settings(max_examples=30, deadline=None)
@given(
    k=st.integers(20, 1900),
    amplitude=st.floats(1e-3, 1e3),
    unit=st.sampled_from(["g", "m/s^2", "mm/s^2"]),
)
def test_sine_acceleration_integrates_to_known_velocity(
    k: int, amplitude: float, unit: str
) -> None:
    f = k * 0.5  # on a bin of the 2 s record
    a = amplitude * np.sin(2 * np.pi * f * T)
    to_si = {"g": STANDARD_GRAVITY, "m/s^2": 1.0, "mm/s^2": 1e-3}[unit]
    v_peak = amplitude * to_si / (2 * np.pi * f) * 1000.0  # mm/s
    expected = -v_peak * np.cos(2 * np.pi * f * T)
    velocity = acceleration_to_velocity(a, FS, unit=unit)
    np.testing.assert_allclose(velocity, expected, atol=1e-9 * v_peak)
    assert velocity_rms_mm_s(a, FS, unit=unit) == pytest.approx(v_peak / np.sqrt(2), rel=1e-9)


def test_band_limits_drop_content_outside() -> None:
    a = np.sin(2 * np.pi * 5.0 * T) + np.sin(2 * np.pi * 1500.0 * T) + np.sin(2 * np.pi * 100.0 * T)
    only_100 = velocity_rms_mm_s(np.sin(2 * np.pi * 100.0 * T), FS)
    assert velocity_rms_mm_s(a, FS) == pytest.approx(only_100, rel=1e-9)
    wide = velocity_rms_mm_s(a, FS, band_hz=(2.0, 2000.0))
    assert wide > 10 * only_100  # the 5 Hz line dominates once it is in the band


def test_linearity() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(2048), rng.standard_normal(2048)
    lhs = acceleration_to_velocity(2 * x - 3 * y, FS)
    rhs = 2 * acceleration_to_velocity(x, FS) - 3 * acceleration_to_velocity(y, FS)
    np.testing.assert_allclose(lhs, rhs, atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"unit": "furlong/fortnight^2"}, "unit"),
        ({"band_hz": (0.0, 1000.0)}, "above 0"),
        ({"band_hz": (10.0, 3000.0)}, "fs/2"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        acceleration_to_velocity(np.ones(64), FS, **kwargs)  # type: ignore[arg-type]
