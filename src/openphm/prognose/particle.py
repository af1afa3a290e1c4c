"""A particle filter over a degradation-state model (sequential Monte Carlo).

The state of a unit after onset is its log degradation level ``L`` and growth rate ``b``:

``L_k = L_{k-1} + b_{k-1} dt + w_L``, ``b_k = b_{k-1} + w_b`` with ``w ~ N(0, q dt)``, and
the observation ``y_k = ln(S_k - phi) = L_k + v``, ``v ~ N(0, sigma^2)``.

Particles start from the prior that :class:`~openphm.prognose.exponential.ExponentialDegradation`
learns from histories (the log level at onset, the rate, the noise, the threshold and its
scatter); each observation reweights them by its likelihood, with systematic resampling when the
effective sample size falls below half. Each particle's RUL is the time its level needs to reach
its own threshold at its rate (``inf`` when the rate is not positive); the weighted particles give
the distribution. Unlike the conjugate model, the rate may drift, so the filter follows a unit
whose degradation speeds up.

References
----------
M. S. Arulampalam, S. Maskell, N. Gordon, T. Clapp, "A tutorial on particle filters for online
nonlinear/non-Gaussian Bayesian tracking", IEEE Trans. Signal Processing 50 (2002) 174-188.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError, ModelError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.rul import RulDistribution
from openphm.prognose.exponential import ExponentialDegradation, ExponentialPrior
from openphm.prognose.interface import History, Observation
from openphm.prognose.onset import OnsetWatch, watch_step

__all__ = ["ParticleFilter", "ParticleSettings"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ParticleSettings:
    """Settings of the particle filter.

    Parameters
    ----------
    n_particles : int, default 2000
        Particles.
    rate_drift : float, default 0.01
        Standard deviation of the rate's random walk per unit of time, as a fraction of the prior
        rate's magnitude.
    level_noise : float, default 0.1
        Standard deviation of the level's random walk per unit of time, as a fraction of the
        observation noise.
    phi : float, default 0
        Offset of the signal.
    n_baseline : int, default 50
        Healthy values for the onset chart.
    """

    n_particles: int = 2000
    rate_drift: float = 0.01
    level_noise: float = 0.1
    phi: float = 0.0
    n_baseline: int = 50


class ParticleFilter:
    """RUL by a particle filter over level and rate of the log degradation signal.

    Parameters
    ----------
    rng : numpy.random.Generator
        Randomness of the filter (propagation, resampling, thresholds).
    settings : ParticleSettings, optional
        Particles and noise.
    prior : ExponentialPrior, optional
        A known prior instead of :meth:`fit`.

    Attributes
    ----------
    prior_ : ExponentialPrior
        The prior.
    particles_ : numpy.ndarray or None
        ``(n, 3)``: level, rate, log threshold of each particle (None before onset).
    weights_ : numpy.ndarray or None
        Normalised weights.
    """

    name = "particle"

    def __init__(
        self,
        rng: np.random.Generator,
        settings: ParticleSettings | None = None,
        prior: ExponentialPrior | None = None,
    ) -> None:
        self.rng = rng
        self.settings = settings if settings is not None else ParticleSettings()
        self.prior_ = prior
        self.reset()

    def reset(self) -> OnsetWatch:
        """Start a new unit (the prior is kept).

        Returns
        -------
        OnsetWatch
            The fresh onset watch.
        """
        self.watch_ = OnsetWatch(n_baseline=self.settings.n_baseline)
        self.particles_: FloatArray | None = None
        self.weights_: FloatArray | None = None
        self.last_s = float("nan")
        return self.watch_

    def fit(self, histories: Sequence[History]) -> Self:
        """Learn the prior as :meth:`ExponentialDegradation.fit` does.

        Parameters
        ----------
        histories : sequence of History
            1-D indicator histories.

        Returns
        -------
        ParticleFilter
            ``self``.
        """
        from openphm.prognose.exponential import ExponentialSettings

        s = ExponentialSettings(phi=self.settings.phi, n_baseline=self.settings.n_baseline)
        self.prior_ = ExponentialDegradation(s).fit(histories).prior_
        self.reset()
        return self

    def _need(self) -> ExponentialPrior:
        if self.prior_ is None:
            raise ModelError("the particle filter has no prior: call fit(histories) first")
        return self.prior_

    def _start(self) -> FloatArray:
        p = self._need()
        n = self.settings.n_particles
        ab = self.rng.multivariate_normal(np.asarray(p.mean), np.asarray(p.cov), n)
        log_d = np.log(p.threshold - self.settings.phi) + self.rng.normal(0, p.threshold_log_sd, n)
        return np.column_stack([ab, log_d])

    def update(self, observation: Observation) -> FloatArray | None:
        """Fold one observation in: propagate, weight, resample when needed.

        Parameters
        ----------
        observation : Observation
            Time and indicator value.

        Returns
        -------
        numpy.ndarray or None
            The particles (None before onset).
        """
        p = self._need()
        t, x = float(observation.t_s), float(observation.value)
        if not (np.isfinite(t) and np.isfinite(x)):
            raise DataError(f"observation at t={t!r}: value {x!r} is not finite")
        if np.isfinite(self.last_s) and t <= self.last_s:
            raise DataError(
                f"observation at t={t:g} does not follow the last one at {self.last_s:g}"
            )
        dt = t - self.last_s if np.isfinite(self.last_s) else 0.0
        self.last_s = t
        self.watch_ = watch_step(self.watch_, t, x)
        if self.watch_.onset_s is None:
            return None
        if self.particles_ is None or self.weights_ is None:
            parts, w = (
                self._start(),
                np.full(self.settings.n_particles, 1.0 / self.settings.n_particles),
            )
        else:
            parts, w = self.particles_.copy(), self.weights_
            s = self.settings
            n = parts.shape[0]
            parts[:, 0] += parts[:, 1] * dt + self.rng.normal(
                0, s.level_noise * p.sigma * np.sqrt(dt), n
            )
            parts[:, 1] += self.rng.normal(0, s.rate_drift * abs(p.mean[1]) * np.sqrt(dt), n)
        y = np.log(max(x - self.settings.phi, 1e-12))
        loglik = -0.5 * ((y - parts[:, 0]) / p.sigma) ** 2
        w = w * np.exp(loglik - loglik.max())
        w = w / w.sum()
        if 1.0 / np.sum(w * w) < 0.5 * w.size:
            u = (self.rng.random() + np.arange(w.size)) / w.size
            idx = np.minimum(np.searchsorted(np.cumsum(w), u), w.size - 1)
            parts, w = parts[idx], np.full(w.size, 1.0 / w.size)
        self.particles_, self.weights_ = parts, w
        return parts

    def predict(self, t_s: float) -> RulDistribution:
        """RUL distribution at the last observation.

        Parameters
        ----------
        t_s : float
            Time (s) of the last observation.

        Returns
        -------
        RulDistribution
            From the weighted particles; "no degradation detected yet" before onset.
        """
        self._need()
        prov = Provenance.of(self.settings, InputRef())
        if self.particles_ is None or self.weights_ is None:
            return RulDistribution.no_degradation(t_s, self.name, self.watch_.describe(), prov)
        level, rate, log_d = self.particles_.T
        with np.errstate(divide="ignore", invalid="ignore"):
            rul = np.where(rate > 0, (log_d - level) / rate, np.inf)
        return RulDistribution.from_samples(
            np.clip(rul, 0, None),
            t_s,
            self.name,
            prov,
            weights=self.weights_,
            onset_s=self.watch_.onset_s,
            note=f"{self.settings.n_particles} particles over level and rate",
        )

    def rate(self) -> float:
        """Weighted mean growth rate of the particles (1/s).

        Returns
        -------
        float
            NaN before onset.
        """
        if self.particles_ is None or self.weights_ is None:
            return float("nan")
        return float(np.sum(self.weights_ * self.particles_[:, 1]))
