"""C-MAPSS as telemetry: the multichannel detectors find each engine's onset of degradation.

Every training engine of FD001-FD004 runs to failure. The turbofan's 21 sensors are treated as
the telemetry of any machine:

1. operating regimes are found from the three operational settings
   (:func:`~openphm.detect.regime_discovery.discover_regimes`: one regime in FD001/FD003, six
   in FD002/FD004);
2. each sensor is standardised per regime with the median and robust sigma of the fleet's
   first ``n_healthy`` cycles (taken as healthy), and a PCA model with T^2 and SPE
   (:func:`~openphm.detect.multivariate.fit_pca`) is fitted on those cycles;
3. each engine's score (log of the normalised statistic) is watched by a CUSUM chart
   (:class:`~openphm.detect.onset.CusumState`, k = 0.5, h = 5) centred on the median of that
   engine's own first ``n_healthy`` cycles, with the robust sigma of the fleet's healthy
   scores about their engines' medians; the first signal is the onset.

Reported per subset: engines with an onset, and the onset against the run's end (cycles left,
and the fraction of the life elapsed at the onset). No label is used: the runs' ends are only
read to report.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from openphm import __version__
from openphm.acquire.datasets.cmapss import SUBSETS, load_cmapss
from openphm.core.serialize import Serializable
from openphm.detect.baseline import MAD_TO_SIGMA
from openphm.detect.multivariate import fit_pca
from openphm.detect.onset import CusumState, run_chart
from openphm.detect.regime_discovery import discover_regimes

__all__ = ["OnsetRow", "onset_per_engine", "run_telemetry_onset"]

SETTINGS = ("setting_1", "setting_2", "setting_3")
SENSORS = tuple(f"s_{i}" for i in range(1, 22))

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class OnsetRow(Serializable):
    """Onsets found on one subset's training engines.

    Parameters
    ----------
    subset : str
        ``"FD001"`` ... ``"FD004"``.
    n_engines : int
        Engines run to failure.
    n_regimes : int
        Operating regimes found.
    n_onset : int
        Engines whose chart signalled.
    cycles_left_median, cycles_left_p10, cycles_left_p90 : float
        Cycles from the onset to the run's end (median, 10th and 90th percentile).
    life_fraction_median : float
        Median fraction of the run elapsed at the onset.
    early : int
        Onsets with more than 150 cycles left (the life of a C-MAPSS engine after its
        degradation starts is rarely longer: Heimes 2008 caps the RUL at 125-130).
    seconds : float
        Wall time for the subset.
    """

    subset: str
    n_engines: int
    n_regimes: int
    n_onset: int
    cycles_left_median: float
    cycles_left_p10: float
    cycles_left_p90: float
    life_fraction_median: float
    early: int
    seconds: float
    openphm_version: str = __version__


def onset_per_engine(
    settings: FloatArray,
    sensors: FloatArray,
    units: npt.NDArray[np.int64],
    cycles: npt.NDArray[np.int64],
    *,
    n_healthy: int = 30,
    rng: np.random.Generator | None = None,
) -> tuple[dict[int, int | None], dict[int, int], int]:
    """Onset cycle of every unit from its telemetry, and each unit's last cycle.

    Parameters
    ----------
    settings : ndarray
        ``(n_rows, n_settings)`` operating variables.
    sensors : ndarray
        ``(n_rows, n_sensors)`` sensor values.
    units, cycles : ndarray of int
        Unit and cycle of each row.
    n_healthy : int, default 30
        Leading cycles of each unit taken as healthy.
    rng : numpy.random.Generator, optional
        Randomness of the regime clustering.

    Returns
    -------
    (dict, dict, int)
        Per unit the onset cycle (None when the chart never signals), per unit the last cycle,
        and the number of regimes found.
    """
    regimes = discover_regimes(
        settings, [f"setting_{i + 1}" for i in range(settings.shape[1])], rng=rng
    )
    idx = regimes.index_of(settings)
    healthy = cycles <= n_healthy
    z = np.zeros_like(sensors)
    for r in range(len(regimes.names)):
        rows = idx == r
        ref = sensors[rows & healthy]
        centre = np.median(ref, axis=0)
        scale = 1.4826 * np.median(np.abs(ref - centre), axis=0)
        scale = np.where(scale > 0, scale, np.inf)  # a constant sensor says nothing
        z[rows] = (sensors[rows] - centre) / scale
    keep = np.std(z[healthy], axis=0) > 0
    model = fit_pca(z[healthy][:, keep])
    score = np.log(np.maximum(model.detect(z[:, keep]).score, 1e-12))
    series = {}
    for u in np.unique(units):
        rows = np.flatnonzero(units == u)
        series[int(u)] = rows[np.argsort(cycles[rows])]
    centres = {u: float(np.median(score[r[:n_healthy]])) for u, r in series.items()}
    # Each engine's own healthy level, but one spread for the fleet: 30 values give a noisy
    # robust sigma, and an underestimated one makes the chart signal early.
    deviations = np.concatenate([score[r[:n_healthy]] - centres[u] for u, r in series.items()])
    spread = max(MAD_TO_SIGMA * float(np.median(np.abs(deviations))), 1e-9)
    onsets: dict[int, int | None] = {}
    ends: dict[int, int] = {}
    for u, rows in series.items():
        ends[u] = int(cycles[rows[-1]])
        chart = CusumState(centres[u], spread)
        _, _, _, alarm = run_chart(chart, score[rows[n_healthy:]])
        hits = np.flatnonzero(alarm)
        onsets[u] = int(cycles[rows[n_healthy + hits[0]]]) if hits.size else None
    return onsets, ends, len(regimes.names)


def run_telemetry_onset(
    root: str | Path | None = None,
    *,
    subsets: Sequence[str] = SUBSETS,
    n_healthy: int = 30,
) -> list[OnsetRow]:
    """Onset of every C-MAPSS training engine, per subset.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``cmapss/`` (default ``OPENPHM_DATA``).
    subsets : sequence of str
        Subsets to run.
    n_healthy : int, default 30
        Leading cycles of each engine taken as healthy.

    Returns
    -------
    list of OnsetRow
        One row per subset.
    """
    out = []
    for name in subsets:
        start = time.perf_counter()
        data = load_cmapss(name, root)
        t = data.train
        onsets, ends, n_regimes = onset_per_engine(
            t[list(SETTINGS)].to_numpy(dtype=np.float64),
            t[list(SENSORS)].to_numpy(dtype=np.float64),
            t["unit"].to_numpy(dtype=np.int64),
            t["cycle"].to_numpy(dtype=np.int64),
            n_healthy=n_healthy,
            rng=np.random.default_rng(0),
        )
        found = {u: c for u, c in onsets.items() if c is not None}
        left = np.array([ends[u] - c for u, c in found.items()], dtype=np.float64)
        frac = np.array([c / ends[u] for u, c in found.items()], dtype=np.float64)
        pct = np.percentile(left, [50, 10, 90]) if left.size else np.full(3, np.nan)
        out.append(
            OnsetRow(
                name,
                len(ends),
                n_regimes,
                len(found),
                float(pct[0]),
                float(pct[1]),
                float(pct[2]),
                float(np.median(frac)) if frac.size else float("nan"),
                int(np.sum(left > 150)),
                time.perf_counter() - start,
            )
        )
    return out
