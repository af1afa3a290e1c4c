"""Baselines of one indicator per operating regime, with a pooled fallback, and the instant
status of a value against them ("learning", "normal", "alert", "danger").

Fallback: a measurement is judged against its own regime's baseline once that baseline is
ready (enough healthy values); until then against the pooled baseline (fitted on the healthy
values of every regime, so wider and more forgiving) if that one is ready; otherwise the status is
``"learning"``. A regime never borrows another single regime's baseline: speed bins differ in
level, and the nearest bin's limits could be too tight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataError
from openphm.core.serialize import Serializable
from openphm.detect.baseline import Baseline, fit_baseline
from openphm.detect.regimes import RegimeBins

#: Instant status of a value: no usable baseline yet, or its level against the limits.
Status = Literal["learning", "normal", "alert", "danger"]
#: The key under which the pooled baseline of every regime is reported.
POOLED = "pooled"


@dataclass(frozen=True)
class BaselineSet(Serializable):
    """One indicator's baselines per regime key, plus the pooled one.

    Parameters
    ----------
    bins : RegimeBins
        The regime bins the keys come from.
    baselines : tuple of (str, Baseline)
        Regime key and its baseline, sorted by key, keys unique.
    pooled : Baseline or None, default None
        Baseline of the healthy values of every regime together (the fallback).
    """

    bins: RegimeBins
    baselines: tuple[tuple[str, Baseline], ...] = ()
    pooled: Baseline | None = None

    def __post_init__(self) -> None:
        items = tuple(sorted(((str(k), b) for k, b in self.baselines), key=lambda kb: kb[0]))
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            raise ConfigError(f"BaselineSet.baselines: duplicate regime keys in {keys}")
        object.__setattr__(self, "baselines", items)

    def get(self, regime: str) -> Baseline | None:
        """Return the regime's own baseline (ready or not), or None.

        Parameters
        ----------
        regime : str
            Regime key (:meth:`RegimeBins.regime_of`).

        Returns
        -------
        Baseline or None
            The stored baseline.
        """
        return dict(self.baselines).get(regime)

    def with_baseline(self, regime: str, baseline: Baseline) -> BaselineSet:
        """Return a copy with ``regime``'s baseline set or replaced.

        Parameters
        ----------
        regime : str
            Regime key, or ``"pooled"`` for the pooled baseline.
        baseline : Baseline
            The new baseline.

        Returns
        -------
        BaselineSet
            A new set; this one is unchanged.
        """
        if regime == POOLED:
            return replace(self, pooled=baseline)
        kept = tuple((k, b) for k, b in self.baselines if k != regime)
        return replace(self, baselines=(*kept, (regime, baseline)))

    def baseline_for(self, regime: str) -> tuple[Baseline | None, str | None]:
        """Return the baseline to judge a measurement of ``regime`` by, and whose it is.

        Parameters
        ----------
        regime : str
            Regime key of the measurement.

        Returns
        -------
        (Baseline or None, str or None)
            The regime's own baseline if ready, else the pooled one if ready (key ``"pooled"``),
            else ``(None, None)``: still learning.
        """
        own = self.get(regime)
        if own is not None and own.ready:
            return own, regime
        if self.pooled is not None and self.pooled.ready:
            return self.pooled, POOLED
        return None, None


def fit_baseline_set(
    values: npt.ArrayLike,
    regimes: Sequence[str],
    bins: RegimeBins,
    fit: Callable[[npt.NDArray[np.float64]], Baseline] = fit_baseline,
) -> BaselineSet:
    """Fit a baseline per regime and a pooled one from healthy values.

    Parameters
    ----------
    values : array_like
        Healthy indicator values (finite).
    regimes : sequence of str
        Regime key of each value (:meth:`RegimeBins.regime_of`), same length.
    bins : RegimeBins
        The bins the keys come from (kept with the set).
    fit : callable, default fit_baseline
        Fits one baseline to an array of values; pass
        ``functools.partial(fit_baseline, method="quantile", ...)`` for other settings.

    Returns
    -------
    BaselineSet
        Every regime seen, ready or not, and the pooled baseline.

    Raises
    ------
    DataError
        ``values`` and ``regimes`` differ in length, or are empty.

    Examples
    --------
    >>> bins = RegimeBins(speed_edges_hz=(10.0, 20.0))
    >>> keys = [bins.regime_of(15.0)] * 12
    >>> s = fit_baseline_set(np.linspace(1.0, 2.0, 12), keys, bins)
    >>> s.baseline_for("speed:10-20|load:all")[1], s.baseline_for("speed:<10|load:all")[1]
    ('speed:10-20|load:all', 'pooled')
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size != len(regimes):
        raise DataError(
            f"values and regimes: {x.size} values but {len(regimes)} regime keys; give one "
            "key per value"
        )
    keys = np.asarray(list(regimes), dtype=object)
    baselines = tuple((str(k), fit(x[keys == k])) for k in sorted(set(regimes)))
    return BaselineSet(bins=bins, baselines=baselines, pooled=fit(x))


@dataclass(frozen=True)
class Assessment(Serializable):
    """Instant status of one indicator value against its regime's baseline.

    Parameters
    ----------
    status : {"learning", "normal", "alert", "danger"}
        ``"learning"`` while no ready baseline applies; else the zone the value falls in
        (without the hysteresis and counts of :mod:`openphm.detect.alarms`).
    regime : str
        Regime key of the measurement.
    baseline_regime : str or None
        Key of the baseline used (the regime's own or ``"pooled"``), None while learning.
    value : float
        The indicator value.
    zscore : float or None
        ``(value - centre) / scale`` of the baseline used, None while learning.
    """

    status: Status
    regime: str
    baseline_regime: str | None
    value: float
    zscore: float | None


def assess(baselines: BaselineSet, regime: str, value: float) -> Assessment:
    """Judge one indicator value against the baseline that applies to its regime.

    Parameters
    ----------
    baselines : BaselineSet
        The indicator's baselines.
    regime : str
        Regime key of the measurement.
    value : float
        Indicator value (indicator unit).

    Returns
    -------
    Assessment
        Status, baseline used and z-score. A value exactly on a limit is in the worse zone.

    Examples
    --------
    >>> s = BaselineSet(RegimeBins(), pooled=Baseline(centre=1.0, scale=0.1, count=20))
    >>> assess(s, "speed:all|load:all", 1.5).status
    'alert'
    """
    baseline, used = baselines.baseline_for(regime)
    if baseline is None:
        return Assessment("learning", regime, None, float(value), None)
    z = baseline.zscore(value)
    return Assessment(baseline.limits.level_of(value), regime, used, float(value), z)
