"""The monitoring commands as a user runs them (fleet, ingest, watch, status, alarms, trend), on a
store in a temporary folder, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from openphm.cli.main import app
from openphm.knowledge import profiles
from tests.conftest import StoreTarget

runner = CliRunner()

#: The demo excerpt of the CWRU records committed with the repository (12 kHz drive-end 105 and
#: 130, and 97, a 48 kHz record).
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "cwru"


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is the one each test names, never one the caller's environment names."""
    monkeypatch.delenv("OPENPHM_HOME", raising=False)
    monkeypatch.delenv("OPENPHM_DATABASE_URL", raising=False)


def _run(target: StoreTarget, *args: str) -> Result:
    """Run ``openphm ARGS`` on the target's store."""
    where = ["--home", str(target.home)]
    if target.url is not None:
        where += ["--database-url", target.url]
    return runner.invoke(app, [*args, *where])


def _json(target: StoreTarget, *args: str) -> Any:
    res = _run(target, *args, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _rig(target: StoreTarget) -> None:
    res = _run(
        target, "fleet", "init", "--profile", "cwru_rig", "--site", "lab", "--machine", "rig"
    )
    assert res.exit_code == 0, res.output
    assert "added lab/rig" in res.stdout and "lab/rig/DE" in res.stdout


def test_fleet_profiles_lists_the_built_in_ones() -> None:
    res = runner.invoke(app, ["fleet", "profiles"])
    assert res.exit_code == 0, res.output
    assert "cwru_rig" in res.stdout and "electric_motor" in res.stdout
    res = runner.invoke(app, ["fleet", "profiles", "--json"])
    assert res.exit_code == 0, res.output
    found = {p["name"]: p for p in json.loads(res.stdout)}
    assert {"cwru_rig", "electric_motor", "wind_turbine"} <= set(found)
    assert [p["name"] for p in found["cwru_rig"]["points"]] == ["DE", "FE", "BA"]


def test_fleet_profiles_include_the_users_own(tmp_path: Path) -> None:
    builtin = Path(profiles.__file__).parent / "data" / "profiles" / "cwru_rig.toml"
    mine = tmp_path / "home" / "profiles" / "my_rig.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(builtin.read_text().replace('name = "cwru_rig"', 'name = "my_rig"'))
    res = runner.invoke(app, ["fleet", "profiles", "--json", "--home", str(tmp_path / "home")])
    assert res.exit_code == 0, res.output
    assert "my_rig" in {p["name"] for p in json.loads(res.stdout)}
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["profiles"]


def test_fleet_init_show_and_add(store_target: StoreTarget) -> None:
    assert _json(store_target, "fleet", "show") == []
    _rig(store_target)
    (rig,) = _json(store_target, "fleet", "show")
    assert (rig["machine"]["site"], rig["machine"]["name"]) == ("lab", "rig")
    assert rig["machine"]["profile"] == "cwru_rig"
    assert [p["name"] for p in rig["points"]] == ["DE", "FE", "BA"]
    assert {c["name"] for c in rig["components"]} == {"motor_shaft", "de_bearing", "fe_bearing"}

    res = _run(
        store_target, "fleet", "add-component", "lab/rig", "dyno_bearing", "--bearing", "6205"
    )
    assert res.exit_code == 0, res.output
    assert "added bearing dyno_bearing" in res.stdout
    args = ["fleet", "add-point", "lab/rig", "DY", "--unit", "g", "--fs", "12000"]
    res = _run(store_target, *args, "--hears", "dyno_bearing")
    assert res.exit_code == 0, res.output
    assert "added point lab/rig/DY" in res.stdout

    (rig,) = _json(store_target, "fleet", "show")
    components = {c["id"]: c for c in rig["components"]}
    (dy,) = [p for p in rig["points"] if p["name"] == "DY"]
    assert (dy["unit"], dy["fs_hz"], dy["sensor"]) == ("g", 12000.0, "accelerometer")
    assert [components[i]["name"] for i in dy["component_ids"]] == ["dyno_bearing"]
    assert any(c["designation"] == "6205" for c in components.values())
    res = _run(store_target, "fleet", "show")
    assert res.exit_code == 0, res.output
    assert "lab/rig (cwru_rig)" in res.stdout and "dyno_bearing" in res.stdout


def test_ingest_status_and_trend(store_target: StoreTarget, tmp_path: Path) -> None:
    _rig(store_target)
    first = [str(DEMO / "105.mat.xz"), str(DEMO / "130.mat.xz")]
    res = _run(store_target, "ingest", *first, "--point", "lab/rig/DE")
    assert res.exit_code == 0, res.output
    assert res.stdout.count("stored") == 2

    res = _run(store_target, "ingest", first[0], "--point", "lab/rig/DE")
    assert res.exit_code == 0, res.output
    assert "duplicate" in res.stdout

    # A 48 kHz record on a 12 kHz point: refused with the reason, exit status 1.
    res = _run(store_target, "ingest", str(DEMO / "97.mat.xz"), "--point", "lab/rig/DE", "--json")
    assert res.exit_code == 1, res.output
    payload = json.loads(res.stdout)
    assert set(payload) == {"records", "processed", "alarms"}
    (record,) = payload["records"]
    assert set(record) == {"file", "status", "detail", "measurement_id"}
    assert record["status"] == "refused" and record["measurement_id"] is None
    assert "48000 Hz" in record["detail"] and "12000 Hz" in record["detail"]

    res = _run(store_target, "ingest", first[0])
    assert res.exit_code == 2 and "--point" in res.output
    res = _run(store_target, "ingest")
    assert res.exit_code == 2 and "--pending" in res.output

    # Store now, process later.
    fe = ["ingest", first[1], "--point", "lab/rig/FE", "--store-only", "--json"]
    (stored,) = _json(store_target, *fe)["records"]
    assert stored["status"] == "stored"
    done = _json(store_target, "ingest", "--pending")
    assert done["records"] == [] and done["processed"] == [stored["measurement_id"]]
    assert _json(store_target, "ingest", "--pending")["processed"] == []

    (status,) = _json(store_target, "status")
    assert status["machine"] == "lab/rig" and status["state"] == "normal"
    assert status["measurements"] == 3 and status["open_alarms"] == 0
    verdicts = {d["component"]: d["verdict"] for d in status["diagnoses"]}
    assert set(verdicts) == {"de_bearing", "fe_bearing"}
    assert verdicts["de_bearing"] == "outer"  # 130 is an outer-race fault, the last measured
    res = _run(store_target, "status")
    assert res.exit_code == 0 and "lab/rig" in res.stdout and "de_bearing" in res.stdout

    trend = _json(store_target, "trend", "lab/rig/DE", "--indicator", "rms")
    assert trend["point"] == "lab/rig/DE" and trend["indicator"] == "rms"
    assert [v["measurement_id"] for v in trend["values"]] == [1, 2]
    assert all(v["value"] > 0 for v in trend["values"])
    assert trend["limits"] == {}  # two measurements: the baseline is still learning
    png = tmp_path / "t.png"
    res = _run(store_target, "trend", "lab/rig/DE", "--indicator", "rms", "--plot", str(png))
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_alarms_acknowledge_and_history(store_target: StoreTarget) -> None:
    _rig(store_target)
    assert _json(store_target, "alarms") == []
    res = _run(store_target, "alarms")
    assert res.exit_code == 0 and "Open alarms" in res.stdout

    store = store_target.open()
    try:
        raised = store.raise_alarm(
            "lab/rig",
            "rms",
            "alert",
            source="indicator",
            point="lab/rig/DE",
            message="rms 0.9 g over the alert limit 0.5 g",
            details={"value": 0.9, "limit": 0.5},
        )
    finally:
        store.close()
    (alarm,) = _json(store_target, "alarms")
    assert alarm["id"] == raised.id and alarm["state"] == "raised" and alarm["level"] == "alert"
    (status,) = _json(store_target, "status")
    assert status["state"] == "alert" and status["open_alarms"] == 1

    ack = ["alarms", "--ack", str(raised.id), "--comment", "bearing ordered", "--user", "ana"]
    res = _run(store_target, *ack)
    assert res.exit_code == 0, res.output
    assert "acknowledged" in res.stdout

    events = _json(store_target, "alarms", "--events", str(raised.id))
    assert [e["kind"] for e in events] == ["raised", "acknowledged"]
    assert (events[-1]["user"], events[-1]["comment"]) == ("ana", "bearing ordered")
    res = _run(store_target, "alarms", "--events", str(raised.id))
    assert res.exit_code == 0 and "bearing ordered" in res.stdout and "ana" in res.stdout

    (every,) = _json(store_target, "alarms", "--all")
    assert every["id"] == raised.id and every["state"] == "acknowledged"
    assert every["key"] == "rms" and every["details"] == {"value": 0.9, "limit": 0.5}


def test_watch_ingests_a_dropped_file_and_leaves_it(
    store_target: StoreTarget, tmp_path: Path
) -> None:
    _rig(store_target)
    drop = tmp_path / "drop"
    drop.mkdir()
    dropped = drop / "105.mat.xz"
    shutil.copyfile(DEMO / "105.mat.xz", dropped)
    original = dropped.read_bytes()
    args = ["watch", str(drop), "--point", "lab/rig/DE", "--cycles", "3"]
    res = _run(store_target, *args, "--poll", "0.2", "--settle", "0.1")
    assert res.exit_code == 0, res.output
    assert "stored: 105.mat.xz" in res.stdout
    assert dropped.read_bytes() == original
    (status,) = _json(store_target, "status")
    assert status["measurements"] == 1 and status["diagnoses"]
    # A second watcher remembers what was handed over: nothing is submitted again.
    res = _run(store_target, *args, "--poll", "0.2", "--settle", "0.1")
    assert res.exit_code == 0, res.output
    assert "105.mat.xz" not in res.stdout and dropped.exists()
