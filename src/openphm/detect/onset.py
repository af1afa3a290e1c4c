"""Onset of degradation on an indicator trend: CUSUM and EWMA control charts.

Both charts watch the indicator in baseline sigmas, ``z = (x - centre) / scale`` (see
:mod:`openphm.detect.baseline`), and signal when a small persistent shift has built up, long
before a single value crosses a fixed limit. Each comes as an immutable streaming state
(:class:`CusumState`, :class:`EwmaState`) that :func:`update` advances by one measurement (the
pipeline stores it as JSON between measurements), and as a batch run over a whole history
(:func:`detect_onset`).

A missing value (NaN, a dead channel's kurtosis) leaves a state as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, TypeVar, cast

import numpy as np
import numpy.typing as npt

from openphm import __version__
from openphm.core.errors import ConfigError, DataError
from openphm.core.serialize import Serializable
from openphm.detect.baseline import (
    Baseline,
    BaselineMethod,
    Direction,
    check_direction,
    fit_baseline,
)

#: Control chart of :func:`detect_onset`.
OnsetMethod = Literal["cusum", "ewma"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _check_scale(centre: float, scale: float, where: str) -> None:
    if not (math.isfinite(centre) and math.isfinite(scale) and scale > 0.0):
        raise ConfigError(
            f"{where}: centre must be finite and scale finite and > 0, got {centre!r}, {scale!r}"
        )


@dataclass(frozen=True)
class CusumState(Serializable):
    """Streaming one-sided (or two one-sided) CUSUM chart in baseline sigmas.

    With ``z = (x - centre) / scale``, the upper sum is ``S+ = max(0, S+ + z - k)`` and the
    lower ``S- = max(0, S- - z - k)``; the chart signals while a watched sum exceeds ``h``
    (it is not reset, so the signal lasts while the shift does and fades at ``k`` per step
    after it ends).

    Parameters
    ----------
    centre, scale : float
        Healthy centre and robust sigma (indicator unit).
    k : float, default 0.5
        Reference value (allowance) in sigmas: half the shift to detect fastest.
    h : float, default 5.0
        Decision interval in sigmas. ``k = 0.5, h = 5`` gives an in-control average run length
        of about 465 and detects a 1-sigma shift in about 10 samples (Gaussian, independent).
    direction : {"upper", "lower", "both"}, default "upper"
        Sums watched.
    high, low : float, default 0
        Current upper and lower sums (sigmas).
    count : int, default 0
        Values seen.

    Notes
    -----
    E. S. Page (1954), "Continuous inspection schemes", Biometrika 41, 100-115; run lengths
    from D. C. Montgomery, *Introduction to Statistical Quality Control*, Table 9.3.
    """

    centre: float
    scale: float
    k: float = 0.5
    h: float = 5.0
    direction: Direction = "upper"
    high: float = 0.0
    low: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        _check_scale(self.centre, self.scale, "CusumState")
        check_direction(self.direction)
        if not (math.isfinite(self.k) and self.k >= 0.0 and math.isfinite(self.h) and self.h > 0):
            raise ConfigError(f"CusumState: need k >= 0 and h > 0, got k={self.k!r}, h={self.h!r}")

    @classmethod
    def start(
        cls,
        baseline: Baseline,
        *,
        k: float = 0.5,
        h: float = 5.0,
        direction: Direction | None = None,
    ) -> CusumState:
        """Start a chart at zero on a baseline.

        Parameters
        ----------
        baseline : Baseline
            Gives the centre, scale and (by default) the direction.
        k, h : float, default 0.5 and 5
            Reference value and decision interval in sigmas.
        direction : {"upper", "lower", "both"}, optional
            Overrides the baseline's direction.

        Returns
        -------
        CusumState
            The fresh chart.
        """
        side = baseline.direction if direction is None else direction
        return cls(baseline.centre, baseline.scale, k=k, h=h, direction=side)

    @property
    def statistic(self) -> float:
        """The larger watched sum (sigmas)."""
        return max(
            self.high if self.direction != "lower" else 0.0,
            self.low if self.direction != "upper" else 0.0,
        )

    @property
    def limit(self) -> float:
        """Decision interval ``h`` (sigmas)."""
        return self.h

    @property
    def alarm(self) -> bool:
        """Whether the chart signals now."""
        return self.statistic > self.h

    def update(self, value: float) -> tuple[CusumState, bool]:
        """Advance the chart by one value.

        Parameters
        ----------
        value : float
            The new indicator value (indicator unit); NaN leaves the state unchanged.

        Returns
        -------
        (CusumState, bool)
            The new state and whether it signals.
        """
        v = float(value)
        if math.isnan(v):
            return self, self.alarm
        z = (v - self.centre) / self.scale
        new = replace(
            self,
            high=max(0.0, self.high + z - self.k) if self.direction != "lower" else 0.0,
            low=max(0.0, self.low - z - self.k) if self.direction != "upper" else 0.0,
            count=self.count + 1,
        )
        return new, new.alarm


def ewma_limit(t: int, lam: float, width: float) -> float:
    """Control limit of the EWMA chart after ``t`` values, in sigmas of the indicator.

    Parameters
    ----------
    t : int
        Values seen (>= 1).
    lam : float
        Smoothing weight, ``0 < lam <= 1``.
    width : float
        Limit width ``L`` in sigmas of the EWMA.

    Returns
    -------
    float
        ``L sqrt(lam / (2 - lam) (1 - (1 - lam)^(2t)))``: the exact standard deviation of the
        EWMA of ``t`` independent unit-variance values started at the centre, times ``L``.

    Notes
    -----
    S. W. Roberts (1959), "Control chart tests based on geometric moving averages",
    Technometrics 1, 239-250; J. M. Lucas and M. S. Saccucci (1990), "Exponentially weighted
    moving average control schemes: properties and enhancements", Technometrics 32, 1-12.

    Examples
    --------
    >>> round(ewma_limit(1, 0.2, 3.0), 4), round(ewma_limit(10_000, 0.2, 3.0), 4)
    (0.6, 1.0)
    """
    return width * math.sqrt(lam / (2.0 - lam) * (1.0 - (1.0 - lam) ** (2 * t)))


@dataclass(frozen=True)
class EwmaState(Serializable):
    """Streaming EWMA chart in baseline sigmas, with the time-varying limit.

    ``e_t = lam z_t + (1 - lam) e_(t-1)``, ``e_0 = 0``, with ``z = (x - centre) / scale``; the
    chart signals when ``e_t`` reaches ``+ewma_limit(t)`` (upper) or ``-ewma_limit(t)`` (lower).

    Parameters
    ----------
    centre, scale : float
        Healthy centre and robust sigma (indicator unit).
    lam : float, default 0.2
        Smoothing weight, ``0 < lam <= 1`` (1 is a Shewhart chart).
    width : float, default 3.0
        ``L``, the limit in sigmas of the EWMA. ``lam = 0.2, L = 3`` gives an in-control
        average run length of about 560 with the asymptotic limit and detects a 1-sigma shift
        in about 10 samples (Lucas and Saccucci 1990, Table 3).
    direction : {"upper", "lower", "both"}, default "upper"
        Sides watched.
    ewma : float, default 0
        Current EWMA (sigmas).
    count : int, default 0
        Values seen.
    """

    centre: float
    scale: float
    lam: float = 0.2
    width: float = 3.0
    direction: Direction = "upper"
    ewma: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        _check_scale(self.centre, self.scale, "EwmaState")
        check_direction(self.direction)
        if not (0.0 < self.lam <= 1.0 and math.isfinite(self.width) and self.width > 0.0):
            raise ConfigError(
                f"EwmaState: need 0 < lam <= 1 and width > 0, got lam={self.lam!r}, "
                f"width={self.width!r}"
            )

    @classmethod
    def start(
        cls,
        baseline: Baseline,
        *,
        lam: float = 0.2,
        width: float = 3.0,
        direction: Direction | None = None,
    ) -> EwmaState:
        """Start a chart at the centre of a baseline.

        Parameters
        ----------
        baseline : Baseline
            Gives the centre, scale and (by default) the direction.
        lam, width : float, default 0.2 and 3
            Smoothing weight and limit width ``L``.
        direction : {"upper", "lower", "both"}, optional
            Overrides the baseline's direction.

        Returns
        -------
        EwmaState
            The fresh chart.
        """
        side = baseline.direction if direction is None else direction
        return cls(baseline.centre, baseline.scale, lam=lam, width=width, direction=side)

    @property
    def statistic(self) -> float:
        """The EWMA (sigmas, signed)."""
        return self.ewma

    @property
    def limit(self) -> float:
        """The current limit ``ewma_limit(count)`` (sigmas; 0 before the first value)."""
        return ewma_limit(self.count, self.lam, self.width)

    @property
    def alarm(self) -> bool:
        """Whether the chart signals now."""
        if self.count == 0:
            return False
        lim = self.limit
        return (self.direction != "lower" and self.ewma >= lim) or (
            self.direction != "upper" and self.ewma <= -lim
        )

    def update(self, value: float) -> tuple[EwmaState, bool]:
        """Advance the chart by one value.

        Parameters
        ----------
        value : float
            The new indicator value (indicator unit); NaN leaves the state unchanged.

        Returns
        -------
        (EwmaState, bool)
            The new state and whether it signals.
        """
        v = float(value)
        if math.isnan(v):
            return self, self.alarm
        z = (v - self.centre) / self.scale
        new = replace(self, ewma=self.lam * z + (1.0 - self.lam) * self.ewma, count=self.count + 1)
        return new, new.alarm


#: A streaming onset chart.
ChartState = CusumState | EwmaState
_S = TypeVar("_S", bound=CusumState | EwmaState)


def update(state: _S, value: float) -> tuple[_S, bool]:
    """Advance a streaming chart by one measurement: the pipeline's call.

    Parameters
    ----------
    state : CusumState or EwmaState
        The chart (as stored).
    value : float
        The new indicator value; NaN leaves the state unchanged.

    Returns
    -------
    (state, bool)
        The new state (same type) and whether the chart signals.

    Examples
    --------
    >>> s = CusumState(centre=1.0, scale=0.1)
    >>> for x in (1.0, 1.3, 1.3, 1.3):
    ...     s, alarm = update(s, x)
    >>> round(s.high, 6), alarm
    (7.5, True)
    """
    new, alarm = state.update(value)
    return cast(_S, new), alarm


def run_chart(state: _S, values: npt.ArrayLike) -> tuple[_S, FloatArray, FloatArray, BoolArray]:
    """Run a chart over a sequence of values.

    Parameters
    ----------
    state : CusumState or EwmaState
        The chart to start from.
    values : array_like
        Indicator values in time order.

    Returns
    -------
    (state, statistic, limit, alarm)
        The final state and, per value, the chart statistic and its limit (sigmas) and whether
        it signals.

    Examples
    --------
    >>> _, stat, lim, alarm = run_chart(EwmaState(0.0, 1.0), [0.0, 5.0])
    >>> stat.tolist(), alarm.tolist()
    ([0.0, 1.0], [False, True])
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    stat = np.empty(x.size)
    lim = np.empty(x.size)
    alarm = np.zeros(x.size, dtype=bool)
    current = state
    for i, v in enumerate(x):
        current, alarm[i] = update(current, float(v))
        stat[i] = current.statistic
        lim[i] = current.limit
    return current, stat, lim, alarm


