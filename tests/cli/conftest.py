"""Records shared by the CLI tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.helpers.bearing_sim import ramp_profile, simulate_bearing, tacho_signal


@pytest.fixture(scope="module")
def run_up_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An inner-race fault during a 20 -> 35 Hz run-up, with tachometer and r/min channels."""
    w = simulate_bearing(
        "inner", rng=np.random.default_rng(5), snr_db=-5.0, shaft_hz=20.0, ramp_to_hz=35.0
    )
    path = tmp_path_factory.mktemp("diagnose") / "run_up.csv"
    speed_rpm = 60.0 * ramp_profile(20.0, 35.0, w)
    table = np.column_stack([w.samples, tacho_signal(20.0, 35.0, w), speed_rpm])
    np.savetxt(path, table, fmt="%.6g", delimiter=",", header="accel,tacho,rpm", comments="")
    return path
