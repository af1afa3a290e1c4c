"""One small interface for every RUL estimator: fit on histories, update, predict.

The split of progpy: a degradation model (what the indicator does), a state estimator (what the
observations so far say about the model's state) and a predictor (when the state reaches the
failure threshold) are kept apart; the interface shows the three steps:

- ``fit(histories) -> self``: learn priors from run-to-failure (or censored) histories;
- ``update(observation) -> state``: fold one new observation into the current state;
- ``predict(t) -> RulDistribution``: the RUL at time ``t`` from the current state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Self, runtime_checkable

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError
from openphm.core.rul import RulDistribution

__all__ = ["History", "Observation", "RulEstimator", "check_history", "run_history"]

FloatArray = npt.NDArray[np.float64]


def _frozen(values: npt.ArrayLike) -> FloatArray:
    out: FloatArray = np.array(values, dtype=np.float64, copy=True)
    out.setflags(write=False)
    return out


def check_history(times_s: npt.ArrayLike, values: npt.ArrayLike, where: str) -> None:
    """Check that a history is usable: finite, strictly increasing times, finite values.

    Parameters
    ----------
    times_s : array_like
        Observation times (s or cycles).
    values : array_like
        Indicator values, one row per time (1-D or 2-D).
    where : str
        Name of the history, for error messages.

    Raises
    ------
    DataError
        Empty, mismatched lengths, non-finite entries, or times that do not increase.

    Examples
    --------
    >>> check_history([0, 10, 20], [1.0, 1.1, 1.3], "demo")
    """
    t = np.asarray(times_s, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if t.ndim != 1 or t.size == 0:
        raise DataError(f"{where}: times must be a non-empty 1-D sequence")
    if v.shape[:1] != t.shape:
        raise DataError(f"{where}: {t.size} times but {v.shape[0] if v.ndim else 0} values")
    if not np.all(np.isfinite(t)) or not np.all(np.isfinite(v)):
        raise DataError(f"{where}: times and values must be finite (NaN or inf found)")
    bad = np.flatnonzero(np.diff(t) <= 0)
    if bad.size:
        i = int(bad[0])
        raise DataError(
            f"{where}: times must increase strictly; t[{i + 1}]={t[i + 1]:g} follows "
            f"t[{i}]={t[i]:g}"
        )


@dataclass(frozen=True, eq=False)
class History:
    """One component's indicator history.

    Parameters
    ----------
    times_s : numpy.ndarray
        Observation times, strictly increasing (s, or cycles for telemetry).
    values : numpy.ndarray
        Health indicator per time (1-D), or features per time (2-D, one row per time).
    failed : bool, default True
        True when the history runs to failure (the last time is the failure time).
    name : str
        Name of the component or run.
    """

    times_s: FloatArray
    values: FloatArray
    failed: bool = True
    name: str = ""

    def __post_init__(self) -> None:
        check_history(self.times_s, self.values, self.name or "history")
        object.__setattr__(self, "times_s", _frozen(self.times_s))
        object.__setattr__(self, "values", _frozen(self.values))

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.times_s.size)

    def until(self, t_s: float) -> History:
        """The history up to and including time ``t_s`` (censored: not failed).

        Parameters
        ----------
        t_s : float
            Last time kept.

        Returns
        -------
        History
            A new history.
        """
        keep = self.times_s <= t_s
        return History(self.times_s[keep], self.values[keep], failed=False, name=self.name)


@dataclass(frozen=True)
class Observation:
    """One new observation of a component.

    Parameters
    ----------
    t_s : float
        Time (s, or cycles).
    value : float or numpy.ndarray
        Health indicator value, or one row of features (telemetry).
    """

    t_s: float
    value: float | FloatArray


@runtime_checkable
class RulEstimator(Protocol):
    """What every RUL estimator offers (scikit-learn style: ``fit`` returns ``self``)."""

    name: str

    def fit(self, histories: Sequence[History]) -> Self:
        """Learn priors from histories; see the module docstring."""
        ...

    def update(self, observation: Observation) -> Any:
        """Fold in one observation and return the new state."""
        ...

    def predict(self, t_s: float) -> RulDistribution:
        """The RUL at time ``t_s`` from the current state."""
        ...


def run_history(
    estimator: RulEstimator, history: History, at_s: Sequence[float] | None = None
) -> list[RulDistribution]:
    """Feed a history to an estimator one observation at a time and predict along the way.

    Parameters
    ----------
    estimator : RulEstimator
        A fitted estimator with a fresh unit state (only past observations reach it).
    history : History
        The unit's history (1-D indicator or 2-D rows).
    at_s : sequence of float, optional
        Times at which to predict: each prediction is made at the last observation at or
        before it. Default: at the last observation only.

    Returns
    -------
    list of RulDistribution
        One per requested time, in the order given.
    """
    want = [float(history.times_s[-1])] if at_s is None else [float(t) for t in at_s]
    order = sorted(range(len(want)), key=lambda i: want[i])
    out: dict[int, RulDistribution] = {}
    j = 0
    for i, (t, v) in enumerate(zip(history.times_s, history.values, strict=True)):
        estimator.update(Observation(float(t), v if history.values.ndim > 1 else float(v)))
        nxt = history.times_s[i + 1] if i + 1 < history.n else np.inf
        while j < len(order) and want[order[j]] < nxt:
            if want[order[j]] >= t:
                out[order[j]] = estimator.predict(float(t))
            j += 1
    missing = [want[i] for i in range(len(want)) if i not in out]
    if missing:
        raise DataError(
            f"{history.name or 'history'}: no observation at or before t={missing[0]:g}"
        )
    return [out[i] for i in range(len(want))]
