"""Line series that no candidate explains: a harmonic-comb search over the envelope spectrum.

A strong, non-synchronous harmonic family in the squared-envelope spectrum is what a local
bearing defect leaves (Randall & Antoni 2011, "Rolling element bearing diagnostics - A
tutorial", MSSP 25(2) 485-520, section 1.2). When the candidates of the bearing given explain
none of it, saying "healthy" would hide a fault whose frequencies the bearing data does not
describe (a different bearing, a wrong geometry or speed): the diagnosis then reports the
series and says "undetermined". The search masks the shaft harmonics and every line a
candidate may claim within its slip range, then scores each trial fundamental like a fault
pattern (:mod:`openphm.diagnose.evidence`): Fisher's combination of the harmonics'
false-alarm probabilities leaving the strongest out, Bonferroni-corrected for the number of
independent trial fundamentals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy import special

from openphm.core.diagnosis import LineKind, LineSeries, MatchedPeak
from openphm.core.waveform import FloatArray
from openphm.diagnose.evidence import SEARCH_BINS
from openphm.diagnose.patterns import Line

__all__ = [
    "SERIES_MIN_ORDERS",
    "TONAL_DB",
    "explained_mask",
    "tonal_prominence_db",
    "unexplained_series",
]

#: Lowest fundamental searched, in orders: rolling-element spin and race-pass frequencies of
#: rolling bearings lie above it (BSF is about 1.5 orders or more for common geometries).
SERIES_MIN_ORDERS = 1.5
#: Harmonics of a trial fundamental that are scored.
SERIES_HARMONICS = 4
#: Height (dB of power over the local median) from which lines of the raw spectrum count as
#: discrete (an unexplained series that is part of such a comb is a source of the machine).
TONAL_DB = 20.0
#: Frequency resolution sought for the raw spectrum: at most this many samples per segment.
_TONAL_SEGMENT = 2**16


def explained_mask(
    freqs_hz: FloatArray,
    shaft_hz: float,
    lines: Iterable[tuple[Line, float]],
    speed_uncertainty: float,
) -> np.ndarray:
    """Bins that the shaft harmonics or a candidate's lines (within its slip range) may hold.

    Parameters
    ----------
    freqs_hz : numpy.ndarray
        Frequencies of the spectrum bins, Hz (uniform from 0).
    shaft_hz : float
        Shaft speed in Hz.
    lines : iterable of (Line, float)
        Each candidate line with its slip tolerance (relative).
    speed_uncertainty : float
        Relative uncertainty of the shaft speed.

    Returns
    -------
    numpy.ndarray of bool
        True where a bin lies within two bins (plus the slip and speed range) of a shaft
        harmonic or a candidate line.
    """
    df = float(freqs_hz[1] - freqs_hz[0])
    mask = np.zeros(freqs_hz.size, dtype=bool)

    def cover(lo_hz: float, hi_hz: float) -> None:
        i0 = max(0, int(np.floor(lo_hz / df)) - 2)
        i1 = min(freqs_hz.size, int(np.ceil(hi_hz / df)) + 3)
        mask[i0:i1] = True

    top = float(freqs_hz[-1])
    for k in range(1, int(top / shaft_hz) + 2):
        f = k * shaft_hz
        cover(f * (1 - speed_uncertainty), f * (1 + speed_uncertainty))
    for line, tol in lines:
        a = line.hz(shaft_hz * (1 - speed_uncertainty), 1 - tol)
        b = line.hz(shaft_hz * (1 + speed_uncertainty), 1 + tol)
        cover(min(a, b), max(a, b))
    return mask


def _peak(
    freqs_hz: FloatArray,
    values: FloatArray,
    ratio: FloatArray,
    log_p: FloatArray,
    i: int,
    label: str,
    kind: LineKind,
    order: int,
    expected_hz: float,
) -> MatchedPeak:
    j = i - 1 + int(np.argmax(values[i - 1 : i + 2]))
    return MatchedPeak(
        label=label,
        kind=kind,
        order=order,
        expected_hz=expected_hz,
        freq_hz=float(freqs_hz[j]),
        amplitude=float(values[j]),
        prominence_db=float(20.0 * np.log10(max(float(ratio[j]), 1e-12))),
        p_value=float(np.exp(-log_p[i])),
    )


def unexplained_series(
    freqs_hz: FloatArray,
    values: FloatArray,
    ratio: FloatArray,
    log_p: FloatArray,
    explained: np.ndarray,
    shaft_hz: float,
    band_hz: tuple[float, float],
    harmonics: int = SERIES_HARMONICS,
) -> LineSeries | None:
    """The strongest harmonic series made of lines no candidate explains.

    Parameters
    ----------
    freqs_hz : numpy.ndarray
        Frequencies of the squared-envelope spectrum bins, Hz (uniform from 0).
    values : numpy.ndarray
        Spectrum values.
    ratio : numpy.ndarray
        Spectrum-to-floor ratios (:func:`openphm.diagnose.evidence.prominence_ratio`).
    log_p : numpy.ndarray
        ``-ln`` of the line false-alarm probabilities
        (:func:`openphm.diagnose.evidence.line_p_values`).
    explained : numpy.ndarray of bool
        Bins held by shaft harmonics or candidate lines (:func:`explained_mask`); they count as
        absent (``p = 1``) for the series.
    shaft_hz : float
        Shaft speed in Hz.
    band_hz : (float, float)
        Demodulation band of the spectrum, Hz (recorded in the result).
    harmonics : int, default 4
        Harmonics scored per trial fundamental.

    Returns
    -------
    LineSeries or None
        The best series over trial fundamentals from :data:`SERIES_MIN_ORDERS` orders up to the
        one whose second harmonic is the highest analysed line, stepped so that the highest
        harmonic moves by half a bin; its score is ``-log10 Q(m - 1, S - max)`` (as
        :func:`openphm.diagnose.evidence.match_pattern`) minus ``log10`` of the number of
        independent trials, ``harmonics * (hi - lo) / (3 df)`` (each line's p-value already
        covers 3 bins, so the highest harmonic must move 3 bins for a new trial).
        ``None`` when the range is empty.

    Examples
    --------
    >>> f = np.arange(0.0, 800.0, 0.1)
    >>> ratio = np.ones(f.size)
    >>> log_p = np.full(f.size, 0.7)
    >>> for k in range(1, 5):
    ...     log_p[round(k * 128.0 / 0.1)] = 15.0
    >>> s = unexplained_series(f, ratio, ratio, log_p, np.zeros(f.size, bool), 30.0, (0, 6e3))
    >>> round(s.fundamental_hz), s.score > 5
    (128, True)
    """
    df = float(freqs_hz[1] - freqs_hz[0])
    n = freqs_hz.size
    lo, hi = SERIES_MIN_ORDERS * shaft_hz, float(freqs_hz[-1]) / 2.0
    if hi <= lo:
        return None
    free = np.where(explained, 0.0, log_p)
    k = np.arange(1, harmonics + 1)
    trials = np.arange(lo, hi, 0.5 * df / harmonics)
    idx = np.rint(np.outer(trials, k) / df).astype(np.intp)
    inside = idx < n - 1
    terms = np.where(inside, free[np.clip(idx, 0, n - 1)], 0.0)
    m = inside.sum(axis=1) - 1
    total = terms.sum(axis=1) - terms.max(axis=1)
    with np.errstate(divide="ignore"):
        log10_q = np.log10(special.gammaincc(np.maximum(m, 1), np.maximum(total, 0.0)))
    log10_q = np.maximum(log10_q, -300.0)
    best = int(np.argmin(log10_q))
    f0 = float(trials[best])
    independent = max(1.0, harmonics * (hi - lo) / (SEARCH_BINS * df))
    score = float(-log10_q[best] - np.log10(independent))
    harm, side = [], []
    for j in range(harmonics):
        if not inside[best, j]:
            continue
        i = int(idx[best, j])
        h = j + 1
        harm.append(_peak(freqs_hz, values, ratio, free, i, f"{h}xS", "harmonic", h, h * f0))
        for sign, name in ((-1, "-fr"), (1, "+fr")):
            fs_hz = h * f0 + sign * shaft_hz
            i_s = round(fs_hz / df)
            if 1 <= i_s < n - 1:
                side.append(
                    _peak(freqs_hz, values, ratio, log_p, i_s, f"{h}xS{name}", "sideband", h, fs_hz)
                )
    return LineSeries(f0, f0 / shaft_hz, score, tuple(harm), tuple(side), band_hz)


def tonal_prominence_db(
    snapshots: Sequence[FloatArray], fs_hz: float, freqs_hz: Sequence[float]
) -> tuple[float, ...]:
    """Height of the raw (not demodulated) power spectrum at each frequency over its surroundings.

    A shaft, a gear or the supply puts discrete lines in the raw spectrum of the vibration; a
    local bearing defect shows its fault frequency in the envelope of a resonance band, while
    in the raw spectrum its low-frequency lines lie far below the other sources (the impacts'
    energy sits at the resonance; Randall & Antoni 2011, "Rolling element bearing diagnostics -
    A tutorial", MSSP 25(2), sections 1.2 and 3). Large faults do reach the raw spectrum, so
    the diagnosis asks more of a discrete source: a comb that also holds a line at a simple
    fraction of the series' fundamental (see :mod:`openphm.diagnose.bearing`).

    Parameters
    ----------
    snapshots : sequence of numpy.ndarray
        The record, or its snapshots, in any unit.
    fs_hz : float
        Sampling rate, Hz.
    freqs_hz : sequence of float
        Where to look, Hz.

    Returns
    -------
    tuple of float
        For each frequency, the highest bin within two bins of it over the median of the bins
        within 50 bins, dB of power (Welch average of Hann segments of up to 65 536 samples).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(100_000) / 10_000.0
    >>> x = rng.normal(size=t.size) + 0.5 * np.sin(2 * np.pi * 70.0 * t)
    >>> high, low = tonal_prominence_db([x], 10_000.0, [70.0, 123.0])
    >>> high > 20.0, low < 10.0
    (True, True)
    """
    from scipy import signal

    n = min(min(x.size for x in snapshots), _TONAL_SEGMENT)
    power = np.zeros(n // 2 + 1)
    for x in snapshots:
        _, p = signal.welch(x, fs_hz, window="hann", nperseg=n)
        power += p
    df = fs_hz / n
    out = []
    for f in freqs_hz:
        i = round(f / df)
        if not 2 <= i < power.size - 2:
            out.append(0.0)
            continue
        line = float(power[i - 2 : i + 3].max())
        around = power[max(1, i - 50) : i + 51]
        floor = float(np.median(around))
        out.append(float(10.0 * np.log10(max(line, 1e-300) / max(floor, 1e-300))))
    return tuple(out)
