"""Shaft speed estimated from the signal alone, on real CWRU channels.

Every drive-end and fan-end channel of the CWRU set is given to
:func:`openphm.diagnose.speed.shaft_speed` without a speed, three ways: knowing no bearing,
knowing the bearing the sensor was placed for (drive end SKF 6205, fan end SKF 6203), and
knowing both bearings of the motor; the estimate is compared with the speed the data set
states (right within 1 %). The drive-end channels are then diagnosed
(:func:`openphm.diagnose.diagnose_bearing`, which estimates knowing the 6205) with the estimated
speed, with the stated one, and with a speed a user might give instead (1800 r/min
synchronous, 1750 r/min nameplate; the measured speeds are 1720-1797 r/min), refined within
+-5 % (right = the verdict names the record's label). Time is the
estimate's, as a ratio to a plain ``numpy.fft.rfft`` of the same channel.

Usage: ``OPENPHM_DATA=../shared/data python benchmarks/speed_estimate.py [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter

import numpy as np

from openphm.acquire.datasets.cwru import cwru_records, load_cwru
from openphm.core import ConfigError, Waveform
from openphm.diagnose import diagnose_bearing
from openphm.diagnose.speed import shaft_speed

#: Speeds a user might give for the CWRU motor instead of the measured one: the synchronous
#: speed of a 4-pole motor on 60 Hz and a typical nameplate (rated) speed.
NAMEPLATE_RPM = (1800.0, 1750.0)
#: Impact orders (BPFO, BPFI, 2xBSF) of the CWRU bearings (SKF 6205 drive end, 6203 fan end).
ORDERS = {"DE": (3.5848, 5.4152, 4.7135), "FE": (3.053, 4.9469, 3.9874)}


def run(root: str, records: tuple[int, ...] = ()) -> dict[str, object]:
    """Estimates within 1 % each way, wrong estimates, and diagnoses with each speed.

    ``records`` limits the run to those record numbers (all when empty).
    """
    counts: Counter[str] = Counter()
    wrong: list[dict[str, object]] = []
    seconds = fft_seconds = 0.0
    for info in cwru_records(root):
        if records and info.record not in records:
            continue
        rec = load_cwru(info, root)
        label = "healthy" if info.fault == "normal" else info.fault
        for name in ("DE", "FE"):
            if name not in rec.channel_names:
                continue
            w = rec[name]
            assert w.speed_hz is not None
            counts["channels"] += 1
            ways = {"no bearing": (), "its bearing": ORDERS[name]}
            ways["both bearings"] = ORDERS["DE"] + ORDERS["FE"]
            for way, orders in ways.items():
                t0 = time.perf_counter()
                try:
                    est = shaft_speed(w.samples, w.fs, None, orders).speed_hz
                except ConfigError:
                    est = float("nan")
                seconds += time.perf_counter() - t0
                if abs(est / w.speed_hz - 1.0) < 0.01:
                    counts[f"within 1 %, {way}"] += 1
                elif way == "both bearings":
                    wrong.append(
                        {
                            "record": info.record,
                            "channel": name,
                            "estimate_hz": est,
                            "stated_hz": w.speed_hz,
                            "ratio": est / w.speed_hz,
                        }
                    )
            t1 = time.perf_counter()
            np.fft.rfft(w.samples)
            fft_seconds += 3 * (time.perf_counter() - t1)
            if name == "DE":
                counts["DE records"] += 1
                bare = Waveform(w.samples, w.fs, channel=w.channel)
                right = diagnose_bearing(bare, "6205").verdict == label
                counts["DE right, speed estimated"] += right
                counts["DE right, speed stated"] += diagnose_bearing(w, "6205").verdict == label
                for rpm in NAMEPLATE_RPM:
                    given = diagnose_bearing(bare, "6205", rpm / 60.0).verdict == label
                    counts[f"DE right, {rpm:g} r/min given"] += given
    return {
        "counts": dict(counts),
        "wrong_estimates_both_bearings": wrong,
        "estimate_ratio_to_rfft": seconds / fft_seconds,
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    root = os.environ.get("OPENPHM_DATA", "")
    if not root:
        parser.error("set OPENPHM_DATA to the reference data folder")
    out = run(root)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(json.dumps(out["counts"], indent=2))
    ratios = Counter(f"{r['ratio']:.2f}" for r in out["wrong_estimates_both_bearings"])  # type: ignore[union-attr]
    print(
        "wrong estimates (both bearings) by ratio to the stated speed:",
        dict(sorted(ratios.items())),
    )
    print(f"estimate: {out['estimate_ratio_to_rfft']:.1f} x rfft")


if __name__ == "__main__":
    main()
