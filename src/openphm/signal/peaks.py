"""Peaks of a spectrum, strongest first, and the local noise floor they stand on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import ndimage
from scipy import signal as sps

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_positive_int, as_signal
from openphm.signal.spectrum import Spectrum


@dataclass(frozen=True)
class Peak:
    """One spectral peak.

    Parameters
    ----------
    freq_hz : float
        Peak frequency in Hz, refined between bins by a parabola through the three top bins.
    amplitude : float
        Value of the highest bin, in the spectrum's unit.
    prominence : float
        Height above the higher of the two lowest points that separate it from taller peaks
        (:func:`scipy.signal.peak_prominences`), in the spectrum's unit.
    """

    freq_hz: float
    amplitude: float
    prominence: float


def _axes(
    spectrum_or_freqs: Spectrum | npt.ArrayLike, values: npt.ArrayLike | None
) -> tuple[FloatArray, FloatArray]:
    if isinstance(spectrum_or_freqs, Spectrum):
        if values is not None:
            raise ConfigError("values: give either a Spectrum or (freqs_hz, values), not both")
        return spectrum_or_freqs.freqs_hz, spectrum_or_freqs.values
    if values is None:
        raise ConfigError("values: needed when the first argument is a frequency array")
    freqs = as_signal(spectrum_or_freqs, "freqs_hz", min_len=1)
    vals = as_signal(values, "values", min_len=1)
    if freqs.shape != vals.shape:
        raise ConfigError(f"values: shape {vals.shape} differs from freqs_hz {freqs.shape}")
    return freqs, vals


def spectral_peaks(
    spectrum_or_freqs: Spectrum | npt.ArrayLike,
    values: npt.ArrayLike | None = None,
    *,
    fmin_hz: float | None = None,
    fmax_hz: float | None = None,
    n: int = 10,
    min_prominence: float = 0.0,
    rank_by: Literal["amplitude", "prominence"] = "amplitude",
) -> list[Peak]:
    """Local maxima of a spectrum in a frequency range, strongest first.

    Parameters
    ----------
    spectrum_or_freqs : Spectrum or array_like
        A :class:`~openphm.signal.spectrum.Spectrum`, or bin frequencies in Hz (then give
        ``values``).
    values : array_like, optional
        Bin values when the first argument is a frequency array.
    fmin_hz, fmax_hz : float, optional
        Frequency range searched, in Hz (inclusive); default the whole spectrum.
    n : int, default 10
        Most peaks returned.
    min_prominence : float, default 0
        Smallest prominence kept, in the spectrum's unit.
    rank_by : {"amplitude", "prominence"}, default "amplitude"
        Order of the result.

    Returns
    -------
    list of Peak
        At most ``n`` peaks, sorted by ``rank_by``, largest first. Bins at the ends of the
        range are not peaks. Prominence is measured within the range.

    Examples
    --------
    >>> f = np.arange(100.0)
    >>> v = np.exp(-0.5 * ((f - 20.0) / 1.5) ** 2) + 0.5 * np.exp(-0.5 * ((f - 60.0) / 1.5) ** 2)
    >>> [(round(p.freq_hz, 2), round(p.amplitude, 2)) for p in spectral_peaks(f, v, n=2)]
    [(20.0, 1.0), (60.0, 0.5)]
    """
    freqs, vals = _axes(spectrum_or_freqs, values)
    count = as_positive_int(n, "n")
    if rank_by not in ("amplitude", "prominence"):
        raise ConfigError(f"rank_by: must be 'amplitude' or 'prominence', got {rank_by!r}")
    lo = -np.inf if fmin_hz is None else float(fmin_hz)
    hi = np.inf if fmax_hz is None else float(fmax_hz)
    if lo > hi:
        raise ConfigError(f"fmin_hz ({lo:g}) is above fmax_hz ({hi:g})")
    keep = np.flatnonzero((freqs >= lo) & (freqs <= hi))
    if keep.size < 3:
        return []
    f, v = freqs[keep], vals[keep]
    idx, props = sps.find_peaks(v, prominence=max(float(min_prominence), 0.0))
    prom = np.asarray(props["prominences"], dtype=np.float64)
    key = v[idx] if rank_by == "amplitude" else prom
    order = np.argsort(-key, kind="stable")[:count]
    peaks = []
    for j in order:
        i = int(idx[j])
        left, mid, right = v[i - 1], v[i], v[i + 1]
        curvature = left - 2.0 * mid + right
        shift = 0.5 * (left - right) / curvature if curvature < 0.0 else 0.0
        step = 0.5 * (f[i + 1] - f[i - 1])
        peaks.append(Peak(float(f[i] + shift * step), float(mid), float(prom[j])))
    return peaks


def noise_floor(values: npt.ArrayLike, *, width_bins: int = 51) -> FloatArray:
    """Local noise floor of a spectrum: a running median over ``width_bins`` bins.

    Parameters
    ----------
    values : array_like
        Spectrum values (any unit), 1-D.
    width_bins : int, default 51
        Median window in bins (odd values centre it); wider than a peak and its closest
        sidebands, narrower than the changes of the floor.

    Returns
    -------
    numpy.ndarray
        Floor per bin, same unit and length as ``values``; the ends are mirrored. The
        ratio ``values / floor`` is a simple peak-to-floor detection statistic.

    Examples
    --------
    >>> v = np.ones(101)
    >>> v[50] = 10.0
    >>> float(noise_floor(v, width_bins=11)[50])
    1.0
    """
    arr = as_signal(values, "values", min_len=1)
    width = as_positive_int(width_bins, "width_bins")
    return np.asarray(ndimage.median_filter(arr, size=width, mode="reflect"), dtype=np.float64)
