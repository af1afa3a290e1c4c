"""Batches on Dask: a LocalCluster of processes, and a real cluster of separate ``dask scheduler``
and ``dask worker`` processes on 127.0.0.1 reached by address; a worker killed mid-batch.

Results must equal the serial run's bit for bit, every item must come back exactly once, and
the Parquet sink must hold each item once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from openphm.pipeline import BatchItem, ProcessingContext, run_batch
from openphm.pipeline.batch import ParquetSink, batch_executor, read_parquet_results, run_resumable
from openphm.pipeline.process import BatchOutcome
from tests.helpers.bearing_sim import simulate_bearing

distributed = pytest.importorskip("distributed")

CONTEXT = ProcessingContext(bearing="6205", speed_hz=29.95, fs_hz=12000.0)
DASK = Path(sys.executable).with_name("dask")


@pytest.fixture(scope="module")
def items(tmp_path_factory: pytest.TempPathFactory) -> list[BatchItem]:
    """Six simulated 2 s records, each cut into 1 s windows."""
    folder = tmp_path_factory.mktemp("dask")
    rng = np.random.default_rng(23)
    found = []
    for i in range(6):
        wave = simulate_bearing(("outer", "inner", "healthy")[i % 3], rng=rng, duration_s=2.0)
        path = folder / f"rec{i}.csv"
        np.savetxt(path, wave.samples, fmt="%.9g")
        found.append(BatchItem(path, window_s=1.0))
    return found


@pytest.fixture(scope="module")
def serial(items: list[BatchItem]) -> list[str]:
    return _plain(run_batch(items, CONTEXT, strict=False))


def _plain(outcomes: list[BatchOutcome]) -> list[str]:
    return [json.dumps([w.results.to_dict() for w in o.windows], sort_keys=True) for o in outcomes]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([str(DASK), *args], stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _worker(address: str, name: str, log: Path) -> subprocess.Popen[bytes]:
    return _start(
        [
            "worker",
            address,
            "--host",
            "127.0.0.1",
            "--nthreads",
            "1",
            "--no-nanny",
            "--no-dashboard",
            "--name",
            name,
        ],
        log,
    )


def _wait_for_workers(address: str, n: int) -> None:
    with distributed.Client(address, timeout=30) as client:
        client.wait_for_workers(n, timeout=60)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two single-threaded workers, separate processes on 127.0.0.1: yields the
    scheduler's address. Only the processes started here are stopped, by their own handles."""
    if not DASK.exists():
        pytest.skip(f"{DASK} not found (install openphm[dist])")
    logs = tmp_path_factory.mktemp("dask-logs")
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = [
        _start(
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                address.rsplit(":", 1)[1],
                "--no-dashboard",
                "--dashboard-address",
                "127.0.0.1:0",
            ],
            logs / "scheduler.log",
        )
    ]
    try:
        started += [_worker(address, f"w{i}", logs / f"w{i}.log") for i in range(2)]
        _wait_for_workers(address, 2)
        yield address
    finally:
        for process in reversed(started):
            _stop(process)


def test_local_cluster_of_processes_equals_serial(
    items: list[BatchItem], serial: list[str]
) -> None:
    with batch_executor("dask-local", 2) as executor:
        assert executor is not None
        found = run_batch(items, CONTEXT, executor=executor, strict=False)
    assert _plain(found) == serial
    assert [o.item for o in found] == items


def test_a_cluster_reached_by_address_equals_serial(
    cluster: str, items: list[BatchItem], serial: list[str]
) -> None:
    seen: list[int] = []
    with batch_executor(cluster) as executor:
        found = run_batch(
            items,
            CONTEXT,
            executor=executor,
            strict=False,
            progress=lambda it: seen.append(len(it)) or it,  # type: ignore[arg-type]
        )
    assert seen == [len(items)]
    assert _plain(found) == serial


def test_a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice(
    cluster: str, items: list[BatchItem], serial: list[str], tmp_path: Path
) -> None:
    victim = _worker(cluster, "victim", tmp_path / "victim.log")
    watcher = distributed.Client(cluster, timeout=30)
    try:
        watcher.wait_for_workers(3, timeout=60)
        [where] = [
            a for a, w in watcher.scheduler_info()["workers"].items() if w["name"] == "victim"
        ]
        out = tmp_path / "out"
        written: list[str] = []
        held: list[object] = []

        def kill_after_first(outcome: BatchOutcome) -> None:
            """Kill the victim on the first outcome, once it holds a task (so that one is lost)."""
            written.append(outcome.item.key)
            deadline = time.monotonic() + 20.0
            while not held and time.monotonic() < deadline:
                held.extend(watcher.processing(workers=[where]).get(where, ()))
                if held:
                    os.kill(victim.pid, signal.SIGKILL)
                else:
                    time.sleep(0.01)

        many = [BatchItem(i.path, window_s=w) for w in (1.0, 0.5) for i in items]
        with batch_executor(cluster) as executor:
            summary = run_resumable(
                many,
                ParquetSink(out, CONTEXT),
                CONTEXT,
                executor=executor,
                on_outcome=kill_after_first,
            )
        assert held and victim.wait(timeout=10) == -signal.SIGKILL
        assert (summary.processed, summary.failed, summary.lost) == (len(many), 0, 0)
        assert sorted(written) == sorted(i.key for i in many)
        assert len(list(out.glob("part-*.parquet"))) == len(many)
        table = read_parquet_results(out)
        keys = table.column("item").to_pylist()
        assert set(keys) == {i.key for i in many}
        windows = {1.0: 2, 0.5: 4}
        assert all(keys.count(i.key) == windows[i.window_s] for i in many)  # type: ignore[index]
        first = [
            r
            for r, k in zip(table.column("results").to_pylist(), keys, strict=True)
            if k == items[0].key
        ]
        assert [json.loads(r) for r in first] == json.loads(serial[0])
    finally:
        watcher.close()
        _stop(victim)
