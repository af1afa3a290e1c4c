"""ISO 281 rated life as the prior of the RUL, conditioned on age and combined with condition.

A bearing whose load and speed are known has a rated life ``L10`` (ISO 281: ``(C/P)^p`` million
revolutions) and a scatter about it: the reliability factor ``a1`` of ISO 281:2007 comes from a
three-parameter Weibull life, ``a1(R) = 0.95 (ln R / ln 0.9)^(1/1.5) + 0.05`` (ISO/TR 1281-2),
i.e. ``S(L) = exp(-ln(1/0.9) ((L - 0.05 L10) / (0.95 L10))^1.5)`` for ``L > 0.05 L10``.

Before degradation shows, the RUL at age ``t`` is that life conditioned on survival to ``t``:
``P(RUL > r) = S(t + r) / S(t)``. After onset, the condition-based estimate and the prior are
combined as independent evidence about the same failure time (their densities multiplied and
renormalised), not switched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.core.rul import QUANTILE_LEVELS, RulDistribution
from openphm.knowledge.iso281 import basic_rating_life_mrev, rating_life_hours

__all__ = ["IsoPrior", "combine_with_prior"]

FloatArray = npt.NDArray[np.float64]
_K = math.log(1 / 0.9)


@dataclass(frozen=True)
class IsoPrior:
    """Weibull life of a bearing behind ISO 281's reliability factors.

    Parameters
    ----------
    l10_s : float
        Rated life L10 in s (90 % survive it).
    slope : float, default 1.5
        Weibull slope (ISO 281's a1 factors use 1.5).
    location : float, default 0.05
        Failure-free life as a fraction of L10 (ISO 281: 0.05).
    """

    l10_s: float
    slope: float = 1.5
    location: float = 0.05

    def __post_init__(self) -> None:
        if not (math.isfinite(self.l10_s) and self.l10_s > 0):
            raise ConfigError(f"l10_s must be a positive number of seconds, got {self.l10_s!r}")
        if not (self.slope > 0 and 0 <= self.location < 1):
            raise ConfigError(f"slope > 0 and 0 <= location < 1 needed, got {self}")

    @classmethod
    def for_bearing(
        cls, *, speed_rpm: float, load_n: float, c_n: float, kind: str = "ball"
    ) -> IsoPrior:
        """The prior of a bearing from its dynamic load rating, load and speed (ISO 281).

        Parameters
        ----------
        speed_rpm : float
            Shaft speed in r/min.
        load_n : float
            Dynamic equivalent load P in N.
        c_n : float
            Basic dynamic load rating C in N.
        kind : str, default "ball"
            Bearing family (life exponent 3 for ball, 10/3 for roller bearings).

        Returns
        -------
        IsoPrior
            With ``L10 = (C/P)^p`` Mrev at ``speed_rpm``.

        Examples
        --------
        >>> round(IsoPrior.for_bearing(speed_rpm=1800, load_n=4000, c_n=4000).l10_s)
        33333
        """
        hours = rating_life_hours(basic_rating_life_mrev(c_n, load_n, kind), speed_rpm)
        return cls(hours * 3600.0)

    def _scale(self) -> tuple[float, float]:
        gamma = self.location * self.l10_s
        eta = (self.l10_s - gamma) / _K ** (1 / self.slope)
        return gamma, eta

    def survival(self, life_s: npt.ArrayLike) -> FloatArray:
        """Probability that the life exceeds ``life_s``.

        Parameters
        ----------
        life_s : array_like
            Life in s.

        Returns
        -------
        numpy.ndarray
            ``S(L)``; 0.9 at L10.

        Examples
        --------
        >>> p = IsoPrior(1000.0)
        >>> round(float(p.survival(1000.0)), 3), float(p.survival(10.0))
        (0.9, 1.0)
        """
        gamma, eta = self._scale()
        x = np.clip((np.asarray(life_s, dtype=np.float64) - gamma) / eta, 0, None)
        out: FloatArray = np.exp(-(x**self.slope))
        return out

    def rul(self, age_s: float) -> RulDistribution:
        """The prior RUL at age ``age_s``: the life conditioned on survival to that age.

        ``RUL_p = gamma + eta (H(t) - ln(1 - p))^(1/slope) - t`` with ``H`` the cumulative hazard.

        Parameters
        ----------
        age_s : float
            Operating age in s.

        Returns
        -------
        RulDistribution
            ``status="prior"``, estimator ``"iso281"``.

        Examples
        --------
        >>> d = IsoPrior(1000.0).rul(0.0)
        >>> round(d.quantile(0.1))
        1000
        """
        gamma, eta = self._scale()
        h = max((age_s - gamma) / eta, 0.0) ** self.slope
        life = gamma + eta * (h - np.log1p(-QUANTILE_LEVELS)) ** (1 / self.slope)
        return RulDistribution(
            at_s=float(age_s),
            levels=QUANTILE_LEVELS,
            quantiles_s=np.maximum(life - age_s, 0.0),
            estimator="iso281",
            status="prior",
            note=f"ISO 281 rated life L10 = {self.l10_s:.4g} s (Weibull slope {self.slope:g})",
        )


def combine_with_prior(condition: RulDistribution, prior: IsoPrior) -> RulDistribution:
    """Combine a condition-based RUL with the ISO 281 prior at the same age.

    Both are read as evidence about the same failure time: on a fine grid of RUL values the
    condition's probabilities (its CDF differences; the mass it puts beyond the grid on the last
    cell) are multiplied by the prior's (conditioned on age) and renormalised. Without a
    condition estimate ("no degradation detected yet"), the prior alone is returned.

    Parameters
    ----------
    condition : RulDistribution
        The condition-based estimate (s).
    prior : IsoPrior
        The rated-life prior.

    Returns
    -------
    RulDistribution
        ``status="combined"`` (or ``"prior"``), estimator ``"<estimator>+iso281"``.

    Examples
    --------
    >>> cond = RulDistribution.from_samples(np.linspace(500, 1500, 101), 0.0, "demo")
    >>> both = combine_with_prior(cond, IsoPrior(1000.0))
    >>> both.estimator, 500 < both.median() < 1500
    ('demo+iso281', True)
    """
    age = condition.at_s
    base = prior.rul(age)
    if not condition.has_estimate:
        return RulDistribution(
            age,
            base.levels,
            base.quantiles_s,
            "iso281",
            condition.provenance,
            "prior",
            None,
            condition.unit,
            f"{condition.note}; {base.note}",
        )
    finite = condition.quantiles_s[np.isfinite(condition.quantiles_s)]
    top = max(float(base.quantile(0.999)), 2.0 * float(finite[-1]) if finite.size else 0.0)
    edges = np.linspace(0.0, top, 4001)
    cdf = np.zeros_like(edges)
    if finite.size:
        cdf = np.interp(edges, finite, condition.levels[: finite.size], left=0.0)
        cdf[edges < finite[0]] = 0.0
    pc = np.diff(cdf)
    pc[-1] += 1.0 - cdf[-1]
    pp = -np.diff(prior.survival(age + edges)) / max(float(prior.survival(age)), 1e-300)
    w = np.clip(pc, 0, None) * np.clip(pp, 0, None)
    if not w.sum() > 0:
        w = np.clip(pc, 0, None)
    mids = (edges[1:] + edges[:-1]) / 2
    return RulDistribution.from_samples(
        mids,
        age,
        f"{condition.estimator}+iso281",
        condition.provenance,
        weights=w,
        status="combined",
        onset_s=condition.onset_s,
        unit=condition.unit,
        note=f"{condition.note}; combined with {base.note}",
    )
