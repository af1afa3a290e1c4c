"""A straightforward reference of Antoni's fast kurtogram, as his published MATLAB code computes it.

J. Antoni (2007), "Fast computation of the kurtogram for the detection of transient faults",
MSSP 21(1) 108-124, and its code (``Fast_Kurtogram.m``, kurtosis of the complex envelope): a
tree of causal FIR filters and decimations in the time domain,

- halving: ``h = fir1(16, 0.4) * exp(2i pi n / 8)`` (a 17-tap Hamming low-pass cut at 0.2
  cycles/sample, shifted to 1/8) and ``g``, its time-reversed mirror at 3/8; each output is kept
  at every second sample and the high band's multiplied by ``(-1)^n`` (back to ``[0, 1/2]``);
- thirds: ``h1 = fir1(24, 0.2667) * exp(2i pi n / 12)`` (25 taps cut at 0.1333 cycles/sample),
  ``h2``, ``h3`` the same at 3/12 and 5/12, each output kept at every third sample;
- each band's kurtosis ``<|c|^4> / <|c|^2>^2 - 2`` (``- 3`` for the real level 0) after the mean
  is removed, leaving out the first ``len(h) - 1`` samples (the filters' start-up).

The map is laid out as openphm's :class:`~openphm.signal.kurtogram.Kurtogram` (levels 0, 1, 1.6,
..., K, K + 0.6, each band repeated over its columns), so that the two can be compared cell by
cell; only the filters and the time-domain evaluation are Antoni's. Slow (pure numpy
convolutions), for tests and the comparison benchmark only.
"""

from __future__ import annotations

import numpy as np
from scipy import signal as sps


def antoni_filters() -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Antoni's ``h``, ``g`` and ``[h1, h2, h3]``, as Fast_Kurtogram.m builds them."""
    n16 = np.arange(17)
    h = sps.firwin(17, 0.4) * np.exp(2j * np.pi * n16 * 0.125)
    j = np.arange(16)
    g = h[15 - j] * (-1.0) ** (j + 1)
    n24 = np.arange(25)
    h1 = sps.firwin(25, 2.0 / 3.0 * 0.4) * np.exp(2j * np.pi * n24 * 0.25 / 3.0)
    h2 = h1 * np.exp(2j * np.pi * n24 / 6.0)
    h3 = h1 * np.exp(2j * np.pi * n24 / 3.0)
    return h, g, [h1, h2, h3]


def _kurt(c: np.ndarray) -> float:
    """Antoni's ``kurt(x, 'kurt2')``."""
    if not np.any(c):
        return 0.0
    c = c - c.mean()
    e = float(np.mean(np.abs(c) ** 2))
    if e < np.finfo(float).eps:
        return 0.0
    k = float(np.mean(np.abs(c) ** 4)) / e**2
    return k - (3.0 if np.isrealobj(c) else 2.0)


def antoni_kurtogram(x: np.ndarray, max_level: int) -> np.ndarray:
    """Kurtogram of ``x`` by Antoni's filter tree, in openphm's layout.

    Parameters
    ----------
    x : numpy.ndarray
        1-D samples.
    max_level : int
        Deepest binary level ``K``: rows ``0, 1, 1.6, ..., K, K + 0.6``.

    Returns
    -------
    numpy.ndarray
        Shape ``(2 K + 1, 3 * 2**K)``: each band's kurtosis repeated over its columns.
    """
    h, g, thirds = antoni_filters()
    skip = h.size - 1
    n_cols = 3 * 2**max_level

    def halves(c: np.ndarray) -> list[np.ndarray]:
        a = sps.lfilter(h, 1.0, c)[1::2]
        d = sps.lfilter(g, 1.0, c)[1::2]
        return [a, d * (-1.0) ** (np.arange(d.size) + 1)]

    def third_kurtoses(c: np.ndarray) -> list[float]:
        return [_kurt(sps.lfilter(f, 1.0, c)[2::3][skip:]) for f in thirds]

    rows = [np.full(n_cols, _kurt(np.asarray(x, dtype=float) - np.mean(x)))]
    nodes = [np.asarray(x, dtype=float) - np.mean(x)]
    for _ in range(max_level):
        children = [child for node in nodes for child in halves(node)]
        # a(length(h):end) and d(length(g):end), as in K_wpQ_local.
        # a(length(h):end) and d(length(g):end) as in K_wpQ_local: g has one tap fewer.
        binary = [_kurt(child[skip - k % 2 :]) for k, child in enumerate(children)]
        third = [k for node in nodes for k in third_kurtoses(node)]
        rows.append(np.repeat(binary, n_cols // len(binary)))
        rows.append(np.repeat(third, n_cols // len(third)))
        nodes = children
    return np.vstack(rows)
