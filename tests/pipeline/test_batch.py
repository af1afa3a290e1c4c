"""Batches: windows and snapshots, the same results on every executor, resumable sinks."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Recording
from openphm.knowledge.profiles import load_profile
from openphm.pipeline import BatchItem, ProcessingContext, Results, process, run_batch
from openphm.pipeline.batch import (
    ParquetSink,
    StoreSink,
    context_overrides,
    dataset_items,
    read_parquet_results,
    resolve_sources,
    run_resumable,
    store_items,
)
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.pipeline.process import BatchOutcome, local_file
from openphm.store import Store
from tests.helpers.bearing_sim import simulate_bearing

CONTEXT = ProcessingContext(bearing="6205", speed_hz=29.95, fs_hz=12000.0)


def _records(folder: Path, n: int, duration_s: float = 2.5) -> list[Path]:
    """``n`` simulated drive-end records (outer, inner, healthy in turn) as bare CSV files."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    faults = ("outer", "inner", "healthy")
    paths = []
    for i in range(n):
        wave = simulate_bearing(faults[i % 3], rng=rng, duration_s=duration_s)
        path = folder / f"rec{i:02d}.csv"
        np.savetxt(path, wave.samples, fmt="%.9g")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _records(tmp_path_factory.mktemp("batch") / "records", 4)


def _plain(outcomes: list[BatchOutcome]) -> list[str]:
    return [json.dumps([w.results.to_dict() for w in o.windows], sort_keys=True) for o in outcomes]


def test_an_item_cut_into_windows_gives_each_window_its_results(records: list[Path]) -> None:
    [outcome] = run_batch([BatchItem(records[0], window_s=1.0)], CONTEXT, strict=False)
    assert outcome.results is None and not outcome.error
    assert [(w.label, w.start_s) for w in outcome.windows] == [("w0000", 0.0), ("w0001", 1.0)]
    from openphm.acquire.channels import load_record

    whole = load_record(records[0], 12000.0)
    second = Recording(
        tuple(c.slice_s(1.0, 2.0) for c in whole),
        source=f"{whole.source}@1s+1s",
        metadata=whole.metadata,
    )
    expected = process(second, CONTEXT, strict=False)
    assert outcome.windows[1].results == expected
    assert expected.provenance.input.source.endswith("rec00.csv@1s+1s")
    verdicts = [w.results.diagnoses.main.verdict for w in outcome.windows]  # type: ignore[union-attr]
    assert verdicts == ["outer", "outer"]


