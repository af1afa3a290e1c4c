"""Statistics of the evidence: how unlikely is a predicted line pattern in a spectrum of noise.

The squared-envelope spectrum (SES) is divided by its local noise floor (a running median). The
false-alarm probability of one line comes from the distribution of that ratio over the whole
analysed range of the same spectrum: the empirical distribution in its body and a
peaks-over-threshold exponential tail above its 90 % quantile (Pickands 1975; Coles 2001,
"An Introduction to Statistical Modeling of Extreme Values", chapter 4), so that one spectrum
calibrates itself whatever the sensor, unit or noise level. The lines of a fault pattern are
combined with Fisher's method in its gamma form (the sum of ``-ln p`` of ``m`` independent
lines is Gamma(m, 1) under the null), leaving out the single strongest line, so that one
coincident line never makes a diagnosis on its own: the pattern must be there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage, special

from openphm.core.diagnosis import MatchedPeak
from openphm.core.waveform import FloatArray
from openphm.diagnose.patterns import Line
from openphm.signal.peaks import noise_floor

__all__ = ["PatternMatch", "line_p_values", "match_pattern", "prominence_ratio"]

#: Quantile above which the ratio distribution is modelled by an exponential tail.
TAIL_QUANTILE = 0.9
#: Bins searched around each predicted line (the line itself and one neighbour each side).
SEARCH_BINS = 3


def prominence_ratio(values: npt.ArrayLike, df_hz: float, floor_width_hz: float) -> FloatArray:
    """Ratio of a spectrum to its local noise floor (running median).

    Parameters
    ----------
    values : array_like
        Spectrum values (any unit).
    df_hz : float
        Bin spacing in Hz.
    floor_width_hz : float
        Width of the running median in Hz.

    Returns
    -------
    numpy.ndarray
        ``values / floor``, dimensionless (about 1 on noise).
    """
    arr = np.asarray(values, dtype=np.float64)
    width = max(5, round(floor_width_hz / df_hz) | 1)
    floor = noise_floor(arr, width_bins=width)
    tiny = np.finfo(np.float64).tiny
    return arr / np.maximum(floor, tiny)


def line_p_values(ratio: npt.ArrayLike, reference: npt.ArrayLike) -> FloatArray:
    """False-alarm probability of the largest ratio in each 3-bin neighbourhood.

    Parameters
    ----------
    ratio : array_like
        Spectrum-to-floor ratios, one per bin.
    reference : array_like
        Ratios that describe the null distribution (the analysed range of the same spectrum).

    Returns
    -------
    numpy.ndarray
        For each bin, ``1 - (1 - P(R >= r))**3`` with ``r`` the largest ratio among the bin and
        its two neighbours and ``P`` the empirical survival function of ``reference`` below
        its 90 % quantile ``u`` and ``0.1 exp(-(r - u) / beta)`` above it, ``beta`` the mean
        excess over ``u``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> r = rng.rayleigh(size=2000)
    >>> r[1000] = 30.0
    >>> p = line_p_values(r, r)
    >>> bool(p[1000] < 1e-6 < np.median(p))
    True
    """
    ref = np.sort(np.asarray(reference, dtype=np.float64))
    n = ref.size
    r3 = ndimage.maximum_filter1d(np.asarray(ratio, dtype=np.float64), SEARCH_BINS)
    u = ref[min(n - 1, int(TAIL_QUANTILE * n))]
    excess = ref[ref > u] - u
    beta = float(excess.mean()) if excess.size else 1.0
    body = (n - np.searchsorted(ref, r3, side="left") + 1) / (n + 1)
    tail = (1.0 - TAIL_QUANTILE) * np.exp(-(r3 - u) / max(beta, 1e-12))
    p = np.clip(np.where(r3 <= u, body, tail), 1e-300, 1.0 - 1e-12)
    return np.asarray(-np.expm1(SEARCH_BINS * np.log1p(-p)), dtype=np.float64)


@dataclass(frozen=True)
class PatternMatch:
    """The best match of one fault pattern in one spectrum.

    Parameters
    ----------
    score : float
        ``-log10`` of the combined false-alarm probability, corrected for the number of slip
        factors tried.
    slip_factor : float
        Slip factor of the best match.
    peaks : tuple of MatchedPeak
        The lines at that slip factor.
    """

    score: float
    slip_factor: float
    peaks: tuple[MatchedPeak, ...]


def match_pattern(
    freqs_hz: FloatArray,
    values: FloatArray,
    ratio: FloatArray,
    log_p: FloatArray,
    lines: Sequence[Line],
    shaft_hz: float,
    tolerance: float,
) -> PatternMatch:
    """Find the slip factor that best aligns a fault's lines with the spectrum, and score it.

    Parameters
    ----------
    freqs_hz : numpy.ndarray
        Frequencies of the spectrum bins, Hz (uniform spacing from 0).
    values : numpy.ndarray
        Spectrum values.
    ratio : numpy.ndarray
        Spectrum-to-floor ratios (:func:`prominence_ratio`).
    log_p : numpy.ndarray
        ``-ln`` of the line false-alarm probabilities (:func:`line_p_values`).
    lines : sequence of Line
        The predicted lines.
    shaft_hz : float
        Shaft speed in Hz.
    tolerance : float
        Largest relative deviation of the slip factor from 1.

    Returns
    -------
    PatternMatch
        One slip factor is shared by all lines of the pattern, searched in steps that move the
        highest line by half a bin. The score is ``-log10 Q(m - 1, S - max)`` where ``S`` is the
        sum of ``-ln p`` over the ``m`` lines inside the spectrum, ``max`` its largest term and
        ``Q`` the regularised upper incomplete gamma function, minus ``log10`` of the number of
        slip factors tried (a Bonferroni correction).
    """
    df = float(freqs_hz[1] - freqs_hz[0])
    slipping = np.array([ln.slipping_orders for ln in lines]) * shaft_hz
    fixed = np.array([ln.fixed_orders for ln in lines]) * shaft_hz
    step = 0.5 * df / max(float(np.abs(slipping).max()), df)
    slips = np.arange(1.0 - tolerance, 1.0 + tolerance + 0.5 * step, step)
    idx = np.rint((np.outer(slips, slipping) + fixed) / df).astype(np.intp)
    inside = (idx > 1) & (idx < freqs_hz.size - 1)
    terms = np.where(inside, log_p[np.clip(idx, 0, freqs_hz.size - 1)], 0.0)
    m = inside.sum(axis=1) - 1
    total = terms.sum(axis=1) - terms.max(axis=1)
    with np.errstate(divide="ignore"):
        log10_q = np.where(
            m >= 1, np.log10(special.gammaincc(np.maximum(m, 1), np.maximum(total, 0.0))), 0.0
        )
    log10_q = np.maximum(log10_q, -300.0)
    best = int(np.argmin(log10_q))
    score = float(-log10_q[best] - np.log10(slips.size))
    peaks = []
    for j, ln in enumerate(lines):
        if not inside[best, j]:
            continue
        i0 = int(idx[best, j])
        i = i0 - 1 + int(np.argmax(values[i0 - 1 : i0 + 2]))
        peaks.append(
            MatchedPeak(
                label=ln.label,
                kind=ln.kind,
                order=ln.order,
                expected_hz=ln.hz(shaft_hz, float(slips[best])),
                freq_hz=float(freqs_hz[i]),
                amplitude=float(values[i]),
                prominence_db=float(20.0 * np.log10(max(ratio[i], 1e-12))),
                p_value=float(np.exp(-terms[best, j])),
            )
        )
    return PatternMatch(score, float(slips[best]), tuple(peaks))
