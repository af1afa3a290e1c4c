"""C-MAPSS RUL benchmark: the official test sets, label capped at 125 for training.

For each subset, :class:`~openphm.prognose.telemetry.TelemetryRegressor` is fitted on the
training engines (run to failure) and predicts the RUL after the last row of each test engine;
scored against ``RUL_FD00x.txt``: RMSE (against the true RUL and against it capped at 125, the
convention of much of the literature), MAE, the NASA (PHM08) score, and the coverage of the 90 %
interval. The test labels are read only for scoring.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from openphm.acquire.datasets import load_cmapss
from openphm.core.serialize import Serializable
from openphm.evaluate.rul_metrics import cmapss_score, interval_coverage, mae, rmse
from openphm.prognose.interface import History
from openphm.prognose.telemetry import TelemetryRegressor, TelemetrySettings

__all__ = ["CmapssBenchRow", "cmapss_histories", "run_cmapss_bench"]

SUBSETS = ("FD001", "FD002", "FD003", "FD004")
_SETTINGS = ("setting_1", "setting_2", "setting_3")


@dataclass(frozen=True)
class CmapssBenchRow(Serializable):
    """Scores of one subset.

    Parameters
    ----------
    subset : str
        ``"FD001"`` ... ``"FD004"``.
    n_test : int
        Test engines.
    rmse : float
        RMSE of the median against the true RUL (cycles).
    rmse_capped : float
        RMSE against the true RUL capped at the label cap.
    mae : float
        MAE against the true RUL.
    nasa_score : float
        PHM08 asymmetric score against the true RUL.
    coverage_90 : float
        Fraction of test engines whose true RUL lies in the 90 % interval.
    fit_seconds : float
        Wall time of fitting.
    """

    subset: str
    n_test: int
    rmse: float
    rmse_capped: float
    mae: float
    nasa_score: float
    coverage_90: float
    fit_seconds: float


def cmapss_histories(frame: Any, failed: bool) -> list[History]:
    """One history per engine of a C-MAPSS table: cycles, then settings and sensors as rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        A C-MAPSS table (``unit``, ``cycle``, settings, sensors).
    failed : bool
        True for training tables (run to failure).

    Returns
    -------
    list of History
        In unit order; values columns are the settings first, then the sensors.
    """
    cols = [c for c in frame.columns if c not in ("unit", "cycle")]
    return [
        History(g["cycle"].to_numpy(float), g[cols].to_numpy(float), failed=failed, name=str(u))
        for u, g in frame.groupby("unit", sort=True)
    ]


def run_cmapss_bench(
    root: str | Path | None = None,
    *,
    subsets: Sequence[str] = SUBSETS,
    settings: TelemetrySettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[CmapssBenchRow]:
    """Fit on each subset's training engines and score on its official test engines.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``cmapss/`` (default ``$OPENPHM_DATA``).
    subsets : sequence of str
        Subsets to run.
    settings : TelemetrySettings, optional
        Regressor settings (default: the three operating settings, cap 125).
    progress : callable, optional
        Called with each subset's name as it starts.

    Returns
    -------
    list of CmapssBenchRow
        One row per subset.
    """
    s = settings if settings is not None else TelemetrySettings(setting_columns=(0, 1, 2))
    rows = []
    for name in subsets:
        if progress is not None:
            progress(name)
        data = load_cmapss(name, root)
        start = time.perf_counter()
        model = TelemetryRegressor(s).fit(cmapss_histories(data.train, True))
        fit_s = time.perf_counter() - start
        preds = model.predict_histories(cmapss_histories(data.test, False))
        med = np.array([d.median() for d in preds])
        lo = np.array([d.quantile(0.05) for d in preds])
        hi = np.array([d.quantile(0.95) for d in preds])
        true = data.rul.astype(np.float64)
        rows.append(
            CmapssBenchRow(
                subset=name,
                n_test=len(preds),
                rmse=rmse(true, med),
                rmse_capped=rmse(np.minimum(true, s.cap), med),
                mae=mae(true, med),
                nasa_score=cmapss_score(true, med),
                coverage_90=interval_coverage(true, lo, hi),
                fit_seconds=fit_s,
            )
        )
    return rows
