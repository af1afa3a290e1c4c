"""Diagnosis of several bearings one sensor hears: real CWRU channels and a simulated gearbox.

A sensor hears every bearing along the load path. Diagnosed alone, the bearing it was placed
for can only call another bearing's fault an unexplained series ("undetermined");
:func:`openphm.diagnose.diagnose_bearings` matches every bearing's patterns in the same
spectra and gives each series to its bearing. Three measurements:

1. CWRU (``OPENPHM_DATA``): on every record with a drive-end (DE, SKF 6205) and a fan-end
   (FE, SKF 6203) channel, each channel is diagnosed for both bearings at once and, as the
   baseline, for each bearing alone. The seeded faults are all in the DE bearing, so the
   truth is the record's label for the DE bearing and "healthy" for the FE bearing (the data
   set says nothing of the FE bearing's state in these records; any fault called there counts
   against us).
2. A simulated gearbox stage (``tests/helpers/bearing_sim.py``): a 6205 on the input shaft
   (29.95 Hz) and a 6203 on the output shaft at 23/71 of its speed, with the 23/71-tooth mesh; a
   fault (outer, inner, ball) in one of them or none, -5 dB, 10 s at 12 kHz. Right when both
   bearings' verdicts name their conditions.
3. Two faults at once, one in each of two bearings on one shaft (simulated): both named, and
   each found as often as by diagnosing its bearing alone?

Time is the ratio of the several-bearing diagnosis to the one-bearing diagnosis of the same
record, timed in the same run.

Usage: ``python benchmarks/several_bearings.py [--seeds N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bearing_sim import simulate_bearing

from openphm.acquire.datasets.cwru import cwru_records, load_cwru
from openphm.core import BearingPosition, FaultFrequencies, Waveform
from openphm.diagnose import diagnose_bearing, diagnose_bearings
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import get_bearing

BEARINGS = {"DE": "6205", "FE": "6203"}
#: Input shaft speed (Hz), gear teeth (input, output) and the output's speed ratio.
SHAFT_HZ = 29.95
TEETH = (23, 71)
RATIO = TEETH[0] / TEETH[1]
FAULTS = ("outer", "inner", "ball")


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def cwru(root: str) -> dict[str, object]:
    """Counts per sensor: DE-bearing verdicts right, FE bearing called healthy; both ways."""
    counts: dict[str, Counter[str]] = {"DE": Counter(), "FE": Counter()}
    seconds = {"several": 0.0, "one": 0.0}
    for info in cwru_records(root):
        rec = load_cwru(info, root)
        truth = {"DE": "healthy" if info.fault == "normal" else info.fault, "FE": "healthy"}
        for sensor in ("DE", "FE"):
            if sensor not in rec.channel_names:
                continue
            w = rec[sensor]
            order = [sensor, "FE" if sensor == "DE" else "DE"]
            both, t_both = _timed(diagnose_bearings, w, {b: BEARINGS[b] for b in order})
            c = counts[sensor]
            c["records"] += 1
            for bearing in ("DE", "FE"):
                alone, t_one = _timed(diagnose_bearing, w, BEARINGS[bearing])
                if bearing == sensor:
                    seconds["one"] += t_one
                c[f"{bearing} right, alone"] += alone.verdict == truth[bearing]
                c[f"{bearing} right, both"] += both[bearing].verdict == truth[bearing]
                c[f"{bearing} undetermined, alone"] += alone.verdict == "undetermined"
                c[f"{bearing} undetermined, both"] += both[bearing].verdict == "undetermined"
            seconds["several"] += t_both
    return {
        "by_sensor": {k: dict(v) for k, v in counts.items()},
        "time_ratio_several_to_one": seconds["several"] / seconds["one"],
    }


def _shaft_lines(shaft_hz: float, n: int, fs: float, level: float) -> np.ndarray:
    """Three harmonics of a shaft (amplitudes ``level / k``), as the simulator adds its own."""
    revs = shaft_hz * np.arange(n) / fs
    return level * sum(np.sin(2 * np.pi * k * revs + k) / k for k in (1, 2, 3))


def gearbox(seeds: int) -> dict[str, object]:
    """Simulated two-shaft stage: both bearings' verdicts right, with and without the other.

    The faulty bearing's shaft is simulated (impacts, slip, load-zone modulation, noise, its
    shaft harmonics and the mesh tone at its gear's tooth count), and the other shaft adds its
    harmonics; a healthy bearing adds nothing else.
    """
    orders = {}
    for name, designation in (("in", "6205"), ("out", "6203")):
        g = get_bearing(designation).geometry
        assert g is not None
        o = fault_frequencies(g)
        orders[name] = {"outer": o.bpfo, "inner": o.bpfi, "ball": o.two_bsf, "cage": o.ftf}
    shaft = {"in": SHAFT_HZ, "out": SHAFT_HZ * RATIO}
    teeth = {"in": TEETH[0], "out": TEETH[1]}
    cases = [("healthy", "healthy")]
    cases += [(f, "healthy") for f in FAULTS] + [("healthy", f) for f in FAULTS]
    right: Counter[str] = Counter()
    seconds = {"several": 0.0, "one": 0.0}
    for seed in range(seeds):
        for i, (state_in, state_out) in enumerate(cases):
            rng = np.random.default_rng(1000 * seed + i)
            side = "out" if state_out != "healthy" else "in"
            state = state_out if side == "out" else state_in
            part = simulate_bearing(
                state,
                rng=rng,
                duration_s=10.0,
                shaft_hz=shaft[side],
                snr_db=-5.0,
                orders=orders[side],
                gear_teeth=teeth[side],
            ).samples
            other = "in" if side == "out" else "out"
            level = 0.2 * float(np.std(part))
            x = part + _shaft_lines(shaft[other], part.size, 12000.0, level)
            w = Waveform(x, 12000.0)
            positions = {"in": "6205", "out": BearingPosition("6203", speed_ratio=RATIO)}
            found, t_both = _timed(diagnose_bearings, w, positions, SHAFT_HZ)
            alone, t_one = _timed(diagnose_bearing, w, "6205", SHAFT_HZ)
            seconds["several"] += t_both
            seconds["one"] += t_one
            key = "healthy" if state == "healthy" else f"{side}put fault"
            right[f"{key}: records"] += 1
            right[f"{key}: both right"] += (
                found["in"].verdict == state_in and found["out"].verdict == state_out
            )
            right[f"{key}: input bearing right, diagnosed alone"] += alone.verdict == state_in
            right[f"{key}: input bearing undetermined, diagnosed alone"] += (
                alone.verdict == "undetermined"
            )
    return {
        "counts": dict(right),
        "time_ratio_several_to_one": seconds["several"] / seconds["one"],
    }


#: Fault orders of the second bearing of the two-fault case (close to the SKF 6203).
SECOND = {"outer": 3.05, "inner": 4.95, "ball": 3.9, "cage": 0.381}
PAIRS = (("outer", "inner"), ("inner", "outer"), ("outer", "outer"), ("inner", "inner"))
PAIRS += (("ball", "outer"),)


def two_faults(seeds: int) -> dict[str, int]:
    """One fault in each of two bearings on one shaft, at once (each -5 dB, 8 s, 12 kHz).

    Counts the records where both are named, and each bearing's fault found by the
    several-bearing diagnosis and by diagnosing that bearing alone.
    """
    second = FaultFrequencies(ftf=0.381, bsf=1.95, bpfo=3.05, bpfi=4.95)
    counts: Counter[str] = Counter()
    for seed in range(seeds):
        for fault_a, fault_b in PAIRS:
            a = simulate_bearing(
                fault_a, rng=np.random.default_rng(seed), snr_db=-5.0, duration_s=8.0
            )
            b = simulate_bearing(
                fault_b,
                rng=np.random.default_rng(100 + seed),
                snr_db=-5.0,
                orders=SECOND,
                duration_s=8.0,
                resonance_hz=4200.0,
            )
            w = Waveform(a.samples + b.samples, 12000.0)
            found = diagnose_bearings(w, {"a": "6205", "b": second}, SHAFT_HZ)
            counts["records"] += 1
            counts["both named"] += found["a"].verdict == fault_a and found["b"].verdict == fault_b
            counts["bearing a, several"] += found["a"].verdict == fault_a
            counts["bearing b, several"] += found["b"].verdict == fault_b
            counts["bearing a, alone"] += diagnose_bearing(w, "6205", SHAFT_HZ).verdict == fault_a
            counts["bearing b, alone"] += diagnose_bearing(w, second, SHAFT_HZ).verdict == fault_b
    return dict(counts)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="simulated records per case")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    root = os.environ.get("OPENPHM_DATA", "")
    out: dict[str, object] = {"gearbox": gearbox(args.seeds), "two faults": two_faults(args.seeds)}
    if root:
        out["cwru"] = cwru(root)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for part, figures in out.items():
        print(f"== {part}")
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
