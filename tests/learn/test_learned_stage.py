"""The pipeline's ``learned`` stage: runs when the context names a model."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.core.waveform import Recording
from openphm.learn.predict import LearnedVerdict
from openphm.pipeline import ProcessingContext, Results, process
from tests.helpers.bearing_sim import simulate_bearing


@pytest.fixture(scope="module")
def outer() -> Recording:
    w = simulate_bearing("outer", rng=np.random.default_rng(9), snr_db=0.0, duration_s=4.0)
    return Recording((w,))


def test_stage_names_the_fault_and_round_trips(outer: Recording) -> None:
    ctx = ProcessingContext(bearing="6205", speed_hz=29.95, stages=("learned",), model="shipped")
    results = process(outer, ctx)
    found = results.outputs["learned"]
    assert isinstance(found, LearnedVerdict)
    assert found.verdict == "outer" and found.physics_verdict == "outer"
    back = Results.from_dict(results.to_dict())
    assert back.outputs["learned"] == found


def test_stage_is_silent_without_a_model_and_needs_a_bearing(outer: Recording) -> None:
    results = process(outer, ProcessingContext(speed_hz=29.95, stages=("learned",)))
    assert results.outputs.get("learned") is None
    ctx = ProcessingContext(speed_hz=29.95, stages=("learned",), model="shipped")
    with pytest.raises(ConfigError, match="needs the bearing"):
        process(outer, ctx)
