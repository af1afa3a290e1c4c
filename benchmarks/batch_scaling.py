"""Batch throughput (issue 20): the reference recordings re-processed serially, on a process pool
and on a local Dask cluster, with 1 and 2 workers.

Items: every CWRU record cut into 1 s windows (one task per record) and every FEMTO learning-set
snapshot (one task per ``--snapshots-per-item`` snapshots of a bearing); ``--subset N`` keeps
the first N CWRU records and the first N FEMTO tasks (a fixed subset, for a quick run). Each
executor is started and warmed (every worker has imported openphm and run one task) before the
timed run, and its start-up time is reported beside it. The figures:

- windows/s and tasks/s of each configuration, and the ratio to serial;
- scaling: 2-worker over 1-worker throughput (floor 1.7 on this 2-core machine) and efficiency;
- peak resident memory of each worker process (``ru_maxrss``) after the run;
- Dask's overhead per task against the process pool with as many workers;
- bit-for-bit check: every configuration's results (JSON of each window) equal the serial run's.

Run: ``OPENPHM_DATA=../shared/data .venv/bin/python benchmarks/batch_scaling.py [--json]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from concurrent.futures import Executor
from typing import Any

from openphm.pipeline.batch import batch_executor, dataset_items
from openphm.pipeline.context import ProcessingContext
from openphm.pipeline.process import BatchItem, BatchOutcome, run_batch

CONFIGS = (("serial", 1), ("process", 1), ("process", 2), ("dask-local", 1), ("dask-local", 2))


def _peak_rss() -> tuple[int, int]:
    """This process's id and peak resident memory in MiB (Linux: ``ru_maxrss`` in KiB)."""
    time.sleep(0.05)  # so that every worker gets some of the probes
    return os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _worker_peaks(executor: Executor | None, workers: int) -> dict[int, int]:
    if executor is None:
        pid, peak = _peak_rss()
        return {pid: peak}
    client = getattr(executor, "_client", None)  # Dask's executor: ask every worker
    if client is not None:
        return dict(client.run(_peak_rss).values())
    probes = [executor.submit(_peak_rss) for _ in range(8 * workers)]
    found: dict[int, int] = {}
    for probe in probes:
        pid, peak = probe.result()
        found[pid] = max(found.get(pid, 0), peak)
    return found


def _noop(item: BatchItem, context: ProcessingContext, strict: bool) -> BatchOutcome:
    """A task that does nothing with an item (its round trip is the executor's own cost)."""
    return BatchOutcome(item)


def _round_trip_ms(executor: Executor | None, item: BatchItem, n: int = 200) -> float:
    """Mean time per task of ``n`` no-op tasks carrying a batch item and a context, ms."""
    if executor is None:
        return 0.0
    context = ProcessingContext()
    t0 = time.perf_counter()
    futures = [executor.submit(_noop, item, context, False) for _ in range(n)]
    for future in futures:
        future.result()
    return 1000 * (time.perf_counter() - t0) / n


def _digest(outcomes: list[BatchOutcome]) -> str:
    h = hashlib.sha256()
    for o in outcomes:
        h.update(o.item.key.encode())
        h.update(o.error.encode())
        for w in o.windows:
            h.update(json.dumps(w.results.to_dict(), sort_keys=True).encode())
    return h.hexdigest()[:16]


def _items(subset: int | None, per_item: int) -> list[BatchItem]:
    cwru = dataset_items("cwru", window_s=1.0)
    femto = dataset_items("femto", snapshots_per_item=per_item)
    if subset is not None:
        cwru, femto = cwru[:subset], femto[:subset]
    return cwru + femto


def _by_set(items: list[BatchItem]) -> dict[str, list[BatchItem]]:
    """The CWRU windows and the FEMTO snapshots apart, in the batch's order."""
    return {
        "cwru": [i for i in items if not i.snapshots],
        "femto": [i for i in items if i.snapshots],
    }


def _warm_items(items: list[BatchItem], workers: int) -> list[BatchItem]:
    """Small tasks that make each worker import openphm and its readers (not timed)."""
    cwru = next(i for i in items if i.window_s is not None)
    femto = next((i for i in items if i.snapshots), None)
    small = [BatchItem(cwru.path, window_s=cwru.window_s)]
    if femto is not None:
        small.append(BatchItem(femto.path, snapshots=femto.snapshots[:1]))
    return small * (2 * workers)


