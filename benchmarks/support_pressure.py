"""Hydraulic support assessment against the simulator's known answers (issue 19).

Runs :func:`openphm.diagnose.hydraulic_support.assess_support` over simulated legs
(:mod:`openphm.simulate.support_pressure`), 8 advance cycles of 30 min each at 2 s sampling,
``--seeds`` noise draws per case, and prints per case the share of records with each finding,
the leak-rate error and the event counts against the truth.

Usage: ``python benchmarks/support_pressure.py [--seeds 50] [--json]``
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

import numpy as np

from openphm.diagnose.hydraulic_support import assess_support
from openphm.simulate.support_pressure import SupportScenario, simulate_support

BASE = SupportScenario()
CASES = {
    "healthy": BASE,
    "healthy, no convergence": replace(BASE, convergence_mpa_per_h=0.0),
    "leak 0.1/h": replace(BASE, leak_per_h=0.1),
    "leak 0.3/h": replace(BASE, leak_per_h=0.3),
    "leak 1/h": replace(BASE, leak_per_h=1.0),
    "leak 3/h": replace(BASE, leak_per_h=3.0),
    "setting 85 %": replace(BASE, setting_ratio=0.85),
    "yielding (30 MPa/h)": replace(BASE, convergence_mpa_per_h=30.0),
    "2 missed advances": replace(BASE, missed=(2, 5)),
}


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out = {}
    for name, scenario in CASES.items():
        rows = []
        for seed in range(args.seeds):
            rec = simulate_support(scenario, np.random.default_rng(seed))
            a = assess_support(rec.t_s, rec.pressure_mpa)
            rates = [p.fit.leak_per_h for p in a.periods if p.leaking and p.fit is not None]
            rows.append(
                {
                    "any_finding": bool(a.findings),
                    "leak": a.leaking > 0,
                    "low": a.low_setting > 0,
                    "yield_ok": a.yield_events == len(rec.truth.yield_times_s),
                    "missed_ok": a.missed_advances == len(rec.truth.missed),
                    "leak_rate": float(np.median(rates)) if rates else float("nan"),
                }
            )
        rate = np.array([r["leak_rate"] for r in rows])
        truth = scenario.leak_per_h
        err = (
            np.nanmedian(np.abs(rate / truth - 1))
            if truth > 0 and np.isfinite(rate).any()
            else None
        )
        out[name] = {
            "any_finding": np.mean([r["any_finding"] for r in rows]),
            "leak_found": np.mean([r["leak"] for r in rows]),
            "low_setting_found": np.mean([r["low"] for r in rows]),
            "yield_count_exact": np.mean([r["yield_ok"] for r in rows]),
            "missed_count_exact": np.mean([r["missed_ok"] for r in rows]),
            "leak_rate_median_rel_error": err,
        }
    if args.json:
        print(
            json.dumps(
                {
                    k: {a: (None if b is None else float(b)) for a, b in v.items()}
                    for k, v in out.items()
                },
                indent=1,
            )
        )
        return
    keys = list(next(iter(out.values())))
    print("case".ljust(26) + " ".join(k[:18].rjust(18) for k in keys))
    for name, v in out.items():
        cells = ["-" if v[k] is None else f"{float(v[k]):.2f}" for k in keys]
        print(name.ljust(26) + " ".join(c.rjust(18) for c in cells))


if __name__ == "__main__":
    main()
