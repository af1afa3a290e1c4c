"""FEMTO/PRONOSTIA RUL benchmark: leave one learning bearing out, predictions after onset.

For each of the six learning bearings, the estimator is fitted on the other five (their r.m.s.
histories) and then fed the held-out bearing one snapshot at a time; after its onset, it
predicts at every 10 % of the remaining life (onset + 0 %, 10 %, ..., 90 % of ``T - onset``).
The true RUL is the time to the last snapshot. Scores: the PHM 2012 score (mean accuracy), RMSE,
MAE, alpha-lambda accuracy at alpha = 0.2 and the coverage of the 90 % interval. Nothing is
tuned per bearing; the published test RULs are not read.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from openphm.acquire.datasets import load_femto
from openphm.core.rul import RulDistribution
from openphm.core.serialize import Serializable
from openphm.evaluate.rul_metrics import (
    alpha_lambda_accuracy,
    interval_coverage,
    mae,
    phm2012_score,
    rmse,
)
from openphm.prognose.exponential import ExponentialDegradation
from openphm.prognose.interface import History, RulEstimator, run_history
from openphm.prognose.onset import OnsetWatch, find_onset
from openphm.prognose.prior import IsoPrior, combine_with_prior

__all__ = [
    "FEMTO_LEARNING",
    "FemtoBenchResult",
    "FemtoPrediction",
    "femto_history",
    "run_femto_bench",
    "score_predictions",
]

#: The six run-to-failure bearings of the learning set.
FEMTO_LEARNING = (
    "Bearing1_1",
    "Bearing1_2",
    "Bearing2_1",
    "Bearing2_2",
    "Bearing3_1",
    "Bearing3_2",
)
#: Basic dynamic load rating of the PRONOSTIA test bearing (N), published with the data.
FEMTO_C_N = 4000.0
#: Healthy snapshots of the onset chart's baseline (the estimators' default).
ONSET_BASELINE = 50
#: Fractions of the remaining life after onset at which predictions are made.
FRACTIONS = tuple(round(0.1 * k, 1) for k in range(10))


@dataclass(frozen=True)
class FemtoPrediction(Serializable):
    """One prediction of the benchmark.

    Parameters
    ----------
    bearing : str
        Held-out bearing.
    estimator : str
        ``"exponential"`` or ``"exponential+iso281"``.
    fraction : float
        Fraction of the remaining life after onset.
    t_s : float
        Time of the prediction.
    true_s : float
        True RUL.
    median_s, q05_s, q95_s : float
        Predicted median and 90 % interval (``inf`` when the model sees no end).
    """

    bearing: str
    estimator: str
    fraction: float
    t_s: float
    true_s: float
    median_s: float
    q05_s: float
    q95_s: float


@dataclass(frozen=True)
class FemtoBenchResult(Serializable):
    """The benchmark's predictions and scores.

    Parameters
    ----------
    predictions : tuple of FemtoPrediction
        Every prediction.
    onsets_s : Mapping of str to float or None
        Onset time of each bearing (None: no onset found).
    lives_s : Mapping of str to float
        Time of each bearing's last snapshot.
    scores : Mapping of str to Mapping of str to float
        Per estimator: ``phm2012``, ``rmse_s``, ``mae_s``, ``alpha_lambda_0.2``, ``coverage_90``,
        ``n``, ``n_infinite``.
    seconds : float
        Wall time.
    """

    predictions: tuple[FemtoPrediction, ...]
    onsets_s: dict[str, float | None] = field(default_factory=dict)
    lives_s: dict[str, float] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = 0.0


def femto_history(bearing: object) -> History:
    """The r.m.s. history of a loaded FEMTO bearing (horizontal axis, g).

    Parameters
    ----------
    bearing : FemtoBearing
        As loaded by :func:`openphm.acquire.datasets.read_femto`.

    Returns
    -------
    History
        Times in s, r.m.s. in g per snapshot, ``failed=False`` (the caller knows whether it ran
        to failure).
    """
    from openphm.acquire.datasets.femto import FemtoBearing

    assert isinstance(bearing, FemtoBearing)
    x = np.asarray(bearing.horiz)
    rms = np.sqrt(np.mean(x * x, axis=1))
    return History(np.asarray(bearing.times_s), rms, failed=False, name=bearing.name)


def score_predictions(preds: Sequence[FemtoPrediction]) -> dict[str, float]:
    """PHM 2012 score, RMSE, MAE, alpha-lambda (0.2) and 90 % coverage of predictions.

    Infinite medians (no end in sight) count in the PHM 2012 score as accuracy 0 and in the
    coverage, and are left out of RMSE, MAE and alpha-lambda (``n_infinite`` says how many).

    Parameters
    ----------
    preds : sequence of FemtoPrediction
        Predictions of one estimator.

    Returns
    -------
    dict
        The scores.
    """
    true = np.array([p.true_s for p in preds])
    med = np.array([p.median_s for p in preds])
    lo = np.array([p.q05_s for p in preds])
    hi = np.array([p.q95_s for p in preds])
    fin = np.isfinite(med)
    n = len(preds)
    if n == 0:
        return {"n": 0.0}
    phm = phm2012_score(true[fin], med[fin]) * fin.sum() / n if fin.any() else 0.0
    return {
        "phm2012": phm,
        "rmse_s": rmse(true[fin], med[fin]) if fin.any() else math.inf,
        "mae_s": mae(true[fin], med[fin]) if fin.any() else math.inf,
        "alpha_lambda_0.2": alpha_lambda_accuracy(true[fin], med[fin]) * fin.sum() / n
        if fin.any()
        else 0.0,
        "coverage_90": interval_coverage(true, lo, hi),
        "n": float(n),
        "n_infinite": float(n - fin.sum()),
    }


def _row(bearing: str, d: RulDistribution, fraction: float, true: float) -> FemtoPrediction:
    lo, hi = d.interval(0.9)
    return FemtoPrediction(bearing, d.estimator, fraction, d.at_s, true, d.median(), lo, hi)


def run_femto_bench(
    root: str | Path | None = None,
    *,
    bearings: Sequence[str] = FEMTO_LEARNING,
    make: Callable[[], RulEstimator] = ExponentialDegradation,
    progress: Callable[[str], None] | None = None,
) -> FemtoBenchResult:
    """Leave-one-bearing-out RUL benchmark over the FEMTO learning bearings.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``femto/`` (default ``$OPENPHM_DATA``).
    bearings : sequence of str
        The bearings (default the six learning bearings).
    make : callable
        Makes a fresh, unfitted estimator (default :class:`ExponentialDegradation`); any
        estimator of the interface (particle filter, similarity) fits.
    progress : callable, optional
        Called with each bearing's name as it starts.

    Returns
    -------
    FemtoBenchResult
        Predictions (condition-only and combined with the ISO 281 prior) and scores.
    """
    start = time.perf_counter()
    hist = {}
    speeds = {}
    for name in bearings:
        b = load_femto(name, root)
        hist[name] = replace(femto_history(b), failed=True)
        speeds[name] = (b.speed_hz * 60.0, b.load_n)
    preds: list[FemtoPrediction] = []
    onsets: dict[str, float | None] = {}
    for name in bearings:
        if progress is not None:
            progress(name)
        model = make().fit([h for n, h in hist.items() if n != name])
        h = hist[name]
        end = float(h.times_s[-1])
        watch = find_onset(h.times_s, h.values, OnsetWatch(n_baseline=ONSET_BASELINE))
        onsets[name] = watch.onset_s
        if watch.onset_s is None:
            continue
        at = [watch.onset_s + f * (end - watch.onset_s) for f in FRACTIONS]
        prior = IsoPrior.for_bearing(
            speed_rpm=speeds[name][0], load_n=speeds[name][1], c_n=FEMTO_C_N
        )
        for f, d in zip(FRACTIONS, run_history(model, h, at), strict=True):
            preds.append(_row(name, d, f, end - d.at_s))
            preds.append(_row(name, combine_with_prior(d, prior), f, end - d.at_s))
    scores = {
        est: score_predictions([p for p in preds if p.estimator == est])
        for est in sorted({p.estimator for p in preds})
    }
    return FemtoBenchResult(
        tuple(preds),
        onsets,
        {n: float(h.times_s[-1]) for n, h in hist.items()},
        scores,
        time.perf_counter() - start,
    )
