"""Health indicators per snapshot, their fusion, and the metrics used to choose them.

A run-to-failure history becomes one indicator value per snapshot (r.m.s., kurtosis, peak, crest
factor, spectral entropy, energy in octave-like bands). Good prognostic indicators are monotonic,
trend with time alike over units, and end at a similar level at failure: the three metrics of
Coble and Hines (2009) measure exactly that.

References
----------
J. Coble, J. W. Hines, "Identifying optimal prognostic parameters from data: a genetic algorithms
approach", Annual Conference of the PHM Society, 2009.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError

__all__ = [
    "INDICATORS",
    "fuse_indicators",
    "monotonicity",
    "prognosability",
    "snapshot_indicators",
    "trendability",
]

FloatArray = npt.NDArray[np.float64]

#: Indicator names returned by :func:`snapshot_indicators`.
INDICATORS = (
    "rms",
    "kurtosis",
    "peak",
    "crest_factor",
    "spectral_entropy",
    "band_1",
    "band_2",
    "band_3",
    "band_4",
)


def snapshot_indicators(snapshots: npt.ArrayLike, fs: float) -> dict[str, FloatArray]:
    """Health indicators of every snapshot of a history.

    ``rms``, ``kurtosis`` (not excess), ``peak`` and ``crest_factor`` as in
    :func:`openphm.signal.indicators.time_indicators`; ``spectral_entropy`` is the Shannon
    entropy of the normalised power spectrum divided by ``ln(n_bins)`` (1 for white noise);
    ``band_1..4`` are the r.m.s. in the four bands ``[0, fs/16)``, ``[fs/16, fs/8)``,
    ``[fs/8, fs/4)``, ``[fs/4, fs/2]`` (unit of the signal).

    Parameters
    ----------
    snapshots : array_like
        Shape ``(n_snapshots, n_samples)``, one row per snapshot.
    fs : float
        Sampling rate in Hz.

    Returns
    -------
    dict of str to numpy.ndarray
        One value per snapshot for each name of :data:`INDICATORS`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> hi = snapshot_indicators(rng.normal(0, 2.0, (3, 4096)), 1000.0)
    >>> [round(float(v), 1) for v in hi["rms"]], round(float(hi["spectral_entropy"][0]), 2)
    ([2.0, 2.0, 2.0], 0.95)
    """
    x = np.atleast_2d(np.asarray(snapshots, dtype=np.float64))
    if x.shape[1] < 8 or not np.all(np.isfinite(x)):
        raise DataError(f"snapshots: need finite rows of at least 8 samples, got {x.shape}")
    if not (np.isfinite(fs) and fs > 0):
        raise DataError(f"fs must be a positive sampling rate in Hz, got {fs!r}")
    mu = x.mean(axis=1, keepdims=True)
    c = x - mu
    var = np.mean(c * c, axis=1)
    safe = np.where(var > 0, var, 1.0)
    rms = np.sqrt(np.mean(x * x, axis=1))
    peak = np.max(np.abs(x), axis=1)
    power = np.abs(np.fft.rfft(c, axis=1)) ** 2
    total = power.sum(axis=1, keepdims=True)
    p = power / np.where(total > 0, total, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=1) / np.log(p.shape[1])
    n = x.shape[1]
    freqs = np.fft.rfftfreq(n, 1.0 / fs)
    ms = power / (n * n) * np.where((freqs > 0) & (freqs < fs / 2), 2.0, 1.0)
    edges = (0.0, fs / 16, fs / 8, fs / 4, fs / 2 + 1e-9)
    out = {
        "rms": rms,
        "kurtosis": np.where(var > 0, np.mean(c**4, axis=1) / safe**2, np.nan),
        "peak": peak,
        "crest_factor": np.where(rms > 0, peak / np.where(rms > 0, rms, 1.0), np.nan),
        "spectral_entropy": ent,
    }
    for i in range(4):
        band = (freqs >= edges[i]) & (freqs < edges[i + 1])
        out[f"band_{i + 1}"] = np.sqrt(ms[:, band].sum(axis=1))
    return out


def monotonicity(values: npt.ArrayLike) -> float:
    """Monotonicity ``|#(dx > 0) - #(dx < 0)| / (n - 1)`` of one history (1: strictly one way).

    Parameters
    ----------
    values : array_like
        Indicator history in time order (at least 2 values).

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> monotonicity([1, 2, 3, 2, 5])
    0.5
    """
    d = np.diff(np.asarray(values, dtype=np.float64))
    if d.size == 0:
        raise DataError("monotonicity needs at least 2 values")
    return abs(int(np.sum(d > 0)) - int(np.sum(d < 0))) / d.size


def trendability(histories: Sequence[npt.ArrayLike]) -> float:
    """Trendability: the smallest absolute correlation between any two histories, each resampled
    to a common fraction-of-life axis (1: all units trend alike).

    Parameters
    ----------
    histories : sequence of array_like
        Indicator histories of several units (each at least 2 values).

    Returns
    -------
    float
        In [0, 1]; 1 for a single history.

    Examples
    --------
    >>> round(trendability([[1, 2, 3, 4], [0, 1, 4, 9, 16, 25]]), 2)
    0.97
    """
    grid = np.linspace(0, 1, 100)
    rows = []
    for h in histories:
        v = np.asarray(h, dtype=np.float64)
        if v.size < 2:
            raise DataError("trendability needs histories of at least 2 values")
        rows.append(np.interp(grid, np.linspace(0, 1, v.size), v))
    if len(rows) < 2:
        return 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.corrcoef(np.vstack(rows))
    return float(np.nanmin(np.abs(r)))


def prognosability(histories: Sequence[npt.ArrayLike]) -> float:
    """Prognosability ``exp(-std(final) / mean|final - initial|)`` over units (1: all fail at
    the same level, far from where they started).

    Parameters
    ----------
    histories : sequence of array_like
        Run-to-failure indicator histories.

    Returns
    -------
    float
        In (0, 1].

    Examples
    --------
    >>> round(prognosability([[1, 2, 10], [1, 5, 10]]), 3)
    1.0
    """
    first = np.array([np.asarray(h, dtype=np.float64)[0] for h in histories])
    last = np.array([np.asarray(h, dtype=np.float64)[-1] for h in histories])
    spread = float(np.mean(np.abs(last - first)))
    if spread == 0:
        return 0.0
    return float(np.exp(-np.std(last) / spread))


def fuse_indicators(columns: npt.ArrayLike, n_baseline: int) -> FloatArray:
    """Fuse indicators into one: standardise each on its first ``n_baseline`` (healthy) values
    and take the root mean square of the positive deviations.

    Parameters
    ----------
    columns : array_like
        Shape ``(n, n_indicators)``.
    n_baseline : int
        Leading healthy rows (>= 2).

    Returns
    -------
    numpy.ndarray
        The fused indicator, about 0..1 when healthy and growing with damage (in sigmas).

    Examples
    --------
    >>> x = np.column_stack([np.r_[np.ones(10), 5.0], np.r_[np.arange(10) % 2, 1.0]])
    >>> bool(fuse_indicators(x + 0.01 * np.arange(11)[:, None], 10)[-1] > 5)
    True
    """
    x = np.asarray(columns, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] <= n_baseline or n_baseline < 2:
        raise DataError(f"need more than n_baseline={n_baseline} rows (>= 2), got {x.shape}")
    base = x[:n_baseline]
    sd = base.std(axis=0)
    sd = np.where(sd > 0, sd, np.maximum(np.abs(base.mean(axis=0)) * 1e-3, 1e-12))
    z = np.clip((x - base.mean(axis=0)) / sd, 0, None)
    out: FloatArray = np.sqrt(np.mean(z * z, axis=1))
    return out
