"""Bearings and gears on one point: one verdict each, a gear's lines not a bearing fault."""

from __future__ import annotations

import numpy as np

from openphm.core.bearing import FaultFrequencies
from openphm.diagnose.drivetrain import _on_gear_harmonics, diagnose_drivetrain
from openphm.knowledge.gear_train import GearStage, GearTrain
from openphm.simulate.gearbox import GearFault, simulate_gearbox

TRAIN = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))


def test_one_verdict_per_component() -> None:
    w = simulate_gearbox(TRAIN, 25.0, 12000.0, 6.0, np.random.default_rng(0), snr_db=0.0)
    out = diagnose_drivetrain(w, {"de": "6205"}, TRAIN)
    assert set(out) == {"de", "s1 pinion", "s1 wheel"}
    assert out["de"].element == "bearing" and out["s1 wheel"].element == "gear"
    assert all(d.verdict == "healthy" for d in out.values())


def test_on_gear_harmonics() -> None:
    assert _on_gear_harmonics(75.2, 25.0)
    assert not _on_gear_harmonics(87.5, 25.0)
    assert not _on_gear_harmonics(5.0, 25.0)


def test_gear_lines_are_not_a_bearing_fault() -> None:
    # A bearing whose outer-race order is twice the pinion's shaft order: the tooth fault's
    # once-per-turn lines must not make an outer-race verdict.
    orders = FaultFrequencies(bpfo=2.0, bpfi=5.3, bsf=1.7, ftf=0.4)
    fault = GearFault("s1 pinion", "tooth", 3.0)
    w = simulate_gearbox(
        TRAIN, 25.0, 12000.0, 6.0, np.random.default_rng(1), faults=[fault], snr_db=0.0
    )
    out = diagnose_drivetrain(w, {"de": orders}, TRAIN)
    assert out["s1 pinion"].verdict == "tooth"
    assert out["de"].verdict != "outer"
