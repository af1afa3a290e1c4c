"""``openphm info``: channels, rates, units, speed, statistics and labels, as tables or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.io
from typer.testing import CliRunner

from openphm.cli.main import app, main

runner = CliRunner()


@pytest.fixture
def mat_file(tmp_path: Path) -> Path:
    """Two channels at 1 kHz with a speed: a sine (crest sqrt 2, kurtosis 1.5) and a ramp."""
    t = np.arange(2000) / 1000.0
    path = tmp_path / "rig.mat"
    scipy.io.savemat(
        path,
        {
            "DE": np.sin(2 * np.pi * 50.0 * t),
            "FE": t - 1.0,
            "fs": 1000.0,
            "shaft_rpm": 1500.0,
            "site": "tunnel 3",
        },
    )
    return path


def _json(args: list[str]) -> dict[str, object]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def _run_main(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int:
    monkeypatch.setattr(sys, "argv", ["openphm", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_json_describes_every_channel(mat_file: Path) -> None:
    payload = _json(["info", str(mat_file), "--json"])
    assert payload["format"] == "matlab"
    channels = payload["channels"]
    assert isinstance(channels, list)
    de = channels[0]
    assert de["channel"] == "DE"
    assert (de["fs_hz"], de["n_samples"], de["duration_s"]) == (1000.0, 2000, 2.0)
    assert de["speed_hz"] == pytest.approx(25.0)
    assert de["speed_rpm"] == pytest.approx(1500.0)
    assert de["rms"] == pytest.approx(np.sqrt(0.5), rel=1e-9)
    assert de["crest_factor"] == pytest.approx(np.sqrt(2.0), rel=1e-6)
    assert de["kurtosis"] == pytest.approx(1.5, rel=1e-6)
    assert set(de) >= {"mean", "peak", "unit", "start"}
    metadata = payload["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["site"] == "tunnel 3"
    assert payload["warnings"] == []


def test_channel_selection_and_fs_override(mat_file: Path) -> None:
    payload = _json(["info", str(mat_file), "--channel", "FE", "--fs", "500", "--json"])
    channels = payload["channels"]
    assert isinstance(channels, list)
    assert [c["channel"] for c in channels] == ["FE"]
    assert channels[0]["fs_hz"] == 500.0
    assert channels[0]["duration_s"] == 4.0


def test_tables(mat_file: Path) -> None:
    result = runner.invoke(app, ["info", str(mat_file)])
    assert result.exit_code == 0, result.output
    for text in ("DE", "FE", "speed (rpm)", "kurtosis", "1500", "tunnel 3"):
        assert text in result.stdout


def test_quality_warnings_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "clip.csv"
    x = np.clip(3.0 * np.sin(np.arange(500) / 7.0), -2.0, 2.0)
    path.write_text("x\n" + "\n".join(map(repr, x.tolist())) + "\n")
    payload = _json(["info", str(path), "--fs", "100", "--json"])
    warnings = payload["warnings"]
    assert isinstance(warnings, list)
    assert any("possible clipping" in w for w in warnings)


def test_formats_are_listed() -> None:
    payload = json.loads(runner.invoke(app, ["info", "--formats", "--json"]).stdout)
    names = [r["name"] for r in payload]
    assert {"matlab", "csv", "wav", "tdms", "uff", "hdf5", "parquet"} <= set(names)
    result = runner.invoke(app, ["info", "--formats"])
    assert result.exit_code == 0
    assert ".parquet" in result.stdout


def test_broken_file_is_one_line_and_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.mat"
    path.write_bytes(b"MATLAB 5.0 MAT-file".ljust(124) + b"\x00\x01IM" + b"\x0e\x00\x00\x00\xff")
    assert _run_main(monkeypatch, ["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err
    assert "broken.mat" in err
    assert "Traceback" not in err


def test_missing_rate_tells_to_pass_fs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bare.csv"
    path.write_text("1\n2\n3\n")
    # The channels and their lengths are listed without a rate; --fs is asked for the rest.
    assert _run_main(monkeypatch, ["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ch0" in out and "states no sampling rate" in out and "--fs" in out
    assert _run_main(monkeypatch, ["info", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["rate_stated"] is False
    assert payload["channels"][0]["n_samples"] == 3 and payload["channels"][0]["fs_hz"] is None
    assert _run_main(monkeypatch, ["info", str(path), "--fs", "10", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["channels"][0]["fs_hz"] == 10.0


def test_bad_arguments_are_openphm_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run_main(monkeypatch, ["info"]) == 2
    assert "give a FILE" in capsys.readouterr().err
    assert _run_main(monkeypatch, ["info", "nowhere.wav"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.refdata
def test_cwru_record_with_labels(refdata: Path) -> None:
    path = refdata / "cwru" / "12k_drive_end" / "105.mat"
    payload = _json(["info", str(path), "--json"])
    channels = payload["channels"]
    assert isinstance(channels, list)
    assert [c["channel"] for c in channels] == ["DE", "FE", "BA"]
    assert channels[0]["fs_hz"] == 12000.0
    assert channels[0]["speed_rpm"] == pytest.approx(1797.0)
    metadata = payload["metadata"]
    assert isinstance(metadata, dict)
    assert metadata["fault"] == "inner"
    override = _json(["info", str(path), "--fs", "24000", "--channel", "DE", "--json"])
    assert override["channels"][0]["fs_hz"] == 24000.0  # type: ignore[index]


def test_info_names_struct_channels_with_dots_and_says_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "struct.mat"
    x = np.random.default_rng(0).normal(size=4000)
    scipy.io.savemat(path, {"bearing": {"gs": x.reshape(-1, 1), "sr": 12000.0}, "t": x[:5]})
    assert _run_main(monkeypatch, ["info", str(path), "--channel", "bearing.gs", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [c["channel"] for c in payload["channels"]] == ["bearing/gs"]
    assert payload["default_channel"]["channel"] == "bearing/gs"
