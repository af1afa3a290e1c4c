"""Exponential degradation with Bayesian updating of its parameters (Gebraeel et al. 2005).

The degradation signal after onset follows ``S(t) = phi + theta exp(beta t + eps)``; on the log
scale ``L(t) = ln(S(t) - phi) = a + b t + eps`` with ``a = ln theta``, ``b = beta`` and white
noise ``eps ~ N(0, sigma^2)`` (the model behind MATLAB's ``exponentialDegradationModel``). The
prior of ``(a, b)`` is bivariate normal, learned from the histories of other units; each new
observation updates it in closed form (conjugate normal linear regression). The unit fails when
``S`` reaches the threshold ``D``; since a path with ``b > 0`` rises monotonically, the failure
time ``T`` satisfies ``P(T <= tau) = P(a + b tau >= ln(D - phi))``, a normal probability, and the
RUL at time ``t`` is ``T - t`` conditioned on ``T > t``.

Time runs from the onset (:mod:`openphm.prognose.onset`): before it the model has nothing to say.

References
----------
N. Gebraeel, M. Lawley, R. Li, J. Ryan, "Residual-life distributions from component degradation
signals: a Bayesian approach", IIE Transactions 37 (2005) 543-557.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Self

import numpy as np
import numpy.typing as npt
from scipy import stats

from openphm.core.errors import ConfigError, DataError, ModelError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.rul import QUANTILE_LEVELS, RulDistribution
from openphm.prognose.interface import History, Observation
from openphm.prognose.onset import OnsetWatch, find_onset, watch_step

__all__ = [
    "ExponentialDegradation",
    "ExponentialPrior",
    "ExponentialSettings",
    "ExponentialState",
    "failure_cdf",
    "fit_log_linear",
    "rul_quantiles",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ExponentialSettings:
    """Settings of the exponential model.

    Parameters
    ----------
    phi : float, default 0
        Offset of the signal (its unit): ``L = ln(S - phi)``.
    threshold : float or None
        Failure threshold ``D`` on the signal; None: learned from the failed histories (median of
        their last values, with the spread of their logarithms).
    n_baseline : int, default 50
        Healthy values for the onset chart's baseline.
    cusum_h : float, default 5
        CUSUM decision interval (robust sigmas).
    """

    phi: float = 0.0
    threshold: float | None = None
    n_baseline: int = 50
    cusum_h: float = 5.0


@dataclass(frozen=True)
class ExponentialPrior:
    """Prior of the log-linear parameters, learned from histories.

    Parameters
    ----------
    mean : tuple of float
        Prior mean of ``(a, b)``: log level at onset and growth rate (1/s).
    cov : tuple of tuple of float
        Prior covariance (2 x 2).
    sigma : float
        Noise standard deviation on the log scale.
    threshold : float
        Failure threshold ``D`` on the signal (the median failure level).
    threshold_log_sd : float, default 0
        Spread of ``ln(D - phi)`` over units (failure levels scatter; 0 for a fixed threshold).
    """

    mean: tuple[float, float]
    cov: tuple[tuple[float, float], tuple[float, float]]
    sigma: float
    threshold: float
    threshold_log_sd: float = 0.0


@dataclass(frozen=True)
class ExponentialState:
    """The state of one unit: onset watch and the sufficient statistics after onset.

    Parameters
    ----------
    watch : OnsetWatch
        The onset watch.
    xtx : tuple of float
        ``sum 1, sum tau, sum tau^2`` over post-onset observations (tau = t - onset).
    xty : tuple of float
        ``sum L, sum tau L``.
    last_s : float
        Time of the last observation (NaN before any).
    """

    watch: OnsetWatch
    xtx: tuple[float, float, float] = (0.0, 0.0, 0.0)
    xty: tuple[float, float] = (0.0, 0.0)
    last_s: float = float("nan")


def fit_log_linear(tau: npt.ArrayLike, log_values: npt.ArrayLike) -> tuple[float, float, float]:
    """Least-squares line through log values: ``L = a + b tau``.

    Parameters
    ----------
    tau : array_like
        Times from onset (s).
    log_values : array_like
        ``ln(S - phi)``.

    Returns
    -------
    tuple of float
        ``(a, b, residual variance)`` (variance with ``n - 2`` degrees of freedom, 0 for n <= 2).

    Examples
    --------
    >>> a, b, v = fit_log_linear([0, 1, 2, 3], [1.0, 1.5, 2.0, 2.5])
    >>> round(a, 6), round(b, 6), round(v, 6)
    (1.0, 0.5, 0.0)
    """
    t = np.asarray(tau, dtype=np.float64)
    y = np.asarray(log_values, dtype=np.float64)
    if t.size < 2:
        raise DataError(f"need at least 2 values after onset to fit a line, got {t.size}")
    b, a = np.polyfit(t, y, 1)
    resid = y - (a + b * t)
    var = float(resid @ resid / (t.size - 2)) if t.size > 2 else 0.0
    return float(a), float(b), var


def failure_cdf(
    tau: npt.ArrayLike,
    mean: npt.ArrayLike,
    cov: npt.ArrayLike,
    log_threshold: float,
    log_threshold_sd: float = 0.0,
) -> FloatArray:
    """``P(a + b tau >= ln D)`` for ``(a, b) ~ N(mean, cov)``: the failure-time CDF at ``tau``.

    With a scattered threshold, ``ln D ~ N(log_threshold, log_threshold_sd^2)`` independent of
    ``(a, b)``, its variance adds to that of ``a + b tau``.

    Parameters
    ----------
    tau : array_like
        Times from onset (s).
    mean : array_like
        Mean of ``(a, b)``.
    cov : array_like
        Covariance of ``(a, b)`` (2 x 2).
    log_threshold : float
        ``ln(D - phi)`` (its median).
    log_threshold_sd : float, default 0
        Standard deviation of ``ln(D - phi)``.

    Returns
    -------
    numpy.ndarray
        Probabilities, made non-decreasing in ``tau`` (a running maximum).

    Examples
    --------
    >>> p = failure_cdf([0.0, 10.0, 20.0], [0.0, 0.1], [[1e-6, 0], [0, 1e-8]], 1.0)
    >>> [round(float(x), 3) for x in p]
    [0.0, 0.5, 1.0]
    """
    t = np.asarray(tau, dtype=np.float64)
    m = np.asarray(mean, dtype=np.float64)
    c = np.asarray(cov, dtype=np.float64)
    mu = m[0] + m[1] * t - log_threshold
    var = c[0, 0] + 2 * t * c[0, 1] + t * t * c[1, 1] + log_threshold_sd**2
    sd = np.sqrt(np.maximum(var, 1e-300))
    out: FloatArray = np.maximum.accumulate(stats.norm.cdf(mu / sd))
    return out


def rul_quantiles(
    tau_now: float,
    mean: npt.ArrayLike,
    cov: npt.ArrayLike,
    log_threshold: float,
    log_threshold_sd: float = 0.0,
) -> FloatArray:
    """RUL quantiles at :data:`~openphm.core.rul.QUANTILE_LEVELS`, given survival to ``tau_now``.

    ``P(RUL <= r) = (F(tau + r) - F(tau)) / (1 - F(tau))`` with ``F`` = :func:`failure_cdf`,
    inverted on a dense geometric grid of ``r``; levels the CDF never reaches are ``inf`` (paths
    that do not rise).

    Parameters
    ----------
    tau_now : float
        Time since onset (s).
    mean, cov : array_like
        Posterior of ``(a, b)``.
    log_threshold : float
        ``ln(D - phi)`` (its median).
    log_threshold_sd : float, default 0
        Standard deviation of ``ln(D - phi)``.

    Returns
    -------
    numpy.ndarray
        RUL (s) at each level.

    Examples
    --------
    >>> q = rul_quantiles(0.0, [0.0, 0.1], [[1e-8, 0], [0, 1e-10]], 1.0)
    >>> round(float(np.median(q)), 1)
    10.0
    """
    m = np.asarray(mean, dtype=np.float64)
    c = np.asarray(cov, dtype=np.float64)
    b_sd = float(np.sqrt(max(c[1, 1], 0.0)))
    b_typ = max(abs(float(m[1])), b_sd, 1e-12)
    gap = abs(log_threshold - float(m[0]) - float(m[1]) * tau_now)
    scale = max(gap / b_typ, 1e-6 * max(tau_now, 1.0), 1e-9)
    r = np.concatenate([[0.0], np.geomspace(scale * 1e-4, scale * 1e3, 4000)])
    f = failure_cdf(tau_now + r, m, c, log_threshold, log_threshold_sd)
    f0 = float(f[0])
    if f0 >= 1.0 - 1e-12:
        return np.zeros(QUANTILE_LEVELS.size)
    cond = np.maximum.accumulate((f - f0) / (1.0 - f0))
    q = np.interp(QUANTILE_LEVELS, cond, r, right=np.inf)
    q[cond[-1] < QUANTILE_LEVELS] = np.inf
    out: FloatArray = q
    return out


class ExponentialDegradation:
    """Exponential degradation model with Bayesian updating (Gebraeel 2005).

    Parameters
    ----------
    settings : ExponentialSettings, optional
        Offset, threshold and onset chart.
    prior : ExponentialPrior, optional
        A known prior instead of :meth:`fit`.

    Attributes
    ----------
    prior_ : ExponentialPrior
        After :meth:`fit` (or given).
    state_ : ExponentialState
        The unit's state after the last :meth:`update`.

    Examples
    --------
    >>> t = np.arange(0.0, 200.0)
    >>> runs = [History(t, np.exp(np.where(t < 100, 0, b * (t - 100)))
    ...         + 0.01 * np.sin(t), name=str(b)) for b in (0.02, 0.025, 0.03)]
    >>> model = ExponentialDegradation().fit(runs)
    >>> for ti, x in zip(t[:150], runs[1].values[:150]):
    ...     _ = model.update(Observation(ti, x))
    >>> d = model.predict(149.0)
    >>> d.status, 40 < d.median() < 65
    ('condition', True)
    """

    name = "exponential"

    def __init__(
        self, settings: ExponentialSettings | None = None, prior: ExponentialPrior | None = None
    ) -> None:
        self.settings = settings if settings is not None else ExponentialSettings()
        self.prior_ = prior
        self.state_ = self._fresh()

    def _fresh(self) -> ExponentialState:
        s = self.settings
        return ExponentialState(OnsetWatch(n_baseline=s.n_baseline, h=s.cusum_h))

    def _log(self, values: npt.ArrayLike) -> FloatArray:
        x = np.asarray(values, dtype=np.float64) - self.settings.phi
        out: FloatArray = np.log(np.maximum(x, 1e-12))
        return out

    def fit(self, histories: Sequence[History]) -> Self:
        """Learn the prior of ``(a, b)``, the noise and the threshold from histories.

        Each history's onset is found with the same watch as :meth:`update`; a line is fitted
        to its log values after onset. The prior is the mean and covariance of the lines
        (a small ridge keeps it proper); ``sigma`` is the pooled residual deviation.

        Parameters
        ----------
        histories : sequence of History
            1-D indicator histories; failed ones also give the threshold.

        Returns
        -------
        ExponentialDegradation
            ``self``.

        Raises
        ------
        DataError
            No history shows an onset with at least 3 values after it.
        """
        lines, variances, finals = [], [], []
        for h in histories:
            if h.values.ndim != 1:
                raise DataError(
                    f"{h.name or 'history'}: the exponential model needs a 1-D indicator"
                )
            watch = find_onset(h.times_s, h.values, self._fresh().watch)
            if h.failed:
                finals.append(float(h.values[-1]))
            if watch.onset_s is None:
                continue
            after = h.times_s >= watch.onset_s
            if after.sum() < 3:
                continue
            a, b, v = fit_log_linear(h.times_s[after] - watch.onset_s, self._log(h.values[after]))
            lines.append((a, b))
            variances.append(v)
        if not lines:
            raise DataError(
                f"none of the {len(histories)} histories shows an onset with 3 values after it"
            )
        threshold = self.settings.threshold
        spread = 0.0
        if threshold is None:
            if not finals:
                raise DataError("no failed history to learn the threshold from; give threshold=")
            threshold = float(np.median(finals))
            if len(finals) > 1:
                spread = float(np.std(self._log(finals), ddof=1))
        if threshold <= self.settings.phi:
            raise ConfigError(f"threshold {threshold:g} must exceed phi {self.settings.phi:g}")
        ab = np.asarray(lines)
        mean = ab.mean(axis=0)
        cov = np.cov(ab.T) if len(lines) > 1 else np.diag([1.0, (0.5 * mean[1]) ** 2])
        cov = cov + np.diag([1e-6, (1e-3 * abs(mean[1])) ** 2 + 1e-30])
        sigma = float(np.sqrt(max(float(np.mean(variances)), 1e-12)))
        self.prior_ = ExponentialPrior(
            (float(mean[0]), float(mean[1])),
            ((float(cov[0, 0]), float(cov[0, 1])), (float(cov[1, 0]), float(cov[1, 1]))),
            sigma,
            threshold,
            spread,
        )
        self.state_ = self._fresh()
        return self

    def reset(self) -> ExponentialState:
        """Start a new unit (the prior is kept).

        Returns
        -------
        ExponentialState
            The fresh state.
        """
        self.state_ = self._fresh()
        return self.state_

    def update(self, observation: Observation) -> ExponentialState:
        """Fold one observation into the unit's state.

        Parameters
        ----------
        observation : Observation
            Time and indicator value.

        Returns
        -------
        ExponentialState
            The new state (also kept as ``state_``).

        Raises
        ------
        DataError
            A time that does not follow the last one, or a non-finite value.
        """
        s = self.state_
        t, x = float(observation.t_s), float(observation.value)
        if not (np.isfinite(t) and np.isfinite(x)):
            raise DataError(f"observation at t={t!r}: value {x!r} is not finite")
        if np.isfinite(s.last_s) and t <= s.last_s:
            raise DataError(f"observation at t={t:g} does not follow the last one at {s.last_s:g}")
        watch = watch_step(s.watch, t, x)
        new = replace(s, watch=watch, last_s=t)
        if watch.onset_s is not None:
            tau = t - watch.onset_s
            y = float(self._log([x])[0])
            n, st, stt = s.xtx
            sy, sty = s.xty
            new = replace(new, xtx=(n + 1, st + tau, stt + tau * tau), xty=(sy + y, sty + tau * y))
        self.state_ = new
        return new

    def posterior(self) -> tuple[FloatArray, FloatArray]:
        """Posterior mean and covariance of ``(a, b)`` given the observations after onset.

        ``C = (C0^-1 + X'X / sigma^2)^-1``, ``m = C (C0^-1 m0 + X'L / sigma^2)``.

        Returns
        -------
        tuple of numpy.ndarray
            Mean (2,) and covariance (2, 2).
        """
        prior = self._need_prior()
        c0_inv = np.linalg.inv(np.asarray(prior.cov))
        n, st, stt = self.state_.xtx
        xtx = np.array([[n, st], [st, stt]]) / prior.sigma**2
        xty = np.asarray(self.state_.xty) / prior.sigma**2
        cov: FloatArray = np.linalg.inv(c0_inv + xtx).astype(np.float64)
        mean: FloatArray = cov @ (c0_inv @ np.asarray(prior.mean) + xty)
        return mean, cov

    def _need_prior(self) -> ExponentialPrior:
        if self.prior_ is None:
            raise ModelError("the exponential model has no prior: call fit(histories) first")
        return self.prior_

    def predict(self, t_s: float) -> RulDistribution:
        """RUL distribution at time ``t_s`` (at or after the last observation).

        Parameters
        ----------
        t_s : float
            Time (s), normally the last observation's.

        Returns
        -------
        RulDistribution
            ``status="condition"`` after onset; ``"no_degradation"`` before it, with what was
            checked.
        """
        prior = self._need_prior()
        watch = self.state_.watch
        settings = Provenance.of(self.settings, InputRef())
        if watch.onset_s is None:
            return RulDistribution.no_degradation(t_s, self.name, watch.describe(), settings)
        mean, cov = self.posterior()
        log_d = float(np.log(prior.threshold - self.settings.phi))
        q = rul_quantiles(t_s - watch.onset_s, mean, cov, log_d, prior.threshold_log_sd)
        return RulDistribution(
            at_s=float(t_s),
            levels=QUANTILE_LEVELS,
            quantiles_s=q,
            estimator=self.name,
            provenance=settings,
            status="condition",
            onset_s=watch.onset_s,
            note=f"threshold {prior.threshold:.4g}, growth rate {mean[1]:.3g}/s after onset",
        )
