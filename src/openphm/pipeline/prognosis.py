"""The PA (prognostic assessment) stage and the RUL of a bearing history.

- :func:`bearing_rul`: the RUL of a bearing from a folder or zip of its snapshots (FEMTO layout),
  the model fitted on run-to-failure learning histories; what ``openphm rul`` prints.
- :func:`update_rul`: one new measurement of a point: its r.m.s. is appended to the point's
  :class:`RulTrack` (kept by the caller, e.g. the store) and the RUL recomputed from the
  prior; the ``rul`` stage wraps it for the chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from openphm.acquire.datasets import load_femto, read_femto
from openphm.core.provenance import InputRef
from openphm.core.rul import RulDistribution
from openphm.core.serialize import Serializable
from openphm.evaluate.femto_bench import FEMTO_C_N, FEMTO_LEARNING, femto_history
from openphm.pipeline.stages import StageInput, register_stage
from openphm.prognose.exponential import ExponentialDegradation, ExponentialPrior
from openphm.prognose.interface import History, Observation, run_history
from openphm.prognose.prior import IsoPrior, combine_with_prior

__all__ = ["BearingRul", "RulTrack", "bearing_rul", "rul_stage", "update_rul"]

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
    at the last one. With speed and load (from the arguments, else from the reader), the ISO
    281 prior is combined with it (and answers alone before onset). Nothing about the bearing's
    name or any published answer is read.

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
    prior = IsoPrior.for_bearing(speed_rpm=rpm, load_n=load, c_n=c_n)
    shown = [combine_with_prior(d, prior) for d in path_d]
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
        path_times_s=tuple(d.at_s for d in shown),
        path_median_s=tuple(d.median() for d in shown),
        path_q05_s=tuple(d.quantile(0.05) for d in shown),
        path_q95_s=tuple(d.quantile(0.95) for d in shown),
    )


@dataclass(frozen=True)
class RulTrack(Serializable):
    """What the monitor keeps per point and component between measurements.

    Parameters
    ----------
    prior : ExponentialPrior
        The degradation prior (fitted once on run-to-failure histories).
    times_s : tuple of float
        Times of the measurements so far (s since the component was fitted).
    values : tuple of float
        Their r.m.s. (the channel's unit).
    l10_s : float or None
        ISO 281 rated life of the component in s, when its load and speed are known.
    """

    prior: ExponentialPrior
    times_s: tuple[float, ...] = ()
    values: tuple[float, ...] = ()
    l10_s: float | None = None


def update_rul(track: RulTrack, t_s: float, rms: float) -> tuple[RulTrack, RulDistribution]:
    """Add one measurement to a point's track and return the new RUL.

    Parameters
    ----------
    track : RulTrack
        The track so far (not changed).
    t_s : float
        Time of the measurement (s since the component was fitted), after the last one.
    rms : float
        Its r.m.s.

    Returns
    -------
    tuple
        The new track and the RUL at ``t_s`` (combined with the ISO 281 prior when
        ``l10_s`` is known; "no degradation detected yet" otherwise before onset).
    """
    new = replace(track, times_s=(*track.times_s, float(t_s)), values=(*track.values, float(rms)))
    model = ExponentialDegradation(prior=track.prior)
    for t, v in zip(new.times_s, new.values, strict=True):
        model.update(Observation(t, v))
    d = model.predict(float(t_s))
    if track.l10_s is not None:
        d = combine_with_prior(d, IsoPrior(track.l10_s))
    return new, d


@register_stage("rul", RulDistribution)
def rul_stage(item: StageInput) -> RulDistribution | None:
    """The PA stage: the RUL after this measurement, when the caller hands the point's track.

    The monitor puts the point's :class:`RulTrack` in ``item.done["rul_track"]`` and the
    measurement's time (s) in ``item.done["rul_time_s"]``; the stage reads the r.m.s. from
    the ``indicators`` stage. Without a track it has nothing to say (None).

    Parameters
    ----------
    item : StageInput
        The measurement and the results so far.

    Returns
    -------
    RulDistribution or None
        The RUL at this measurement.
    """
    track = item.done.get("rul_track")
    indicators = item.done.get("indicators")
    if not isinstance(track, RulTrack) or indicators is None:
        return None
    _, d = update_rul(track, float(item.done["rul_time_s"]), float(indicators.values["rms"]))
    return d
