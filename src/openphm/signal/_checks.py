"""Input validation shared by the signal functions: one error format for every check."""

from __future__ import annotations

import math
import operator

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import FloatArray


def as_signal(x: npt.ArrayLike, name: str = "x", min_len: int = 2) -> FloatArray:
    """Return ``x`` as a 1-D float64 array after checking shape, finiteness and length.

    Parameters
    ----------
    x : array_like
        Samples to check; never modified.
    name : str, default "x"
        Name of the input in error messages.
    min_len : int, default 2
        Fewest samples accepted.

    Returns
    -------
    numpy.ndarray
        ``x`` as float64 (a view when it already is).

    Raises
    ------
    openphm.core.errors.DataError
        When ``x`` is not numeric, not 1-D, too short, or holds NaN or Inf.

    Examples
    --------
    >>> as_signal([1, 2, 3]).dtype
    dtype('float64')
    >>> as_signal([1.0, float("nan")])
    Traceback (most recent call last):
    ...
    openphm.core.errors.DataError: x: 1 of 2 samples are NaN or infinite; clean them first
    """
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name}: cannot be read as real numbers ({exc})") from None
    if arr.ndim != 1:
        raise DataError(f"{name}: must be a 1-D array of samples, got shape {arr.shape}")
    if arr.size < min_len:
        raise DataError(f"{name}: needs at least {min_len} samples, got {arr.size}")
    if not np.isfinite(arr).all():
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise DataError(
            f"{name}: {bad} of {arr.size} samples are NaN or infinite; clean them first"
        )
    return arr


def as_fs(fs: float, name: str = "fs") -> float:
    """Return a sampling rate as a float after checking it is finite and positive.

    Parameters
    ----------
    fs : float
        Sampling rate in Hz.
    name : str, default "fs"
        Name of the input in error messages.

    Returns
    -------
    float
        The rate in Hz.

    Raises
    ------
    openphm.core.errors.DataError
        When ``fs`` is not a finite positive number.

    Examples
    --------
    >>> as_fs(12000)
    12000.0
    """
    try:
        value = float(fs)
    except (TypeError, ValueError):
        raise DataError(f"{name}: sampling rate {fs!r} is not a number (Hz)") from None
    if not math.isfinite(value) or value <= 0.0:
        raise DataError(f"{name}: sampling rate {fs!r} Hz must be finite and positive")
    return value


def as_band(band_hz: tuple[float, float], fs: float, name: str = "band_hz") -> tuple[float, float]:
    """Return a frequency band after checking ``0 <= low < high <= fs/2``.

    Parameters
    ----------
    band_hz : (float, float)
        Band edges ``(low, high)`` in Hz.
    fs : float
        Sampling rate in Hz.
    name : str, default "band_hz"
        Name of the input in error messages.

    Returns
    -------
    (float, float)
        ``(low, high)`` in Hz; a ``high`` within rounding of ``fs/2`` is set to ``fs/2``.

    Raises
    ------
    openphm.core.errors.ConfigError
        When the band is malformed or outside ``[0, fs/2]``.

    Examples
    --------
    >>> as_band((100, 2000), 12000.0)
    (100.0, 2000.0)
    """
    try:
        low, high = (float(v) for v in band_hz)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{name}: give two frequencies (low, high) in Hz, got {band_hz!r}"
        ) from None
    nyquist = fs / 2.0
    if not (math.isfinite(low) and math.isfinite(high) and 0.0 <= low < high <= nyquist * 1.000001):
        raise ConfigError(
            f"{name}: band ({low:g}, {high:g}) Hz must satisfy 0 <= low < high <= fs/2 "
            f"= {nyquist:g} Hz"
        )
    return low, min(high, nyquist)


def as_positive_int(value: int, name: str, minimum: int = 1) -> int:
    """Return an integer parameter after checking it is at least ``minimum``.

    Parameters
    ----------
    value : int
        The parameter (any integer type; floats and booleans are refused).
    name : str
        Name of the parameter in error messages.
    minimum : int, default 1
        Smallest value accepted.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    openphm.core.errors.ConfigError
        When ``value`` is not an integer or is below ``minimum``.

    Examples
    --------
    >>> as_positive_int(np.int64(4), "nperseg")
    4
    """
    try:
        if isinstance(value, bool):
            raise TypeError
        result = operator.index(value)
    except TypeError:
        raise ConfigError(f"{name}: must be an integer, got {value!r}") from None
    if result < minimum:
        raise ConfigError(f"{name}: must be an integer >= {minimum}, got {value!r}")
    return result


def frozen_copy(values: npt.ArrayLike) -> FloatArray:
    """Return a read-only float64 copy, for the arrays held by frozen result objects.

    Parameters
    ----------
    values : array_like
        Values to copy.

    Returns
    -------
    numpy.ndarray
        A float64 copy whose ``writeable`` flag is off.

    Examples
    --------
    >>> frozen_copy([1, 2]).flags.writeable
    False
    """
    out = np.array(values, dtype=np.float64, copy=True)
    out.setflags(write=False)
    return out
