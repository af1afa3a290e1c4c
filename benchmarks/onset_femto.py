"""Onset detection (CUSUM and EWMA) on FEMTO/PRONOSTIA run-to-failure bearings and simulated
histories with a known onset.

1. FEMTO (``OPENPHM_DATA``): the six learning bearings, run to failure, one snapshot (0.1 s at
   25.6 kHz) every 10 s. Per snapshot, the r.m.s. and kurtosis of the horizontal acceleration
   (:func:`openphm.signal.indicators.time_indicators`, all 2560 samples). The baseline is the
   first ``N`` snapshots (median/MAD, :func:`openphm.detect.fit_baseline`); a CUSUM
   (``k = 0.5, h = 5``) and an EWMA (``lambda = 0.2, L = 3``) chart then watch the indicator,
   streaming, never reset (:func:`openphm.detect.run_chart`). For reference, ``limit`` is the
   alarm state machine on the baseline's alert limit alone (4 robust sigmas, raised after 3
   consecutive values, 1 sigma hysteresis, :func:`openphm.detect.step`): what a plain fixed
   limit would do.

   FEMTO has no labelled onset, so the figures rest on this definition, stated here and in the
   output: the chart's signals are grouped into *episodes*, an episode ending when the chart has
   been silent for at least ``M`` consecutive snapshots (``M = 30``, five minutes). The
   *detection* is the start of the last episode, the one that lasts until failure; every
   earlier episode is a *false alarm* (an alarm that cleared again and was followed by at least
   ``M`` normal snapshots). Detection is reported as a snapshot index, a time, a percentage of
   life and the lead time before the last snapshot (failure). The first signal of all is given
   too: that is what an operator sees first. A "false alarm" may be real early damage that
   settled again; the data cannot say.
2. Simulated histories (seeded): healthy Gaussian noise around a level (centre 1, sigma 0.05)
   for a random length, then exponential growth from a random onset index
   ``x_t += a (exp(b (t - onset)) - 1)`` with ``a = 0.2 sigma`` and ``b`` uniform in
   ``[0.02, 0.06]`` per snapshot, until the history ends 100 to 300 snapshots later. The same
   baseline and charts. A false alarm is a signal that starts (the chart was silent the
   snapshot before) before the onset; the rate is per 1000 healthy snapshots watched. The
   detection delay is the number of snapshots from the onset to the first signal at or after
   it (0 when a false alarm is still on at the onset, counted apart). With a known centre and
   sigma both charts would give about 2 false alarms per 1000 healthy snapshots (in-control run
   lengths near 465 and 500); the baseline is estimated from ``N`` values (the MAD of 50
   Gaussian values is off by about 17 % of sigma), which raises the rate.

Usage: ``OPENPHM_DATA=/path/to/data python benchmarks/onset_femto.py [--json]
[--n-baseline N] [--gap M] [--histories H] [--seed S]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from openphm.acquire.datasets.femto import load_femto
from openphm.detect import AlarmRule, AlarmState, fit_baseline, run_chart, start_chart, step
from openphm.signal.indicators import time_indicators

BEARINGS = ("Bearing1_1", "Bearing1_2", "Bearing2_1", "Bearing2_2", "Bearing3_1", "Bearing3_2")
INDICATORS = ("rms", "kurtosis")
#: The two onset charts, and for reference the alarm state machine on the baseline's fixed alert
#: limit (4 robust sigmas, 3 consecutive values to raise, 1 sigma hysteresis).
METHODS = ("cusum", "ewma", "limit")
N_BASELINE = 50
GAP = 30
#: Simulated healthy level and noise (an r.m.s. in g, say).
SIM_CENTRE, SIM_SIGMA = 1.0, 0.05


def alarm_flags(values: np.ndarray, n_baseline: int, method: str) -> np.ndarray:
    """Signals per value of a history (False over the baseline values)."""
    baseline = fit_baseline(values[:n_baseline], direction="upper")
    watched = values[n_baseline:]
    if method == "limit":
        rule, state = AlarmRule.from_baseline(baseline), AlarmState()
        alarm = np.zeros(watched.size, dtype=bool)
        for i, v in enumerate(watched):
            state, _ = step(rule, state, float(v))
            alarm[i] = state.level != "normal"
    else:
        _, _, _, alarm = run_chart(start_chart(baseline, method), watched)  # type: ignore[arg-type]
    return np.concatenate([np.zeros(n_baseline, dtype=bool), alarm])


def episodes(alarm: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Alarm episodes ``(first, last)`` index: runs of signals merged across silences < gap."""
    on = np.flatnonzero(alarm)
    if on.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(on) > gap)
    starts = np.concatenate([[on[0]], on[breaks + 1]])
    ends = np.concatenate([on[breaks], [on[-1]]])
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def femto_bearing(name: str, root: str, n_baseline: int, gap: int) -> list[dict[str, Any]]:
    """Rows (one per indicator and chart) of one FEMTO bearing."""
    bearing = load_femto(name, root)
    ind = [time_indicators(s) for s in bearing.horiz]
    times = bearing.times_s
    life = float(times[-1])
    rows = []
    for indicator in INDICATORS:
        values = np.array([i[indicator] for i in ind])
        for method in METHODS:
            alarm = alarm_flags(values, n_baseline, method)
            eps = episodes(alarm, gap)
            row: dict[str, Any] = {
                "bearing": name,
                "snapshots": bearing.n_snapshots,
                "life_s": life,
                "indicator": indicator,
                "method": method,
                "first_alarm": None,
                "first_alarm_pct": None,
                "detection": None,
                "detection_s": None,
                "detection_pct": None,
                "lead_time_s": None,
                "false_alarms": 0,
            }
            if eps:
                first, onset = eps[0][0], eps[-1][0]
                row.update(
                    first_alarm=first,
                    first_alarm_pct=round(100.0 * times[first] / life, 1),
                    detection=onset,
                    detection_s=float(times[onset]),
                    detection_pct=round(100.0 * times[onset] / life, 1),
                    lead_time_s=life - float(times[onset]),
                    false_alarms=len(eps) - 1,
                )
            rows.append(row)
    return rows


