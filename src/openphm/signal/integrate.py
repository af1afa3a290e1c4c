"""Integration of acceleration to velocity within a band, for ISO 10816 / 20816 severity."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.core.units import acceleration_factor
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_band, as_fs, as_signal
from openphm.signal.spectrum import rfft_freqs_hz

#: Band of ISO 10816-3 / 20816-3 for machines running above 600 r/min, in Hz.
ISO_20816_BAND_HZ = (10.0, 1000.0)


def acceleration_to_velocity(
    x: npt.ArrayLike,
    fs: float,
    *,
    unit: str = "g",
    band_hz: tuple[float, float] = ISO_20816_BAND_HZ,
) -> FloatArray:
    """Integrate acceleration to velocity in mm/s, keeping only the frequencies in a band.

    Parameters
    ----------
    x : array_like
        Acceleration samples, 1-D.
    fs : float
        Sampling rate in Hz.
    unit : str, default "g"
        Unit of ``x``: ``"g"`` (9.80665 m/s^2), ``"m/s^2"`` or ``"mm/s^2"``.
    band_hz : (float, float), default (10.0, 1000.0)
        Band kept, in Hz, ``0 < low < high <= fs/2``. The default is the ISO 10816-3 /
        ISO 20816-3 band for machines above 600 r/min (use ``(2.0, 1000.0)`` below).

    Returns
    -------
    numpy.ndarray
        Velocity in mm/s, same length as ``x``, zero mean.

    Notes
    -----
    In the frequency domain ``V(f) = A(f) / (i 2 pi f)`` for ``low <= |f| <= high`` and 0
    elsewhere (ideal band edges, the record treated as periodic), so low-frequency drift and
    the ``1/f`` growth of noise below the band do not enter the result.

    Examples
    --------
    >>> fs = 5120.0
    >>> t = np.arange(5120) / fs
    >>> a = 1.0 * np.sin(2 * np.pi * 100.0 * t)  # 1 g peak at 100 Hz
    >>> v = acceleration_to_velocity(a, fs)
    >>> round(float(v.max()), 2)  # 9.80665 / (2 pi 100) m/s = 15.61 mm/s
    15.61
    """
    arr = as_signal(x, min_len=4)
    rate = as_fs(fs)
    low, high = as_band(band_hz, rate)
    if low <= 0.0:
        raise ConfigError(f"band_hz: the low edge must be above 0 Hz to integrate, got {low:g}")
    scale = acceleration_factor(unit) * 1000.0
    freqs = rfft_freqs_hz(arr.size, rate)
    inside = (freqs >= low) & (freqs <= high)
    gain = np.zeros(freqs.size, dtype=np.complex128)
    gain[inside] = scale / (2j * math.pi * freqs[inside])
    return np.fft.irfft(np.fft.rfft(arr) * gain, n=arr.size)


def velocity_rms_mm_s(
    x: npt.ArrayLike,
    fs: float,
    *,
    unit: str = "g",
    band_hz: tuple[float, float] = ISO_20816_BAND_HZ,
) -> float:
    """Broadband RMS velocity in mm/s from acceleration, the ISO 10816 / 20816 severity measure.

    Parameters
    ----------
    x : array_like
        Acceleration samples, 1-D.
    fs : float
        Sampling rate in Hz.
    unit : str, default "g"
        Unit of ``x`` (see :func:`acceleration_to_velocity`).
    band_hz : (float, float), default (10.0, 1000.0)
        Measurement band in Hz.

    Returns
    -------
    float
        RMS of :func:`acceleration_to_velocity`, in mm/s.

    Examples
    --------
    >>> fs = 5120.0
    >>> t = np.arange(5120) / fs
    >>> a = 9.80665 * np.sin(2 * np.pi * 50.0 * t)  # m/s^2
    >>> round(velocity_rms_mm_s(a, fs, unit="m/s^2"), 2)  # 1000 * 9.80665 / (2 pi 50) / sqrt 2
    22.07
    """
    v = acceleration_to_velocity(x, fs, unit=unit, band_hz=band_hz)
    return float(np.sqrt(np.mean(v * v)))
