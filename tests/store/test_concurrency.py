"""Two processes ingesting into one store at once, and the kill -9 test (small version)."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from openphm.store import ResultRow, Store
from tests.conftest import StoreTarget

T0 = datetime(2024, 1, 1, tzinfo=UTC)
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "kill_ingest.py"


def _ingest(home: str, url: str | None, worker: int, n: int) -> list[tuple[int, int, str]]:
    """Ingest ``n`` items, the first five shared by every worker; returns (item, id, status)."""
    out = []
    with Store.open(home, url, migrate=False) as store:
        for i in range(n):
            key = i if i < 5 else 1000 * (worker + 1) + i
            outcome = store.add_measurement(
                "plant/fan/DE-H",
                data=f"item {key}".encode() * 200,
                original_name=f"{key}.csv",
                acquired_at=T0 + timedelta(seconds=key),
                fs_hz=1000.0,
                n_samples=200,
            )
            if outcome.status == "stored":
                store.add_results(outcome.measurement_id, [ResultRow("k", {})], {"rms": 1.0})
            out.append((key, outcome.measurement_id, outcome.status))
    return out


def test_two_processes_ingesting_at_once_do_not_corrupt_the_store(
    store_target: StoreTarget, store: Store, point: int
) -> None:
    n = 25
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        runs = pool.starmap(
            _ingest, [(str(store_target.home), store_target.url, w, n) for w in range(2)]
        )
    ids = {key: mid for run in runs for key, mid, _ in run}
    for run in runs:
        assert all(ids[key] == mid for key, mid, _ in run)
    statuses = [status for run in runs for key, _, status in run if key < 5]
    assert statuses.count("stored") == 5 and statuses.count("duplicate") == 5
    rows = store.measurements()
    assert len(rows) == 2 * n - 5 == len(set(ids.values()))
    assert all(r.status == "processed" for r in rows)
    assert store.check().ok


@pytest.mark.slow
def test_kill_minus_nine_loses_nothing_acknowledged(store_target: StoreTarget) -> None:
    kills = 10 if store_target.backend == "sqlite" else 5
    cmd = [sys.executable, str(SCRIPT), "--kills", str(kills), "--json", "--seed", "3"]
    cmd += ["--home", str(store_target.home)]
    cmd += ["--database-url", store_target.url] if store_target.url else []
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["kills"] == kills
    assert (out["lost"], out["partial"], out["duplicates"]) == (0, 0, 0)
