"""Bearing diagnosis from several short snapshots, against one snapshot and one long record.

Monitoring systems keep short records (a second or two every few minutes) rather than long
ones. One short snapshot holds too little of a weak fault; ``diagnose_bearing`` given several
snapshots of one machine state averages their squared-envelope spectra (in orders of each
snapshot's speed when the files state it). This script measures what that buys:

- simulated 6205 records (``tests/helpers/bearing_sim.py``), 1 s snapshots at -10 and -15 dB:
  one snapshot, ten averaged at a constant speed, and ten whose speed wanders (0.5 % r.m.s.)
  with and without each snapshot's speed stated;
- the 60 CWRU drive-end records and the baseline 97, each cut into ten 1 s snapshots (four
  for 97, 48 kHz): the first snapshot alone, the ten averaged, and the whole record.

A record counts when the verdict names its condition. Time is the averaged diagnosis over
the one-snapshot diagnosis, in the same run.

Usage: ``OPENPHM_DATA=../shared/data python benchmarks/snapshots.py [--seeds N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bearing_sim import simulate_bearing

from openphm.acquire.datasets.cwru import cwru_records, load_cwru
from openphm.core.waveform import Waveform
from openphm.diagnose import diagnose_bearing

CONDITIONS = ("outer", "inner", "ball", "healthy")
FAULTS = ("outer", "inner", "ball", "cage")
SNRS_DB = (-10.0, -15.0)
SHAFT_HZ = 29.95
N_SNAPSHOTS = 10
SNAPSHOT_S = 1.0
WANDER = 0.005


def _timed(f: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = f(*args)
    return out, time.perf_counter() - t0


def simulated(seeds: int) -> dict[str, Any]:
    """Right verdicts per way of reading the snapshots, by SNR, and the time ratio."""
    right: dict[str, Counter[str]] = {}
    seconds = {"one": 0.0, "averaged": 0.0}
    for snr in SNRS_DB:
        c = right.setdefault(f"{snr:g} dB", Counter())
        for fault in CONDITIONS:
            for seed in range(seeds):
                rng = np.random.default_rng(seed)
                steady = [
                    simulate_bearing(fault, rng=rng, duration_s=SNAPSHOT_S, snr_db=snr)
                    for _ in range(N_SNAPSHOTS)
                ]
                wandering = []
                for _ in range(N_SNAPSHOTS):
                    f = SHAFT_HZ * (1.0 + WANDER * rng.standard_normal())
                    w = simulate_bearing(
                        fault, rng=rng, duration_s=SNAPSHOT_S, snr_db=snr, shaft_hz=f
                    )
                    wandering.append(replace(w, speed_hz=f))
                unstated = [replace(w, speed_hz=None) for w in wandering]
                one, t_one = _timed(diagnose_bearing, steady[0], "6205", SHAFT_HZ)
                avg, t_avg = _timed(diagnose_bearing, steady, "6205", SHAFT_HZ)
                seconds["one"] += t_one
                seconds["averaged"] += t_avg
                c["records"] += 1
                c["one snapshot"] += one.verdict == fault
                c["ten averaged"] += avg.verdict == fault
                c["ten, speed wandering, stated"] += (
                    diagnose_bearing(wandering, "6205").verdict == fault
                )
                c["ten, speed wandering, not stated"] += (
                    diagnose_bearing(unstated, "6205", SHAFT_HZ).verdict == fault
                )
                c["healthy called faulty"] += fault == "healthy" and avg.verdict in CONDITIONS[:3]
    return {
        "by_snr": {k: dict(v) for k, v in right.items()},
        "time_ratio_averaged_to_one": seconds["averaged"] / seconds["one"],
    }


def _cut(w: Waveform, n: int, seconds: float) -> list[Waveform]:
    """Up to ``n`` consecutive snapshots of ``seconds`` each from the start of ``w``."""
    size = round(seconds * w.fs)
    count = min(n, w.n_samples // size)
    return [
        replace(w, samples=w.samples[i * size : (i + 1) * size], source=f"{w.source}#{i + 1}")
        for i in range(count)
    ]


def cwru(
    root: str,
    records: Sequence[int] | None = None,
    seconds: float = SNAPSHOT_S,
    count: int = N_SNAPSHOTS,
) -> dict[str, Any]:
    """CWRU drive-end records: the first snapshot, ``count`` averaged, and the whole record."""
    c: Counter[str] = Counter()
    rows = []
    for info in cwru_records(root):
        if records is not None and info.record not in records:
            continue
        w = load_cwru(info, root)["DE"]
        speed = w.speed_hz if w.speed_hz is not None else info.rpm_nominal / 60.0
        truth = "healthy" if info.fault == "normal" else info.fault
        snaps = _cut(w, count, seconds)
        verdicts = {
            "one snapshot": diagnose_bearing(snaps[0], "6205", speed).verdict,
            "snapshots averaged": diagnose_bearing(snaps, "6205", speed).verdict,
            "whole record": diagnose_bearing(w, "6205", speed).verdict,
        }
        key = "baseline 97" if info.fault == "normal" else "fault records"
        c[f"{key}: records"] += 1
        for way, verdict in verdicts.items():
            c[f"{key}: {way}"] += verdict == truth
            c[f"wrong fault verdicts: {way}"] += verdict in FAULTS and verdict != truth
        rows.append({"record": info.record, "label": truth, "snapshots": len(snaps), **verdicts})
    return {"counts": dict(c), "records": rows}


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="simulated records per case")
    parser.add_argument(
        "--snapshot-s", type=float, default=SNAPSHOT_S, help="CWRU snapshot length, s"
    )
    parser.add_argument("--count", type=int, default=N_SNAPSHOTS, help="CWRU snapshots averaged")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    out: dict[str, Any] = {"simulated": simulated(args.seeds)}
    root = os.environ.get("OPENPHM_DATA", "")
    if root:
        out["cwru"] = cwru(root, None, args.snapshot_s, args.count)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    sim = out["simulated"]
    for snr, counts in sim["by_snr"].items():
        print(f"simulated 6205, 1 s snapshots, {snr}:")
        for key, value in counts.items():
            print(f"  {key:36s} {value}")
    print(f"time, ten averaged / one: {sim['time_ratio_averaged_to_one']:.2f} x")
    if "cwru" in out:
        print(f"CWRU drive end, {args.count} snapshots of {args.snapshot_s:g} s:")
        for key, value in out["cwru"]["counts"].items():
            print(f"  {key:36s} {value}")


if __name__ == "__main__":
    main()
