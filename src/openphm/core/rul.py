"""Remaining useful life as a distribution: the result of every prognostic estimator (PA block)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError, ModelError
from openphm.core.provenance import Provenance
from openphm.core.serialize import Serializable

__all__ = ["QUANTILE_LEVELS", "RulDistribution", "RulStatus"]

FloatArray = npt.NDArray[np.float64]

#: What the distribution rests on: the condition of the component, the rated-life prior alone
#: (no degradation seen yet), both combined, or nothing (no degradation detected yet: no number).
RulStatus = Literal["condition", "prior", "combined", "no_degradation"]

#: Quantile levels kept when a distribution is made from samples: 0.5 % steps.
QUANTILE_LEVELS: FloatArray = np.round(np.linspace(0.005, 0.995, 199), 3)


def _frozen(values: npt.ArrayLike) -> FloatArray:
    out: FloatArray = np.array(values, dtype=np.float64, copy=True).ravel()
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class RulDistribution(Serializable):
    """Remaining useful life at one time, as quantiles of its distribution.

    A prediction is a distribution, never a bare number (progpy). It is kept as its quantile
    function: ``quantiles_s[i]`` is the RUL that the life exceeds with probability
    ``1 - levels[i]``. An RUL beyond any horizon the estimator can see is ``inf``. When no
    degradation has been detected yet and no prior is known, ``status`` is ``"no_degradation"``,
    the quantiles are empty and asking for a number raises :class:`ModelError`, with ``note``
    saying what was checked.

    Parameters
    ----------
    at_s : float
        Time the prediction refers to (the last observation), in s from the start of the history
        (in cycles when ``unit`` is ``"cycle"``).
    levels : numpy.ndarray
        Increasing probabilities in (0, 1).
    quantiles_s : numpy.ndarray
        RUL at each level, non-decreasing, >= 0 (s or cycles).
    estimator : str
        Name of the estimator that made it (``"exponential"``, ``"particle"``...).
    provenance : Provenance
        Code version, settings and input.
    status : {"condition", "prior", "combined", "no_degradation"}, default "condition"
        What the distribution rests on.
    onset_s : float or None
        Time degradation was first detected, if it was.
    unit : {"s", "cycle"}, default "s"
        Unit of time of ``at_s``, ``onset_s`` and the quantiles.
    note : str
        Plain words for the user: what was checked, why there is no number.
    """

    at_s: float
    levels: FloatArray
    quantiles_s: FloatArray
    estimator: str
    provenance: Provenance = field(default_factory=Provenance)
    status: RulStatus = "condition"
    onset_s: float | None = None
    unit: Literal["s", "cycle"] = "s"
    note: str = ""

    def __post_init__(self) -> None:
        levels = _frozen(self.levels)
        values = _frozen(self.quantiles_s)
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "quantiles_s", values)
        where = f"RulDistribution({self.estimator})"
        if levels.shape != values.shape:
            raise DataError(f"{where}: {levels.size} levels but {values.size} quantiles")
        if self.status == "no_degradation":
            if levels.size:
                raise DataError(f"{where}: 'no_degradation' carries no quantiles")
            return
        if levels.size == 0:
            raise DataError(f"{where}: no quantiles (use status='no_degradation')")
        if not (np.all((levels > 0) & (levels < 1)) and np.all(np.diff(levels) > 0)):
            raise DataError(f"{where}: levels must increase strictly inside (0, 1)")
        if np.any(np.isnan(values)) or np.any(values[1:] < values[:-1]) or values[0] < 0:
            raise DataError(f"{where}: quantiles must be non-decreasing, >= 0 and not NaN")

    @classmethod
    def from_samples(
        cls,
        samples_s: npt.ArrayLike,
        at_s: float,
        estimator: str,
        provenance: Provenance | None = None,
        *,
        weights: npt.ArrayLike | None = None,
        status: RulStatus = "condition",
        onset_s: float | None = None,
        unit: Literal["s", "cycle"] = "s",
        note: str = "",
    ) -> RulDistribution:
        """Make the distribution from (weighted) samples of the RUL.

        Quantiles at :data:`QUANTILE_LEVELS` of the weighted empirical distribution (inverse of
        the mid-point CDF ``F_i = (W_i - w_i / 2) / W``, linearly interpolated).

        Parameters
        ----------
        samples_s : array_like
            RUL samples (s or cycles); ``inf`` allowed, negative values are clipped to 0.
        at_s : float
            Time the prediction refers to.
        estimator : str
            Estimator name.
        provenance : Provenance, optional
            Provenance (empty by default).
        weights : array_like, optional
            Non-negative weights (equal by default).
        status, onset_s, unit, note
            As in the class.

        Returns
        -------
        RulDistribution
            The distribution.

        Raises
        ------
        DataError
            No samples, NaN samples, or weights that do not match or sum to zero.

        Examples
        --------
        >>> d = RulDistribution.from_samples(np.arange(1.0, 101.0), at_s=0.0, estimator="demo")
        >>> round(d.median(), 1), [round(v, 1) for v in d.interval(0.9)]
        (50.5, [5.5, 95.5])
        """
        x = np.asarray(samples_s, dtype=np.float64).ravel()
        w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
        if x.size == 0 or np.any(np.isnan(x)):
            raise DataError(f"{estimator}: RUL samples are empty or NaN")
        if w.shape != x.shape or np.any(w < 0) or not w.sum() > 0:
            raise DataError(f"{estimator}: weights must match the samples, >= 0, not all zero")
        order = np.argsort(x, kind="stable")
        x, w = np.clip(x[order], 0.0, None), w[order]
        cdf = (np.cumsum(w) - w / 2) / w.sum()
        finite = np.where(np.isinf(x), np.finfo(np.float64).max, x)
        q = np.interp(QUANTILE_LEVELS, cdf, finite)
        q = np.where(q >= np.finfo(np.float64).max / 2, np.inf, q)
        return cls(
            at_s=float(at_s),
            levels=QUANTILE_LEVELS,
            quantiles_s=q,
            estimator=estimator,
            provenance=provenance if provenance is not None else Provenance(),
            status=status,
            onset_s=onset_s,
            unit=unit,
            note=note,
        )

    @classmethod
    def no_degradation(
        cls,
        at_s: float,
        estimator: str,
        note: str,
        provenance: Provenance | None = None,
        unit: Literal["s", "cycle"] = "s",
    ) -> RulDistribution:
        """The answer "no degradation detected yet": no number, and what was checked.

        Parameters
        ----------
        at_s : float
            Time of the last observation.
        estimator : str
            Estimator name.
        note : str
            What was checked (onset chart, threshold, number of snapshots...).
        provenance : Provenance, optional
            Provenance.
        unit : {"s", "cycle"}, default "s"
            Unit of time.

        Returns
        -------
        RulDistribution
            With ``status="no_degradation"`` and no quantiles.
        """
        empty = np.empty(0)
        return cls(
            float(at_s),
            empty,
            empty,
            estimator,
            provenance if provenance is not None else Provenance(),
            "no_degradation",
            None,
            unit,
            note,
        )

    @property
    def has_estimate(self) -> bool:
        """True when the distribution holds numbers (any status but ``"no_degradation"``)."""
        return self.status != "no_degradation"

    def _need(self) -> None:
        if not self.has_estimate:
            raise ModelError(
                f"no degradation detected yet at {self.at_s:g} {self.unit}: {self.note}"
            )

    def quantile(self, p: float) -> float:
        """RUL quantile at probability ``p`` (linear between stored levels, clamped at the ends).

        Parameters
        ----------
        p : float
            Probability in [0, 1].

        Returns
        -------
        float
            RUL (s or cycles); ``inf`` beyond the estimator's horizon.

        Raises
        ------
        ModelError
            No degradation detected yet (no number to give).
        DataError
            ``p`` outside [0, 1].
        """
        self._need()
        if not 0.0 <= p <= 1.0:
            raise DataError(f"quantile level must be in [0, 1], got {p!r}")
        big = np.finfo(np.float64).max
        finite = np.where(np.isinf(self.quantiles_s), big, self.quantiles_s)
        value = float(np.interp(p, self.levels, finite))
        return math.inf if value >= big / 2 else value

    def median(self) -> float:
        """Median RUL (s or cycles).

        Returns
        -------
        float
            The 0.5 quantile.
        """
        return self.quantile(0.5)

    def mean(self) -> float:
        """Mean RUL: the integral of the quantile function over the stored levels.

        Returns
        -------
        float
            ``sum`` of quantiles weighted by the width of their level bins (the tails beyond the
            stored levels take the end quantiles); ``inf`` if any quantile is.
        """
        self._need()
        edges = np.concatenate([[0.0], (self.levels[1:] + self.levels[:-1]) / 2, [1.0]])
        return float(np.sum(self.quantiles_s * np.diff(edges)))

    def interval(self, p: float = 0.9) -> tuple[float, float]:
        """Central interval holding probability ``p``.

        Parameters
        ----------
        p : float, default 0.9
            Probability in (0, 1).

        Returns
        -------
        tuple of float
            ``(quantile((1 - p) / 2), quantile((1 + p) / 2))``.
        """
        if not 0.0 < p < 1.0:
            raise DataError(f"interval probability must be in (0, 1), got {p!r}")
        return self.quantile((1 - p) / 2), self.quantile((1 + p) / 2)

    def cdf(self, rul_s: float) -> float:
        """Probability that the RUL is at most ``rul_s``.

        Parameters
        ----------
        rul_s : float
            RUL (s or cycles).

        Returns
        -------
        float
            Interpolated from the quantiles (0 below the first, the last level at and above
            the last finite one).
        """
        self._need()
        finite = self.quantiles_s[np.isfinite(self.quantiles_s)]
        if finite.size == 0 or rul_s < finite[0]:
            return 0.0
        levels = self.levels[: finite.size]
        return float(np.interp(rul_s, finite, levels, left=0.0, right=levels[-1]))

    def summary(self) -> dict[str, float | str | None]:
        """The numbers a user reads: median and 90 % interval (None without an estimate).

        Returns
        -------
        dict
            ``median``, ``q05``, ``q95``, ``mean`` (or None), ``status``, ``note``.
        """
        if not self.has_estimate:
            return {
                "median": None,
                "q05": None,
                "q95": None,
                "mean": None,
                "status": self.status,
                "note": self.note,
            }
        q05, q95 = self.interval(0.9)
        return {
            "median": self.median(),
            "q05": q05,
            "q95": q95,
            "mean": self.mean(),
            "status": self.status,
            "note": self.note,
        }
