"""RUL of a monitored point from its own indicator trend, one measurement at a time.

A monitoring system meets machines that no run-to-failure library describes, in any unit and at
any measurement interval, so the prior of the exponential model
(:class:`~openphm.prognose.exponential.ExponentialDegradation`) cannot be learned from other
units' histories here. Instead every number of the model is taken
from the point's own history and from one stated rule:

- onset: the CUSUM chart of :mod:`openphm.prognose.onset` on the first ``n_baseline`` values
  (the machine is taken to be healthy when monitoring starts, as the baselines are);
- failure threshold: ``failure_ratio`` times the healthy centre ``S0`` of the indicator, with a
  log-normal scatter (``failure_ratio_log_sd``). On the six FEMTO/PRONOSTIA learning bearings the
  horizontal r.m.s. at failure is 1.9 to 10.1 times its healthy median (median 5.2, standard
  deviation of the logarithm 0.55; Nectoux et al. 2012); ISO 10816-3's zone boundaries put the
  C/D limit ("damage") about 3 times the A/B limit of a new machine. Hence 5 and 0.5 by default;
- prior of the log-linear path ``ln S = a + b tau``: ``a`` centred on ``ln S0`` (one e-fold of
  spread), ``b`` centred on zero with a spread that lets the indicator reach the threshold within
  ``prior_intervals`` of the point's own measurement intervals (a weak prior: after a few values
  past onset the data decide);
- noise: the baseline's robust sigma relative to its centre (the log-scale noise), at least 2 %.

The answer is "no degradation detected yet" (with what was checked) until onset, then the
Gebraeel model's RUL distribution, whose width says how little a short trend tells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Annotated

from openphm.core.provenance import InputRef, Provenance
from openphm.core.rul import RulDistribution
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.prognose.exponential import (
    ExponentialDegradation,
    ExponentialPrior,
    ExponentialSettings,
    ExponentialState,
)
from openphm.prognose.interface import Observation

__all__ = ["PointRulSettings", "PointRulState", "point_prior", "step_point_rul"]

#: Name of the estimator in the distributions this module returns.
ESTIMATOR = "exponential (point trend)"


@dataclass(frozen=True)
class PointRulSettings(Serializable):
    """How a point's RUL is judged from its own trend (see the module docstring).

    Parameters
    ----------
    failure_ratio : float, default 5
        Failure threshold over the healthy centre of the indicator.
    failure_ratio_log_sd : float, default 0.5
        Standard deviation of the logarithm of that ratio over units.
    n_baseline : int, default 20
        Healthy values the onset chart's baseline is learned from.
    cusum_k, cusum_h : float
        Reference value and decision interval of the onset chart (robust sigmas).
    prior_intervals : float, default 10
        The growth-rate prior lets the indicator reach the threshold within this many
        measurement intervals at one standard deviation.
    """

    failure_ratio: Annotated[float, Range(gt=1.0)] = 5.0
    failure_ratio_log_sd: Annotated[float, Range(ge=0.0)] = 0.5
    n_baseline: Annotated[int, Range(ge=5)] = 20
    cusum_k: Annotated[float, Range(ge=0.0)] = 0.5
    cusum_h: Annotated[float, Range(gt=0.0)] = 5.0
    prior_intervals: Annotated[float, Range(gt=0.0)] = 10.0

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class PointRulState(Serializable):
    """What is kept per point between measurements.

    Parameters
    ----------
    origin_s : float
        Time of the first value (s, e.g. seconds since the epoch); the model's clock starts here.
    model : ExponentialState
        Onset watch and sufficient statistics of the exponential model.
    """

    origin_s: float
    model: ExponentialState = field(default_factory=lambda: _fresh_model(PointRulSettings()))


def _model_settings(s: PointRulSettings) -> ExponentialSettings:
    return ExponentialSettings(n_baseline=s.n_baseline, cusum_h=s.cusum_h)


def _fresh_model(s: PointRulSettings) -> ExponentialState:
    return ExponentialDegradation(_model_settings(s)).state_


def point_prior(
    centre: float, scale: float, interval_s: float, settings: PointRulSettings
) -> ExponentialPrior:
    """The prior of a point's degradation path from its healthy baseline and its cadence.

    Parameters
    ----------
    centre, scale : float
        Healthy centre ``S0`` and robust sigma of the indicator (its unit).
    interval_s : float
        Typical time between the point's measurements, s.
    settings : PointRulSettings
        Failure ratio and prior width.

    Returns
    -------
    ExponentialPrior
        ``a ~ N(ln S0, 1)``, ``b ~ N(0, (ln(ratio) / (prior_intervals interval_s))^2)``,
        ``sigma = max(scale / S0, 0.02)``, threshold ``ratio S0`` with its log scatter.

    Examples
    --------
    >>> p = point_prior(2.0, 0.1, 600.0, PointRulSettings())
    >>> round(p.threshold, 3), round(p.sigma, 3)
    (10.0, 0.05)
    """
    s0 = max(float(centre), 1e-12)
    b_sd = math.log(settings.failure_ratio) / (settings.prior_intervals * max(interval_s, 1e-9))
    return ExponentialPrior(
        mean=(math.log(s0), 0.0),
        cov=((1.0, 0.0), (0.0, b_sd * b_sd)),
        sigma=max(float(scale) / s0, 0.02),
        threshold=settings.failure_ratio * s0,
        threshold_log_sd=settings.failure_ratio_log_sd,
    )


def step_point_rul(
    state: PointRulState | None,
    t_s: float,
    value: float,
    settings: PointRulSettings | None = None,
    source: InputRef | None = None,
) -> tuple[PointRulState, RulDistribution] | None:
    """Fold one indicator value of a point into its state and say its RUL.

    Parameters
    ----------
    state : PointRulState or None
        The point's state so far (None: its first value).
    t_s : float
        Time of the value (s, on the same clock as ``state.origin_s``).
    value : float
        The indicator value (its unit).
    settings : PointRulSettings, optional
        The rule (defaults of the module docstring).
    source : InputRef, optional
        What the value was computed from, for the distribution's provenance.

    Returns
    -------
    tuple of (PointRulState, RulDistribution) or None
        The new state and the RUL at ``t_s`` (``at_s`` and ``onset_s`` in s from ``origin_s``);
        None when the value cannot be used (not finite, or not after the last one: a
        measurement that arrives late does not rewrite the trend).

    Examples
    --------
    >>> state, out = None, None
    >>> for i in range(40):
    ...     level = 1.0 if i < 25 else 1.0 * 1.25 ** (i - 24)
    ...     state, out = step_point_rul(state, 3600.0 * i, level + 0.01 * (i % 3))
    >>> out.status, out.onset_s is not None, 0 < out.median() < 3600.0 * 20
    ('condition', True, True)
    """
    s = settings or PointRulSettings()
    if not (math.isfinite(t_s) and math.isfinite(value)):
        return None
    current = state or PointRulState(origin_s=float(t_s), model=_fresh_model(s))
    t = float(t_s) - current.origin_s
    last = current.model.last_s
    if math.isfinite(last) and t <= last:
        return None
    model = ExponentialDegradation(_model_settings(s))
    model.state_ = current.model
    new = model.update(Observation(t, float(value)))
    provenance = Provenance.of(s, source or InputRef())
    watch = new.watch
    after = PointRulState(current.origin_s, new)
    if watch.chart is None or watch.onset_s is None:
        return after, RulDistribution.no_degradation(t, ESTIMATOR, watch.describe(), provenance)
    interval = t / max(watch.n_seen - 1, 1)
    model.prior_ = point_prior(watch.chart.centre, watch.chart.scale, interval, s)
    d = model.predict(t)
    return after, RulDistribution(
        at_s=d.at_s,
        levels=d.levels,
        quantiles_s=d.quantiles_s,
        estimator=ESTIMATOR,
        provenance=provenance,
        status=d.status,
        onset_s=d.onset_s,
        note=f"{d.note}; threshold {s.failure_ratio:g} x healthy centre {watch.chart.centre:.4g}",
    )
