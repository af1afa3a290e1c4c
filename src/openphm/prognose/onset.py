"""First prediction time: watch an indicator for the onset of degradation, one value at a time.

The state-detection block does the work (:mod:`openphm.detect`): a robust baseline of the first
``n_baseline`` values (median / MAD) and a CUSUM chart (Page 1954) after them. The watch is a
frozen state, advanced by :func:`watch_step`, so estimators can keep it with their own state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.detect import fit_baseline, start_chart
from openphm.detect.onset import CusumState

__all__ = ["OnsetWatch", "find_onset", "watch_step"]


@dataclass(frozen=True)
class OnsetWatch:
    """Where the watch for degradation stands.

    Parameters
    ----------
    n_baseline : int
        Healthy values the baseline is fitted on.
    k, h : float
        CUSUM reference value and decision interval (robust sigmas).
    healthy : tuple of float
        Values collected for the baseline (until it is ready).
    chart : CusumState or None
        The chart, once the baseline is ready.
    onset_s : float or None
        Time of the first signal (None: no onset yet).
    n_seen : int
        Values seen.
    """

    n_baseline: int = 30
    k: float = 0.5
    h: float = 5.0
    healthy: tuple[float, ...] = ()
    chart: CusumState | None = None
    onset_s: float | None = None
    n_seen: int = 0

    def __post_init__(self) -> None:
        if self.n_baseline < 2:
            raise ConfigError(f"n_baseline: need at least 2 healthy values, got {self.n_baseline}")

    def describe(self) -> str:
        """What was checked, in words (for "no degradation detected yet").

        Returns
        -------
        str
            One sentence.
        """
        if self.chart is None:
            return (
                f"{self.n_seen} value(s) seen; the healthy baseline needs {self.n_baseline} "
                "before the CUSUM onset chart can watch"
            )
        return (
            f"CUSUM onset chart (k={self.k:g}, h={self.h:g} robust sigmas) on "
            f"{self.n_seen - self.n_baseline} value(s) after a baseline of {self.n_baseline}: "
            f"statistic {self.chart.statistic:.2f}, below its limit {self.chart.limit:.2f}"
        )


def watch_step(watch: OnsetWatch, t_s: float, value: float) -> OnsetWatch:
    """Advance the watch by one value.

    Parameters
    ----------
    watch : OnsetWatch
        Current state (not changed).
    t_s : float
        Time of the value (s or cycles).
    value : float
        Indicator value.

    Returns
    -------
    OnsetWatch
        The new state; ``onset_s`` is set at the first CUSUM signal and kept afterwards.

    Examples
    --------
    >>> w = OnsetWatch(n_baseline=5)
    >>> for i, x in enumerate([1.0, 1.1, 0.9, 1.0, 1.05, 1.0, 3.0, 3.0, 3.0]):
    ...     w = watch_step(w, 10.0 * i, x)
    >>> w.onset_s
    60.0
    """
    n = watch.n_seen + 1
    if watch.onset_s is not None:
        return replace(watch, n_seen=n)
    if watch.chart is None:
        healthy = (*watch.healthy, float(value))
        if len(healthy) < watch.n_baseline:
            return replace(watch, healthy=healthy, n_seen=n)
        base = fit_baseline(healthy, direction="upper", min_count=watch.n_baseline)
        chart = start_chart(base, "cusum", k=watch.k, h=watch.h)
        assert isinstance(chart, CusumState)
        return replace(watch, healthy=(), chart=chart, n_seen=n)
    chart, alarm = watch.chart.update(float(value))
    return replace(watch, chart=chart, onset_s=float(t_s) if alarm else None, n_seen=n)


def find_onset(
    times_s: npt.ArrayLike, values: npt.ArrayLike, watch: OnsetWatch | None = None
) -> OnsetWatch:
    """Run the watch over a whole history.

    Parameters
    ----------
    times_s : array_like
        Times (s or cycles).
    values : array_like
        Indicator values.
    watch : OnsetWatch, optional
        Starting state (settings); a fresh default watch by default.

    Returns
    -------
    OnsetWatch
        The state after the last value (``onset_s`` None when the chart never signalled).

    Examples
    --------
    >>> x = np.r_[np.ones(40) + 0.01 * np.sin(np.arange(40)), np.linspace(1, 5, 20)]
    >>> find_onset(np.arange(60.0), x).onset_s is not None
    True
    """
    w = watch if watch is not None else OnsetWatch()
    for t, x in zip(np.asarray(times_s, float), np.asarray(values, float), strict=True):
        w = watch_step(w, float(t), float(x))
        if w.onset_s is not None:
            return w
    return w
