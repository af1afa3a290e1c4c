"""kill -9 test of ingestion: kill the ingesting process at random moments, then check the store.

A child process ingests a stream of distinct small waveform files (and, every fifth item, a repeat
of an earlier one) through :meth:`Store.add_measurement`, printing ``ACK <measurement_id> <sha256>
<index>`` (flushed) as soon as it returns, then stores that measurement's results with
:meth:`Store.add_results` (three result rows and two indicator values, in one transaction). On
start it first processes what a previous child left ``stored``. The parent kills it with SIGKILL
after a random delay (log-uniform between 1 ms and 1 s after the child says it is ready, from
a seeded generator: kills land in the file write, the row's transaction and the results'
transaction alike), starts a new one, and repeats. Then it checks:

- lost: acknowledged measurements missing, with another hash, or whose file is missing or wrong;
- partial: rows whose file is missing or hashes wrong (:meth:`Store.check`), and measurements with
  half their results (``processed`` ones must have all 3 results and 2 trend values, ``stored``
  ones none);
- duplicates: the same (point, content, time) stored more than once (the UNIQUE constraint);
- orphans: files without a row (harmless: a kill inside a file write leaves a temporary file; one
  between the file and its row leaves a file that the retry of the same item reuses);
- recovered: measurements a child found acknowledged but unprocessed (a kill between the row's
  transaction and the results') and processed on start.

Exit status 1 when anything is lost, partial or duplicated.

Usage: ``python benchmarks/kill_ingest.py --kills 100 [--seed S] [--json] [--database-url URL]
[--home DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from openphm.store import ResultRow, Store

T0 = datetime(2024, 1, 1, tzinfo=UTC)
POINT = "rig/drive/DE"
N_RESULTS = 3
INDICATORS = ("rms", "kurtosis")
ACK = re.compile(r"^ACK (\d+) ([0-9a-f]{64}) (\d+)$")
REPEAT_EVERY = 5


def item(seed: int, index: int) -> tuple[bytes, datetime]:
    """The stream's item ``index``: file bytes (1 to 200 kB) and acquisition time.

    Every :data:`REPEAT_EVERY`-th item repeats the item three before it (same bytes, same time).
    """
    if index % REPEAT_EVERY == REPEAT_EVERY - 1 and index >= 3:
        return item(seed, index - 3)
    rng = np.random.default_rng([seed, index])
    size = int(rng.integers(1_000, 200_000))
    return rng.bytes(size), T0 + timedelta(seconds=index)


def _process(store: Store, measurement_id: int) -> None:
    rows = [ResultRow(f"kind{k}", {"k": k, "id": measurement_id}) for k in range(N_RESULTS)]
    store.add_results(measurement_id, rows, dict.fromkeys(INDICATORS, 1.0))


def child(home: str, url: str | None, seed: int, start: int) -> None:
    """Ingest the stream from ``start`` on, forever (until killed)."""
    store = Store.open(home, url, migrate=False)
    pending = store.pending()
    for row in pending:
        _process(store, row.id)
    print(f"READY {len(pending)}", flush=True)
    index = start
    while True:
        data, at = item(seed, index)
        outcome = store.add_measurement(
            POINT,
            data=data,
            original_name=f"item{index}.bin",
            acquired_at=at,
            fs_hz=25600.0,
            n_samples=len(data) // 4,
        )
        print(f"ACK {outcome.measurement_id} {outcome.sha256} {index}", flush=True)
        if outcome.status == "stored":
            _process(store, outcome.measurement_id)
        index += 1


def _run_one(cmd: list[str], delay_s: float, acks: list[tuple[int, str, int]]) -> int:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    ready = threading.Event()
    recovered: list[int] = []

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY"):
                recovered.append(int(line.split()[1]))
                ready.set()
            match = ACK.match(line.rstrip("\n"))
            if match:
                acks.append((int(match[1]), match[2], int(match[3])))

    thread = threading.Thread(target=reader)
    thread.start()
    ready.wait(timeout=60.0)
    time.sleep(delay_s)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    thread.join()
    return sum(recovered)


def verify(store: Store, acks: list[tuple[int, str, int]], seed: int) -> dict[str, Any]:
    """Check the store against what was acknowledged (see the module's docstring)."""
    rows = {m.id: m for m in store.measurements()}
    lost = 0
    for measurement_id, sha256, index in acks:
        row = rows.get(measurement_id)
        data, at = item(seed, index)
        path = store.blob_path(measurement_id) if row else None
        if (
            row is None
            or row.content_sha256 != sha256
            or row.acquired_at != at
            or path is None
            or not path.is_file()
            or path.read_bytes() != data
        ):
            lost += 1
    report = store.check(grace_s=0.0)
    partial = len(report.missing) + len(report.corrupt)
    results_per = Counter(r.measurement_id for r in store.results())
    values_per = Counter(t.measurement_id for name in INDICATORS for t in store.trend(POINT, name))
    for row in rows.values():
        expected = (N_RESULTS, len(INDICATORS)) if row.status == "processed" else (0, 0)
        if (results_per[row.id], values_per[row.id]) != expected:
            partial += 1
    keys = Counter((m.point_id, m.content_sha256, m.acquired_at) for m in rows.values())
    statuses = Counter(m.status for m in rows.values())
    return {
        "acked": len(acks),
        "acked_distinct": len({a[0] for a in acks}),
        "lost": lost,
        "partial": partial,
        "duplicates": sum(n - 1 for n in keys.values()),
        "orphans": len(report.orphans),
        "stored_rows": len(rows),
        "processed": statuses["processed"],
        "pending": statuses["stored"],
    }


def run(
    kills: int, seed: int, home: Path, url: str | None, max_delay_s: float = 1.0
) -> dict[str, Any]:
    """Set up a store, kill ``kills`` ingesting children, and verify."""
    with Store.open(home, url) as store:
        store.add_site("rig")
        store.add_machine("rig", "drive", profile="test-rig")
        store.add_point("rig/drive", "DE", sensor="accelerometer", unit="g")
    rng = np.random.default_rng(seed)
    acks: list[tuple[int, str, int]] = []
    recovered = 0
    started = time.perf_counter()
    for _ in range(kills):
        start = max((a[2] for a in acks), default=-1) + 1
        delay = float(np.exp(rng.uniform(np.log(1e-3), np.log(max_delay_s))))
        cmd = [sys.executable, __file__, "--child", "--home", str(home), "--seed", str(seed)]
        cmd += ["--start", str(start)] + (["--database-url", url] if url else [])
        recovered += _run_one(cmd, delay, acks)
    elapsed = time.perf_counter() - started
    with Store.open(home, url) as store:
        out = verify(store, acks, seed)
    return {
        "kills": kills,
        "seed": seed,
        "backend": url.split(":")[0] if url else "sqlite",
        "seconds": round(elapsed, 1),
        "recovered": recovered,
        **out,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--home", default=None, help="store home (default: a temporary folder)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.home, args.database_url, args.seed, args.start)
        return 0
    with tempfile.TemporaryDirectory(prefix="openphm-kill-") as tmp:
        home = Path(args.home) if args.home else Path(tmp)
        out = run(args.kills, args.seed, home, args.database_url)
    if args.json:
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print(f"{key:>15}: {value}")
    return 1 if out["lost"] or out["partial"] or out["duplicates"] else 0


if __name__ == "__main__":
    sys.exit(main())