def femto(
    root: str, bearings: Sequence[str] = BEARINGS, n_baseline: int = N_BASELINE, gap: int = GAP
) -> list[dict[str, Any]]:
    """Rows for every FEMTO bearing, indicator and chart."""
    return [row for name in bearings for row in femto_bearing(name, root, n_baseline, gap)]


def simulate_history(rng: np.random.Generator, n_baseline: int) -> tuple[np.ndarray, int]:
    """One history with a known onset index: healthy noise, then exponential growth."""
    onset = int(rng.integers(n_baseline + 50, n_baseline + 500))
    length = onset + int(rng.integers(100, 300))
    x = SIM_CENTRE + SIM_SIGMA * rng.standard_normal(length)
    rate = rng.uniform(0.02, 0.06)
    t = np.arange(length - onset)
    x[onset:] += 0.2 * SIM_SIGMA * np.expm1(rate * t)
    return x, onset


def simulated(
    n_histories: int = 200, seed: int = 0, n_baseline: int = N_BASELINE
) -> dict[str, Any]:
    """Detection delay and false-alarm rate of each chart over seeded simulated histories."""
    rng = np.random.default_rng(seed)
    histories = [simulate_history(rng, n_baseline) for _ in range(n_histories)]
    out: dict[str, Any] = {"histories": n_histories, "seed": seed, "n_baseline": n_baseline}
    for method in METHODS:
        delays, on_at_onset, missed, false_alarms, healthy = [], 0, 0, 0, 0
        for x, onset in histories:
            alarm = alarm_flags(x, n_baseline, method)
            rising = alarm & ~np.concatenate([[False], alarm[:-1]])
            false_alarms += int(rising[:onset].sum())
            healthy += onset - n_baseline
            after = np.flatnonzero(alarm[onset:])
            if after.size == 0:
                missed += 1
                continue
            delays.append(int(after[0]))
            on_at_onset += int(alarm[onset])
        d = np.array(delays, dtype=float)
        out[method] = {
            "detected": len(delays),
            "missed": missed,
            "mean_delay": round(float(d.mean()), 1) if d.size else None,
            "median_delay": float(np.median(d)) if d.size else None,
            "p90_delay": round(float(np.percentile(d, 90)), 1) if d.size else None,
            "signalling_at_onset": on_at_onset,
            "false_alarms": false_alarms,
            "healthy_snapshots": healthy,
            "false_alarms_per_1000": round(1000.0 * false_alarms / healthy, 2),
        }
    return out


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def print_tables(
    rows: list[dict[str, Any]], sim: dict[str, Any], n_baseline: int, gap: int
) -> None:
    """Markdown tables of both parts."""
    if rows:
        print(
            f"FEMTO learning bearings: baseline = first {n_baseline} snapshots; an episode ends "
            f"after {gap} silent snapshots; detection = start of the last episode; false alarms "
            "= earlier episodes\n"
        )
        head = (
            "| bearing | snapshots | indicator | chart | first alarm (% life) | detection "
            "snapshot | time (s) | % life | lead time (s) | false alarms |"
        )
        print(head)
        print("|" + "---|" * (head.count("|") - 1))
        for r in rows:
            first = (
                "-" if r["first_alarm"] is None else f"{r['first_alarm']} ({r['first_alarm_pct']})"
            )
            print(
                f"| {r['bearing']} | {r['snapshots']} | {r['indicator']} | {r['method']} | "
                f"{first} | {_cell(r['detection'])} | {_cell(r['detection_s'])} | "
                f"{_cell(r['detection_pct'])} | {_cell(r['lead_time_s'])} | {r['false_alarms']} |"
            )
        print()
    print(
        f"Simulated histories: {sim['histories']} (seed {sim['seed']}), baseline = first "
        f"{sim['n_baseline']} snapshots\n"
    )
    head = (
        "| chart | detected | missed | mean delay | median delay | p90 delay | signalling at "
        "onset | false alarms | per 1000 healthy snapshots |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for method in METHODS:
        s = sim[method]
        print(
            f"| {method} | {s['detected']} | {s['missed']} | {_cell(s['mean_delay'])} | "
            f"{_cell(s['median_delay'])} | {_cell(s['p90_delay'])} | {s['signalling_at_onset']} | "
            f"{s['false_alarms']} | {s['false_alarms_per_1000']} |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run both parts; print tables or JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--n-baseline", type=int, default=N_BASELINE)
    parser.add_argument("--gap", type=int, default=GAP, help="silent snapshots ending an episode")
    parser.add_argument("--histories", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bearings", nargs="*", default=list(BEARINGS))
    args = parser.parse_args(argv)
    root = os.environ.get("OPENPHM_DATA", "")
    rows: list[dict[str, Any]] = []
    if root and Path(root).is_dir():
        rows = femto(root, args.bearings, args.n_baseline, args.gap)
    else:
        print("OPENPHM_DATA not set: FEMTO part skipped", file=sys.stderr)
    sim = simulated(args.histories, args.seed, args.n_baseline)
    if args.json:
        print(json.dumps({"femto": rows, "simulated": sim, "gap": args.gap}, indent=2))
    else:
        print_tables(rows, sim, args.n_baseline, args.gap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
