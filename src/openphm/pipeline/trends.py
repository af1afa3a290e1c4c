"""An indicator's trend at a point, with the baseline limits in force per operating regime."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openphm.core.serialize import Serializable
from openphm.detect import Baseline, Limits
from openphm.store import Store

__all__ = ["IndicatorTrend", "TrendValue", "indicator_trend"]


@dataclass(frozen=True)
class TrendValue(Serializable):
    """One value of a trend.

    Parameters
    ----------
    measurement_id : int
        The measurement it comes from.
    acquired_at : datetime
        When the measurement was taken.
    value : float
        The indicator's value (its unit).
    regime : str or None
        Operating regime of the measurement.
    """

    measurement_id: int
    acquired_at: datetime
    value: float
    regime: str | None


@dataclass(frozen=True)
class IndicatorTrend(Serializable):
    """An indicator's values at a point and the limits of each regime's baseline.

    Parameters
    ----------
    point : str
        The point's path.
    indicator : str
        The indicator.
    values : tuple of TrendValue
        Oldest first.
    limits : Mapping of str to Limits
        The limits of the baseline in force, by regime (regimes still learning have none).
    """

    point: str
    indicator: str
    values: tuple[TrendValue, ...]
    limits: dict[str, Limits]


def indicator_trend(store: Store, point: int | str, indicator: str) -> IndicatorTrend:
    """An indicator's trend at a point, with its baselines' limits.

    Parameters
    ----------
    store : Store
        The fleet's store.
    point : int or str
        The point (id or path).
    indicator : str
        The indicator (``"rms"``, ``"kurtosis"``, ``"velocity_rms_mm_s"``...).

    Returns
    -------
    IndicatorTrend
        The values and the limits.
    """
    info = store.point(point)
    values = tuple(
        TrendValue(p.measurement_id, p.acquired_at, p.value, p.regime)
        for p in store.trend(info.id, indicator)
    )
    limits = {}
    for regime in sorted({v.regime for v in values if v.regime is not None}):
        found = store.baseline(info.id, indicator, regime=regime)
        if found is not None:
            baseline = Baseline.from_dict(found.payload)
            if baseline.ready:
                limits[regime] = baseline.limits
    return IndicatorTrend(info.path, indicator, values, limits)
