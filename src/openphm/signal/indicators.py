"""Time-domain condition indicators and band energies."""

from __future__ import annotations

import math
import warnings

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataQualityWarning
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_band, as_fs, as_signal


def time_indicators(x: npt.ArrayLike) -> dict[str, float]:
    """Classic time-domain indicators of a vibration record.

    Parameters
    ----------
    x : array_like
        1-D samples in any unit.

    Returns
    -------
    dict of str to float
        With ``mu = mean(x)``, ``sigma = std(x)`` (population), ``rms = sqrt(mean(x^2))`` and
        ``peak = max|x|``:

        - ``mean``, ``std``, ``rms``, ``peak``, ``peak_to_peak`` (``max - min``): unit of ``x``;
        - ``crest_factor`` = peak / rms;
        - ``kurtosis`` = ``E[(x - mu)^4] / sigma^4``, **not** excess: 3 for Gaussian noise,
          1.5 for a sine, large for impacts;
        - ``skewness`` = ``E[(x - mu)^3] / sigma^3``;
        - ``shape_factor`` = rms / mean|x|;
        - ``impulse_factor`` = peak / mean|x|;
        - ``clearance_factor`` = peak / (mean sqrt|x|)^2.

        Ratios are NaN when their denominator is 0 (a constant or all-zero record), with a
        :class:`~openphm.core.errors.DataQualityWarning`.

    Notes
    -----
    The usual definitions of machine condition monitoring; see R. B. Randall (2011),
    *Vibration-based Condition Monitoring*, Wiley.

    Examples
    --------
    >>> t = np.arange(1000) / 1000.0
    >>> ind = time_indicators(np.sin(2 * np.pi * 10 * t))
    >>> round(ind["crest_factor"], 4), round(ind["kurtosis"], 4)
    (1.4142, 1.5)
    """
    arr = as_signal(x, min_len=1)
    mean = float(arr.mean())
    centred = arr - mean
    c2 = centred * centred
    var = float(c2.mean())
    absx = np.abs(arr)
    rms = float(np.sqrt(np.mean(arr * arr)))
    peak = float(absx.max())
    mean_abs = float(absx.mean())
    sqrt_mean = float(np.sqrt(absx).mean())
    if var == 0.0:
        warnings.warn(
            "x: constant signal; kurtosis, skewness and the ratios that need a spread are NaN",
            DataQualityWarning,
            stacklevel=2,
        )

    def ratio(num: float, den: float) -> float:
        return num / den if den > 0.0 else float("nan")

    return {
        "mean": mean,
        "std": float(np.sqrt(var)),
        "rms": rms,
        "peak": peak,
        "peak_to_peak": float(arr.max() - arr.min()),
        "crest_factor": ratio(peak, rms),
        "kurtosis": ratio(float((c2 * c2).mean()), var * var),
        "skewness": ratio(float((c2 * centred).mean()), var**1.5),
        "shape_factor": ratio(rms, mean_abs),
        "impulse_factor": ratio(peak, mean_abs),
        "clearance_factor": ratio(peak, sqrt_mean * sqrt_mean),
    }


def band_energies(
    x: npt.ArrayLike, fs: float, bands_hz: npt.ArrayLike | list[tuple[float, float]]
) -> FloatArray:
    """Mean-square power of ``x`` in each frequency band (band "energies").

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    bands_hz : array_like of shape (n_bands, 2)
        Band edges ``(low, high)`` in Hz; a bin belongs to a band when ``low <= f < high``
        (``<= high`` for a band ending at ``fs/2``). Bands may overlap.

    Returns
    -------
    numpy.ndarray
        Mean-square value in (unit of x)^2 per band, from the periodogram: the sum over bands
        that tile ``[0, fs/2]`` equals ``mean(x^2)`` (Parseval). Multiply by the duration for
        an energy.

    Examples
    --------
    >>> fs = 1000.0
    >>> t = np.arange(1000) / fs
    >>> x = np.sin(2 * np.pi * 50 * t) + 2 * np.sin(2 * np.pi * 300 * t)
    >>> band_energies(x, fs, [(0, 100), (100, 500)]).round(6).tolist()
    [0.5, 2.0]
    """
    arr = as_signal(x)
    rate = as_fs(fs)
    bands = np.asarray(bands_hz, dtype=np.float64)
    if bands.ndim != 2 or bands.shape[1] != 2 or bands.shape[0] == 0:
        raise ConfigError(f"bands_hz: need an (n_bands, 2) array of (low, high), got {bands!r}")
    n = arr.size
    spec = np.fft.rfft(arr)
    power = (spec.real**2 + spec.imag**2) / (n * n)
    power[1 : (n + 1) // 2] *= 2.0
    # Bin k lies at k fs / n; compare in bins so that rounding cannot drop an edge bin.
    out = np.empty(bands.shape[0])
    for i, band in enumerate(bands):
        low, high = as_band((band[0], band[1]), rate, f"bands_hz[{i}]")
        first = math.ceil(low * n / rate - 1e-9)
        stop = power.size if high >= rate / 2.0 else math.ceil(high * n / rate - 1e-9)
        out[i] = power[first:stop].sum()
    return out
