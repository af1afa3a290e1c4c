"""Cycle features of cyclic machines: per-cycle statistics, slopes and settling values.

A test rig's 60 s load cycle, a press stroke or a roof support's set-yield-lower cycle repeats the
same shape; a failing component changes the shape (a lagging valve shifts a flow step, a weak
cooler raises the temperatures). Each cycle of a channel is reduced to a few numbers that are
compared from cycle to cycle: level (mean, median), spread (standard deviation), extremes, trend
within the cycle (least-squares slope), the value it settles to (mean of the last part) and, for
a chosen number of equal segments, the mean of each segment (where in the cycle a change sits).
Helwig et al. (2015) reduce the rig's cycles to such statistical features before LDA.

References
----------
N. Helwig, E. Pignanelli, A. Schuetze, "Condition Monitoring of a Complex Hydraulic System Using
Multivariate Statistics", Proc. I2MTC 2015, doi:10.1109/I2MTC.2015.7151267.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataError

__all__ = ["CYCLE_STATS", "cycle_features", "feature_matrix", "split_cycles"]

FloatArray = npt.NDArray[np.float64]

#: Statistics computed per cycle, in the order of :func:`cycle_features`' columns.
CYCLE_STATS = ("mean", "std", "min", "max", "slope", "settle")


def split_cycles(values: npt.ArrayLike, starts: npt.ArrayLike, length: int) -> FloatArray:
    """Cut a continuous series into cycles of equal length.

    Parameters
    ----------
    values : array_like
        The series, one value per sample.
    starts : array_like of int
        Sample index where each cycle starts.
    length : int
        Samples per cycle; a cycle running past the end of the series is dropped.

    Returns
    -------
    ndarray
        ``(n_cycles, length)`` copies of the cycles.

    Raises
    ------
    ConfigError
        ``length`` below 2.

    Examples
    --------
    >>> split_cycles(np.arange(10.0), [0, 4, 8], 4).tolist()
    [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]
    """
    if length < 2:
        raise ConfigError(f"length: a cycle needs at least 2 samples, got {length}")
    x = np.asarray(values, dtype=np.float64).ravel()
    idx = [int(s) for s in np.asarray(starts).ravel() if int(s) >= 0 and int(s) + length <= x.size]
    if not idx:
        return np.empty((0, length))
    return np.stack([x[s : s + length].copy() for s in idx])


def cycle_features(
    cycles: npt.ArrayLike, *, fs_hz: float = 1.0, settle_fraction: float = 0.2, segments: int = 0
) -> tuple[FloatArray, tuple[str, ...]]:
    """Per-cycle statistics of one channel.

    Parameters
    ----------
    cycles : array_like
        ``(n_cycles, samples_per_cycle)`` values of one channel (its unit).
    fs_hz : float, default 1
        Sampling rate, Hz (the slope is per second).
    settle_fraction : float, default 0.2
        Last fraction of the cycle whose mean is the settling value.
    segments : int, default 0
        Number of equal segments whose means are added (0: none).

    Returns
    -------
    (ndarray, tuple of str)
        ``(n_cycles, n_features)`` features and their names: :data:`CYCLE_STATS` (``slope`` in
        unit per second, by least squares over the cycle) then ``seg0 ... seg{segments-1}``.

    Raises
    ------
    DataError
        Not a 2-D array of at least 2 samples per cycle, or non-finite values.
    ConfigError
        ``settle_fraction`` outside ``(0, 1]``, negative ``segments`` or more segments than
        samples.

    Examples
    --------
    >>> f, names = cycle_features([[0.0, 1.0, 2.0, 3.0]], segments=2)
    >>> dict(zip(names, f[0].round(3).tolist()))["slope"], names[-2:]
    (1.0, ('seg0', 'seg1'))
    """
    x = np.asarray(cycles, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 2:
        raise DataError(f"cycles: expected (n_cycles, samples >= 2), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise DataError("cycles: non-finite values")
    if not 0.0 < settle_fraction <= 1.0:
        raise ConfigError(f"settle_fraction: expected (0, 1], got {settle_fraction!r}")
    if segments < 0 or segments > x.shape[1]:
        raise ConfigError(f"segments: expected 0 ... {x.shape[1]}, got {segments}")
    n = x.shape[1]
    t = np.arange(n) / fs_hz
    tc = t - t.mean()
    slope = (x - x.mean(axis=1, keepdims=True)) @ tc / float(tc @ tc)
    tail = max(1, round(settle_fraction * n))
    columns = [
        x.mean(axis=1),
        x.std(axis=1),
        x.min(axis=1),
        x.max(axis=1),
        slope,
        x[:, n - tail :].mean(axis=1),
    ]
    names = list(CYCLE_STATS)
    for i, part in enumerate(np.array_split(np.arange(n), segments) if segments else []):
        columns.append(x[:, part].mean(axis=1))
        names.append(f"seg{i}")
    return np.column_stack(columns), tuple(names)


def feature_matrix(
    channels: Mapping[str, npt.ArrayLike],
    rates_hz: Mapping[str, float],
    *,
    segments: int = 0,
) -> tuple[FloatArray, tuple[str, ...]]:
    """Cycle features of several channels side by side.

    Parameters
    ----------
    channels : Mapping of str to array_like
        Per channel, ``(n_cycles, samples_per_cycle)`` values (same ``n_cycles``).
    rates_hz : Mapping of str to float
        Sampling rate of each channel, Hz.
    segments : int, default 0
        Segment means per channel (see :func:`cycle_features`).

    Returns
    -------
    (ndarray, tuple of str)
        ``(n_cycles, n_channels * n_features)`` and names ``"<channel>.<feature>"``.

    Raises
    ------
    DataError
        No channels, or channels of different cycle counts.

    Examples
    --------
    >>> X, names = feature_matrix({"a": np.ones((3, 4)), "b": np.zeros((3, 8))}, {"a": 1, "b": 2})
    >>> X.shape, names[0], names[-1]
    ((3, 12), 'a.mean', 'b.settle')
    """
    if not channels:
        raise DataError("channels: none given")
    blocks = []
    names: list[str] = []
    for name, values in channels.items():
        f, fnames = cycle_features(values, fs_hz=float(rates_hz[name]), segments=segments)
        blocks.append(f)
        names.extend(f"{name}.{n}" for n in fnames)
    if len({b.shape[0] for b in blocks}) != 1:
        raise DataError(f"channels: different cycle counts {[b.shape[0] for b in blocks]}")
    return np.hstack(blocks), tuple(names)