@dataclass(frozen=True)
class Onset(Serializable):
    """First signal of an onset chart on an indicator history.

    Parameters
    ----------
    method : {"cusum", "ewma"}
        The chart.
    index : int
        Position in the history of the first value at which the chart signals.
    statistic : float
        Chart statistic there (sigmas).
    limit : float
        Chart limit there (sigmas).
    n_baseline : int
        Leading values the baseline was fitted on (the chart watches the values after them).
    baseline : Baseline
        The baseline.
    state : CusumState or EwmaState
        The chart's state at the signal (its parameters included).
    openphm_version : str
        Version of openphm that found it.
    """

    method: OnsetMethod
    index: int
    statistic: float
    limit: float
    n_baseline: int
    baseline: Baseline
    state: CusumState | EwmaState
    openphm_version: str = __version__


def start_chart(
    baseline: Baseline,
    method: OnsetMethod = "cusum",
    *,
    k: float = 0.5,
    h: float = 5.0,
    lam: float = 0.2,
    width: float = 3.0,
) -> ChartState:
    """Start the onset chart ``method`` on a baseline.

    Parameters
    ----------
    baseline : Baseline
        Centre, scale and direction.
    method : {"cusum", "ewma"}, default "cusum"
        The chart.
    k, h : float, default 0.5 and 5
        CUSUM reference value and decision interval (sigmas); used by ``"cusum"``.
    lam, width : float, default 0.2 and 3
        EWMA weight and limit width; used by ``"ewma"``.

    Returns
    -------
    CusumState or EwmaState
        The fresh chart.

    Raises
    ------
    ConfigError
        Unknown method or parameters out of range.
    """
    if method == "cusum":
        return CusumState.start(baseline, k=k, h=h)
    if method == "ewma":
        return EwmaState.start(baseline, lam=lam, width=width)
    raise ConfigError(f"method: expected 'cusum' or 'ewma', got {method!r}")


