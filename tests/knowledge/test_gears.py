"""Gear mesh, sideband, hunting-tooth and assembly-phase frequencies."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core import ConfigError
from openphm.knowledge.gears import (
    assembly_phase_passing_frequency,
    gear_mesh_frequency,
    hunting_tooth_frequency,
    mating_shaft_hz,
    mesh_sidebands,
)


def test_mesh_frequency_is_the_same_from_either_shaft() -> None:
    f1 = 24.7
    f2 = mating_shaft_hz(17, 43, f1)
    assert gear_mesh_frequency(17, f1) == pytest.approx(gear_mesh_frequency(43, f2))


def test_sidebands() -> None:
    s = mesh_sidebands(500.0, 10.0, n=3)
    np.testing.assert_allclose(s, [470, 480, 490, 510, 520, 530])
    with pytest.raises(ConfigError, match="0 Hz"):
        mesh_sidebands(20.0, 10.0, n=2)


def test_hunting_tooth_of_coprime_teeth() -> None:
    # 17 and 43 share no factor: a tooth pair meets once every 17 x 43 meshes = 43 pinion turns.
    assert hunting_tooth_frequency(17, 43, 43.0) == pytest.approx(1.0)
    assert assembly_phase_passing_frequency(17, 43, 43.0) == pytest.approx(17 * 43.0)


@settings(max_examples=60, deadline=None)
@given(st.integers(5, 200), st.integers(5, 200), st.floats(0.1, 500.0))
def test_hunting_tooth_identities(z1: int, z2: int, f1: float) -> None:
    fm = gear_mesh_frequency(z1, f1)
    fht = hunting_tooth_frequency(z1, z2, f1)
    assert fht * math.lcm(z1, z2) == pytest.approx(fm)
    assert fht == pytest.approx(f1 * math.gcd(z1, z2) / z2)
    assert fht == pytest.approx(fm * math.gcd(z1, z2) / (z1 * z2))
    # The tooth pair meets after a whole number of turns of both shafts.
    assert (f1 / fht) == pytest.approx(round(f1 / fht))
    assert (mating_shaft_hz(z1, z2, f1) / fht) == pytest.approx(round(z1 * f1 / z2 / fht))
    fa = assembly_phase_passing_frequency(z1, z2, f1)
    assert fa * math.gcd(z1, z2) == pytest.approx(fm)


@pytest.mark.parametrize(
    "call",
    [
        lambda: gear_mesh_frequency(0, 10.0),
        lambda: gear_mesh_frequency(10, -1.0),
        lambda: gear_mesh_frequency(2.5, 10.0),  # type: ignore[arg-type]
        lambda: hunting_tooth_frequency(10, 0, 1.0),
        lambda: mesh_sidebands(100.0, 1.0, n=0),
    ],
)
def test_bad_input_is_rejected(call: object) -> None:
    with pytest.raises(ConfigError):
        call()  # type: ignore[operator]
