"""Decimation of long series for an answer a client can draw: min/max envelope and peak hold.

A screen a few thousand pixels wide cannot show a million samples; sending them all costs
bandwidth and nothing else. A waveform keeps each bucket's minimum and maximum (impacts survive),
a spectrum each bucket's maximum (no line is lost between the points sent). This is display
reduction, not analysis: the values sent are samples or bins as computed.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _bucket_edges(n: int, buckets: int) -> npt.NDArray[np.intp]:
    return np.linspace(0, n, buckets + 1).astype(np.intp)


def min_max(x: FloatArray, y: FloatArray, max_points: int) -> tuple[FloatArray, FloatArray]:
    """Decimate ``y(x)`` to at most ``max_points`` points: each bucket's minimum and maximum.

    Parameters
    ----------
    x : numpy.ndarray
        Abscissae (s), increasing.
    y : numpy.ndarray
        Ordinates, same length.
    max_points : int
        Most points returned (>= 2).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The kept abscissae and ordinates, in order; the inputs themselves when short enough.

    Examples
    --------
    >>> t = np.arange(10.0)
    >>> min_max(t, np.sin(t), 4)[1].size
    4
    """
    n = y.size
    if n <= max_points:
        return x, y
    edges = _bucket_edges(n, max(1, max_points // 2))
    keep: list[int] = []
    for lo, hi in itertools.pairwise(edges):
        if hi <= lo:
            continue
        part = y[lo:hi]
        pair = sorted((lo + int(np.argmin(part)), lo + int(np.argmax(part))))
        keep.extend(dict.fromkeys(pair))
    index = np.asarray(keep, dtype=np.intp)
    return x[index], y[index]


def peak_hold(x: FloatArray, y: FloatArray, max_points: int) -> tuple[FloatArray, FloatArray]:
    """Decimate a spectrum to at most ``max_points`` bins: each bucket's largest bin.

    Parameters
    ----------
    x : numpy.ndarray
        Bin frequencies (Hz), increasing.
    y : numpy.ndarray
        Bin values, same length.
    max_points : int
        Most bins returned (>= 1).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The frequency and value of each bucket's maximum.

    Examples
    --------
    >>> f = np.arange(8.0)
    >>> peak_hold(f, np.array([0, 5, 0, 0, 0, 0, 7, 0.0]), 2)[1].tolist()
    [5.0, 7.0]
    """
    n = y.size
    if n <= max_points:
        return x, y
    edges = _bucket_edges(n, max_points)
    index = np.asarray(
        [lo + int(np.argmax(y[lo:hi])) for lo, hi in itertools.pairwise(edges)],
        dtype=np.intp,
    )
    return x[index], y[index]
