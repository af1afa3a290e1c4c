"""RUL on NASA C-MAPSS (FD001-FD004, official test sets): gradient boosting, conformal interval.

Fits :class:`openphm.prognose.telemetry.TelemetryRegressor` (regime-standardised sensors, trailing
features, LightGBM quantile models, label capped at 125, 90 % interval conformalised over folds
of training engines) on each training set and scores the RUL after the last row of each test
engine against ``RUL_FD00x.txt``: RMSE (true RUL, and true RUL capped at 125), MAE, the NASA
score and the coverage of the 90 % interval.

Usage: ``OPENPHM_DATA=/path/to/data python benchmarks/rul_cmapss.py [--json] [--subset FD001]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from openphm.evaluate.cmapss_bench import SUBSETS, run_cmapss_bench


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--subset", action="append", choices=SUBSETS, help="repeatable")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = run_cmapss_bench(
        subsets=args.subset or SUBSETS, progress=lambda s: print(s, file=sys.stderr)
    )
    total = time.perf_counter() - start
    if args.json:
        print(json.dumps({"rows": [r.to_dict() for r in rows], "seconds": total}, indent=2))
        return 0
    print(
        "| subset | test engines | RMSE | RMSE (true capped 125) | MAE | NASA score "
        "| 90 % coverage | fit (s) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.subset} | {r.n_test} | {r.rmse:.2f} | {r.rmse_capped:.2f} | {r.mae:.2f} "
            f"| {r.nasa_score:.0f} | {r.coverage_90:.2f} | {r.fit_seconds:.0f} |"
        )
    print(f"total {total:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
