"""``openphm diagnose`` on a real CWRU record and on a bare CSV."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.core.errors import ConfigError, DataError
from tests.helpers.bearing_sim import simulate_bearing

runner = CliRunner()


def test_diagnose_json_and_report(refdata: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    path = refdata / "cwru" / "12k_drive_end" / "105.mat"
    res = runner.invoke(
        app,
        [
            "diagnose",
            str(path),
            "--bearing",
            "6205",
            "--rpm",
            "1797",
            "--json",
            "--report",
            str(report),
        ],
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["verdict"] == "inner"
    assert payload["speed_source"].startswith("given")
    assert payload["unexplained"] is None
    inner = next(e for e in payload["evidence"] if e["fault"] == "inner")
    assert inner["peaks"][0]["label"] == "1xBPFI"
    html = report.read_text()
    assert html.count("data:image/png;base64,") >= 3
    assert "http" not in html.replace("http-equiv", "")


def test_diagnose_table(refdata: Path) -> None:
    path = refdata / "cwru" / "12k_drive_end" / "130.mat"
    res = runner.invoke(app, ["diagnose", str(path), "--rpm", "1797"])
    assert res.exit_code == 0, res.output
    assert "outer" in res.output and "BPFO" in res.output


@pytest.fixture(scope="module")
def bare_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated outer-race fault as a headerless one-column CSV (no rate, no bearing)."""
    w = simulate_bearing("outer", rng=np.random.default_rng(3), snr_db=-5.0, duration_s=2.0)
    path = tmp_path_factory.mktemp("diagnose") / "bare.csv"
    np.savetxt(path, w.samples, fmt="%.6g")
    return path


def test_diagnose_bare_csv_takes_fs_and_bearing(bare_csv: Path) -> None:
    args = ["diagnose", str(bare_csv), "--fs", "12000", "--bearing", "6205", "--rpm", "1797"]
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["verdict"] == "outer" and payload["bearing"] == "6205"
    assert payload["file"] == str(bare_csv) and payload["channel"] == "ch0"
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "bearing 6205; pre-whitened: yes" in res.stdout


