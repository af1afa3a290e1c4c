"""Geometry-free bearing diagnosis on the CWRU benchmark records: no bearing given, speed given.

The 60 12 kHz drive-end fault records of ``openphm bench cwru-physics`` (Smith & Randall 2015)
and the normal baseline 97, each diagnosed by
:func:`openphm.diagnose.geometry_free.diagnose_geometry_free` with the record's speed and no
bearing data at all. A record counts as correct when the verdict names its labelled fault; the
known-geometry figure on the same records is 44/60.

Run: ``OPENPHM_DATA=/path/to/data python benchmarks/geometry_free.py [--records 105 118]``.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from openphm.acquire.datasets.cwru import cwru_records, read_cwru
from openphm.diagnose.geometry_free import diagnose_geometry_free


def main() -> None:
    """Diagnose every record without geometry and print the rows and the summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, nargs="*", help="only these record numbers")
    args = parser.parse_args()
    found = [r for r in cwru_records() if (r.fs_hz == 12000.0 and r.fault != "normal")]
    found += [r for r in cwru_records() if r.record == 97]
    if args.records:
        found = [r for r in found if r.record in set(args.records)]
    correct, total, baseline = 0, 0, None
    verdicts: Counter[str] = Counter()
    by_fault: Counter[str] = Counter()
    t0 = time.perf_counter()
    for info in found:
        assert info.path is not None
        wave = read_cwru(info.path, record=info.record)["DE"]
        speed = wave.speed_hz if wave.speed_hz is not None else info.rpm_nominal / 60.0
        d = diagnose_geometry_free(wave, speed)
        label = "healthy" if info.fault == "normal" else info.fault
        ok = d.verdict == label
        order = max(d.evidence, key=lambda e: e.score).fault_hz / d.speed_hz
        print(
            f"{info.record:5d} {info.name:10s} {label:8s} -> {d.verdict:12s} "
            f"{d.confidence:.2f} order {order:6.3f} {'ok' if ok else '--'}"
        )
        if info.record == 97:
            baseline = d.verdict
            continue
        total += 1
        correct += ok
        by_fault[label] += ok
        verdicts[d.verdict] += 1
    print(f"correct without geometry: {correct}/{total} (by fault: {dict(by_fault)})")
    print(f"verdicts: {dict(verdicts)}; baseline 97: {baseline}")
    print(f"time: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
