"""``openphm batch`` as a user runs it: a folder to Parquet and resumed, a machine's stored
measurements back to the store with new settings, and the mistakes it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.pipeline.batch import read_parquet_results
from tests.conftest import StoreTarget
from tests.helpers.bearing_sim import simulate_bearing

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENPHM_HOME", raising=False)
    monkeypatch.delenv("OPENPHM_DATABASE_URL", raising=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two simulated 2 s outer-race records (CSV, 12 kHz) and a note that is no record."""
    where = tmp_path_factory.mktemp("records")
    rng = np.random.default_rng(8)
    for name in ("a.csv", "b.csv"):
        np.savetxt(where / name, simulate_bearing("outer", rng=rng, duration_s=2.0).samples)
    (where / "notes.md").write_text("not a record\n")
    return where


def _json(args: list[str]) -> dict[str, object]:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def test_a_folder_to_parquet_in_windows_resumed(folder: Path, tmp_path: Path) -> None:
    settings = tmp_path / "v2.json"
    settings.write_text(json.dumps({"bearing": "6205", "speed_hz": 29.95, "fs_hz": 12000.0}))
    args = ["batch", str(folder), "--out", str(tmp_path / "out"), "--window", "1"]
    first = _json([*args, "--settings", str(settings), "--executor", "process", "--workers", "2"])
    assert (first["items"], first["processed"], first["windows"], first["failed"]) == (2, 2, 4, 0)
    table = read_parquet_results(tmp_path / "out")
    assert table.num_rows == 4 and set(table.column("verdict").to_pylist()) == {"outer"}
    again = _json([*args, "--settings", str(settings)])
    assert (again["skipped"], again["processed"]) == (2, 0)
    other = runner.invoke(app, args)
    assert "other settings" in str(other.exception)


def test_mistakes_are_refused_with_a_reason(folder: Path, tmp_path: Path) -> None:
    no_out = runner.invoke(app, ["batch", str(folder)])
    assert no_out.exit_code == 2 and "--out" in no_out.output
    missing = runner.invoke(app, ["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert "no such folder or file" in str(missing.exception)
    bad = runner.invoke(
        app, ["batch", str(folder), "--out", str(tmp_path / "o"), "--executor", "threads"]
    )
    assert "dask-local" in str(bad.exception)


def test_a_machine_back_to_the_store(store_target: StoreTarget, tmp_path: Path) -> None:
    where = ["--home", str(store_target.home)]
    if store_target.url is not None:
        where += ["--database-url", store_target.url]
    init = ["fleet", "init", "--profile", "cwru_rig", "--site", "lab", "--machine", "rig"]
    assert runner.invoke(app, [*init, *where]).exit_code == 0
    store = store_target.open()
    try:
        wave = simulate_bearing("inner", rng=np.random.default_rng(1), duration_s=1.5)
        mid = store.add_samples(
            "lab/rig/DE",
            wave.samples,
            fs_hz=wave.fs,
            acquired_at=store.point("lab/rig/DE").created_at,
            speed_hz=29.95,
        ).measurement_id
    finally:
        store.close()
    summary = _json(["batch", "machine:lab/rig", "--days", "1", *where])
    assert (summary["items"], summary["processed"], summary["failed"]) == (1, 1, 0)
    store = store_target.open()
    try:
        diagnoses = store.results(mid, kind="diagnosis")
        assert "inner" in {d.payload["verdict"] for d in diagnoses}
    finally:
        store.close()
    again = _json(["batch", "machine:lab/rig", *where])
    assert again["skipped"] == 1
