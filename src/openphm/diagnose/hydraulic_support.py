"""Health of a hydraulic roof support from its leg-pressure telemetry (ISO 13374 HA).

From one leg's pressure series the set periods are found (pressure above a fraction of the rated
setting pressure), and for each:

- the setting pressure reached, against the rated one (a weak pump, a leaking hose or a short
  setting leaves the roof under-supported);
- the pressure's course while set, fitted as a first-order system
  ``p(t) = p_inf + (p0 - p_inf) exp(-t / tau)``: a leak of the leg's seals or check valve makes
  the pressure fall, and the fitted ``1 / tau`` is the leak rate ``lambda`` of
  ``dp/dt = -lambda p + k`` whatever the roof's convergence ``k`` (a tight leg under convergence
  rises linearly: ``tau`` infinite); the fit is by variable projection (Golub and Pereyra 1973):
  for each ``tau`` the model is linear in ``p_inf`` and ``p0``;
- yield events: sudden drops of the pressure near its highest values (the yield valve opening);
- missed advances: set periods lasting over one and a half advance intervals.

:mod:`openphm.simulate.support_pressure` makes records with known answers for all four.

References
----------
S. S. Peng, *Longwall Mining*, 3rd ed., CRC Press, 2019, ch. 6 (leg pressure cycles).
G. H. Golub, V. Pereyra, "The differentiation of pseudo-inverses and nonlinear least squares
problems whose variables separate", SIAM J. Numer. Anal. 10 (1973) 413-432.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import numpy.typing as npt
from scipy import optimize

from openphm import __version__
from openphm.core.errors import DataError
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields

__all__ = [
    "DecayFit",
    "SetPeriod",
    "SupportAssessment",
    "SupportSettings",
    "assess_support",
    "fit_decay",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SupportSettings(Serializable):
    """How a support's leg pressure is judged.

    Parameters
    ----------
    rated_setting_mpa : float
        Rated setting pressure of the support, MPa.
    set_fraction : float
        The leg counts as set while the pressure is above this fraction of the rated setting.
    min_setting_ratio : float
        Setting pressures below this fraction of the rated one are findings (0.9: a common
        face rule; check the face's own).
    leak_mpa_per_h : float
        Mean pressure loss rate of the fitted course over the set period above which the
        period is called leaking, MPa/h.
    yield_drop_mpa : float
        Smallest sudden drop counted as a yield event, MPa.
    yield_window_s : float
        Time within which the drop happens, s.
    advance_interval_s : float or None
        Expected time between advances, s; default the median set-period length.
    missed_factor : float
        A set period longer than this many advance intervals hides missed advances.
    ramp_window_s : float
        Time after the threshold crossing within which the setting pressure is read, s.
    """

    rated_setting_mpa: Annotated[float, Range(gt=0.0)] = 30.0
    set_fraction: Annotated[float, Range(gt=0.0, lt=1.0)] = 0.5
    min_setting_ratio: Annotated[float, Range(gt=0.0, le=1.0)] = 0.9
    leak_mpa_per_h: Annotated[float, Range(gt=0.0)] = 1.0
    yield_drop_mpa: Annotated[float, Range(gt=0.0)] = 1.0
    yield_window_s: Annotated[float, Range(gt=0.0)] = 10.0
    advance_interval_s: float | None = None
    missed_factor: Annotated[float, Range(gt=1.0)] = 1.5
    ramp_window_s: Annotated[float, Range(gt=0.0)] = 30.0

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class DecayFit(Serializable):
    """First-order fit ``p(t) = p_inf + (p0 - p_inf) exp(-t / tau)`` of a set period.

    Parameters
    ----------
    p0_mpa : float
        Pressure at the start of the fit, MPa.
    p_inf_mpa : float
        Value approached, MPa (NaN for the linear limit, ``tau`` infinite).
    tau_s : float
        Time constant, s (infinite: the pressure moves linearly).
    slope_mpa_per_h : float
        Rate of change at the start, MPa/h (``(p_inf - p0) / tau``; the slope of the line when
        ``tau`` is infinite).
    rmse_mpa : float
        Root-mean-square residual, MPa.
    n : int
        Samples fitted.
    """

    p0_mpa: float
    p_inf_mpa: float
    tau_s: float
    slope_mpa_per_h: float
    rmse_mpa: float
    n: int

    @property
    def leak_per_h(self) -> float:
        """``lambda = 1 / tau`` in 1/h (0 for the linear limit)."""
        return 3600.0 / self.tau_s if math.isfinite(self.tau_s) else 0.0


def _linear(t: FloatArray, p: FloatArray) -> tuple[float, float, float]:
    a = np.column_stack([np.ones_like(t), t])
    coef, *_ = np.linalg.lstsq(a, p, rcond=None)
    r = p - a @ coef
    return float(coef[0]), float(coef[1]), float(r @ r)


def _exp_residual(log_tau: float, t: FloatArray, p: FloatArray) -> tuple[float, FloatArray]:
    e = np.exp(-t / math.exp(log_tau))
    a = np.column_stack([np.ones_like(t), e])
    coef, *_ = np.linalg.lstsq(a, p, rcond=None)
    r = p - a @ coef
    return float(r @ r), coef


def fit_decay(t_s: npt.ArrayLike, pressure_mpa: npt.ArrayLike) -> DecayFit:
    """Fit a first-order response to a set period's pressure.

    ``tau`` is searched over ``log tau`` (from the sampling interval to a hundred
    times the period's length) with ``p_inf`` and ``p0 - p_inf`` solved linearly for each
    (variable projection); the straight line, the ``tau -> infinity`` limit, wins when it fits
    as well.

    Parameters
    ----------
    t_s : array_like
        Times from the start of the period, s (increasing).
    pressure_mpa : array_like
        Pressures, MPa.

    Returns
    -------
    DecayFit
        The fit.

    Raises
    ------
    DataError
        Fewer than 5 samples, lengths differ, times not increasing or values not finite.

    Examples
    --------
    >>> t = np.arange(0.0, 3600.0, 5.0)
    >>> fit = fit_decay(t, 30.0 * np.exp(-t / 1800.0))
    >>> round(fit.tau_s), round(fit.leak_per_h, 3), round(fit.p_inf_mpa, 3)
    (1800, 2.0, 0.0)
    """
    t = np.asarray(t_s, dtype=np.float64).ravel()
    p = np.asarray(pressure_mpa, dtype=np.float64).ravel()
    if t.size != p.size or t.size < 5:
        raise DataError(f"fit_decay: need >= 5 times and pressures of equal length, got {t.size}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(p)) and np.all(np.diff(t) > 0)):
        raise DataError("fit_decay: times must increase and values be finite")
    t = t - t[0]
    span = float(t[-1])
    step = float(np.median(np.diff(t)))
    b0, b1, line_ss = _linear(t, p)
    grid = np.linspace(math.log(max(step, 1e-9)), math.log(100.0 * span), 60)
    costs = [_exp_residual(g, t, p)[0] for g in grid]
    i = int(np.argmin(costs))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    best = optimize.minimize_scalar(
        lambda g: _exp_residual(g, t, p)[0], bounds=(lo, hi), method="bounded"
    )
    exp_ss, coef = _exp_residual(float(best.x), t, p)
    tau = math.exp(float(best.x))
    # The line has one parameter fewer: keep it unless the curve is clearly better.
    if line_ss <= exp_ss * (1.0 + 1e-3) or tau >= 50.0 * span:
        rmse = math.sqrt(line_ss / t.size)
        return DecayFit(b0, math.nan, math.inf, b1 * 3600.0, rmse, int(t.size))
    p_inf, amp = float(coef[0]), float(coef[1])
    p0 = p_inf + amp
    rmse = math.sqrt(exp_ss / t.size)
    return DecayFit(p0, p_inf, tau, (p_inf - p0) / tau * 3600.0, rmse, int(t.size))


@dataclass(frozen=True)
class SetPeriod(Serializable):
    """One set period of a leg and what it shows.

    Parameters
    ----------
    start_s, end_s : float
        When the setting ended and when the leg was lowered again (or the record ended), s.
    setting_mpa : float
        Setting pressure reached, MPa.
    setting_ratio : float
        ``setting_mpa`` over the rated setting pressure.
    fit : DecayFit or None
        First-order fit up to the first yield event (None when too short to fit).
    leaking : bool
        The fitted course lost pressure faster than the leak threshold, on average over the
        period (up to the first yield event).
    yield_times_s : tuple of float
        Times of the yield events, s.
    missed_advances : int
        Advances the period's length suggests were missed.
    """

    start_s: float
    end_s: float
    setting_mpa: float
    setting_ratio: float
    fit: DecayFit | None
    leaking: bool
    yield_times_s: tuple[float, ...]
    missed_advances: int


@dataclass(frozen=True)
class SupportAssessment(Serializable):
    """A leg's set periods and the findings over them.

    Parameters
    ----------
    periods : tuple of SetPeriod
        Every set period found, in time order.
    findings : tuple of str
        One line per finding (empty: nothing found).
    low_setting : int
        Periods set below the minimum setting ratio.
    leaking : int
        Periods that leak.
    yield_events : int
        Yield events in all.
    missed_advances : int
        Missed advances in all.
    settings : SupportSettings
        How it was judged.
    openphm_version : str
        Version of openphm that judged it.
    """

    periods: tuple[SetPeriod, ...]
    findings: tuple[str, ...]
    low_setting: int
    leaking: int
    yield_events: int
    missed_advances: int
    settings: SupportSettings
    openphm_version: str = __version__

    @property
    def healthy(self) -> bool:
        """Whether nothing was found."""
        return not self.findings


def _mean_loss_per_h(fit: DecayFit, span_s: float) -> float:
    """Pressure the fitted course loses over ``span_s``, per hour (negative: it rises).

    The mean over the period, not the slope at its start: a fast, tiny transient after the
    setting (noise, the valve closing) has a steep start but loses nothing."""
    if span_s <= 0:
        return 0.0
    if not math.isfinite(fit.tau_s):
        return -fit.slope_mpa_per_h
    drop = (fit.p0_mpa - fit.p_inf_mpa) * -math.expm1(-span_s / fit.tau_s)
    return drop / span_s * 3600.0


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Half-open index ranges of the True runs."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _yields(t: FloatArray, p: FloatArray, s: SupportSettings) -> list[int]:
    """Indices where the pressure drops by at least ``yield_drop_mpa`` within the window."""
    step = float(np.median(np.diff(t))) if t.size > 1 else 1.0
    lag = max(1, round(s.yield_window_s / step))
    if p.size <= lag:
        return []
    drop = p[:-lag] - p[lag:]
    hits = np.flatnonzero(drop >= s.yield_drop_mpa)
    events: list[int] = []
    for i in hits:
        if not events or i > events[-1] + lag:
            events.append(int(i) + int(np.argmax(p[i : i + lag + 1])))
    return events


def assess_support(
    t_s: npt.ArrayLike, pressure_mpa: npt.ArrayLike, settings: SupportSettings | None = None
) -> SupportAssessment:
    """Judge a leg from its pressure telemetry: setting, leak, yield and missed advances.

    Parameters
    ----------
    t_s : array_like
        Sample times, s (increasing).
    pressure_mpa : array_like
        Leg pressure, MPa.
    settings : SupportSettings, optional
        Rated pressure and thresholds.

    Returns
    -------
    SupportAssessment
        Set periods and findings.

    Raises
    ------
    DataError
        Lengths differ, fewer than 10 samples, non-finite values or times not increasing.

    Examples
    --------
    >>> from openphm.simulate.support_pressure import SupportScenario, simulate_support
    >>> rec = simulate_support(SupportScenario(leak_per_h=1.0), np.random.default_rng(0))
    >>> a = assess_support(rec.t_s, rec.pressure_mpa)
    >>> a.leaking, round(a.periods[0].fit.leak_per_h, 1)
    (8, 1.0)
    """
    s = settings or SupportSettings()
    t = np.asarray(t_s, dtype=np.float64).ravel()
    p = np.asarray(pressure_mpa, dtype=np.float64).ravel()
    if t.size != p.size or t.size < 10:
        raise DataError(f"assess_support: need >= 10 times and pressures alike, got {t.size}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(p)) and np.all(np.diff(t) > 0)):
        raise DataError("assess_support: times must increase and pressures be finite")
    runs = _runs(p > s.set_fraction * s.rated_setting_mpa)
    step = float(np.median(np.diff(t)))
    spans = [float(t[b - 1] - t[a]) for a, b in runs]
    interval = s.advance_interval_s or (float(np.median(spans)) if spans else 0.0)
    periods: list[SetPeriod] = []
    for (a, b), span in zip(runs, spans, strict=True):
        window = max(3, round(s.ramp_window_s / step))
        head = p[a : min(b, a + window)]
        k = min(5, head.size)
        smooth = np.convolve(head, np.ones(k) / k, mode="valid")
        top = int(np.argmax(smooth))
        start = a + top + k // 2
        setting = float(smooth[top])
        yields = [start + i for i in _yields(t[start:b], p[start:b], s)]
        stop = yields[0] if yields else b
        fit = fit_decay(t[start:stop], p[start:stop]) if stop - start >= 5 else None
        leaking = fit is not None and _mean_loss_per_h(fit, t[stop - 1] - t[start]) > (
            s.leak_mpa_per_h
        )
        missed = 0
        if interval > 0 and span > s.missed_factor * interval:
            missed = max(1, round(span / interval) - 1)
        periods.append(
            SetPeriod(
                float(t[start]),
                float(t[b - 1]),
                setting,
                setting / s.rated_setting_mpa,
                fit,
                leaking,
                tuple(float(t[i]) for i in yields),
                missed,
            )
        )
    low = sum(q.setting_ratio < s.min_setting_ratio for q in periods)
    n_leaking = sum(q.leaking for q in periods)
    n_yield = sum(len(q.yield_times_s) for q in periods)
    n_missed = sum(q.missed_advances for q in periods)
    findings: list[str] = []
    if low:
        worst = min(q.setting_ratio for q in periods)
        findings.append(
            f"setting below {s.min_setting_ratio:.0%} of the rated {s.rated_setting_mpa:g} MPa "
            f"in {low} of {len(periods)} settings (lowest {worst:.0%})"
        )
    if n_leaking:
        rates = [q.fit.leak_per_h for q in periods if q.leaking and q.fit is not None]
        findings.append(
            f"pressure lost while set in {n_leaking} of {len(periods)} periods "
            f"(leak rate median {np.median(rates):.2g} 1/h)"
        )
    if n_yield:
        findings.append(f"{n_yield} yield event(s): the roof load reached the yield valve")
    if n_missed:
        findings.append(
            f"{n_missed} missed advance(s): set periods over {interval:.0f} s x {s.missed_factor:g}"
        )
    return SupportAssessment(
        tuple(periods), tuple(findings), int(low), int(n_leaking), n_yield, n_missed, s
    )
