"""Ingest + whole chain throughput against the bare chain: one and two cores, SQLite and PostgreSQL.

Each measurement is 1 s of 25.6 kHz acceleration (a simulated 6205 bearing, healthy or with a
fault, as the monitoring tests make them). The *bare chain* is :func:`openphm.pipeline.process` with
the context the monitoring core gives the point (indicators, ISO severity, bearing diagnosis);
*ingest* is :func:`openphm.pipeline.ingest.ingest`: checks, the content-addressed Parquet file and
catalogue row, the same chain, baselines, alarm state machines and the one-transaction write of
results, trend values, states and alarms. Both run in the same process on the same windows, so
the ratio ``ingest rate / bare rate`` is the figure to compare (the goal of issue 14 is >= 80 %);
the first ``--warmup`` measurements of each point are ingested untimed, so that the figure is the
steady state of a point whose baselines are learned;
absolute rates sit beside it. With ``--workers 2`` both run on a process pool of two, ingest
writing into one store from both processes.

Usage: ``python benchmarks/ingest_throughput.py [--windows N] [--workers 1 2] [--database-url URL]
[--json]`` (PostgreSQL also from ``$OPENPHM_TEST_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bearing_sim import simulate_bearing

from openphm.core import Recording, Waveform
from openphm.pipeline import ProcessingContext, process
from openphm.pipeline.ingest import IngestSettings, ingest
from openphm.pipeline.monitor import context_for_point
from openphm.pipeline.transport import IncomingSamples
from openphm.store import Store

FS = 25600.0
SPEED_HZ = 29.95
START = datetime(2026, 1, 1, tzinfo=UTC)


def windows(n: int, seconds: float = 1.0, seed: int = 0) -> list[np.ndarray]:
    """``n`` windows of ``seconds``: healthy, then an outer-race fault in the last quarter."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        fault = "outer" if i >= 3 * n // 4 else "healthy"
        wave = simulate_bearing(fault, rng=rng, fs=FS, duration_s=seconds, shaft_hz=SPEED_HZ)
        out.append(0.1 * wave.samples)
    return out


def _fleet(store: Store, points: int) -> list[str]:
    store.add_site("plant")
    store.add_machine("plant", "fan", profile="electric_motor", iso_group=2)
    store.add_component("plant/fan", "DE", kind="bearing", designation="6205")
    return [
        store.add_point(
            "plant/fan", f"P{k}", sensor="accelerometer", unit="g", fs_hz=FS, components=["DE"]
        ).path
        for k in range(points)
    ]


def _bare(samples: np.ndarray, context: ProcessingContext) -> str:
    results = process(Recording((Waveform(samples, FS, unit="g", channel="P"),)), context)
    diagnoses = results.diagnoses
    return "" if diagnoses is None else diagnoses.main.verdict


def _ingest(store: Store, item: IncomingSamples) -> str:
    return ingest(store, item, IngestSettings()).status


def _bare_all(items: list[np.ndarray], context: ProcessingContext) -> list[str]:
    return [_bare(w, context) for w in items]


def _ingest_all(store: Store, items: list[IncomingSamples]) -> list[str]:
    """One point's measurements, in order: a point's baselines and alarm states are sequential,
    so each point is processed by one worker at a time."""
    return [_ingest(store, item) for item in items]


def _run(
    executor: Executor | None, fn: Any, args: list[tuple[Any, ...]]
) -> tuple[float, list[Any]]:
    t0 = time.perf_counter()
    if executor is None:
        out = [fn(*a) for a in args]
    else:
        out = list(executor.map(fn, *zip(*args, strict=True)))
    return time.perf_counter() - t0, out


def measure(
    n: int, workers: int, url: str | None, warmup: int, seconds: float = 1.0
) -> dict[str, Any]:
    """Time the bare chain and ingest on the same ``n`` windows with ``workers`` processes,
    after ``warmup`` measurements per point (untimed) have taught the baselines."""
    data = windows(warmup * workers + n, seconds)
    with tempfile.TemporaryDirectory(prefix="openphm-bench-") as home, _schema(url) as scoped:
        store = Store.open(Path(home) / "store", scoped)
        # One point per worker, so that each point's measurements keep their order.
        points = _fleet(store, workers)
        point = store.point(points[0])
        machine = store.machine(point.machine_id)
        context = context_for_point(
            point, machine, store.components(machine.id), None, None, SPEED_HZ
        )
        items = [
            IncomingSamples(
                points[i % workers], START + timedelta(minutes=i), FS, "g", w, speed_hz=SPEED_HZ
            )
            for i, w in enumerate(data)
        ]
        first, timed = items[: warmup * workers], items[warmup * workers :]
        for item in first:
            _ingest(store, item)
        pool = ProcessPoolExecutor(workers) if workers > 1 else None
        try:
            # Start the workers and load the chain's modules in each before timing.
            _run(pool, _bare, [(w, context) for w in data[:workers]])
            per_point = [[i for i in timed if i.point == p] for p in points]
            bare_s, verdicts_by = _run(
                pool, _bare_all, [([i.samples for i in group], context) for group in per_point]
            )
            ingest_s, statuses_by = _run(pool, _ingest_all, [(store, g) for g in per_point])
            verdicts = [v for group in verdicts_by for v in group]
            statuses = [v for group in statuses_by for v in group]
        finally:
            if pool is not None:
                pool.shutdown()
        stored = len(store.measurements(status="processed")) - len(first)
        store.close()
    return {
        "backend": "postgresql" if url else "sqlite",
        "workers": workers,
        "windows": n,
        "seconds": seconds,
        "bare_per_s": n / bare_s,
        "ingest_per_s": n / ingest_s,
        "ratio": bare_s / ingest_s,
        "stored_and_processed": stored,
        "refused": sum(s == "refused" for s in statuses),
        "faults_found": sum(v not in ("healthy", "") for v in verdicts),
    }


@contextmanager
def _schema(url: str | None) -> Iterator[str | None]:
    """A fresh PostgreSQL schema for one run (dropped afterwards); SQLite needs none."""
    if url is None:
        yield None
        return
    base = make_url(url)
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=24, help="measurements per run")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=1.0, help="length of each window, s")
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed measurements per point first (baselines)"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("OPENPHM_TEST_DATABASE_URL") or None
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    urls: list[str | None] = [None] + ([args.database_url] if args.database_url else [])
    rows = [
        measure(args.windows, w, url, args.warmup, args.seconds)
        for url in urls
        for w in args.workers
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'backend':<11}{'workers':>8}{'bare/s':>9}{'ingest/s':>10}{'ratio':>8}{'stored':>8}")
    for r in rows:
        print(
            f"{r['backend']:<11}{r['workers']:>8}{r['bare_per_s']:>9.2f}{r['ingest_per_s']:>10.2f}"
            f"{r['ratio']:>8.2f}{r['stored_and_processed']:>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
