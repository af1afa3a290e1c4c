"""ISO 281 orchestration: catalogue values versus given ones, the load, the modified life."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from openphm.core.errors import ConfigError
from openphm.knowledge.iso281 import (
    estimate_fatigue_load_limit_ball,
    life_modification_factor_aiso,
    reference_viscosity_nu1,
)
from openphm.knowledge.life import BearingLife, LifeInputs, bearing_life


def test_catalogue_values_and_lives_in_hours() -> None:
    life = bearing_life(LifeInputs(bearing="6309", radial_kn=10.0, rpm=3000.0))
    assert (life.bearing, life.kind, life.c_kn, life.p_kn) == ("6309", "ball", 55.3, 10.0)
    assert life.l10_mrev == pytest.approx((55.3 / 10.0) ** 3)
    assert life.l10_h == pytest.approx(1e6 * life.l10_mrev / (60 * 3000))
    assert life.a_iso is None and life.lnm_mrev == life.l10_mrev and life.lubrication is None
    assert life.x is None and life.provenance.settings["bearing"] == "6309"


def test_given_rating_overrides_the_catalogue() -> None:
    life = bearing_life(LifeInputs(bearing="6309", c_kn=60.0, p_kn=10.0, kind="roller"))
    assert life.c_kn == 60.0 and life.kind == "roller"
    assert life.l10_mrev == pytest.approx(6.0 ** (10 / 3))
    assert life.l10_h is None


def test_axial_load_is_combined_with_x_and_y() -> None:
    life = bearing_life(LifeInputs(bearing="6205", radial_kn=2.0, axial_kn=1.5))
    assert life.x == 0.56 and life.y is not None and life.p_kn > 2.0
    assert life.p_kn == pytest.approx(0.56 * 2.0 + life.y * 1.5)
    small = bearing_life(LifeInputs(bearing="6309", radial_kn=2.0, axial_kn=0.2, f0=13.0))
    assert (small.p_kn, small.x) == (2.0, 1.0)


def test_modified_life_with_catalogue_cu_and_with_an_estimate() -> None:
    lube = {"viscosity_mm2_s": 20.0, "contamination_factor": 0.8, "rpm": 3000.0}
    life = bearing_life(LifeInputs(bearing="6309", radial_kn=10.0, **lube))  # type: ignore[arg-type]
    nu1 = reference_viscosity_nu1(72.5, 3000.0)
    assert life.lubrication is not None and not life.lubrication.cu_estimated
    assert life.lubrication.nu1_mm2_s == pytest.approx(nu1)
    assert life.a_iso == pytest.approx(life_modification_factor_aiso(0.8 * 1.34 / 10, 20 / nu1))
    given = LifeInputs(c_kn=55.3, c0_kn=31.5, p_kn=10.0, mean_diameter_mm=72.5, **lube)  # type: ignore[arg-type]
    estimated = bearing_life(given)
    assert estimated.lubrication is not None and estimated.lubrication.cu_estimated
    assert estimated.lubrication.cu_kn == pytest.approx(
        estimate_fatigue_load_limit_ball(31.5, 72.5)
    )


def test_result_round_trips_and_pickles() -> None:
    life = bearing_life(
        LifeInputs(
            bearing="6309",
            radial_kn=10.0,
            rpm=3000.0,
            viscosity_mm2_s=20.0,
            contamination_factor=0.8,
        )
    )
    assert BearingLife.from_dict(life.to_dict()) == life
    assert pickle.loads(pickle.dumps(life)) == life


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (LifeInputs(radial_kn=10.0), "--c-kn"),
        (LifeInputs(bearing="6205-2RS", radial_kn=1.0), "no C for 6205-2RS JEM SKF"),
        (LifeInputs(c_kn=10.0), "give the load"),
        (LifeInputs(c_kn=10.0, p_kn=1.0, radial_kn=1.0), "not both"),
        (LifeInputs(c_kn=10.0, radial_kn=1.0, axial_kn=1.0), "f0"),
        (LifeInputs(c_kn=10.0, p_kn=1.0, viscosity_mm2_s=20.0), "both"),
        (LifeInputs(c_kn=10.0, p_kn=1.0, viscosity_mm2_s=20.0, contamination_factor=1.0), "--rpm"),
        (LifeInputs(c_kn=10.0, p_kn=1.0, reliability_pct=80.0), "reliability"),
    ],
)
def test_missing_or_inconsistent_inputs(inputs: LifeInputs, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        bearing_life(inputs)


def test_inputs_are_validated() -> None:
    with pytest.raises(ConfigError, match=r"LifeInputs\.rpm"):
        LifeInputs(rpm=0.0)
    with pytest.raises(ConfigError, match=r"LifeInputs\.kind"):
        LifeInputs(kind="cage")


def test_axial_factors_only_for_deep_groove_ball_bearings(tmp_path: Path) -> None:
    csv = tmp_path / "plant.csv"
    csv.write_text("designation,type,C_kN,C0_kN\nNU-1,cylindrical_roller,50,40\n", "utf-8")
    inputs = LifeInputs(bearing="NU-1", catalogue=(str(csv),), radial_kn=1.0, axial_kn=1.0)
    with pytest.raises(ConfigError, match="deep groove ball bearings only"):
        bearing_life(inputs)
    roller = bearing_life(LifeInputs(bearing="NU-1", catalogue=(str(csv),), radial_kn=5.0))
    assert roller.kind == "roller" and roller.l10_mrev == pytest.approx(10.0 ** (10 / 3))