def detect_onset(
    values: npt.ArrayLike,
    *,
    n_baseline: int,
    method: OnsetMethod = "cusum",
    direction: Direction = "upper",
    baseline_method: BaselineMethod = "mad",
    k: float = 0.5,
    h: float = 5.0,
    lam: float = 0.2,
    width: float = 3.0,
) -> Onset | None:
    """Find the first onset signal in an indicator history.

    The first ``n_baseline`` values are taken as healthy and give a robust baseline
    (:func:`~openphm.detect.baseline.fit_baseline`); the chart then watches the values after
    them.

    Parameters
    ----------
    values : array_like
        Indicator history in time order (NaN values are skipped by the chart; the baseline
        values must be finite).
    n_baseline : int
        Leading healthy values (>= 2).
    method : {"cusum", "ewma"}, default "cusum"
        The chart.
    direction : {"upper", "lower", "both"}, default "upper"
        Side(s) watched.
    baseline_method : {"mad", "quantile"}, default "mad"
        Robust scale of the baseline.
    k, h : float, default 0.5 and 5
        CUSUM parameters (sigmas).
    lam, width : float, default 0.2 and 3
        EWMA parameters.

    Returns
    -------
    Onset or None
        The first signal after the baseline, or None if the chart never signals.

    Raises
    ------
    DataError
        Fewer than ``n_baseline + 1`` values, or non-finite baseline values.
    ConfigError
        Parameters out of range.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.concatenate([rng.normal(0, 1, 100), rng.normal(2, 1, 50)])
    >>> onset = detect_onset(x, n_baseline=50)
    >>> 100 <= onset.index < 110, onset.method
    (True, 'cusum')
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if n_baseline < 2:
        raise ConfigError(f"n_baseline: need at least 2 healthy values, got {n_baseline}")
    if x.size <= n_baseline:
        raise DataError(
            f"values: {x.size} values, but n_baseline={n_baseline} leaves none to watch"
        )
    baseline = fit_baseline(
        x[:n_baseline], method=baseline_method, direction=direction, min_count=n_baseline
    )
    chart = start_chart(baseline, method, k=k, h=h, lam=lam, width=width)
    for i in range(n_baseline, x.size):
        chart, alarm = chart.update(float(x[i]))
        if alarm:
            return Onset(
                method=method,
                index=i,
                statistic=chart.statistic,
                limit=chart.limit,
                n_baseline=n_baseline,
                baseline=baseline,
                state=chart,
            )
    return None
