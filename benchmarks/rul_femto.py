"""RUL on the six FEMTO/PRONOSTIA learning bearings, leave one bearing out.

For each bearing, the exponential degradation model (Bayesian updating, Gebraeel 2005) is fitted
on the other five bearings' horizontal r.m.s. histories (prior of the log-linear parameters,
noise, failure threshold and its scatter), then fed the held-out bearing snapshot by snapshot.
Onset: CUSUM (k = 0.5, h = 5) on a median/MAD baseline of the first 50 snapshots. After onset it
predicts at every 10 % of the remaining life (0 %, 10 %, ..., 90 %), alone (``exponential``) and
combined with the ISO 281 prior (C = 4000 N, the published load and speed; Weibull slope 1.5;
``exponential+iso281``). Scores: PHM 2012 score (mean accuracy, infinite predictions count 0),
RMSE and MAE (finite predictions), alpha-lambda at alpha = 0.2, coverage of the 90 % interval.

``--estimator particle`` (particle filter over level and rate, 2000 particles) or
``--estimator similarity`` (best matches of the last 30 snapshots in the five other bearings)
replace the exponential model; the onset and the prediction points stay the same.

Usage: ``OPENPHM_DATA=/path/to/data python benchmarks/rul_femto.py [--json]
[--estimator exponential|particle|similarity] [--seed S]``
"""

from __future__ import annotations

import argparse
import json
import math

import numpy as np

from openphm.evaluate.femto_bench import run_femto_bench
from openphm.prognose.exponential import ExponentialDegradation
from openphm.prognose.interface import RulEstimator
from openphm.prognose.particle import ParticleFilter
from openphm.prognose.similarity import SimilarityRul

ESTIMATORS = ("exponential", "particle", "similarity")


def _maker(name: str, seed: int) -> RulEstimator:
    if name == "particle":
        return ParticleFilter(np.random.default_rng(seed))
    if name == "similarity":
        return SimilarityRul(window=30)
    return ExponentialDegradation()


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:.0f}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print tables (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--estimator", choices=ESTIMATORS, default="exponential")
    parser.add_argument("--seed", type=int, default=0, help="seed of the particle filter")
    args = parser.parse_args(argv)
    r = run_femto_bench(make=lambda: _maker(args.estimator, args.seed))
    if args.json:
        print(json.dumps(r.to_dict(), indent=2))
        return 0
    print("| bearing | life (s) | onset (s) | onset (% of life) |")
    print("|---|---|---|---|")
    for name, life in r.lives_s.items():
        onset = r.onsets_s.get(name)
        pct = "-" if onset is None else f"{100 * onset / life:.0f}"
        print(f"| {name} | {life:.0f} | {'-' if onset is None else _fmt(onset)} | {pct} |")
    print()
    print(
        "| estimator | PHM 2012 score | RMSE (s) | MAE (s) | alpha-lambda 0.2 | 90 % coverage "
        "| predictions | infinite |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for est, s in r.scores.items():
        print(
            f"| {est} | {s['phm2012']:.3f} | {_fmt(s['rmse_s'])} | {_fmt(s['mae_s'])} "
            f"| {s['alpha_lambda_0.2']:.2f} | {s['coverage_90']:.2f} | {s['n']:.0f} "
            f"| {s['n_infinite']:.0f} |"
        )
    print(f"\n{r.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