def test_diagnose_without_a_bearing_says_it_had_no_geometry(bare_csv: Path) -> None:
    args = ["diagnose", str(bare_csv), "--fs", "12000", "--rpm", "1797", "--json"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    reasons = [r.lower() for r in payload["reasons"]]
    assert any("without the bearing's geometry" in r for r in reasons), reasons
    # The outer-race fault is found from its line series alone, with a capped confidence.
    assert payload["verdict"] == "outer" and payload["confidence"] <= 0.7


def test_diagnose_run_up_with_a_tachometer_channel(run_up_csv: Path, tmp_path: Path) -> None:
    report = tmp_path / "run_up.html"
    args = ["diagnose", str(run_up_csv), "--fs", "12000", "--bearing", "6205"]
    res = runner.invoke(
        app, [*args, "--channel", "accel", "--tacho", "tacho", "--json", "--report", str(report)]
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["verdict"] == "inner"
    assert payload["speed_range_hz"] == pytest.approx([20.0, 35.0], rel=0.01)
    html = report.read_text(encoding="utf-8")
    assert "order-tracked" in html and "<h2>Shaft speed</h2>" in html
    # The same from a channel that holds the speed in r/min.
    res = runner.invoke(app, [*args, "--channel", "accel", "--speed-channel", "rpm", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["verdict"] == "inner"
    assert "from channel rpm" in payload["speed_source"]
    # At the mean speed without the tachometer the run-up smears the lines: no inner-race verdict.
    res = runner.invoke(app, [*args, "--channel", "accel", "--rpm", "1650", "--json"])
    assert json.loads(res.stdout)["verdict"] != "inner"


def test_diagnose_refuses_rpm_with_tacho(run_up_csv: Path) -> None:
    args = ["diagnose", str(run_up_csv), "--fs", "12000", "--bearing", "6205", "--channel", "accel"]
    res = runner.invoke(app, [*args, "--tacho", "tacho", "--rpm", "1500"])
    assert isinstance(res.exception, ConfigError) and "one way" in str(res.exception)
    res = runner.invoke(app, [*args, "--tacho", "accel"])
    assert isinstance(res.exception, ConfigError) and "being analysed" in str(res.exception)
    res = runner.invoke(app, [*args, "--speed-channel", "rpm", "--speed-unit", "rad/s"])
    assert isinstance(res.exception, ConfigError) and "rpm or hz" in str(res.exception)
    res = runner.invoke(app, [*args, "--speed-channel", "rpm", "--tacho", "tacho"])
    assert isinstance(res.exception, ConfigError) and "one way" in str(res.exception)
    # The tachometer and the speed channels are checked, and the errors name the file.
    res = runner.invoke(app, [*args, "--speed-channel", "tacho"])
    assert isinstance(res.exception, DataError) and "run_up.csv" in str(res.exception)
    assert "zero or less" in str(res.exception)


def test_diagnose_names_a_series_the_bearing_does_not_explain(tmp_path: Path) -> None:
    # An outer-race fault of another bearing (BPFO 3.05 orders) diagnosed as a 6205.
    other = {"outer": 3.05, "inner": 4.95, "ball": 3.99, "cage": 0.38}
    w = simulate_bearing("outer", rng=np.random.default_rng(3), snr_db=-5.0, orders=other)
    path = tmp_path / "other.csv"
    np.savetxt(path, w.samples, fmt="%.6g")
    args = ["diagnose", str(path), "--fs", "12000", "--bearing", "6205", "--rpm", "1797"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "undetermined" in res.stdout
    assert "Unexplained line series" in res.stdout and "3.05" in res.stdout


def test_diagnose_takes_fault_orders_or_a_geometry_instead_of_a_designation(
    bare_csv: Path,
) -> None:
    base = ["diagnose", str(bare_csv), "--fs", "12000", "--rpm", "1797", "--json"]
    by_orders = [*base, "--fault-orders", "3.5848", "5.4152", "2.357", "0.3983"]
    res = runner.invoke(app, by_orders)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["verdict"] == "outer"
    geometry = ["--rolling-elements", "9", "--rolling-diameter-mm", "7.94"]
    res = runner.invoke(app, [*base, *geometry, "--pitch-diameter-mm", "39.04"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["verdict"] == "outer"
    res = runner.invoke(app, [*base, *geometry])
    assert isinstance(res.exception, ConfigError) and "together" in str(res.exception)
    res = runner.invoke(app, [*by_orders, "--rolling-elements", "9"])
    assert isinstance(res.exception, ConfigError) and "not both" in str(res.exception)
    res = runner.invoke(app, [*base, "--bearing", "6206"])
    assert isinstance(res.exception, ConfigError) and "no internal geometry" in str(res.exception)


def test_diagnose_a_turning_outer_ring(tmp_path: Path) -> None:
    orders = {"outer": 3.5848, "inner": 5.4152, "ball": 4.7135, "cage": 0.6017}
    w = simulate_bearing(
        "outer", rng=np.random.default_rng(2), snr_db=-5.0, orders=orders, rotating_ring="outer"
    )
    path = tmp_path / "hub.csv"
    np.savetxt(path, w.samples, fmt="%.6g")
    args = ["diagnose", str(path), "--fs", "12000", "--bearing", "6205", "--rpm", "1797"]
    res = runner.invoke(app, [*args, "--rotating-ring", "outer", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["verdict"] == "outer" and payload["rotating_ring"] == "outer"
    assert any("outer ring turns" in r for r in payload["reasons"])


def test_diagnose_gives_a_series_to_the_other_bearing(tmp_path: Path) -> None:
    # The 6203's outer-race fault (BPFO 3.053 orders) heard by a sensor placed for a 6205.
    other = {"outer": 3.053, "inner": 4.947, "ball": 3.987, "cage": 0.3817}
    w = simulate_bearing("outer", rng=np.random.default_rng(3), snr_db=-5.0, orders=other)
    path = tmp_path / "far.csv"
    np.savetxt(path, w.samples, fmt="%.6g")
    report = tmp_path / "far.html"
    base = ["diagnose", str(path), "--fs", "12000", "--bearing", "6205", "--rpm", "1797"]
    args = [*base, "--other-bearing", "fan end=6203"]
    res = runner.invoke(app, [*args, "--json", "--report", str(report)])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["verdict"] == "healthy"
    (fan,) = payload["other_bearings"]
    assert (fan["label"], fan["bearing"], fan["speed_ratio"]) == ("fan end", "6203", 1.0)
    assert fan["verdict"] == "outer"
    page = report.read_text()
    assert "Other bearings this sensor hears" in page
    assert "Close-up of the fan end (6203) outer lines" in page
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "Other bearings this sensor hears" in res.stdout and "fan end" in res.stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("fan end=6203@fast", "must be a number"),
        ("fan end=6203@0", "speed ratio must be a positive"),
        ("fan end=", "expected LABEL=BEARING"),
        ("fan end=6206", "no internal geometry"),
        ("fan end=nope", "not in the catalogue"),
    ],
)
def test_diagnose_refuses_a_bad_other_bearing(bare_csv: Path, option: str, message: str) -> None:
    args = ["diagnose", str(bare_csv), "--fs", "12000", "--bearing", "6205", "--rpm", "1797"]
    res = runner.invoke(app, [*args, "--other-bearing", option])
    assert isinstance(res.exception, ConfigError), res.output
    assert message in str(res.exception)


def test_diagnose_several_records(bare_csv: Path, tmp_path: Path) -> None:
    healthy = tmp_path / "healthy.csv"
    w = simulate_bearing("healthy", rng=np.random.default_rng(5), duration_s=2.0)
    np.savetxt(healthy, w.samples, fmt="%.6g")
    short = tmp_path / "short.csv"
    np.savetxt(short, w.samples[:600], fmt="%.6g")
    reports = tmp_path / "reports"
    base = ["diagnose", str(bare_csv), str(healthy), str(short), str(bare_csv)]
    opts = ["--fs", "12000", "--bearing", "6205", "--rpm", "1797", "--report", str(reports)]
    res = runner.invoke(app, [*base, *opts, "--json"])
    assert res.exit_code == 1, res.output  # one record failed; the others are still diagnosed
    payload = json.loads(res.stdout)
    assert payload["summary"] == {
        "files": 4,
        "failed": 1,
        "verdicts": {"outer": 2, "healthy": 1},
    }
    rows = payload["records"]
    assert [r.get("verdict") for r in rows] == ["outer", "healthy", None, "outer"]
    assert "short.csv" in rows[2]["error"] and "too short" in rows[2]["error"]
    assert sorted(p.name for p in reports.iterdir()) == [
        "bare.csv-2.html",
        "bare.csv.html",
        "healthy.csv.html",
    ]
    res = runner.invoke(app, [*base[:4], *opts[:-2]])
    assert res.exit_code == 1
    assert "Diagnosis of 3 records" in res.stdout and "2 diagnosed" in res.stdout
    assert "short.csv" in res.stderr
    # Worker processes give the same rows, in the same order.
    res = runner.invoke(app, [*base, *opts[:-2], "--json", "--jobs", "2"])
    assert res.exit_code == 1, res.output
    parallel = json.loads(res.stdout)
    assert parallel["summary"] == payload["summary"]
    assert [r.get("verdict") for r in parallel["records"]] == [r.get("verdict") for r in rows]
    assert parallel["records"][0]["scores"] == rows[0]["scores"]


def test_diagnose_several_records_want_a_report_folder(bare_csv: Path, tmp_path: Path) -> None:
    page = tmp_path / "one.html"
    page.write_text("")
    args = ["diagnose", str(bare_csv), str(bare_csv), "--fs", "12000", "--bearing", "6205"]
    res = runner.invoke(app, [*args, "--report", str(page)])
    assert isinstance(res.exception, ConfigError) and "give a folder" in str(res.exception)


def _snapshot_files(tmp_path: Path, n: int) -> list[str]:
    rng = np.random.default_rng(5)
    files = []
    for i in range(n):
        w = simulate_bearing("inner", rng=rng, duration_s=1.0, snr_db=-10.0)
        path = tmp_path / f"snap{i:02d}.csv"
        np.savetxt(path, w.samples, fmt="%.6g")
        files.append(str(path))
    return files


def test_diagnose_snapshots_together(tmp_path: Path) -> None:
    files = _snapshot_files(tmp_path, 10)
    args = ["diagnose", *files, "--fs", "12000", "--bearing", "6205", "--rpm", "1797"]
    one = runner.invoke(app, [*args[:2], *args[-6:], "--json"])
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout)["verdict"] != "inner"  # one 1 s snapshot holds too little
    page = tmp_path / "snapshots.html"
    res = runner.invoke(app, [*args, "--snapshots", "--report", str(page)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())  # Rich wraps lines
    assert text.startswith("inner") and "10 snapshots averaged" in text
    assert "and 9 more snapshots" in page.read_text(encoding="utf-8")
    res = runner.invoke(app, [*args, "--snapshots", "--json"])
    payload = json.loads(res.stdout)
    assert payload["files"] == files and payload["verdict"] == "inner"
    assert len(payload["snapshot_speeds_hz"]) == 10


def test_diagnose_snapshots_refuse_a_tachometer_and_other_lengths(tmp_path: Path) -> None:
    files = _snapshot_files(tmp_path, 2)
    args = ["diagnose", *files, "--fs", "12000", "--bearing", "6205", "--snapshots"]
    res = runner.invoke(app, [*args, "--tacho", "tach"])
    assert isinstance(res.exception, ConfigError) and "constant speed" in str(res.exception)
    short = tmp_path / "short.csv"
    np.savetxt(short, np.random.default_rng(0).normal(size=6000), fmt="%.6g")
    res = runner.invoke(app, [*args, str(short)])
    assert isinstance(res.exception, DataError)
    assert "short.csv" in str(res.exception) and "one length" in str(res.exception)


def test_unwritable_report_is_refused_before_the_work(bare_csv: Path, tmp_path: Path) -> None:
    args = ["diagnose", str(bare_csv), "--fs", "12000", "--bearing", "6205", "--rpm", "1797"]
    res = runner.invoke(app, [*args, "--report", str(tmp_path / "no" / "such" / "r.html")])
    assert isinstance(res.exception, ConfigError)
    assert "--report" in str(res.exception) and "does not exist" in str(res.exception)
    res = runner.invoke(app, [*args, str(bare_csv), "--report", "/dev/null"])
    assert isinstance(res.exception, ConfigError) and "not a folder" in str(res.exception)


@pytest.mark.parametrize(("rpm", "fs"), [("1e9", "12000"), ("1797", "1")])
def test_speed_or_rate_out_of_reach_is_an_error(bare_csv: Path, rpm: str, fs: str) -> None:
    args = ["diagnose", str(bare_csv), "--fs", fs, "--bearing", "6205", "--rpm", rpm]
    res = runner.invoke(app, args)
    assert isinstance(res.exception, DataError)
    assert "not below half the sampling rate" in str(res.exception)


def test_custom_geometry_is_not_reported_as_the_catalogue_bearing(bare_csv: Path) -> None:
    args = ["diagnose", str(bare_csv), "--fs", "12000", "--rpm", "1797", "--json"]
    geometry = [
        "--rolling-elements",
        "8",
        "--rolling-diameter-mm",
        "7",
        "--pitch-diameter-mm",
        "39",
    ]
    res = runner.invoke(app, [*args, "--bearing", "6205", *geometry])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["bearing"] == "custom geometry (not the catalogue's 6205)"
    res = runner.invoke(app, [*args, *geometry])
    assert json.loads(res.stdout)["bearing"] == ""


def test_default_channel_is_named_with_the_reason(tmp_path: Path) -> None:
    import scipy.io

    w = simulate_bearing("outer", rng=np.random.default_rng(4), snr_db=-5.0, duration_s=2.0)
    path = tmp_path / "struct.mat"
    scipy.io.savemat(
        path,
        {
            "bearing": {
                "gs": w.samples.reshape(-1, 1),
                "sr": 12000.0,
                "calibration": np.random.default_rng(5).normal(size=200),
            }
        },
    )
    base = ["diagnose", str(path), "--bearing", "6205", "--rpm", "1797"]
    res = runner.invoke(app, [*base, "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["channel"] == "bearing/gs" and payload["verdict"] == "outer"
    assert "24000 samples" in payload["channel_choice"]
    assert "1 other channel(s)" in payload["channel_choice"]
    res = runner.invoke(app, [*base, "--channel", "bearing.gs"])
    assert res.exit_code == 0, res.output
    assert "outer" in res.stdout and "channel bearing/gs" in res.stdout


def test_fault_orders_help_shows_the_form_it_takes() -> None:
    res = runner.invoke(app, ["diagnose", "--help"], env={"COLUMNS": "200"})
    text = " ".join(res.stdout.replace("│", " ").split())
    assert "--fault-orders 3.585 5.415 2.357 0.398" in text
    assert "(bearing/gs or bearing.gs)" in text
