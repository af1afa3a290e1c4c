"""Gear trains as data: closed-form frequencies of parallel and planetary stages, profiles."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openphm.core.errors import ConfigError
from openphm.knowledge.gear_train import GearStage, GearTrain, gear_train_from_profile
from openphm.knowledge.profiles import load_profile


def test_parallel_stage_frequencies() -> None:
    f = GearStage("s", "parallel", (20, 50), 1.0).frequencies(25.0)
    assert f.mesh_hz == pytest.approx(500.0)
    pinion, wheel = f.members
    assert (pinion.shaft_hz, wheel.shaft_hz) == pytest.approx((25.0, 10.0))
    assert f.hunting_tooth_hz == pytest.approx(5.0)
    assert f.assembly_phase_hz == pytest.approx(50.0)
    assert wheel.fault_hz == wheel.tsa_hz == wheel.shaft_hz


@given(
    st.integers(8, 60),
    st.integers(8, 60),
    st.floats(0.1, 100.0),
)
def test_mesh_is_teeth_times_averaging_rate(z1: int, z2: int, speed: float) -> None:
    f = GearStage("s", "parallel", (z1, z2), 1.0).frequencies(speed)
    for m in f.members:
        assert m.teeth * m.tsa_hz == pytest.approx(f.mesh_hz)


@given(st.integers(10, 40), st.integers(10, 40), st.integers(3, 5), st.floats(1.0, 50.0))
def test_planetary_closed_form(zs: int, zp: int, n: int, speed: float) -> None:
    zr = zs + 2 * zp
    f = GearStage("p", "planetary", (zs, zp, zr), 1.0, planets=n).frequencies(speed)
    carrier = speed * zs / (zs + zr)
    assert f.carrier_hz == pytest.approx(carrier)
    assert f.mesh_hz == pytest.approx(zr * carrier)
    assert f.mesh_hz == pytest.approx(zs * (speed - carrier))
    sun, planet, ring = f.members
    assert sun.fault_hz == pytest.approx(n * (speed - carrier))
    assert planet.tsa_hz == pytest.approx(f.mesh_hz / zp)
    assert ring.shaft_hz == 0.0
    assert ring.fault_hz == pytest.approx(n * carrier) == pytest.approx(f.planet_pass_hz)
    for m in f.members:
        assert m.teeth * m.tsa_hz == pytest.approx(f.mesh_hz)


def test_carrier_input_and_output_ratio() -> None:
    s = GearStage("p", "planetary", (21, 39, 99), 1.0, planets=3, gear_input="carrier")
    assert s.output_ratio == pytest.approx(120 / 21)
    assert s.frequencies(1.0).carrier_hz == pytest.approx(1.0)


def test_wind_turbine_profile_train() -> None:
    train = gear_train_from_profile(load_profile("wind_turbine"))
    assert train is not None
    ratio = math.prod(s.output_ratio / s.input_ratio for s in train.stages)
    assert ratio == pytest.approx(81.491, rel=1e-4)
    hss = gear_train_from_profile(load_profile("wind_turbine"), point="HSS")
    assert hss is not None
    assert {s.name for s in hss.stages} == {"intermediate_stage", "high_speed_stage"}


@pytest.mark.parametrize(
    "name", ["tbm_main_drive", "shearer_ranging_arm", "wind_turbine", "afc_drive"]
)
def test_profiles_with_gears_give_trains(name: str) -> None:
    train = gear_train_from_profile(load_profile(name))
    assert train is not None and train.stages
    for f in train.frequencies(10.0):
        assert f.mesh_hz > 0.0


def test_bad_stages_are_refused() -> None:
    with pytest.raises(ConfigError, match="tooth counts"):
        GearStage("s", "parallel", (20,), 1.0)
    with pytest.raises(ConfigError, match="planets"):
        GearStage("p", "planetary", (10, 20, 50), 1.0)
    with pytest.raises(ConfigError, match="unique"):
        GearTrain((GearStage("a", "parallel", (2, 3), 1.0),) * 2)