def run(subset: int | None, per_item: int) -> dict[str, Any]:
    items = _items(subset, per_item)
    windows = None
    rows: list[dict[str, Any]] = []
    digests: dict[str, str] = {}
    per_set: dict[str, dict[str, float]] = {}
    for spec, workers in CONFIGS:
        started = time.perf_counter()
        with batch_executor(spec, workers) as executor:
            run_batch(_warm_items(items, workers), executor=executor, strict=False)
            ready = time.perf_counter() - started
            t0 = time.perf_counter()
            if executor is None:  # serially, each set timed on its own: the chain's cost c
                outcomes = []
                for kind, part in _by_set(items).items():
                    t1 = time.perf_counter()
                    outcomes += run_batch(part, strict=False)
                    n = sum(len(o.windows) for o in outcomes[-len(part) :])
                    per_set[kind] = {"windows": n, "seconds": time.perf_counter() - t1}
                    per_set[kind]["ms_per_window"] = 1000 * per_set[kind]["seconds"] / max(n, 1)
            else:
                outcomes = run_batch(items, executor=executor, strict=False)
            seconds = time.perf_counter() - t0
            peaks = _worker_peaks(executor, workers)
            round_trip = _round_trip_ms(executor, items[0])
        windows = sum(len(o.windows) for o in outcomes)
        name = f"{spec} x{workers}" if spec != "serial" else "serial"
        digests[name] = _digest(outcomes)
        rows.append(
            {
                "config": name,
                "executor": spec,
                "workers": workers,
                "seconds": seconds,
                "startup_s": ready,
                "tasks_per_s": len(items) / seconds,
                "windows_per_s": windows / seconds,
                "failed": sum(1 for o in outcomes if o.error),
                "peak_rss_mib": sorted(peaks.values()),
                "noop_task_ms": round_trip,
            }
        )
        print(f"{name}: {seconds:.1f} s, {windows / seconds:.0f} windows/s", file=sys.stderr)
    by = {r["config"]: r for r in rows}
    base = by["serial"]["windows_per_s"]
    for r in rows:
        r["ratio_to_serial"] = r["windows_per_s"] / base
    scaling = {
        kind: by[f"{kind} x2"]["windows_per_s"] / by[f"{kind} x1"]["windows_per_s"]
        for kind in ("process", "dask-local")
    }
    overhead = {
        f"x{n}": (by[f"dask-local x{n}"]["seconds"] - by[f"process x{n}"]["seconds"])
        / len(items)
        * n
        for n in (1, 2)
    }
    return {
        "tasks": len(items),
        "windows": windows,
        "subset": subset,
        "snapshots_per_item": per_item,
        "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "configs": rows,
        "serial_by_set": per_set,
        "scaling_2_over_1": scaling,
        "efficiency_2_workers": {k: v / 2 for k, v in scaling.items()},
        "floor_1_7_met": {k: v >= 1.7 for k, v in scaling.items()},
        "dask_overhead_s_per_task_per_worker": overhead,
        "bit_for_bit_equal_to_serial": all(d == digests["serial"] for d in digests.values()),
        "digests": digests,
    }


def store_writes(n: int, database_url: str | None) -> dict[str, Any]:
    """Time of the store sink's one-transaction write per measurement, against its chain time.

    ``n`` simulated 1 s, 12 kHz measurements of the CWRU rig's drive-end point, in a temporary
    store (SQLite, or the PostgreSQL database ``database_url`` names, which must be empty).
    """
    import tempfile
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    import numpy as np

    from openphm.knowledge.profiles import load_profile
    from openphm.pipeline.batch import StoreSink, store_items
    from openphm.pipeline.fleet import add_machine_from_profile
    from openphm.store import Store

    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as home:
        url = database_url or f"sqlite:///{Path(home) / 'openphm.sqlite'}"
        store = Store.open(Path(home), url)
        try:
            add_machine_from_profile(store, load_profile("cwru_rig"), "lab", "rig")
            start = datetime(2026, 1, 1, tzinfo=UTC)
            for i in range(n):
                store.add_samples(
                    "lab/rig/DE",
                    rng.normal(size=12_000),
                    fs_hz=12_000.0,
                    acquired_at=start + timedelta(minutes=i),
                    speed_hz=29.95,
                )
            items, heard = store_items(store, "lab/rig")
            t0 = time.perf_counter()
            outcomes = run_batch(items, strict=False)
            chain = (time.perf_counter() - t0) / n
            sink = StoreSink(store, heard)
            t0 = time.perf_counter()
            for outcome in outcomes:
                sink.write(outcome)
            write = (time.perf_counter() - t0) / n
        finally:
            store.close()
    return {
        "backend": "postgresql" if database_url else "sqlite",
        "measurements": n,
        "chain_ms_per_measurement": 1000 * chain,
        "store_write_ms_per_measurement": 1000 * write,
        "write_over_chain": write / chain,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--subset", type=int, default=None, help="First N CWRU records and N FEMTO tasks."
    )
    parser.add_argument("--snapshots-per-item", type=int, default=250)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument(
        "--store-writes",
        type=int,
        default=0,
        metavar="N",
        help="Only time the store sink's writes of N measurements (see --database-url).",
    )
    parser.add_argument("--database-url", default=None, help="An empty PostgreSQL database.")
    args = parser.parse_args()
    if args.store_writes:
        print(json.dumps(store_writes(args.store_writes, args.database_url), indent=2))
        return
    found = run(args.subset, args.snapshots_per_item)
    if args.json:
        print(json.dumps(found, indent=2))
        return
    load = ", ".join(f"{x:.1f}" for x in found["load_average_at_end"])
    print(f"{found['tasks']} tasks, {found['windows']} windows; load average {load}")
    print(
        "| configuration | s | start-up s | windows/s | tasks/s | x serial | peak RSS/worker MiB |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in found["configs"]:
        print(
            f"| {r['config']} | {r['seconds']:.1f} | {r['startup_s']:.1f} "
            f"| {r['windows_per_s']:.0f} | {r['tasks_per_s']:.2f} | {r['ratio_to_serial']:.2f} "
            f"| {r['peak_rss_mib']} |"
        )
    print(f"2 over 1 worker: {found['scaling_2_over_1']} (floor 1.7: {found['floor_1_7_met']})")
    print(f"Dask overhead per task per worker, s: {found['dask_overhead_s_per_task_per_worker']}")
    print(
        "no-op task round trip, ms: "
        + str({r["config"]: r["noop_task_ms"] for r in found["configs"]})
    )
    print(f"bit for bit equal to serial: {found['bit_for_bit_equal_to_serial']}")
    print(f"serial, by set: {found['serial_by_set']}")


if __name__ == "__main__":
    main()
