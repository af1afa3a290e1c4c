"""``openphm bearing``: frequencies from the catalogue or the command line, tables and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.core import ConfigError

runner = CliRunner()


def test_cwru_drive_end_bearing_at_1797_rpm() -> None:
    result = runner.invoke(app, ["bearing", "6205", "--rpm", "1797", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["bearing"]["designation"] == "6205"
    assert out["shaft_hz"] == pytest.approx(29.95)
    assert out["orders"]["bpfi"] == pytest.approx(5.4152, abs=1e-4)
    assert out["orders"]["bpfo"] == pytest.approx(3.5848, abs=1e-4)
    assert out["frequencies_hz"]["bpfi"] == pytest.approx(162.19, abs=0.01)
    assert out["frequencies_hz"]["bpfo"] == pytest.approx(107.36, abs=0.01)
    assert set(out["orders"]) == {"shaft", "ftf", "bsf", "2bsf", "bpfo", "bpfi"}


def test_table_output_names_every_frequency_and_the_catalogue_data() -> None:
    result = runner.invoke(app, ["bearing", "CWRU FE", "--rpm", "1797"])
    assert result.exit_code == 0, result.output
    for word in ("FTF", "BSF", "2xBSF", "BPFO", "BPFI", "shaft", "6203-2RS JEM SKF", "CWRU"):
        assert word in result.output
    assert "148.16" in result.output  # BPFI 4.94688 x 29.95 Hz


def test_orders_only_without_speed() -> None:
    out = json.loads(runner.invoke(app, ["bearing", "FEMTO", "--json"]).output)
    assert out["frequencies_hz"] is None and out["shaft_hz"] is None
    assert out["orders"]["bpfo"] + out["orders"]["bpfi"] == pytest.approx(13)


def test_geometry_from_the_command_line() -> None:
    args = ["bearing", "--rolling-elements", "9", "--rolling-diameter-mm", "7.94004"]
    args += ["--pitch-diameter-mm", "39.0398", "--rpm", "1797", "--json"]
    out = json.loads(runner.invoke(app, args).output)
    assert out["bearing"] is None
    assert out["orders"]["bpfi"] == pytest.approx(5.4152, abs=1e-4)


def test_bearing_without_geometry_asks_for_it() -> None:
    result = runner.invoke(app, ["bearing", "6309", "--rpm", "1500"])
    assert isinstance(result.exception, ConfigError)
    assert "--rolling-elements" in str(result.exception)
    with_geometry = ["bearing", "6309", "--rpm", "1500", "--rolling-elements", "8"]
    with_geometry += ["--rolling-diameter-mm", "17.462", "--pitch-diameter-mm", "72.5"]
    result = runner.invoke(app, with_geometry)
    assert result.exit_code == 0, result.output
    assert "55.3 kN" in result.output


def test_unknown_bearing_is_a_clear_error() -> None:
    result = runner.invoke(app, ["bearing", "6299", "--rpm", "1500"])
    assert isinstance(result.exception, ConfigError)
    assert "not in the catalogue" in str(result.exception)


def test_user_catalogue_file(tmp_path: Path) -> None:
    csv = tmp_path / "plant.csv"
    csv.write_text(
        "designation,type,n_rolling,rolling_diameter_mm,pitch_diameter_mm,contact_angle_deg\n"
        "ACB-1,angular_contact_ball,12,10,50,40\n",
        encoding="utf-8",
    )
    args = ["bearing", "ACB-1", "--catalogue", str(csv), "--rpm", "600", "--json"]
    out = json.loads(runner.invoke(app, args).output)
    assert out["bearing"]["origin"] == str(csv)
    assert out["geometry"]["contact_angle_deg"] == 40.0


def test_turning_outer_ring() -> None:
    result = runner.invoke(
        app, ["bearing", "6205", "--rpm", "60", "--rotating-ring", "outer", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["rotating_ring"] == "outer"
    assert out["orders"]["ftf"] == pytest.approx(0.6017, abs=1e-4)
    assert out["orders"]["bpfo"] == pytest.approx(3.5848, abs=1e-4)
    result = runner.invoke(app, ["bearing", "6205", "--rotating-ring", "cage"])
    assert isinstance(result.exception, ConfigError)
