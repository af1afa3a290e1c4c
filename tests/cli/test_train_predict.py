"""``openphm predict`` with the shipped model, and ``openphm train`` on a labelled folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.core.errors import ConfigError, ModelError
from tests.helpers.bearing_sim import simulate_bearing

runner = CliRunner()


def _csv(path: Path, fault: str, seed: int) -> Path:
    w = simulate_bearing(fault, rng=np.random.default_rng(seed), snr_db=0.0, duration_s=4.0)
    np.savetxt(path, w.samples, fmt="%.6g", header="accel", comments="")
    return path


@pytest.mark.refdata
def test_predict_cwru_record_with_the_shipped_model(refdata: Path) -> None:
    path = refdata / "cwru" / "12k_drive_end" / "130.mat"
    res = runner.invoke(app, ["predict", str(path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["verdict"] == "outer" and out["channel"] == "DE"
    assert out["fault_detected"] and out["physics_verdict"] == "outer"
    assert set(out["probabilities"]) == {"inner", "outer", "ball"}
    assert out["speed_source"] == "record"
    assert out["physics_lines"] and "BPFO" in out["physics_lines"][0]


def test_predict_csv_with_the_diagnose_options(tmp_path: Path) -> None:
    path = _csv(tmp_path / "x.csv", "inner", 11)
    args = ["predict", str(path), "--fs", "12000", "--rpm", "1797", "--bearing", "6205"]
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["verdict"] == "inner" and out["speed_source"] == "given"
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "features behind 'inner'" in table.output


def test_predict_refuses_a_rate_it_was_not_trained_for(tmp_path: Path) -> None:
    path = _csv(tmp_path / "x.csv", "outer", 12)
    res = runner.invoke(
        app, ["predict", str(path), "--fs", "4000", "--rpm", "600", "--bearing", "6205"]
    )
    assert isinstance(res.exception, ModelError) and "below the 6000 Hz" in str(res.exception)


def test_train_on_a_labelled_folder_then_predict(tmp_path: Path) -> None:
    rows = ["file,label,bearing,rpm,fs"]
    for i, fault in enumerate(["inner", "outer", "ball"] * 2):
        _csv(tmp_path / f"r{i}.csv", fault, 20 + i)
        rows.append(f"r{i}.csv,{fault},6205,1797,12000")
    labels = tmp_path / "labels.csv"
    labels.write_text("\n".join(rows) + "\n")
    model = tmp_path / "m.openphm-model"
    res = runner.invoke(
        app,
        ["train", str(model), "--labels", str(labels), "--model", "linear", "--json"],
    )
    assert res.exit_code == 0, res.output
    card = json.loads(res.output)["card"]
    assert card["classes"] == ["ball", "inner", "outer"] and card["kind"] == "linear"
    assert card["fs_hz"] == 12000.0 and len(card["records"]) == 6
    test = _csv(tmp_path / "t.csv", "outer", 99)
    out = runner.invoke(
        app,
        [
            "predict",
            str(test),
            "--model",
            str(model),
            "--fs",
            "12000",
            "--rpm",
            "1797",
            "--bearing",
            "6205",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["verdict"] == "outer"


def test_train_needs_one_source(tmp_path: Path) -> None:
    res = runner.invoke(app, ["train", str(tmp_path / "m.openphm-model")])
    assert isinstance(res.exception, ConfigError) and "--dataset" in str(res.exception)