def test_serial_and_process_pool_agree_bit_for_bit_and_a_bad_record_is_skipped(
    records: list[Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("no,numbers,here\n")
    items = [BatchItem(p, window_s=1.0) for p in records[:3]] + [BatchItem(broken, window_s=1.0)]
    serial = run_batch(items, CONTEXT, strict=False)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = run_batch(items, CONTEXT, executor=pool, strict=False)
    assert _plain(serial) == _plain(pooled)
    assert [o.item for o in pooled] == items
    assert serial[3].windows == () and "broken.csv" in serial[3].error and not serial[3].lost
    assert all(not o.error for o in serial[:3])


def test_a_too_short_record_for_its_window_is_an_error_of_that_item(tmp_path: Path) -> None:
    [short] = _records(tmp_path, 1, duration_s=0.5)
    [outcome] = run_batch([BatchItem(short, window_s=1.0)], CONTEXT)
    assert "shorter than one 1 s window" in outcome.error


def test_parquet_sink_one_row_per_window_rebuilds_results_and_resumes(
    records: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    items = [BatchItem(p, window_s=1.0) for p in records]

    class Stop(Exception):
        pass

    seen: list[str] = []

    def stop_after_two(outcome: BatchOutcome) -> None:
        seen.append(outcome.item.key)
        if len(seen) == 2:
            raise Stop

    with pytest.raises(Stop):
        run_resumable(items, ParquetSink(out, CONTEXT), CONTEXT, on_outcome=stop_after_two)
    assert len(list(out.glob("part-*.parquet"))) == 2
    assert not list(out.glob(".*tmp"))
    again = run_resumable(items, ParquetSink(out, CONTEXT), CONTEXT)
    assert (again.items, again.skipped, again.processed, again.windows) == (4, 2, 2, 4)
    table = read_parquet_results(out)
    assert table.num_rows == 8
    keys = table.column("item").to_pylist()
    assert sorted(set(keys)) == sorted(i.key for i in items)
    assert all(keys.count(k) == 2 for k in set(keys))
    rebuilt = Results.from_dict(json.loads(table.column("results")[0].as_py()))
    first = run_batch([items[0]], CONTEXT, strict=False)[0].windows[0].results
    assert table.column("item")[0].as_py() == items[0].key and rebuilt == first
    assert table.column("verdict").to_pylist()[:2] == ["outer", "outer"]
    assert table.column("indicator_kurtosis")[0].as_py() == first.indicators.values["kurtosis"]  # type: ignore[union-attr]
    done = run_resumable(items, ParquetSink(out, CONTEXT), CONTEXT)
    assert (done.skipped, done.processed) == (4, 0)


def test_a_folder_written_with_other_settings_is_refused(tmp_path: Path) -> None:
    ParquetSink(tmp_path / "out", CONTEXT)
    with pytest.raises(ConfigError, match="other settings"):
        ParquetSink(tmp_path / "out", ProcessingContext(speed_hz=25.0))


def test_sources_and_remote_files(records: list[Path], tmp_path: Path) -> None:
    folder = records[0].parent
    items = resolve_sources([str(folder), str(records[0]), f"file://{records[1]}"], window_s=1.0)
    assert [Path(str(i.path)).name for i in items] == [p.name for p in records] + ["rec01.csv"]
    with pytest.raises(ConfigError, match="not a data set"):
        resolve_sources([str(tmp_path / "missing")])
    fsspec = pytest.importorskip("fsspec")
    with fsspec.open("memory://fleet/rec00.csv", "wb") as fh:
        fh.write(records[0].read_bytes())
    with local_file("memory://fleet/rec00.csv") as local:
        assert local.name == "rec00.csv" and local.read_bytes() == records[0].read_bytes()
    [remote] = run_batch([BatchItem("memory://fleet/rec00.csv", window_s=1.0)], CONTEXT)
    [here] = run_batch([BatchItem(records[0], window_s=1.0)], CONTEXT)
    assert remote.windows[0].results.provenance.input.source.startswith("memory://fleet/rec00")

    def scores(outcome: BatchOutcome) -> list[object]:
        return [dict(w.results.diagnoses.main.scores) for w in outcome.windows]  # type: ignore[union-attr]

    assert scores(remote) == scores(here)
    with pytest.raises(DataError, match="cannot fetch"), local_file("memory://fleet/absent.csv"):
        pass


def test_context_overrides_are_typed_and_checked() -> None:
    typed = context_overrides({"diagnosis": {"n_harmonics": 4}, "stages": ["indicators"]})
    assert typed["diagnosis"].n_harmonics == 4 and typed["stages"] == ("indicators",)
    with pytest.raises(DataError):
        context_overrides({"no_such_field": 1})
    with pytest.raises(ConfigError):
        context_overrides({"diagnosis": {"n_harmonics": 0}})


def _stored_rig(store: Store, n: int) -> list[int]:
    add_machine_from_profile(store, load_profile("cwru_rig"), "lab", "rig1")
    rng = np.random.default_rng(2)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = []
    for i in range(n):
        wave = simulate_bearing("outer", rng=rng, duration_s=1.5)
        added = store.add_samples(
            "lab/rig1/DE",
            wave.samples,
            fs_hz=wave.fs,
            acquired_at=start + timedelta(hours=i),
            speed_hz=29.95,
        )
        ids.append(added.measurement_id)
    return ids


def test_store_batch_stores_each_measurement_once_and_resumes(store: Store) -> None:
    ids = _stored_rig(store, 3)
    items, heard = store_items(store, "lab/rig1", since=datetime(2026, 1, 1, 1, tzinfo=UTC))
    assert [i.measurement_id for i in items] == ids[1:]
    assert all(i.context is not None and i.context.diagnosis is not None for i in items)
    first = run_resumable(items, StoreSink(store, heard), None)
    assert (first.processed, first.failed, first.skipped) == (2, 0, 0)
    rows = store.results(ids[1])
    assert {r.kind for r in rows} >= {"indicators", "severity", "diagnosis"}
    assert all(r.input is not None and r.input["batch"].startswith("batch-") for r in rows)
    diag = next(r for r in rows if r.kind == "diagnosis")
    assert diag.payload["verdict"] == "outer" and diag.input["measurement_id"] == ids[1]  # type: ignore[index]
    assert store.results(ids[0]) == []
    again = run_resumable(items, StoreSink(store, heard), None)
    assert (again.skipped, again.processed) == (2, 0)
    assert [r.id for r in store.results(ids[1])] == [r.id for r in rows]
    v2 = context_overrides({"diagnosis": {"n_harmonics": 4}})
    items2, heard2 = store_items(store, "lab/rig1", overrides=v2)
    redo = run_resumable(items2, StoreSink(store, heard2, v2), None)
    assert (redo.skipped, redo.processed) == (0, 3)
    after = store.results(ids[1])
    assert len(after) == len(rows)
    assert all(r.settings is not None for r in after)
    assert {r.settings["diagnosis"]["n_harmonics"] for r in after} == {4}  # type: ignore[index]


@pytest.mark.refdata
def test_reference_sets_as_items(refdata: Path) -> None:
    cwru = dataset_items("cwru", refdata)
    assert len(cwru) == 61 and all(i.window_s == 1.0 for i in cwru)
    femto = dataset_items("femto", refdata, snapshots_per_item=500)
    assert sum(len(i.snapshots) for i in femto) == 7534
    assert max(len(i.snapshots) for i in femto) == 500
    [outcome] = run_batch(
        [BatchItem(femto[0].path, snapshots=(1, 2))], ProcessingContext(), strict=False
    )
    assert [w.label for w in outcome.windows] == ["acc_00001", "acc_00002"]
    assert [w.start_s for w in outcome.windows] == [0.0, 10.0]
    assert outcome.windows[0].results.indicators is not None


def test_items_a_broken_pool_loses_are_reported_lost_and_done_by_the_next_run(
    records: list[Path], tmp_path: Path
) -> None:
    import multiprocessing
    import os

    from openphm.pipeline import StageInput, register_stage
    from openphm.pipeline.stages import STAGES

    @register_stage("test_worker_dies", None)
    def die(item: StageInput) -> None:
        if multiprocessing.parent_process() is not None:
            os._exit(3)  # a worker process killed in the middle of an item

    items = [BatchItem(p) for p in records[:2]]
    out = tmp_path / "out"
    dying = ProcessingContext(
        bearing="6205", speed_hz=29.95, fs_hz=12000.0, stages=("test_worker_dies",)
    )
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        with pool:
            first = run_resumable(items, ParquetSink(out, dying), dying, executor=pool)
        assert (first.processed, first.lost) == (0, 2)
        assert all("not processed (BrokenProcessPool" in e for e in first.errors)
        assert not list(out.glob("part-*.parquet"))
        second = run_resumable(items, ParquetSink(out, dying), dying)
        assert (second.skipped, second.processed, second.lost) == (0, 2, 0)
    finally:
        del STAGES["test_worker_dies"]
