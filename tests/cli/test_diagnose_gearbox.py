"""``openphm diagnose FILE --gearbox PROFILE|FILE --rpm N``: gears diagnosed beside the bearing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.knowledge.gear_train import GearStage, GearTrain
from openphm.simulate.gearbox import GearFault, simulate_gearbox

runner = CliRunner()

PROFILE = """
name = "test_reducer"
title = "one-stage reducer"
description = "a motor driving a 23/48 spur pair"

[reference]
shaft = "motor_shaft"
speed_rpm = 1500.0

[[components]]
name = "motor_shaft"
kind = "shaft"
speed_ratio = 1.0

[[components]]
name = "s1"
kind = "gear"
gear_type = "parallel"
teeth = [23, 48]
speed_ratio = 1.0

[[points]]
name = "GB"
sensor = "accelerometer"
direction = "radial"
unit = "g"
sampling_rate_hz = 10000.0
hears = ["s1", "motor_shaft"]
"""


@pytest.fixture(scope="module")
def gearbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("gearbox")
    profile = folder / "test_reducer.toml"
    profile.write_text(PROFILE)
    train = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
    w = simulate_gearbox(
        train,
        25.0,
        10000.0,
        6.0,
        np.random.default_rng(4),
        faults=[GearFault("s1 wheel", "tooth", 3.0)],
        snr_db=0.0,
    )
    record = folder / "gearbox.csv"
    np.savetxt(record, w.samples, fmt="%.6g", header="accel", comments="")
    return profile, record


def test_gearbox_json(gearbox: tuple[Path, Path]) -> None:
    profile, record = gearbox
    args = ["diagnose", str(record), "--fs", "10000", "--rpm", "1500", "--bearing", "6205"]
    res = runner.invoke(app, [*args, "--gearbox", str(profile), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["gears"]["s1 wheel"]["verdict"] == "tooth"
    assert out["gears"]["s1 pinion"]["verdict"] == "healthy"
    assert out["gears"]["s1 wheel"]["element"] == "gear"


def test_gearbox_table(gearbox: tuple[Path, Path]) -> None:
    profile, record = gearbox
    args = ["diagnose", str(record), "--fs", "10000", "--rpm", "1500", "--bearing", "6205"]
    res = runner.invoke(app, [*args, "--gearbox", str(profile)])
    assert res.exit_code == 0, res.output
    assert "Gears" in res.output and "s1 wheel" in res.output and "tooth" in res.output


def test_profile_without_gears_is_refused(gearbox: tuple[Path, Path]) -> None:
    _, record = gearbox
    args = ["diagnose", str(record), "--fs", "10000", "--rpm", "1500", "--bearing", "6205"]
    res = runner.invoke(app, [*args, "--gearbox", "cwru_rig"])
    assert res.exit_code != 0
    assert "no gear stage" in res.output + str(res.exception)


def test_gearbox_report_shows_the_gears(gearbox: tuple[Path, Path], tmp_path: Path) -> None:
    profile, record = gearbox
    report = tmp_path / "report.html"
    args = ["diagnose", str(record), "--fs", "10000", "--rpm", "1500", "--bearing", "6205"]
    res = runner.invoke(app, [*args, "--gearbox", str(profile), "--report", str(report)])
    assert res.exit_code == 0, res.output
    html = report.read_text()
    assert "s1 wheel" in html and "tooth" in html
