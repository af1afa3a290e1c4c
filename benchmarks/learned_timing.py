"""Time of the learned diagnosis per record, as a ratio to the physics diagnosis of the record.

For each CWRU record given (default: one per fault location and load, 12 records), in one
process: the physics diagnosis of the whole record
(:func:`openphm.diagnose.bearing.diagnose_bearing`, the baseline), the window features
(:func:`openphm.learn.features.record_features`, which run the physics diagnosis on every
window), and ``LearnedModel.predict`` with the shipped model
(physics detection on the record + features + classifier). Each figure is the median over the
records of the fastest of ``--repeats`` runs; the ratio to the baseline timed in the same run is
the figure to compare on a shared, noisy machine, the absolute time beside it. Then the window
features of the same records for training (``cwru_windows``), in one process and on a pool of
two worker processes (both cores), as a ratio of wall times. Training time
(LightGBM on all 60 records' windows, features already computed) is timed by
``openphm bench cwru-learned`` (fit per fold).

Usage: ``OPENPHM_DATA=... python benchmarks/learned_timing.py [--repeats R] [--json]``
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from openphm.acquire.datasets.cwru import cwru_records, read_cwru
from openphm.core.errors import DataQualityWarning
from openphm.core.waveform import Waveform
from openphm.diagnose.bearing import diagnose_bearing, resolve_bearing
from openphm.evaluate.cwru_learned import cwru_windows
from openphm.learn.features import record_features
from openphm.learn.persist import load_model
from openphm.learn.predict import LearnedModel, shipped_model_path

DEFAULT_RECORDS = (105, 106, 107, 108, 118, 119, 120, 121, 130, 131, 132, 133)


def _best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return min(times)


def _times(
    record: int, wave: Waveform, speed: float, model: LearnedModel, repeats: int
) -> dict[str, float]:
    _, orders = resolve_bearing("6205")
    return {
        "record": record,
        "seconds_of_signal": wave.samples.size / wave.fs,
        "physics_s": _best(lambda: diagnose_bearing(wave, orders, speed), repeats),
        "features_s": _best(
            lambda: record_features(wave, orders, speed, model.card.features), repeats
        ),
        "predict_s": _best(lambda: model.predict(wave, orders, speed), repeats),
    }


def main() -> None:
    """Time the three steps per record and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--record", type=int, action="append")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    wanted = set(args.record or DEFAULT_RECORDS)
    model = load_model(shipped_model_path())
    rows = []
    for info in cwru_records():
        if info.record not in wanted or info.path is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            wave = read_cwru(info.path, record=info.record)["DE"]
        speed = wave.speed_hz or info.rpm_nominal / 60.0
        rows.append(_times(info.record, wave, speed, model, args.repeats))
    summary = {
        k: float(np.median([r[k] for r in rows])) for k in ("physics_s", "features_s", "predict_s")
    }
    summary["features_ratio"] = summary["features_s"] / summary["physics_s"]
    summary["predict_ratio"] = summary["predict_s"] / summary["physics_s"]
    summary["records"] = len(rows)
    t0 = time.perf_counter()
    cwru_windows(records=sorted(wanted), settings=model.card.features)
    summary["table_serial_s"] = time.perf_counter() - t0
    with ProcessPoolExecutor(2) as pool:
        t0 = time.perf_counter()
        cwru_windows(records=sorted(wanted), settings=model.card.features, executor=pool)
        summary["table_two_workers_s"] = time.perf_counter() - t0
    summary["two_workers_ratio"] = summary["table_two_workers_s"] / summary["table_serial_s"]
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, indent=2))
        return
    for r in rows:
        print(
            f"{r['record']}: physics {r['physics_s']:.3f} s, features {r['features_s']:.3f} s, "
            f"predict {r['predict_s']:.3f} s"
        )
    print(
        f"median over {len(rows)} records: physics diagnosis {summary['physics_s']:.3f} s, "
        f"features {summary['features_s']:.3f} s ({summary['features_ratio']:.2f}x), learned "
        f"predict {summary['predict_s']:.3f} s ({summary['predict_ratio']:.2f}x); training "
        f"features of the {len(rows)} records {summary['table_serial_s']:.1f} s in one process, "
        f"{summary['table_two_workers_s']:.1f} s on two workers "
        f"({summary['two_workers_ratio']:.2f}x)"
    )


if __name__ == "__main__":
    main()
