"""Bearing diagnosis at varying speed: order-tracked versus the constant-speed chain.

Simulated records (the test suite's simulator, ``tests/helpers/bearing_sim.py``: impacts ringing
a 3 kHz resonance, 1 % random slip, load-zone modulation, shaft harmonics, white noise; 4 s at
12 kHz) of outer-race, inner-race, rolling-element faults and healthy bearings whose speed
changes linearly during the record: a run-up 20 -> 35 Hz, a run-down 35 -> 20 Hz and a slow
drift 27 -> 29 Hz (7 %). Each record is diagnosed three ways:

- ``constant``: the baseline, ``diagnose_bearing`` at the record's mean speed (what a
  constant-speed tool does; its speed refinement is left on);
- ``profile``: order-tracked with the true speed profile (``SpeedTrack(speed_profile_hz=...)``);
- ``tacho``: order-tracked from a simulated once-per-revolution tachometer.

It prints how many records each way diagnoses correctly (a fault record counts when the verdict
names its fault, a healthy one when it is "healthy") and the time per record, as a ratio to the
baseline timed in the same run.

Usage: ``python benchmarks/variable_speed.py [--seeds N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bearing_sim import ramp_profile, simulate_bearing, tacho_signal

from openphm.diagnose import SpeedTrack, diagnose_bearing
from openphm.signal.order import tacho_pulse_times

FAULTS = ("outer", "inner", "ball", "healthy")
RAMPS = {
    "run-up 20->35 Hz": (20.0, 35.0),
    "run-down 35->20 Hz": (35.0, 20.0),
    "drift 27->29 Hz": (27.0, 29.0),
}
SNRS_DB = (-5.0, -10.0)
METHODS = ("constant", "profile", "tacho")


def run(seeds: int) -> dict[str, object]:
    """Diagnose every simulated record three ways; return the counts and timings."""
    correct = {m: {r: dict.fromkeys(FAULTS, 0) for r in RAMPS} for m in METHODS}
    seconds = dict.fromkeys(METHODS, 0.0)
    n_per_cell = seeds * len(SNRS_DB)
    for ramp, (a, b) in RAMPS.items():
        for fault in FAULTS:
            for snr in SNRS_DB:
                for seed in range(seeds):
                    rng = np.random.default_rng(1000 * seed + int(-snr))
                    w = simulate_bearing(
                        fault, rng=rng, shaft_hz=a, ramp_to_hz=b, snr_db=snr, gear_teeth=27
                    )
                    tracks = {
                        "profile": SpeedTrack(speed_profile_hz=ramp_profile(a, b, w)),
                        "tacho": SpeedTrack(
                            tacho_pulses_s=tacho_pulse_times(tacho_signal(a, b, w), w.fs)
                        ),
                    }
                    for method in METHODS:
                        t0 = time.perf_counter()
                        if method == "constant":
                            d = diagnose_bearing(w, "6205", 0.5 * (a + b))
                        else:
                            d = diagnose_bearing(w, "6205", track=tracks[method])
                        seconds[method] += time.perf_counter() - t0
                        correct[method][ramp][fault] += d.verdict == fault
    n_records = len(RAMPS) * len(FAULTS) * n_per_cell
    per_record = {m: seconds[m] / n_records for m in METHODS}
    return {
        "records_per_cell": n_per_cell,
        "records": n_records,
        "correct": correct,
        "total_correct": {m: sum(sum(c.values()) for c in correct[m].values()) for m in METHODS},
        "seconds_per_record": per_record,
        "time_ratio_to_constant": {m: per_record[m] / per_record["constant"] for m in METHODS},
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="records per fault, ramp and SNR")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.seeds)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    n = result["records_per_cell"]
    print(f"correct out of {n} per cell (SNR {SNRS_DB} dB x {args.seeds} seeds)")
    print(f"{'ramp':<20} {'fault':<8} " + " ".join(f"{m:>9}" for m in METHODS))
    correct = result["correct"]
    assert isinstance(correct, dict)
    for ramp in RAMPS:
        for fault in FAULTS:
            row = " ".join(f"{correct[m][ramp][fault]:>9}" for m in METHODS)
            print(f"{ramp:<20} {fault:<8} {row}")
    print(f"total out of {result['records']}: {result['total_correct']}")
    print(f"seconds per record: {result['seconds_per_record']}")
    print(f"time ratio to the constant-speed chain: {result['time_ratio_to_constant']}")


if __name__ == "__main__":
    main()
