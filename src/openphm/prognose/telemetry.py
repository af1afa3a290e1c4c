"""Learned RUL for multivariate telemetry: gradient boosting with conformalised quantiles.

For machines that log many operating variables per cycle (C-MAPSS turbofans; a shield machine's
or a shearer's drive telemetry), the RUL is learned from run-to-failure fleets:

1. operating regimes are found from the operating-setting columns (each column is split at gaps
   wider than a tenth of its range; rare combinations join the nearest common one), and every
   sensor is standardised per regime (mean and deviation of the training rows);
2. per unit and cycle, trailing means over 5, 15 and 30 cycles, the slope over the last 30 and
   the cycle count are the features;
3. three LightGBM regressors (scikit-learn API) with quantile loss give the 5 %, 50 % and 95 %
   quantiles of the RUL, whose label is capped (piecewise-linear target, Heimes 2008);
4. the interval is conformalised (CQR, Romano et al. 2019): out-of-fold predictions over units
   give the widening that makes the 90 % interval cover 90 % of held-out rows.

References
----------
Y. Romano, E. Patterson, E. Candes, "Conformalized quantile regression", NeurIPS 2019.
F. O. Heimes, "Recurrent neural networks for remaining useful life estimation", PHM08, 2008.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError, ModelError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.rul import RulDistribution
from openphm.prognose.interface import History, Observation

__all__ = [
    "RegimeModel",
    "TelemetryRegressor",
    "TelemetrySettings",
    "fit_regimes",
    "trailing_features",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_WINDOWS = (5, 15, 30)
_SLOPE_WINDOW = 30


@dataclass(frozen=True)
class TelemetrySettings:
    """Settings of the telemetry regressor.

    Parameters
    ----------
    setting_columns : tuple of int
        Columns of the history values that are operating settings (the rest are sensors).
    cap : float, default 125
        Cap of the RUL label (cycles or s).
    coverage : float, default 0.9
        Nominal coverage of the conformal interval.
    n_folds : int, default 3
        Folds over units for the conformal calibration.
    max_iter : int, default 200
        Boosting iterations (trees).
    learning_rate : float, default 0.05
        Boosting learning rate.
    max_leaf_nodes : int, default 31
        Leaves per tree.
    seed : int, default 0
        Seed of the boosting's row and column sampling (LightGBM takes an integer).
    n_jobs : int, default 1
        Threads of the boosting.
    """

    setting_columns: tuple[int, ...] = ()
    cap: float = 125.0
    coverage: float = 0.9
    n_folds: int = 3
    max_iter: int = 200
    learning_rate: float = 0.05
    max_leaf_nodes: int = 31
    seed: int = 0
    n_jobs: int = 1


@dataclass(frozen=True, eq=False)
class RegimeModel:
    """Operating regimes and per-regime sensor standardisation.

    Parameters
    ----------
    edges : tuple of numpy.ndarray
        Per setting column, the cut points between its levels.
    centres : numpy.ndarray
        Bin codes of the kept regimes, shape ``(n_regimes, n_settings)``.
    mean, std : numpy.ndarray
        Per regime and sensor, shape ``(n_regimes, n_sensors)``.
    keep : numpy.ndarray
        Indices of the sensors that vary (the others are dropped).
    """

    edges: tuple[FloatArray, ...]
    centres: FloatArray
    mean: FloatArray
    std: FloatArray
    keep: IntArray

    def regime(self, settings: npt.ArrayLike) -> IntArray:
        """Regime index of each row of operating settings.

        Parameters
        ----------
        settings : array_like
            Shape ``(n, n_settings)``.

        Returns
        -------
        numpy.ndarray
            Index into :attr:`centres` (nearest kept combination of bins).
        """
        s = np.atleast_2d(np.asarray(settings, dtype=np.float64))
        if not self.edges:
            return np.zeros(s.shape[0], dtype=np.int64)
        codes = np.column_stack([np.searchsorted(e, s[:, j]) for j, e in enumerate(self.edges)])
        d = np.abs(codes[:, None, :] - self.centres[None, :, :]).sum(axis=2)
        out: IntArray = np.argmin(d, axis=1).astype(np.int64)
        return out

    def standardise(self, settings: npt.ArrayLike, sensors: npt.ArrayLike) -> FloatArray:
        """Sensors standardised by their regime's mean and deviation (varying sensors only).

        Parameters
        ----------
        settings : array_like
            Operating settings, ``(n, n_settings)``.
        sensors : array_like
            Sensor values, ``(n, n_sensors)``.

        Returns
        -------
        numpy.ndarray
            ``(x - mean_r) / std_r`` for the kept sensors, ``(n, n_kept)``.
        """
        r = self.regime(settings)
        x = np.asarray(sensors, dtype=np.float64)
        out: FloatArray = ((x - self.mean[r]) / self.std[r])[:, self.keep]
        return out


def _cuts(column: FloatArray) -> FloatArray:
    u = np.unique(column)
    span = float(u[-1] - u[0]) if u.size else 0.0
    if span <= 0:
        return np.empty(0)
    gaps = np.diff(u)
    big = np.flatnonzero(gaps > 0.1 * span)
    out: FloatArray = (u[big] + u[big + 1]) / 2
    return out


def fit_regimes(settings: npt.ArrayLike, sensors: npt.ArrayLike) -> RegimeModel:
    """Find operating regimes and each sensor's mean and deviation in each of them.

    Each settings column is cut at gaps between its sorted values wider than a tenth of its
    range (noise around one level is one level); regimes are the combinations of levels that hold
    at least 1 % of the rows. Sensors whose deviation is negligible in every regime are dropped.

    Parameters
    ----------
    settings : array_like
        Operating settings, ``(n, n_settings)`` (may have zero columns).
    sensors : array_like
        Sensor values, ``(n, n_sensors)``.

    Returns
    -------
    RegimeModel
        The regimes and the standardisation.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> alt = rng.choice([0.0, 10.0, 20.0], 600) + rng.normal(0, 0.01, 600)
    >>> temp = 500 + 3 * alt + rng.normal(0, 1, 600)
    >>> m = fit_regimes(alt[:, None], temp[:, None])
    >>> m.centres.shape[0], round(float(m.standardise(alt[:, None], temp[:, None]).std()), 1)
    (3, 1.0)
    """
    s = np.asarray(settings, dtype=np.float64).reshape(len(np.asarray(sensors)), -1)
    x = np.asarray(sensors, dtype=np.float64)
    edges = tuple(_cuts(s[:, j]) for j in range(s.shape[1]))
    if edges:
        codes = np.column_stack([np.searchsorted(e, s[:, j]) for j, e in enumerate(edges)])
        combos, counts = np.unique(codes, axis=0, return_counts=True)
        centres = combos[counts >= max(0.01 * s.shape[0], 1)].astype(np.float64)
    else:
        centres = np.zeros((1, 0))
    model = RegimeModel(edges, centres, np.zeros((1, 1)), np.ones((1, 1)), np.zeros(0, np.int64))
    r = model.regime(s)
    n_reg = centres.shape[0]
    mean = np.stack([x[r == i].mean(axis=0) for i in range(n_reg)])
    std = np.stack([x[r == i].std(axis=0) for i in range(n_reg)])
    scale = np.maximum(np.abs(mean), 1.0)
    varies = np.any(std > 1e-6 * scale, axis=0)
    std = np.where(std > 1e-6 * scale, std, 1.0)
    return RegimeModel(edges, centres, mean, std, np.flatnonzero(varies).astype(np.int64))


def _trailing_mean(x: FloatArray, w: int) -> FloatArray:
    c = np.cumsum(np.vstack([np.zeros((1, x.shape[1])), x]), axis=0)
    idx = np.arange(1, x.shape[0] + 1)
    lo = np.maximum(idx - w, 0)
    out: FloatArray = (c[idx] - c[lo]) / (idx - lo)[:, None]
    return out


def trailing_features(times: npt.ArrayLike, z: npt.ArrayLike) -> FloatArray:
    """Features of one unit at every cycle, from its standardised sensors up to that cycle.

    Trailing means over 5, 15 and 30 rows, the least-squares slope over the last 30 rows (per
    unit of time), the drift of the 15-row mean from the mean of the unit's first 15 rows (which
    removes each unit's own starting level) and the time itself; only past rows are used (no
    look-ahead).

    Parameters
    ----------
    times : array_like
        Times of the rows (cycles or s), increasing.
    z : array_like
        Standardised sensors, ``(n, n_sensors)``.

    Returns
    -------
    numpy.ndarray
        ``(n, 5 n_sensors + 1)``.

    Examples
    --------
    >>> f = trailing_features(np.arange(1.0, 41.0), np.arange(40.0)[:, None])
    >>> f.shape, float(f[-1, 3]), float(f[-1, 0])
    ((40, 6), 1.0, 37.0)
    """
    t = np.asarray(times, dtype=np.float64)
    x = np.asarray(z, dtype=np.float64)
    means = [_trailing_mean(x, w) for w in _WINDOWS]
    n = t.size
    idx = np.arange(1, n + 1)
    lo = np.maximum(idx - _SLOPE_WINDOW, 0)
    cnt = (idx - lo).astype(np.float64)
    ct = np.concatenate([[0.0], np.cumsum(t)])
    ctt = np.concatenate([[0.0], np.cumsum(t * t)])
    cx = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    ctx = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(t[:, None] * x, axis=0)])
    st, stt = ct[idx] - ct[lo], ctt[idx] - ctt[lo]
    sx, stx = cx[idx] - cx[lo], ctx[idx] - ctx[lo]
    den = cnt * stt - st * st
    safe = np.where(den > 0, den, 1.0)
    slope = np.where((den > 0)[:, None], (cnt[:, None] * stx - st[:, None] * sx) / safe[:, None], 0)
    start = means[1][min(n, _WINDOWS[1]) - 1]
    return np.column_stack([*means, slope, means[1] - start, t])


class TelemetryRegressor:
    """RUL of a unit from its multivariate telemetry (gradient boosting, conformal interval).

    Parameters
    ----------
    settings : TelemetrySettings, optional
        Which columns are operating settings, the label cap, the boosting and coverage.

    Attributes
    ----------
    regimes_ : RegimeModel
        Learned regimes and standardisation.
    models_ : dict
        The fitted quantile models by level (0.05, 0.5, 0.95 for 90 % coverage).
    widen_ : float
        Conformal widening of the interval (label units).
    """

    name = "telemetry-gbm"

    def __init__(self, settings: TelemetrySettings | None = None) -> None:
        self.settings = settings if settings is not None else TelemetrySettings()
        self.regimes_: RegimeModel | None = None
        self.models_: dict[float, Any] = {}
        self.widen_ = 0.0
        self._rows: list[FloatArray] = []
        self._times: list[float] = []

    def _split(self, values: FloatArray) -> tuple[FloatArray, FloatArray]:
        cols = list(self.settings.setting_columns)
        rest = [j for j in range(values.shape[1]) if j not in cols]
        return values[:, cols], values[:, rest]

    def _features(self, h: History) -> FloatArray:
        assert self.regimes_ is not None
        if h.values.ndim != 2:
            raise DataError(f"{h.name or 'history'}: telemetry needs 2-D values (rows of columns)")
        s, x = self._split(h.values)
        return trailing_features(h.times_s, self.regimes_.standardise(s, x))

    def _levels(self) -> tuple[float, float, float]:
        a = (1 - self.settings.coverage) / 2
        return (a, 0.5, 1 - a)

    def _boosters(self, x: FloatArray, y: FloatArray, levels: Sequence[float]) -> dict[float, Any]:
        from lightgbm import LGBMRegressor

        s = self.settings
        out = {}
        for q in levels:
            model = LGBMRegressor(
                objective="quantile",
                alpha=q,
                n_estimators=s.max_iter,
                learning_rate=s.learning_rate,
                num_leaves=s.max_leaf_nodes,
                min_child_samples=50,
                subsample=0.8,
                subsample_freq=1,
                colsample_bytree=0.8,
                random_state=s.seed,
                n_jobs=s.n_jobs,
                verbose=-1,
            )
            out[q] = model.fit(x, y)
        return out

    def fit(self, histories: Sequence[History]) -> Self:
        """Learn regimes, quantile models and the conformal widening from failed histories.

        Parameters
        ----------
        histories : sequence of History
            Run-to-failure histories with 2-D values; the label of a row is ``min(T - t, cap)``.

        Returns
        -------
        TelemetryRegressor
            ``self``.

        Raises
        ------
        DataError
            Fewer histories than folds, or a history that did not fail.
        """
        s = self.settings
        if len(histories) < max(s.n_folds, 2):
            raise DataError(f"need at least {max(s.n_folds, 2)} histories, got {len(histories)}")
        if not all(h.failed for h in histories):
            raise DataError("telemetry training needs run-to-failure histories (failed=True)")
        allv = np.vstack([h.values for h in histories])
        sets, sensors = self._split(allv)
        self.regimes_ = fit_regimes(sets, sensors)
        feats = [self._features(h) for h in histories]
        labels = [np.minimum(h.times_s[-1] - h.times_s, s.cap) for h in histories]
        unit = np.concatenate([np.full(len(y), i) for i, y in enumerate(labels)])
        x, y = np.vstack(feats), np.concatenate(labels)
        fold = np.arange(len(histories)) % s.n_folds
        scores = []
        lo, _, hi = self._levels()
        for k in range(s.n_folds):
            test = fold[unit] == k
            models = self._boosters(x[~test], y[~test], (lo, hi))
            qlo, qhi = models[lo].predict(x[test]), models[hi].predict(x[test])
            scores.append(np.maximum(qlo - y[test], y[test] - qhi))
        e = np.concatenate(scores)
        level = min(1.0, np.ceil((e.size + 1) * s.coverage) / e.size)
        self.widen_ = float(np.quantile(e, level))
        self.models_ = self._boosters(x, y, self._levels())
        return self

    def _need(self) -> RegimeModel:
        if self.regimes_ is None or not self.models_:
            raise ModelError("the telemetry regressor is not fitted: call fit(histories) first")
        return self.regimes_

    def predict_histories(self, histories: Sequence[History]) -> list[RulDistribution]:
        """RUL distribution at the last row of each history.

        Parameters
        ----------
        histories : sequence of History
            Histories with 2-D values, cut anywhere.

        Returns
        -------
        list of RulDistribution
            Levels 5 %, 50 %, 95 % (for 90 % coverage), in the histories' time unit; an upper
            end at or above the label cap is ``inf`` (the model cannot see beyond the cap).
        """
        self._need()
        last = np.vstack([self._features(h)[-1] for h in histories])
        lo, mid, hi = self._levels()
        q = np.column_stack([self.models_[lv].predict(last) for lv in (lo, mid, hi)])
        q[:, 0] -= self.widen_
        q[:, 2] += self.widen_
        q = np.maximum.accumulate(np.clip(q, 0.0, None), axis=1)
        # The label is censored at the cap: an upper end there means "at least the cap".
        q[q[:, 2] >= self.settings.cap, 2] = np.inf
        prov = Provenance.of(self.settings, InputRef())
        return [
            RulDistribution(
                at_s=float(h.times_s[-1]),
                levels=np.array([lo, mid, hi]),
                quantiles_s=row,
                estimator=self.name,
                provenance=prov,
                unit="cycle",
                note=f"RUL label capped at {self.settings.cap:g}",
            )
            for h, row in zip(histories, q, strict=True)
        ]

    def update(self, observation: Observation) -> History:
        """Append one row of telemetry to the current unit.

        Parameters
        ----------
        observation : Observation
            Time and one row of values (settings and sensors).

        Returns
        -------
        History
            The unit's history so far.
        """
        if self._times and observation.t_s <= self._times[-1]:
            raise DataError(
                f"observation at t={observation.t_s:g} does not follow {self._times[-1]:g}"
            )
        self._rows.append(np.atleast_1d(np.asarray(observation.value, dtype=np.float64)))
        self._times.append(float(observation.t_s))
        return History(np.asarray(self._times), np.vstack(self._rows), failed=False)

    def predict(self, t_s: float) -> RulDistribution:
        """RUL at the current unit's last row (``t_s`` must be that row's time).

        Parameters
        ----------
        t_s : float
            Time of the last row.

        Returns
        -------
        RulDistribution
            As :meth:`predict_histories`.
        """
        if not self._times:
            raise DataError("no telemetry yet: call update(observation) first")
        if t_s != self._times[-1]:
            raise DataError(f"predict at t={t_s:g}: telemetry only reaches {self._times[-1]:g}")
        h = History(np.asarray(self._times), np.vstack(self._rows), failed=False)
        return self.predict_histories([h])[0]
