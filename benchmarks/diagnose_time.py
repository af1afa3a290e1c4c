"""Time of one bearing diagnosis against record length, as a ratio to a plain FFT of the record.

Simulated outer-race records (``tests/helpers/bearing_sim.py``, -10 dB, 25 Hz shaft, 6205
orders, resonance at a third of the sampling rate) at the rates and durations of common test
rigs and monitoring systems. Each record is diagnosed from scratch (the fast kurtogram's filter
plan is rebuilt for every new record length, as it is for real files whose lengths differ); the
baseline is ``numpy.fft.rfft`` of the same record, timed in the same run. The fastest of
``--repeats`` runs counts.

Usage: ``python benchmarks/diagnose_time.py [--repeats R] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bearing_sim import simulate_bearing

from openphm.diagnose import diagnose_bearing
from openphm.signal import kurtogram

#: (sampling rate in Hz, duration in s): CWRU 12 kHz, a 25.6 kHz analyser, a 64 kHz rig and a
#: 97.7 kHz rig, and a minute at 51.2 kHz.
CASES = ((12000.0, 10.0), (25600.0, 10.0), (64000.0, 4.0), (97656.0, 6.0), (51200.0, 60.0))


def best_of(repeats: int, work: object) -> float:
    """Fastest wall time of ``repeats`` calls of ``work``, s."""
    times = []
    for _ in range(repeats):
        kurtogram._plan.cache_clear()
        t0 = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def run(repeats: int) -> list[dict[str, float | str]]:
    """Diagnose one record per case; return the times and ratios."""
    rows: list[dict[str, float | str]] = []
    for fs, duration in CASES:
        w = simulate_bearing(
            "outer",
            rng=np.random.default_rng(1),
            fs=fs,
            duration_s=duration,
            shaft_hz=25.0,
            snr_db=-10.0,
            resonance_hz=fs / 3.0,
        )
        verdict = diagnose_bearing(w, "6205").verdict
        diagnose_s = best_of(repeats, lambda w=w: diagnose_bearing(w, "6205"))
        fft_s = best_of(repeats, lambda w=w: np.fft.rfft(w.samples))
        rows.append(
            {
                "fs_hz": fs,
                "duration_s": duration,
                "samples": float(w.n_samples),
                "verdict": verdict,
                "diagnose_s": diagnose_s,
                "rfft_s": fft_s,
                "ratio": diagnose_s / fft_s,
            }
        )
    return rows


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per case; the fastest counts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    rows = run(args.repeats)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    head = ("fs Hz", "s", "samples", "verdict", "diagnose s", "rfft s", "ratio")
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, (8, 5, 9, 8, 11, 8, 5), strict=True)))
    for r in rows:
        print(
            f"{r['fs_hz']:>8.0f} {r['duration_s']:>5.0f} {r['samples']:>9.0f} {r['verdict']:>8} "
            f"{r['diagnose_s']:>11.3f} {r['rfft_s']:>8.4f} {r['ratio']:>5.0f}"
        )


if __name__ == "__main__":
    main()
