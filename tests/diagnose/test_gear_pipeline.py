"""The "gears" stage of the pipeline: runs when the context names a gearbox, results round-trip."""

from __future__ import annotations

import numpy as np

from openphm.core.waveform import Recording
from openphm.knowledge.gear_train import GearStage, GearTrain
from openphm.pipeline import GearDiagnoses, ProcessingContext, Results, process
from openphm.simulate.gearbox import GearFault, simulate_gearbox

TRAIN = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))


def _record(faults: list[GearFault]) -> Recording:
    w = simulate_gearbox(
        TRAIN, 25.0, 10000.0, 6.0, np.random.default_rng(0), faults=faults, snr_db=0.0
    )
    return Recording((w,))


def test_gear_stage_runs_and_round_trips() -> None:
    ctx = ProcessingContext(gearbox=TRAIN, speed_hz=25.0, stages=("indicators", "gears"))
    assert ProcessingContext.from_dict(ctx.to_dict()) == ctx
    res = process(_record([GearFault("s1 wheel", "tooth", 3.0)]), ctx)
    gears = res.outputs["gears"]
    assert isinstance(gears, GearDiagnoses)
    assert gears.worst.verdict == "tooth" and gears.worst.bearing == "s1 wheel"
    again = Results.from_dict(res.to_dict())
    assert again.outputs["gears"] == gears


def test_gear_stage_says_nothing_without_a_gearbox() -> None:
    ctx = ProcessingContext(speed_hz=25.0, stages=("gears",))
    res = process(_record([]), ctx)
    assert res.outputs.get("gears") is None


def test_with_gears_from_a_profile_point() -> None:
    from openphm.knowledge.profiles import load_profile
    from openphm.pipeline.gear_stage import with_gears

    arm = load_profile("shearer_ranging_arm")
    ctx = with_gears(ProcessingContext(), arm)
    assert ctx.gearbox is not None and ctx.stages[-1] == "gears"
    assert with_gears(ctx, arm).stages.count("gears") == 1
