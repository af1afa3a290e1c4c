"""Remaining useful life of a bearing history, and of a monitored point (PA block).

- :func:`bearing_rul`: the RUL of a bearing from a folder or zip of its snapshots (FEMTO layout),
  the model fitted on run-to-failure learning histories; what ``openphm rul`` prints.
- :func:`point_rul_history`: the RUL the monitoring chain gave a point of the store at each
  measurement (:mod:`openphm.prognose.point_rul` computes it as measurements arrive).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import numpy as np

from openphm.acquire.datasets import load_femto, read_femto
from openphm.core.provenance import InputRef
from openphm.core.rul import RulDistribution
from openphm.core.serialize import Serializable
from openphm.evaluate.femto_bench import FEMTO_C_N, FEMTO_LEARNING, femto_history
from openphm.prognose.exponential import ExponentialDegradation
from openphm.prognose.interface import History, run_history
from openphm.prognose.prior import IsoPrior, combine_with_prior
from openphm.store import Store

__all__ = ["BearingRul", "PointRulHistory", "bearing_rul", "point_rul_history"]

#: Predictions kept along a history for the plot.
_PATH_POINTS = 40


@dataclass(frozen=True)
class BearingRul(Serializable):
    """RUL of a bearing at its last snapshot, with the path that led there.

    Parameters
    ----------
    source : str
        Where the snapshots were read from.
    n_snapshots : int
        Snapshots read.
    onset_s : float or None
        Onset of degradation (None: not detected).
    rul : RulDistribution
        At the last snapshot.
    threshold : float
        Failure threshold on the indicator (g r.m.s.).
    times_s, indicator : tuple of float
        The indicator history (horizontal r.m.s., g).
    path_times_s, path_median_s, path_q05_s, path_q95_s : tuple of float
        Predictions along the history (for the plot): the ISO 281 prior before onset, combined
        with the condition estimate after it.
    """

    source: str
    n_snapshots: int
    onset_s: float | None
    rul: RulDistribution
    threshold: float
    times_s: tuple[float, ...]
    indicator: tuple[float, ...]
    path_times_s: tuple[float, ...] = ()
    path_median_s: tuple[float, ...] = ()
    path_q05_s: tuple[float, ...] = ()
    path_q95_s: tuple[float, ...] = ()


def learning_histories(root: str | Path | None = None) -> list[History]:
    """The r.m.s. histories of the six FEMTO learning bearings (run to failure).

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``femto/`` (default ``$OPENPHM_DATA``).

    Returns
    -------
    list of History
        ``failed=True``.
    """
    return [replace(femto_history(load_femto(n, root)), failed=True) for n in FEMTO_LEARNING]


def bearing_rul(
    path: str | Path,
    *,
    training: Sequence[History],
    speed_rpm: float | None = None,
    load_n: float | None = None,
    c_n: float = FEMTO_C_N,
) -> BearingRul:
    """RUL of a bearing from its snapshots (a FEMTO-layout folder, zip or Parquet).

    The exponential model (:class:`~openphm.prognose.exponential.ExponentialDegradation`) is
    fitted on ``training``, fed the bearing's horizontal r.m.s. snapshot by snapshot and asked
    at the last one. With speed and load (from the arguments, else from the reader: a
    PRONOSTIA bearing's name gives its test condition), the ISO 281 prior is combined with it
    (and answers alone before onset); without them the estimate rests on the condition alone.
    Nothing about the bearing's name or any published answer is read.

    Parameters
    ----------
    path : str or pathlib.Path
        The bearing's snapshots.
    training : sequence of History
        Run-to-failure r.m.s. histories (:func:`learning_histories`).
    speed_rpm, load_n : float, optional
        Shaft speed and radial load; default: what the reader reports for the bearing.
    c_n : float, default 4000
        Dynamic load rating C of the bearing (N).

    Returns
    -------
    BearingRul
        Onset, the RUL at the last snapshot and its path.
    """
    bearing = read_femto(path)
    history = femto_history(bearing)
    model = ExponentialDegradation().fit(training)
    end = float(history.times_s[-1])
    grid = np.unique(np.r_[np.linspace(history.times_s[0], end, _PATH_POINTS), end])
    path_d = run_history(model, history, grid.tolist())
    last = path_d[-1]
    rpm = speed_rpm if speed_rpm is not None else bearing.speed_hz * 60.0
    load = load_n if load_n is not None else bearing.load_n
    if math.isfinite(rpm) and math.isfinite(load):
        prior = IsoPrior.for_bearing(speed_rpm=rpm, load_n=load, c_n=c_n)
        shown = [combine_with_prior(d, prior) for d in path_d]
    else:  # speed or load unknown (a history under a name of the user's own): condition only
        shown = path_d
    estimates = [d for d in shown if d.has_estimate]  # "no degradation yet" has no number
    final = replace(shown[-1], provenance=replace(last.provenance, input=InputRef(str(path))))
    assert model.prior_ is not None
    return BearingRul(
        source=str(path),
        n_snapshots=history.n,
        onset_s=model.state_.watch.onset_s,
        rul=final,
        threshold=model.prior_.threshold,
        times_s=tuple(history.times_s.tolist()),
        indicator=tuple(history.values.tolist()),
        path_times_s=tuple(d.at_s for d in estimates),
        path_median_s=tuple(d.median() for d in estimates),
        path_q05_s=tuple(d.quantile(0.05) for d in estimates),
        path_q95_s=tuple(d.quantile(0.95) for d in estimates),
    )


@dataclass(frozen=True)
class PointRulHistory(Serializable):
    """The RUL the monitor has given a point, measurement by measurement.

    Parameters
    ----------
    point : str
        ``site/machine/point``.
    component : str
        The component the RUL is stored for (the point's first bearing).
    acquired_at : tuple of datetime
        Acquisition time of each measurement that has an RUL, oldest first.
    ruls : tuple of RulDistribution
        The RUL at each (``at_s`` in s from the point's first value).
    """

    point: str
    component: str
    acquired_at: tuple[datetime, ...]
    ruls: tuple[RulDistribution, ...]

    @property
    def latest(self) -> RulDistribution | None:
        """The newest RUL (None before any)."""
        return self.ruls[-1] if self.ruls else None


def point_rul_history(store: Store, point: int | str) -> PointRulHistory:
    """Every RUL the monitoring chain stored for a point (see :mod:`openphm.prognose.point_rul`).

    Parameters
    ----------
    store : Store
        The fleet's store.
    point : int or str
        The point (id or ``site/machine/point``).

    Returns
    -------
    PointRulHistory
        Oldest first; empty when the point has no component or no measurement was processed.
    """
    info = store.point(point)
    path = f"{info.site}/{info.machine}/{info.name}"
    components = {c.id: c for c in store.components(info.machine_id)}
    heard = [components[i] for i in info.component_ids if i in components]
    bearings = [c for c in heard if c.kind == "bearing"] or heard
    if not bearings:
        return PointRulHistory(path, "", (), ())
    component = bearings[0]
    times = {m.id: m.acquired_at for m in store.measurements(info.id)}
    rows = [
        r for r in store.results(kind="rul", component_id=component.id) if r.measurement_id in times
    ]
    rows.sort(key=lambda r: (times[r.measurement_id], r.id))
    return PointRulHistory(
        point=path,
        component=component.name,
        acquired_at=tuple(times[r.measurement_id] for r in rows),
        ruls=tuple(RulDistribution.from_dict(r.payload) for r in rows),
    )
