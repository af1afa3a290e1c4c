"""Telemetry table ingestion rate (issue 19): rows per second stored only, and stored and judged.

A CSV of ``--rows`` readings of three named values (two correlated leg pressures and an oil
temperature, one per minute) goes into a fresh SQLite store three ways, in one process: rows only
(``process=False``), rows judged value by value and jointly (PCA), and the same again on a table
already stored (every row a duplicate). Ratios are against the store-only rate of the same run.

Usage: ``python benchmarks/telemetry_ingest.py [--rows 500]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from openphm.pipeline.telemetry import ingest_table
from openphm.store import Store


def _table(path: Path, rows: int, rng: np.random.Generator) -> Path:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    load = rng.normal(size=rows)
    lines = ["time,left,right,oil_temp"]
    for i in range(rows):
        at = (start + timedelta(minutes=i)).isoformat()
        lines.append(
            f"{at},{30 + load[i] + 0.05 * rng.normal():.4f},"
            f"{30 + load[i] + 0.05 * rng.normal():.4f},{45 + 0.2 * rng.normal():.4f}"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def _store(home: Path) -> Store:
    store = Store.open(home)
    store.add_site("face")
    store.add_machine("face", "shield", profile="hydraulic_roof_support")
    store.add_point("face/shield", "P", sensor="pressure", unit="MPa", fs_hz=1.0)
    return store


def main() -> None:
    """Print rows per second and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table = _table(Path(tmp) / "legs.csv", args.rows, np.random.default_rng(0))
        rates = {}
        for name, process in (("store only", False), ("store and judge", True)):
            store = _store(Path(tmp) / name.replace(" ", "-"))
            t0 = time.perf_counter()
            out = ingest_table(store, table, "face/shield/P", process=process)
            rates[name] = out.stored / (time.perf_counter() - t0)
            if process:
                t0 = time.perf_counter()
                again = ingest_table(store, table, "face/shield/P")
                rates["duplicates"] = again.duplicates / (time.perf_counter() - t0)
            store.close()
    base = rates["store only"]
    for name, rate in rates.items():
        print(f"{name:18s} {rate:8.1f} rows/s   ratio {rate / base:5.2f}")


if __name__ == "__main__":
    main()
