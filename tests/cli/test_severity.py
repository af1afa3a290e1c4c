"""``openphm severity``: ISO 10816 / 20816 velocity and zones from an acceleration record."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.core.errors import ConfigError

runner = CliRunner()
FS = 5120.0


@pytest.fixture()
def sine_csv(tmp_path: Path) -> Path:
    """50 Hz acceleration whose velocity r.m.s. is exactly 3.0 mm/s (ISO group 2 rigid: zone C)."""
    v_peak_m_s = 3.0e-3 * math.sqrt(2.0)
    a_peak = 2.0 * math.pi * 50.0 * v_peak_m_s  # m/s^2
    t = np.arange(int(4 * FS)) / FS
    path = tmp_path / "sine.csv"
    np.savetxt(path, a_peak * np.sin(2 * np.pi * 50.0 * t), delimiter=",")
    return path


def test_velocity_and_zones_of_a_known_sine(sine_csv: Path) -> None:
    args = ["severity", str(sine_csv), "--fs", str(FS), "--unit", "m/s^2", "--json"]
    result = runner.invoke(app, [*args, "--group", "2", "--machine-class", "IV"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["channels"]
    assert row["velocity_rms_mm_s"] == pytest.approx(3.0, rel=1e-3)
    assert row["iso10816_3"]["letter"] == "C"  # 2.8 < 3.0 <= 4.5 mm/s
    assert row["iso10816_1"]["letter"] == "B"  # class IV boundaries 2.8 / 7.1 / 18.0 mm/s


def test_unknown_unit_asks_for_unit(sine_csv: Path) -> None:
    result = runner.invoke(app, ["severity", str(sine_csv), "--fs", str(FS)])
    assert isinstance(result.exception, ConfigError)
    assert "--unit" in str(result.exception)
