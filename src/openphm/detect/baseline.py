"""Robust baselines of a condition indicator and the alert and danger limits drawn from them.

A baseline is the indicator's centre and spread while the machine is known to be healthy: the
first N measurements of a point, or a period the user marks healthy. The centre is the median and
the spread a robust sigma (the median absolute deviation or the interquartile range scaled to a
Gaussian standard deviation), so that a few odd measurements among the healthy ones do not move
the limits. Limits sit a number of robust sigmas from the centre, on the side where the indicator
gets worse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from openphm import __version__
from openphm.core.errors import ConfigError, DataError
from openphm.core.serialize import Serializable

#: Which side of the baseline is worse: ``upper`` (r.m.s., kurtosis, temperature), ``lower``
#: (oil pressure, insulation) or ``both``.
Direction = Literal["upper", "lower", "both"]
#: Alarm level of a value or an alarm.
Level = Literal["normal", "alert", "danger"]
#: Levels in increasing severity.
LEVELS: tuple[Level, ...] = ("normal", "alert", "danger")
#: Robust spread estimator of :func:`fit_baseline`.
BaselineMethod = Literal["mad", "quantile"]
#: 1 / Phi^-1(3/4): the factor that makes the MAD of Gaussian data an estimate of sigma.
MAD_TO_SIGMA = 1.4826
#: Phi^-1(3/4) - Phi^-1(1/4): the interquartile range of a unit Gaussian.
IQR_OF_GAUSSIAN = 1.3490
#: Default number of healthy values a baseline needs before it is used.
MIN_BASELINE_COUNT = 10

DIRECTIONS: tuple[Direction, ...] = ("upper", "lower", "both")


def check_direction(direction: str) -> Direction:
    """Validate a direction name.

    Parameters
    ----------
    direction : str
        ``"upper"``, ``"lower"`` or ``"both"``.

    Returns
    -------
    str
        The direction, typed.

    Raises
    ------
    ConfigError
        Any other name.

    Examples
    --------
    >>> check_direction("upper")
    'upper'
    """
    for known in DIRECTIONS:
        if direction == known:
            return known
    raise ConfigError(f"direction: expected one of {list(DIRECTIONS)}, got {direction!r}")


@dataclass(frozen=True)
class Limits(Serializable):
    """Alert and danger limits of an indicator, in the indicator's unit.

    A limit that does not apply to the direction is ``None``.

    Parameters
    ----------
    direction : {"upper", "lower", "both"}
        Which side is worse.
    alert_high, danger_high : float or None
        Upper limits (``upper`` and ``both``); ``alert_high <= danger_high``.
    alert_low, danger_low : float or None
        Lower limits (``lower`` and ``both``); ``danger_low <= alert_low``.
    """

    direction: Direction
    alert_high: float | None = None
    danger_high: float | None = None
    alert_low: float | None = None
    danger_low: float | None = None

    def __post_init__(self) -> None:
        check_direction(self.direction)
        high = self.direction in ("upper", "both")
        low = self.direction in ("lower", "both")
        pairs = (
            ("alert_high", self.alert_high, high),
            ("danger_high", self.danger_high, high),
            ("alert_low", self.alert_low, low),
            ("danger_low", self.danger_low, low),
        )
        for name, value, needed in pairs:
            if needed and (value is None or not math.isfinite(value)):
                raise ConfigError(
                    f"Limits.{name}: a finite limit is needed for direction "
                    f"{self.direction!r}, got {value!r}"
                )
            if not needed and value is not None:
                raise ConfigError(
                    f"Limits.{name}: must be None for direction {self.direction!r}, got {value!r}"
                )
        if high and self.danger_high < self.alert_high:  # type: ignore[operator]
            raise ConfigError(
                f"Limits: danger_high {self.danger_high} is below alert_high {self.alert_high}"
            )
        if low and self.danger_low > self.alert_low:  # type: ignore[operator]
            raise ConfigError(
                f"Limits: danger_low {self.danger_low} is above alert_low {self.alert_low}"
            )
        if self.direction == "both" and self.alert_low >= self.alert_high:  # type: ignore[operator]
            raise ConfigError(
                f"Limits: alert_low {self.alert_low} must be below alert_high {self.alert_high}"
            )

    def limit_of(self, level: Level, value: float) -> float:
        """Return the limit of ``level`` on the side of the centre where ``value`` lies.

        Parameters
        ----------
        level : {"alert", "danger"}
            The level whose limit is wanted.
        value : float
            The value; with direction ``both`` it picks the upper or lower limit (the one it
            is nearer to).

        Returns
        -------
        float
            The limit (indicator unit).
        """
        high = self.danger_high if level == "danger" else self.alert_high
        low = self.danger_low if level == "danger" else self.alert_low
        if high is None:
            return low  # type: ignore[return-value]
        if low is None:
            return high
        return high if abs(value - high) <= abs(value - low) else low

    def level_of(self, value: float, margin: float = 0.0) -> Level:
        """Return the level a value reaches, a limit itself counting as reached.

        Parameters
        ----------
        value : float
            Indicator value.
        margin : float, default 0
            Move every limit this much towards the healthy side first (indicator unit): the
            hysteresis band a value must leave before an alarm drops.

        Returns
        -------
        {"normal", "alert", "danger"}
            The highest level whose (moved) limit the value reaches.

        Examples
        --------
        >>> lim = Limits("upper", alert_high=4.0, danger_high=6.0)
        >>> lim.level_of(5.0), lim.level_of(3.5), lim.level_of(3.5, margin=1.0)
        ('alert', 'normal', 'alert')
        """
        v = float(value)
        for level, high, low in (
            ("danger", self.danger_high, self.danger_low),
            ("alert", self.alert_high, self.alert_low),
        ):
            if (high is not None and v >= high - margin) or (low is not None and v <= low + margin):
                return level  # type: ignore[return-value]
        return "normal"


@dataclass(frozen=True)
class Baseline(Serializable):
    """Healthy centre and robust spread of one indicator, with its limits.

    Build it with :func:`fit_baseline`.

    Parameters
    ----------
    centre : float
        Median of the healthy values (indicator unit).
    scale : float
        Robust sigma (indicator unit), at least the floor of :func:`fit_baseline`.
    count : int
        Number of healthy values it was fitted on.
    method : {"mad", "quantile"}
        How ``scale`` was estimated.
    direction : {"upper", "lower", "both"}
        Which side of the centre is worse.
    alert_sigmas, danger_sigmas : float
        Distances of the alert and danger limits from the centre, in robust sigmas.
    min_count : int
        Values needed before the baseline is used (:attr:`ready`).
    openphm_version : str
        Version of openphm that fitted it.
    """

    centre: float
    scale: float
    count: int
    method: BaselineMethod = "mad"
    direction: Direction = "upper"
    alert_sigmas: float = 4.0
    danger_sigmas: float = 6.0
    min_count: int = MIN_BASELINE_COUNT
    openphm_version: str = __version__

    def __post_init__(self) -> None:
        check_direction(self.direction)
        if self.method not in ("mad", "quantile"):
            raise ConfigError(f"Baseline.method: expected 'mad' or 'quantile', got {self.method!r}")
        if not math.isfinite(self.centre):
            raise ConfigError(f"Baseline.centre: must be finite, got {self.centre!r}")
        if not (math.isfinite(self.scale) and self.scale > 0.0):
            raise ConfigError(f"Baseline.scale: must be finite and > 0, got {self.scale!r}")
        if not 0.0 < self.alert_sigmas <= self.danger_sigmas < math.inf:
            raise ConfigError(
                "Baseline: need 0 < alert_sigmas <= danger_sigmas, got "
                f"{self.alert_sigmas!r} and {self.danger_sigmas!r}"
            )
        if self.count < 0 or self.min_count < 1:
            raise ConfigError(
                f"Baseline: count must be >= 0 and min_count >= 1, got {self.count}, "
                f"{self.min_count}"
            )

    @property
    def ready(self) -> bool:
        """Whether enough healthy values were seen for the baseline to be used."""
        return self.count >= self.min_count

    @property
    def limits(self) -> Limits:
        """Alert and danger limits: ``centre +/- sigmas * scale`` on the worse side(s)."""
        high = self.direction in ("upper", "both")
        low = self.direction in ("lower", "both")
        c, s = self.centre, self.scale
        return Limits(
            direction=self.direction,
            alert_high=c + self.alert_sigmas * s if high else None,
            danger_high=c + self.danger_sigmas * s if high else None,
            alert_low=c - self.alert_sigmas * s if low else None,
            danger_low=c - self.danger_sigmas * s if low else None,
        )

    def zscore(self, value: float) -> float:
        """Signed distance of ``value`` from the centre, in robust sigmas.

        Parameters
        ----------
        value : float
            Indicator value (indicator unit).

        Returns
        -------
        float
            ``(value - centre) / scale``.
        """
        return (float(value) - self.centre) / self.scale


def fit_baseline(
    values: npt.ArrayLike,
    *,
    method: BaselineMethod = "mad",
    direction: Direction = "upper",
    alert_sigmas: float = 4.0,
    danger_sigmas: float = 6.0,
    min_count: int = MIN_BASELINE_COUNT,
    floor_fraction: float = 0.01,
    floor: float = 1e-12,
) -> Baseline:
    """Fit a robust baseline to healthy values of one indicator.

    Parameters
    ----------
    values : array_like
        Healthy values of the indicator (its unit), finite, at least one.
    method : {"mad", "quantile"}, default "mad"
        Robust sigma: ``"mad"`` is ``1.4826 median|x - median(x)|``; ``"quantile"`` is
        ``(Q75 - Q25) / 1.349``. Both equal the standard deviation for Gaussian data and ignore
        up to a quarter (IQR) or half (MAD) of odd values.
    direction : {"upper", "lower", "both"}, default "upper"
        Which side of the centre is worse.
    alert_sigmas, danger_sigmas : float, default 4 and 6
        Limits as distances from the centre in robust sigmas.
    min_count : int, default 10
        Values needed before the baseline is used; with fewer, the baseline is returned with
        ``ready`` False and the detector reports "learning".
    floor_fraction : float, default 0.01
        The scale is at least ``floor_fraction * |centre|`` ...
    floor : float, default 1e-12
        ... and at least ``floor`` (indicator unit), so that a constant baseline (a quantised
        sensor, a stopped machine) does not give limits of zero width.

    Returns
    -------
    Baseline
        Centre (median), scale and the settings.

    Raises
    ------
    DataError
        ``values`` is empty or holds non-finite values.
    ConfigError
        A setting is out of range.

    Notes
    -----
    Median/MAD: F. R. Hampel (1974), "The influence curve and its role in robust estimation",
    JASA 69, 383-393; the consistency factor 1.4826 = 1 / Phi^-1(3/4).

    Examples
    --------
    >>> b = fit_baseline([1.0, 1.1, 0.9, 1.0, 1.2, 0.8, 1.0, 1.05, 0.95, 1.0])
    >>> round(b.centre, 3), round(b.scale, 4), b.ready
    (1.0, 0.0741, True)
    >>> round(b.limits.alert_high, 4)
    1.2965
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        raise DataError("values: no healthy values to fit a baseline on")
    bad = int(np.count_nonzero(~np.isfinite(x)))
    if bad:
        raise DataError(
            f"values: {bad} non-finite value(s) among {x.size}; drop them before fitting"
        )
    if not (floor_fraction >= 0.0 and floor > 0.0):
        raise ConfigError(
            f"fit_baseline: need floor_fraction >= 0 and floor > 0, got {floor_fraction!r} and "
            f"{floor!r}"
        )
    centre = float(np.median(x))
    if method == "mad":
        spread = MAD_TO_SIGMA * float(np.median(np.abs(x - centre)))
    elif method == "quantile":
        q25, q75 = np.quantile(x, [0.25, 0.75])
        spread = float(q75 - q25) / IQR_OF_GAUSSIAN
    else:
        raise ConfigError(f"method: expected 'mad' or 'quantile', got {method!r}")
    scale = max(spread, floor_fraction * abs(centre), floor)
    return Baseline(
        centre=centre,
        scale=scale,
        count=int(x.size),
        method=method,
        direction=check_direction(direction),
        alert_sigmas=float(alert_sigmas),
        danger_sigmas=float(danger_sigmas),
        min_count=int(min_count),
    )
