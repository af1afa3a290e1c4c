"""Bearing diagnosis on simulated records of other rigs' bearings, speeds and rates.

The CWRU benchmark measures one bearing (SKF 6205) on one rig. This script checks that the same
fixed configuration carries to the geometries, speeds and sampling rates of other public test
rigs and of heavy machines, on records simulated with the test suite's simulator
(``tests/helpers/bearing_sim.py``: impacts ringing a resonance, 1 % random slip, load-zone
modulation, shaft harmonics, white noise; half of the records add a 27-tooth gear-mesh tone).
Each case diagnoses outer-race, inner-race, rolling-element and healthy records at -5 and
-10 dB with several seeds; a record counts when the verdict names its condition. Time per
record is given as a ratio to a plain ``numpy.fft.rfft`` of the same record, timed in the run.

Usage: ``python benchmarks/other_bearings.py [--seeds N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bearing_sim import simulate_bearing

from openphm.core import BearingGeometry
from openphm.diagnose import diagnose_bearing
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import get_bearing

CONDITIONS = ("outer", "inner", "ball", "healthy")
SNRS_DB = (-5.0, -10.0)


@dataclass(frozen=True)
class Case:
    """One rig: bearing, speed, record and how the rings turn."""

    name: str
    geometry: BearingGeometry
    shaft_hz: float
    fs: float
    duration_s: float
    resonance_hz: float
    rotating_ring: str = "inner"


def _catalogue(designation: str) -> BearingGeometry:
    geometry = get_bearing(designation).geometry
    assert geometry is not None
    return geometry


CASES = (
    Case("CWRU 6205, 1797 r/min, 12 kHz, 4 s", _catalogue("6205"), 29.95, 12000.0, 4.0, 3000.0),
    Case(
        "Paderborn 6203, 1500 r/min, 64 kHz, 4 s",
        _catalogue("KAt"),
        25.0,
        64000.0,
        4.0,
        9000.0,
    ),
    Case(
        "XJTU-SY UER204, 2100 r/min, 25.6 kHz, 1.28 s",
        _catalogue("XJTU-SY"),
        35.0,
        25600.0,
        1.28,
        5000.0,
    ),
    # IMS rig (Qiu et al. 2006, J. Sound Vib. 289): Rexnord ZA-2115, 16 rollers of 0.331 in on a
    # 2.815 in pitch circle, contact angle 15.17 deg, 2000 r/min, 20.48 kHz, 1 s records.
    Case(
        "IMS ZA-2115, 2000 r/min, 20.48 kHz, 1 s",
        BearingGeometry(16, 0.331, 2.815, 15.17, "ZA-2115"),
        33.33,
        20480.0,
        1.0,
        4000.0,
    ),
    Case(
        "slewing ring, 100 rollers, 3 r/min, 2.56 kHz, 450 s",
        BearingGeometry(100, 60.0, 3000.0, 0.0, "slewing ring"),
        0.05,
        2560.0,
        450.0,
        600.0,
    ),
    Case(
        "6205 with its outer ring turning (hub), 600 r/min, 12 kHz, 10 s",
        _catalogue("6205"),
        10.0,
        12000.0,
        10.0,
        3000.0,
        "outer",
    ),
)


def run(seeds: int) -> list[dict[str, object]]:
    """Diagnose every case's simulated records; return the counts and timings per case."""
    rows: list[dict[str, object]] = []
    for case in CASES:
        o = fault_frequencies(case.geometry, case.rotating_ring)
        orders = {"outer": o.bpfo, "inner": o.bpfi, "ball": o.two_bsf, "cage": o.ftf}
        correct = dict.fromkeys(CONDITIONS, 0)
        by_snr = {f"{snr:g} dB": 0 for snr in SNRS_DB}
        seconds = fft_seconds = 0.0
        for condition in CONDITIONS:
            for snr in SNRS_DB:
                for seed in range(seeds):
                    w = simulate_bearing(
                        condition,
                        rng=np.random.default_rng(1000 * seed + int(-snr)),
                        fs=case.fs,
                        duration_s=case.duration_s,
                        shaft_hz=case.shaft_hz,
                        snr_db=snr,
                        orders=orders,
                        resonance_hz=case.resonance_hz,
                        gear_teeth=27 if seed % 2 else 0,
                        rotating_ring=case.rotating_ring,
                    )
                    t0 = time.perf_counter()
                    d = diagnose_bearing(
                        w, case.geometry, case.shaft_hz, rotating_ring=case.rotating_ring
                    )
                    t1 = time.perf_counter()
                    np.fft.rfft(w.samples)
                    fft_seconds += time.perf_counter() - t1
                    seconds += t1 - t0
                    correct[condition] += d.verdict == condition
                    by_snr[f"{snr:g} dB"] += d.verdict == condition
        n = len(CONDITIONS) * len(SNRS_DB) * seeds
        rows.append(
            {
                "case": case.name,
                "correct": correct,
                "per_condition": len(SNRS_DB) * seeds,
                "correct_by_snr": by_snr,
                "per_snr": len(CONDITIONS) * seeds,
                "total_correct": sum(correct.values()),
                "total": n,
                "seconds_per_record": seconds / n,
                "ratio_to_rfft": seconds / max(fft_seconds, 1e-12),
            }
        )
    return rows


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="records per condition and SNR")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    rows = run(args.seeds)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for r in rows:
        c = r["correct"]
        assert isinstance(c, dict)
        per = ", ".join(f"{k} {v}/{r['per_condition']}" for k, v in c.items())
        snr = r["correct_by_snr"]
        assert isinstance(snr, dict)
        per += "; " + ", ".join(f"{k}: {v}/{r['per_snr']}" for k, v in snr.items())
        print(
            f"{r['case']}: {r['total_correct']}/{r['total']} ({per}); "
            f"{r['seconds_per_record']:.3f} s per record, {r['ratio_to_rfft']:.0f} x rfft"
        )


if __name__ == "__main__":
    main()
