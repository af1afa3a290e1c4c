"""Similarity-based RUL: match a unit's recent indicator to a library of run-to-failure histories.

The last ``window`` observations of the unit (log indicator, times relative to the last one) are
compared with every stretch of every library history (the library interpolated at the same
relative times); each library history gives its best-matching end time, hence a candidate RUL
(its failure time minus that end), and a distance (mean squared difference). Candidates are
weighted by ``exp(-d / (2 m))`` with ``m`` the median distance, and their weighted distribution
is the RUL (Wang, Yu, Siegel, Lee 2008).

References
----------
T. Wang, J. Yu, D. Siegel, J. Lee, "A similarity-based prognostics approach for remaining useful
life estimation of engineered systems", Int. Conf. on Prognostics and Health Management, 2008.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError, ModelError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.rul import RulDistribution
from openphm.prognose.interface import History, Observation

__all__ = ["SimilarityRul", "best_match"]

FloatArray = npt.NDArray[np.float64]


def best_match(
    rel_times: npt.ArrayLike, values: npt.ArrayLike, library: History
) -> tuple[float, float]:
    """Best alignment of a window with one library history.

    Parameters
    ----------
    rel_times : array_like
        Window times relative to its last one (<= 0).
    values : array_like
        Window values (same transform as the library's).
    library : History
        A run-to-failure history (1-D).

    Returns
    -------
    tuple of float
        ``(distance, rul)``: mean squared difference at the best end time, and the library's
        failure time minus that end time.

    Examples
    --------
    >>> lib = History(np.arange(10.0), np.arange(10.0))
    >>> best_match([-2.0, -1.0, 0.0], [4.0, 5.0, 6.0], lib)
    (0.0, 3.0)
    """
    rel = np.asarray(rel_times, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    t = library.times_s
    ends = t[t + rel[0] >= t[0]]
    if ends.size == 0:
        return float("inf"), float("nan")
    grid = ends[:, None] + rel[None, :]
    lib = np.interp(grid, t, library.values)
    d = np.mean((lib - y[None, :]) ** 2, axis=1)
    i = int(np.argmin(d))
    return float(d[i]), float(t[-1] - ends[i])


class SimilarityRul:
    """RUL by similarity to a library of run-to-failure histories.

    Parameters
    ----------
    window : int, default 30
        Recent observations compared.
    log : bool, default True
        Compare log values (indicators that grow exponentially).

    Attributes
    ----------
    library_ : list of History
        The failed histories (transformed).
    """

    name = "similarity"

    def __init__(self, window: int = 30, log: bool = True) -> None:
        if window < 2:
            raise DataError(f"window must be at least 2 observations, got {window}")
        self.window = window
        self.log = log
        self.library_: list[History] = []
        self._t: list[float] = []
        self._v: list[float] = []

    def _tf(self, x: npt.ArrayLike) -> FloatArray:
        v = np.asarray(x, dtype=np.float64)
        out: FloatArray = np.log(np.maximum(v, 1e-12)) if self.log else v
        return out

    def fit(self, histories: Sequence[History]) -> Self:
        """Keep the failed histories as the library.

        Parameters
        ----------
        histories : sequence of History
            1-D indicator histories; only failed ones are kept.

        Returns
        -------
        SimilarityRul
            ``self``.
        """
        self.library_ = [
            History(h.times_s, self._tf(h.values), True, h.name) for h in histories if h.failed
        ]
        if not self.library_:
            raise DataError("similarity needs at least one run-to-failure history")
        self._t, self._v = [], []
        return self

    def update(self, observation: Observation) -> int:
        """Append one observation to the unit.

        Parameters
        ----------
        observation : Observation
            Time and indicator value.

        Returns
        -------
        int
            Observations held.
        """
        t = float(observation.t_s)
        if self._t and t <= self._t[-1]:
            raise DataError(
                f"observation at t={t:g} does not follow the last one at {self._t[-1]:g}"
            )
        self._t.append(t)
        self._v.append(float(observation.value))
        return len(self._t)

    def predict(self, t_s: float) -> RulDistribution:
        """RUL distribution from the weighted best matches.

        Parameters
        ----------
        t_s : float
            Time of the last observation.

        Returns
        -------
        RulDistribution
            Weighted library candidates; "no degradation detected yet" with fewer than
            ``window`` observations.
        """
        if not self.library_:
            raise ModelError("similarity has no library: call fit(histories) first")
        prov = Provenance.of({"window": self.window, "log": self.log}, InputRef())
        if len(self._t) < self.window:
            note = f"{len(self._t)} observation(s); similarity needs {self.window}"
            return RulDistribution.no_degradation(t_s, self.name, note, prov)
        t = np.asarray(self._t[-self.window :])
        y = self._tf(self._v[-self.window :])
        matches = np.array([best_match(t - t[-1], y, h) for h in self.library_])
        ok = np.isfinite(matches[:, 0])
        if not ok.any():
            raise DataError("every library history is shorter than the unit's window")
        d, rul = matches[ok, 0], matches[ok, 1]
        scale = max(float(np.median(d)), 1e-12)
        w = np.exp(-(d - d.min()) / (2 * scale))
        return RulDistribution.from_samples(
            rul, t_s, self.name, prov, weights=w, note=f"{ok.sum()} library histories matched"
        )
